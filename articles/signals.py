"""Side effects that follow the data: files of deleted articles and authors go too."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import images
from .models import Article, Author


def _remove_picture(field_file, renditions: dict) -> None:
    storage, name = field_file.storage, field_file.name
    images.delete_renditions(storage, renditions)
    if name:
        storage.delete(name)


@receiver(post_delete, sender=Article, dispatch_uid="articles.article_files")
def remove_article_picture(sender, instance: Article, **kwargs) -> None:
    if instance.image:
        image, renditions = instance.image, instance.image_renditions
        transaction.on_commit(lambda: _remove_picture(image, renditions))


@receiver(post_delete, sender=Author, dispatch_uid="articles.author_files")
def remove_author_photo(sender, instance: Author, **kwargs) -> None:
    if instance.photo:
        photo, renditions = instance.photo, instance.photo_renditions
        transaction.on_commit(lambda: _remove_picture(photo, renditions))
