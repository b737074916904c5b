"""Background work, on Django's Tasks API (django-tasks): pictures and bulk re-indexing.

Services enqueue; a worker runs (`manage.py worker`). Every task is safe to run
twice: what it should do is read from the rows, not from its arguments, so a
retry or a re-run after a lost worker does the right thing.

Retries: a task that meets a passing fault (storage or database unreachable)
enqueues itself again, later, up to MAX_ATTEMPTS; a picture that cannot be used
is not retried, and the desk shows why.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

from . import pictures, search
from .models import Article, Author

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
# Faults worth another try later; anything else is a bug or a bad picture.
PASSING_FAULTS = (*pictures.STORAGE_FAULTS, DatabaseError)


def enqueue(work, *args, attempt: int = 1) -> None:
    """Enqueue once the current transaction commits, so the worker sees its rows.

    The database engine keeps tasks in the same transaction, so they commit
    together; other engines (RQ) are told only after the commit. A retry waits
    longer each time (30 s, 60 s, 120 s) where the engine can defer.
    """
    backend = task_backends[work.backend]
    if attempt > 1 and backend.supports_defer:
        later = timezone.now() + timedelta(seconds=30 * 2 ** (attempt - 2))
        work = work.using(run_after=later)

    def send():
        work.enqueue(*args, attempt=attempt)

    if isinstance(backend, DatabaseBackend | ImmediateBackend):
        send()
    else:
        transaction.on_commit(send)


# Pictures ---------------------------------------------------------------------------------

# Slots tasks named before pictures joined the library, and whose picture each now is.
# Tasks queued before the library name the owner; its picture is the library record now.
LEGACY_OWNERS = {"article": (Article, "picture_id"), "author": (Author, "photo_id")}


def enqueue_picture(instance, slot: pictures.PictureSlot) -> None:
    enqueue(process_picture, slot.name, instance.pk)


@task()
def process_picture(slot_name: str, pk: int, attempt: int = 1) -> str:
    """Clean a waiting upload and cut its renditions (articles.images.process)."""
    if slot_name in LEGACY_OWNERS:
        # Queued before pictures had a library of their own: the article's picture, or
        # the author's photo, is a library record now (migrations 0028, 0033).
        owners, shown = LEGACY_OWNERS[slot_name]
        found = owners.objects.filter(pk=pk).values_list(shown, flat=True).first()
        if found is None:
            return "gone"
        slot_name, pk = pictures.LIBRARY_PICTURE.name, found
    slot = pictures.SLOTS[slot_name]
    model = slot.model
    upload = pictures.waiting_upload(model, pk, slot)
    try:
        outcome = pictures.process(model, pk, slot)
    except ValidationError as refused:
        pictures.fail(model, pk, slot, " ".join(refused.messages), upload=upload)
        return "refused"
    except MemoryError:
        pictures.fail(model, pk, slot, _("This picture is too large to process."), upload=upload)
        return "refused"
    except PASSING_FAULTS as fault:
        if attempt >= MAX_ATTEMPTS:
            logger.exception("Picture %s %s failed %d times", slot_name, pk, attempt)
            pictures.fail(
                model,
                pk,
                slot,
                _("The picture could not be stored: %(fault)s") % {"fault": fault},
                upload=upload,
            )
            return "failed"
        logger.warning("Picture %s %s: %s; trying again later", slot_name, pk, fault)
        enqueue(process_picture, slot_name, pk, attempt=attempt + 1)
        return "retrying"
    if outcome == "ready" and slot_name == pictures.LIBRARY_PICTURE.name:
        _picture_ready(pk)
    return outcome


def _picture_ready(pk: int) -> None:
    """Articles and authors waiting on the picture take it; readers' cached pages showing
    it (as a lead, a social picture or an author's photo) show the new one."""
    from . import page_cache, services

    services.picture_promote(picture_id=pk)
    page_cache.picture_changed(pk)


# Search ---------------------------------------------------------------------------------


def enqueue_reindex_tagged(tag_id: int) -> None:
    enqueue(reindex_tagged, tag_id)


@task()
def reindex_tagged(tag_id: int, attempt: int = 1) -> int:
    """Index again every article with this tag (after a rename, merge or approval)."""
    try:
        return search.index_articles(Article.objects.filter(tags=tag_id))
    except PASSING_FAULTS:
        if attempt >= MAX_ATTEMPTS:
            raise
        enqueue(reindex_tagged, tag_id, attempt=attempt + 1)
        return 0


# Workers --------------------------------------------------------------------------------


def recover_stale() -> int:
    """Tasks a worker claimed but never finished (it was killed) become ready again.

    Database engine only; a task is only ever stale after TASKS_STALE_AFTER_SECONDS,
    far longer than any task here takes.
    """
    from django.conf import settings
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS)
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .update(status=TaskResultStatus.READY, started_at=None)
    )
