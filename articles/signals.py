"""Side effects that follow the data: files of deleted articles and authors go too,
and the search index keeps up with articles and their tags."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import images, search
from .models import Article, Author, TaggedArticle


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


# The search index follows the articles and their tags.


@receiver(post_save, sender=Article, dispatch_uid="articles.search_index")
def index_saved_article(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if not raw:
        search.index_article(instance)


@receiver(m2m_changed, sender=TaggedArticle, dispatch_uid="articles.search_index_tags")
def index_retagged_article(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Article):
        search.index_article(instance)


@receiver(post_delete, sender=Article, dispatch_uid="articles.search_unindex")
def unindex_deleted_article(sender, instance: Article, **kwargs) -> None:
    search.unindex_article(instance.pk)
