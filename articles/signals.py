"""Side effects that follow the data, decoupled from who changed it.

Also: sign-ins and failed sign-ins are written to the audit log.

Deleted pictures take their files with them; deleted articles leave
the search index. Indexing saved articles is a service step (articles.services), never a
signal: one save indexes once.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import audit, images, search
from .models import Article, Picture


def _remove_picture(field_file, renditions: dict) -> None:
    storage, name = field_file.storage, field_file.name
    images.delete_renditions(storage, renditions)
    if name:
        storage.delete(name)


@receiver(post_delete, sender=Picture, dispatch_uid="articles.picture_files")
def remove_library_picture(sender, instance: Picture, **kwargs) -> None:
    _remove_files(instance.file, instance.file_renditions, instance.file_upload)


def _remove_files(picture, renditions: dict, upload) -> None:
    if picture:
        transaction.on_commit(lambda: _remove_picture(picture, renditions), robust=True)
    if upload:
        transaction.on_commit(lambda: upload.storage.delete(upload.name), robust=True)


@receiver(post_delete, sender=Article, dispatch_uid="articles.search_unindex")
def unindex_deleted_article(sender, instance: Article, **kwargs) -> None:
    search.unindex_article(instance.pk)


def index_after_migrate(sender, apps=None, **kwargs) -> None:
    """Index articles the index does not know yet, once the database is fully migrated.

    `apps` is the state `migrate` left the database in (absent after a flush, which
    leaves it complete); a partial migration has nothing to index against yet.
    """
    if apps is not None:
        state = {field.name for field in apps.get_model("articles", "Article")._meta.get_fields()}
        if not {field.name for field in Article._meta.concrete_fields} <= state:
            return
    search.index_missing()


# Who signs in, and who fails to, goes to the audit log.


@receiver(user_logged_in, dispatch_uid="articles.audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit.record("login", by=user, target=user)


@receiver(user_login_failed, dispatch_uid="articles.audit_login_failed")
def audit_login_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    # Django hides the password in `credentials`; the name tried is worth keeping.
    audit.record("login.failed", username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out, dispatch_uid="articles.audit_lockout")
def audit_lockout(sender, request, username: str, ip_address: str, **kwargs) -> None:
    audit.record("login.lockout", username=str(username or "")[:150], ip=ip_address)
