"""A picture's way from upload to readers.

A request only checks an upload's header (articles.forms.PictureFormField) and
sets the file aside in the `pending` storage, out of readers' reach
(`prepare`). A background task (articles.tasks.process_picture) then cleans it
and cuts its renditions (`process`, with the pixel work in articles.images),
and only then does the row point at the new picture. Until then pages keep
showing the previous picture, or none; the desk shows "processing", and on
failure the reason (`fail`). The article's text is saved either way.
"""

import logging
import posixpath
from dataclasses import dataclass
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .images import ARTICLE_WIDTHS, clean_original, delete_renditions, make_renditions


@dataclass(frozen=True)
class PictureSlot:
    """Where a model keeps a picture, its upload in waiting and its renditions, and
    what to cut. `name` is how tasks refer to it."""

    name: str
    model_label: str
    field: str
    widths: tuple[int, ...]
    social: bool = False
    # Crops keep this point in view: the row's (x, y) fields, when it has them.
    focal_fields: tuple[str, str] | None = None

    def focal_point(self, instance: models.Model) -> tuple[float, float]:
        if self.focal_fields is None:
            return (0.5, 0.5)
        return tuple(getattr(instance, name) for name in self.focal_fields)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def renditions_field(self) -> str:
        return f"{self.field}_renditions"

    @property
    def upload_field(self) -> str:
        return f"{self.field}_upload"

    @property
    def state_field(self) -> str:
        return f"{self.field}_state"

    @property
    def error_field(self) -> str:
        return f"{self.field}_error"


logger = logging.getLogger(__name__)

# How a storage says it cannot be reached right now: a full or read-only disk, an
# unreachable bucket, refused credentials.
STORAGE_FAULTS = (OSError, BotoCoreError, ClientError)

LIBRARY_PICTURE = PictureSlot(
    "picture",
    "articles.Picture",
    "file",
    ARTICLE_WIDTHS,
    social=True,
    focal_fields=("focal_x", "focal_y"),
)
SLOTS = {slot.name: slot for slot in (LIBRARY_PICTURE,)}
# Where uploads wait: the library's folder, and "authors", where authors' photos waited
# before they joined the library (migration 0033); library records point at those now.
PENDING_FOLDERS = ("pictures", "authors")


def stash(upload, waiting_room: models.FileField) -> str:
    """Set a checked upload aside in the pending storage while the form is validated,
    so that a storage that fails refuses the form, with everything typed kept, before
    anything is saved. Returns the stored name, for `prepare`.
    """
    name = waiting_room.generate_filename(None, posixpath.basename(upload.name))
    try:
        upload.seek(0)
        return waiting_room.storage.save(name, upload)
    except STORAGE_FAULTS as fault:
        logger.error("Pending storage refused an upload: %s", fault)
        raise ValidationError(
            _(
                "The picture could not be stored just now, so nothing was saved. Your "
                "text is still here: choose the picture again and save in a minute, or "
                "save without it."
            ),
            code="storage_unavailable",
        ) from fault


def sweep_pending(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete waiting uploads no row points to (a form refused after its picture was
    set aside, a row deleted meanwhile); returns how many. The worker runs it hourly.
    """
    pending = storages["pending"]
    cutoff = timezone.now() - older_than
    referenced = set()
    for slot in SLOTS.values():
        referenced.update(
            slot.model._default_manager.exclude(**{slot.upload_field: ""}).values_list(
                slot.upload_field, flat=True
            )
        )
    swept = 0
    for folder in PENDING_FOLDERS:
        try:
            # No exists() first: on S3 a "folder" is only a prefix, never an object.
            filenames = pending.listdir(folder)[1]
        except FileNotFoundError:
            continue
        for filename in filenames:
            name = f"{folder}/{filename}"
            if name in referenced or _modified(pending, name) > cutoff:
                continue
            pending.delete(name)
            swept += 1
    return swept


def _modified(storage: Storage, name: str) -> datetime:
    try:
        return storage.get_modified_time(name)
    except (NotImplementedError, *STORAGE_FAULTS):
        return timezone.now()  # unknown: keep it


def keep_worker_state(instance: models.Model, slot: PictureSlot) -> None:
    """Before saving a row read earlier (a desk form): the worker may have finished or
    given up on its picture since. Unless this save changes the picture itself, the
    picture fields are taken as they are now, so the save does not put back what the
    worker replaced. Call it with the row locked (articles.services does)."""
    loaded = getattr(instance, "_loaded_pictures", {}).get(slot.field)
    if instance.pk is None or loaded is None:
        return
    field_file = getattr(instance, slot.field)
    if (field_file and not field_file._committed) or (field_file.name or "") != loaded:
        return  # a new upload, or the picture removed: this save decides
    fields = [
        slot.field,
        slot.renditions_field,
        slot.upload_field,
        slot.state_field,
        slot.error_field,
    ]
    now = type(instance)._default_manager.filter(pk=instance.pk).values(*fields).first()
    for name, value in (now or {}).items():
        setattr(instance, name, value)


def prepare(instance: models.Model, slot: PictureSlot) -> bool:
    """Before saving: set a new upload aside, out of readers' reach; True when the
    worker has picture work to do for this row once it is saved.

    The previous picture stays on the row, and on pages, until the new one is ready.
    """
    field_file = getattr(instance, slot.field)
    if field_file and not field_file._committed:
        upload = field_file.file
        previous = ""
        if instance.pk is not None:
            stored = type(instance)._default_manager.filter(pk=instance.pk)
            previous = stored.values_list(slot.field, flat=True).first() or ""
        setattr(instance, slot.field, previous)
        stashed = getattr(upload, "stashed_name", "")
        if stashed:  # set aside already, by the form (stash)
            setattr(instance, slot.upload_field, stashed)
        else:
            getattr(instance, slot.upload_field).save(
                posixpath.basename(field_file.name), upload, save=False
            )
        return _mark(instance, slot, state="processing")
    renditions = getattr(instance, slot.renditions_field) or {}
    if not field_file:
        if renditions:  # the picture was removed: so are its renditions
            storage = field_file.storage
            transaction.on_commit(lambda: delete_renditions(storage, renditions), robust=True)
            setattr(instance, slot.renditions_field, {})
        return bool(getattr(instance, slot.upload_field))
    if renditions.get("original") != field_file.name:
        # A stored picture without its renditions (a restore, or the demo).
        return _mark(instance, slot, state="processing")
    if slot.focal_fields and renditions.get("focal") != list(slot.focal_point(instance)):
        # The focal point moved: the crops are cut again around it.
        return _mark(instance, slot, state="processing")
    return False


def _mark(instance: models.Model, slot: PictureSlot, *, state: str, error: str = "") -> bool:
    setattr(instance, slot.state_field, state)
    setattr(instance, slot.error_field, error)
    return True


def process(model: type[models.Model], pk: int, slot: PictureSlot) -> str:
    """Clean a waiting upload into the public picture and cut its renditions.

    Safe to run again (a worker lost mid-way): only the row's current upload or
    picture is processed, and a newer upload that arrived meanwhile wins. Raises
    ValidationError for a picture that cannot be used, OSError when storage fails.
    """
    instance = model._default_manager.filter(pk=pk).first()
    if instance is None:
        return "gone"
    field = instance._meta.get_field(slot.field)
    upload = getattr(instance, slot.upload_field)
    if upload:
        name = _store_cleaned(instance, field, upload)
    else:
        name = getattr(instance, slot.field).name
        if not name:
            return "nothing"
    focal = slot.focal_point(instance)
    renditions = make_renditions(
        field.storage,
        name,
        widths=slot.widths,
        social=slot.social,
        focal=focal,
    )
    renditions["original"] = name
    if slot.focal_fields:
        renditions["focal"] = list(focal)
    with transaction.atomic():
        rows = model._default_manager.select_for_update().filter(pk=pk)
        current = rows.values(
            slot.field, slot.upload_field, slot.renditions_field, *(slot.focal_fields or ())
        ).first()
        superseded = current is None or (
            current[slot.upload_field] != upload.name
            if upload
            else current[slot.field] != name or current[slot.upload_field]
        )
        if not superseded and slot.focal_fields:
            # Moved again while these crops were cut: the next job cuts the right ones.
            superseded = tuple(current[f] for f in slot.focal_fields) != focal
        if superseded:
            ours = name if upload else ""
            transaction.on_commit(lambda: _discard(field.storage, ours, renditions), robust=True)
            return "superseded"
        rows.update(
            **{
                slot.field: name,
                slot.renditions_field: renditions,
                slot.upload_field: "",
                slot.state_field: "ready",
                slot.error_field: "",
            }
        )
        previous = current[slot.renditions_field] or {}
        if previous and previous != renditions:
            # The replaced original stays (revisions can restore it); its renditions go,
            # as do crops cut around a focal point that has moved.
            transaction.on_commit(lambda: delete_renditions(field.storage, previous), robust=True)
        if upload:
            transaction.on_commit(lambda: upload.storage.delete(upload.name), robust=True)
    return "ready"


def _store_cleaned(instance: models.Model, field, upload) -> str:
    """Clean the upload and store it where readers may see it; its bytes are let go
    before the renditions are cut, which keeps a worker's memory down."""
    with upload.open("rb") as waiting:
        cleaned = clean_original(waiting, name=upload.name)
    return field.storage.save(field.generate_filename(instance, cleaned.name), cleaned)


def waiting_upload(model: type[models.Model], pk: int, slot: PictureSlot) -> str:
    """The name of the upload the row waits on now ("" for none, or no row)."""
    found = model._default_manager.filter(pk=pk).values_list(slot.upload_field, flat=True)
    return found.first() or ""


def fail(
    model: type[models.Model], pk: int, slot: PictureSlot, reason: str, *, upload: str
) -> None:
    """Give up on the upload `upload` (as it was when the job began): the desk shows why;
    readers keep the old picture. A newer upload that arrived meanwhile is left alone,
    for its own job."""
    failed = model._default_manager.filter(pk=pk, **{slot.upload_field: upload}).update(
        **{slot.upload_field: "", slot.state_field: "failed", slot.error_field: reason[:500]}
    )
    if failed and upload:
        storage = model._meta.get_field(slot.upload_field).storage
        transaction.on_commit(lambda: storage.delete(upload), robust=True)


def _discard(storage: Storage, original: str, renditions: dict) -> None:
    delete_renditions(storage, renditions)
    if original:
        storage.delete(original)
