"""A whole newsroom in one file, and back: `manage.py backup` and `manage.py restore`.

The file is a gzipped tar holding

- `manifest.json` — when, from which database, how many articles and files;
- `data.json` — every row worth keeping (Django's dumpdata, with permissions and
  content types by name, so it loads into SQLite or PostgreSQL alike);
- `media/…` and `pending/…` — every picture and rendition, and uploads still
  waiting for the worker, read through the storages (so S3 works too).

Left out on purpose, because they are rebuilt or worthless elsewhere: sessions,
the task queue, sign-in throttling records and the search index (rebuilt on
restore). For a large PostgreSQL archive the native tools are faster; the README
gives both recipes.
"""

import gzip
import io
import json
import os
import shutil
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from . import backup_format, pictures, search, tasks
from .models import Article

FORMAT = 1
LEFT_OUT = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "django_tasks_database",
    "django_rq",
    "axes",
    "articles.searchentry",
]
STORAGES = ("default", "pending")  # tar folders: media/ and pending/
FOLDER = {"default": "media", "pending": "pending"}


class BackupError(Exception):
    """A backup file that cannot be restored, said in words."""


@dataclass(frozen=True)
class Manifest:
    format: int
    created_at: str
    database: str
    articles: int
    files: int


def create(destination: Path) -> Manifest:
    """Write the whole newsroom to `destination` (a .tar.gz), readable by its owner only:
    it holds password hashes and second-factor keys."""
    partial = destination.with_name(destination.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz") as archive,
            tempfile.TemporaryDirectory() as scratch,
            _snapshot(),
        ):
            data = Path(scratch) / "data.json"
            serializers.register_serializer(backup_format.NAME, "articles.backup_format")
            call_command(
                "dumpdata",
                format=backup_format.NAME,
                exclude=LEFT_OUT,
                natural_foreign=True,
                output=str(data),
                verbosity=0,
            )
            archive.add(data, arcname="data.json")
            files = sum(_add_file(archive, *stored) for stored in list(_stored_files()))
            manifest = Manifest(
                format=FORMAT,
                created_at=timezone.now().isoformat(),
                database=connection.vendor,
                articles=Article.objects.count(),
                files=files,
            )
            _add_bytes(archive, "manifest.json", json.dumps(manifest.__dict__, indent=2).encode())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(destination)  # never a half-written backup under the real name
    return manifest


@contextmanager
def _snapshot():
    """Every row as of one moment: on PostgreSQL one REPEATABLE READ transaction (SQLite
    reads inside a transaction are consistent already)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _add_file(archive: tarfile.TarFile, storage_name: str, name: str) -> int:
    """Add one stored file; 0 when it went away meanwhile (a worker finished with it)."""
    storage = storages[storage_name]
    try:
        with storage.open(name, "rb") as stored:
            info = tarfile.TarInfo(f"{FOLDER[storage_name]}/{name}")
            info.size = storage.size(name)
            archive.addfile(info, stored)
    except FileNotFoundError:
        return 0
    return 1


def read_manifest(source: Path) -> Manifest:
    """What a backup holds; BackupError when it is not one of ours."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            member = archive.extractfile("manifest.json")
            found = json.load(member) if member else None
    except (OSError, tarfile.TarError, KeyError, gzip.BadGzipFile, ValueError) as error:
        raise BackupError(f"{source} is not a Newsroom backup: {error}") from error
    if not isinstance(found, dict) or found.get("format") != FORMAT:
        raise BackupError(f"{source} is not a Newsroom backup this version can read.")
    try:
        return Manifest(**found)
    except TypeError as error:
        raise BackupError(f"{source} has a damaged manifest.") from error


def restore(source: Path) -> Manifest:
    """Replace everything in the database and the media storage with the backup."""
    manifest = read_manifest(source)
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(source, "r:gz") as archive:
        # Every file's place is checked before anything is replaced.
        placed = [(member, *_storage_path(member)) for member in archive.getmembers()]
        data = Path(scratch) / "data.json"
        try:
            packed = archive.extractfile("data.json")
        except KeyError as missing:
            raise BackupError(f"{source} holds no data.json.") from missing
        with packed, data.open("wb") as unpacked:
            shutil.copyfileobj(packed, unpacked)
        with transaction.atomic():
            _flush()
            call_command("loaddata", str(data), verbosity=0)
        # Content types were made anew by the flush; this process forgets the old ids
        # (app servers and workers are restarted after a restore: see the README).
        ContentType.objects.clear_cache()
        for member, storage_name, name in placed:
            if storage_name:
                _put(storages[storage_name], name, archive.extractfile(member))
    search.rebuild_index()
    cache.clear()  # every cached page and count described the newsroom replaced
    for slot in pictures.SLOTS.values():
        waiting = slot.model._default_manager.exclude(**{slot.upload_field: ""})
        for pk in waiting.values_list("pk", flat=True):
            tasks.enqueue_picture(slot.model(pk=pk), slot)
    return manifest


def _flush() -> None:
    """Empty every table. PostgreSQL empties no table with foreign-key checks still
    pending from earlier in the transaction, so those run first; loading then defers
    them again, as Django's constraints are declared."""
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _stored_files():
    for storage_name in STORAGES:
        storage = storages[storage_name]
        yield from ((storage_name, name) for name in _walk(storage, ""))


def _walk(storage: Storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored there yet (a folder made on first upload)
        return
    for filename in sorted(files):
        yield f"{folder}/{filename}" if folder else filename
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _storage_path(member: tarfile.TarInfo) -> tuple[str, str]:
    """Which storage, and which name in it, a file of the backup goes to; ("", "")
    for anything else. Names that climb out of their folder are refused."""
    if not member.isfile():
        return "", ""
    path = PurePosixPath(member.name)
    for storage_name, folder in FOLDER.items():
        if path.parts[:1] == (folder,) and len(path.parts) > 1:
            if ".." in path.parts or path.is_absolute():
                raise BackupError(f"The backup holds a file outside its folders: {member.name}")
            return storage_name, str(PurePosixPath(*path.parts[1:]))
    return "", ""


def _put(storage: Storage, name: str, content) -> None:
    if storage.exists(name):
        storage.delete(name)
    stored = storage.save(name, File(content, name=name))
    if stored != name:  # pragma: no cover - a storage that renames what it was given
        raise BackupError(f"The storage kept {name} as {stored}.")


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))
