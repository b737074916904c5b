"""Media served by the app itself, so one machine needs no other web server.

Pictures live in the `default` storage. On one machine that is MEDIA_ROOT on
disk and this view answers MEDIA_URL, with the caching a CDN or a browser
needs: names that change whenever the bytes change are cached for a year,
others for an hour, and both carry validators for cheap 304s. With S3 (or a
proxy that serves MEDIA_ROOT, DJANGO_SERVE_MEDIA=off) the route is not mounted.

It lives in newsroom/, not articles/: how files reach readers is the site's
plumbing, beside its settings and URLs, while articles/ decides what the files
are. The `pending` storage (uploads not yet cleaned) is never served.
"""

import mimetypes
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotFound
from django.http.response import HttpResponseBase
from django.urls import URLPattern, path
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

# The picture pipeline names every file it writes after its content: an 8-hex-digit
# hash right before the extension, or before "-<width>w.<ext>" / "-social.<ext>":
# hall-1a2b3c4d.jpg, renditions/hall-1a2b3c4d-640w.webp, renditions/hall-1a2b3c4d-social.jpg.
HASHED_NAME = re.compile(r"-[0-9a-f]{8}(?:-[0-9]+w|-social)?\.[A-Za-z0-9]+\Z")
IMMUTABLE = "public, max-age=31536000, immutable"
# Long enough to spare the disk, short enough that a replaced file shows within the hour.
REVALIDATE = "public, max-age=3600"
# The only kinds shown in the browser; anything else is offered as a download, so
# a stray HTML or SVG file can never run on the site's own origin.
PICTURE_TYPES = {
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".avif": "image/avif",
}


def is_hashed(name: str) -> bool:
    """Whether the name changes with the content, so the file may be cached forever."""
    return bool(HASHED_NAME.search(name))


def cache_control(name: str) -> str:
    """The Cache-Control a media file gets, here or as an S3 object's metadata."""
    return IMMUTABLE if is_hashed(name) else REVALIDATE


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return PICTURE_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _local_file(name: str) -> Path | None:
    """The file of the default storage called `name`, or None if it may not be served.

    Resolving symlinks before comparing keeps a link inside MEDIA_ROOT from
    reaching outside it; a pending-uploads folder configured inside MEDIA_ROOT
    stays private all the same.
    """
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        return None
    try:
        root = Path(storage.location).resolve()
        file = Path(storage.path(name)).resolve()
        if file == root or not file.is_relative_to(root) or not file.is_file():
            return None
        pending = storages["pending"] if "pending" in storages.backends else None
        if isinstance(pending, FileSystemStorage) and file.is_relative_to(
            Path(pending.location).resolve()
        ):
            return None
    except (SuspiciousFileOperation, ValueError, OSError):  # outside the root; a NUL byte
        return None
    return file


def _not_found() -> HttpResponse:
    # Plain text: a missing picture must not cost the 404 page's queries and template.
    return HttpResponseNotFound("Not found\n", content_type="text/plain")


def _set(response: HttpResponseBase, headers: dict[str, str]) -> None:
    for header, value in headers.items():
        response[header] = value


@require_safe
def serve(request: HttpRequest, name: str) -> HttpResponseBase:
    """One file of the default storage, streamed, with validators and cache headers.

    Django's cache helpers answer If-None-Match and If-Modified-Since; the
    `condition` decorator would do the same but stat the file once per validator.
    """
    file = _local_file(name)
    try:
        stat = file.stat() if file else None
    except OSError:  # removed a moment ago
        stat = None
    if stat is None:
        return _not_found()
    etag = quote_etag(f"{stat.st_mtime_ns:x}-{stat.st_size:x}")
    last_modified = int(stat.st_mtime)
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Cache-Control": cache_control(name),
    }
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is not None:  # 304, or 412 for a failed If-Match
        if response.status_code == 304:
            _set(response, headers)
        return response
    kind = content_type(name)
    download = kind not in PICTURE_TYPES.values()
    if request.method == "HEAD":
        response = HttpResponse(content_type=kind)
        response["Content-Length"] = str(stat.st_size)
    else:
        try:
            opened = file.open("rb")
        except OSError:
            return _not_found()
        response = FileResponse(opened, content_type=kind, as_attachment=download)
    _set(response, headers)
    return response


def urlpatterns() -> list[URLPattern]:
    """The media route, when the app is what serves media: local storage, MEDIA_URL on this site.

    Nothing is mounted when DJANGO_SERVE_MEDIA is off (a proxy or CDN serves
    MEDIA_ROOT), when MEDIA_URL names another host, or when media is on S3.
    """
    prefix = urlsplit(settings.MEDIA_URL)
    if (
        not settings.SERVE_MEDIA
        or prefix.netloc
        or not isinstance(storages["default"], FileSystemStorage)
    ):
        return []
    route = prefix.path.lstrip("/")
    if not route:
        raise ImproperlyConfigured("MEDIA_URL must not be '/' while the app serves media.")
    return [path(f"{route}<path:name>", serve, name="media")]
