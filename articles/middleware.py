"""Middleware: the readers' page cache, safe compression, the content security policy,
refusing unusable input, and keeping the desk out of search."""

import base64
import functools
import gzip
import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlsplit

import brotli
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    JsonResponse,
)
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from . import editions, page_cache

Handler = Callable[[HttpRequest], HttpResponse]


class PageCacheMiddleware:
    """Serve anonymous readers whole pages from the cache (articles.page_cache).

    Only pages whose views declared what they show are kept; readers with a
    session, and every other method, pass straight through and fill nothing.
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (page_cache.enabled() and page_cache.is_anonymous_read(request)):
            return self.get_response(request)
        key = page_cache.response_key(request)
        entry = page_cache.lookup(key)
        if entry is not None:
            return page_cache.respond(request, entry)
        request.page_dependencies = set()
        request.page_streams = page_cache.streams_now()  # before any row is read
        response = self.get_response(request)
        if page_cache.cacheable(request, response):
            entry = page_cache.store(key, request, response)
            if entry is not None:
                return page_cache.respond(request, entry)
        return response


class CompressionMiddleware:
    """gzip, or brotli when asked, for text answers that carry no secret.

    BREACH needs a secret and the reader's own input in one compressed answer:
    answers that set a cookie (a page that used a CSRF token does), and every
    answer to someone with a session (the desk: tokens, preview links), go
    uncompressed.
    """

    COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/atom+xml")
    COMPRESSIBLE += ("application/json", "application/javascript")
    MINIMUM = 200

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self.worth_compressing(request, response):
            return response
        coding = page_cache.preferred_coding(request, {"br", "gzip"})
        patch_vary_headers(response, ("Accept-Encoding",))
        if coding == "identity":
            return response
        body = response.content
        compressed = (
            brotli.compress(body, quality=5)
            if coding == "br"
            else gzip.compress(body, compresslevel=6, mtime=0)
        )
        if len(compressed) >= len(body):
            return response
        response.content = compressed
        response["Content-Encoding"] = coding
        response["Content-Length"] = str(len(compressed))
        if response.has_header("ETag") and not response["ETag"].startswith("W/"):
            response["ETag"] = f"W/{response['ETag']}"
        return response

    def worth_compressing(self, request: HttpRequest, response: HttpResponse) -> bool:
        return (
            not response.streaming
            and not response.has_header("Content-Encoding")
            and response.get("Content-Type", "").startswith(self.COMPRESSIBLE)
            and len(response.content) >= self.MINIMUM
            # A page that used a CSRF token sends the token's cookie with it.
            and not response.cookies
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )


class StaffNoIndexMiddleware:
    """Every admin page answers with `X-Robots-Tag: noindex, nofollow`."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class RejectControlCharactersMiddleware:
    """Addresses and forms carrying control characters are refused before any view.

    No page has such an address, and no form field such a value, but a NUL byte
    reaching PostgreSQL is an error there: a 404 for a path, a 400 for a query
    string, and a 400 for a NUL in a posted form (other control characters in
    posted text are cleaned on save; a pasted "soft return" must not lose an edit).
    """

    CONTROL = re.compile("[\x00-\x1f\x7f]")

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.CONTROL.search(request.path):
            if request.path.startswith("/api/"):  # the API answers in JSON, errors too
                return JsonResponse({"detail": "Not found"}, status=404)
            return HttpResponseNotFound("Not found\n", content_type="text/plain")
        if any(self.CONTROL.search(k) or self.CONTROL.search(v) for k, v in _pairs(request.GET)):
            message = "This address contains characters no address may contain."
            if request.path.startswith("/api/"):  # the API answers in JSON, errors too
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(f"{message}\n", content_type="text/plain")
        if request.method == "POST":
            try:
                posted = list(_pairs(request.POST))
            except MultiPartParserError:
                return HttpResponseBadRequest(
                    "The form could not be read; nothing was saved.\n", content_type="text/plain"
                )
            if any("\x00" in k or "\x00" in v for k, v in posted):
                return HttpResponseBadRequest(
                    "The form contains a character no text may contain; nothing was saved.\n",
                    content_type="text/plain",
                )
        return self.get_response(request)


def _pairs(query) -> list[tuple[str, str]]:
    return [(key, value) for key, values in query.lists() for value in values]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), plus what varies by place:
    pictures may come from the media storage's own host (S3, a CDN), and the desk
    allows inline styles its widgets write. Scripts are never inline, anywhere."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        update = dict(parts.update or {})
        origin = media_origin()
        if origin:
            update["img-src"] = [*update.get("img-src", []), origin]
        if request.path.startswith("/admin/"):
            update["style-src"] = [*update.get("style-src", []), "'unsafe-inline'"]
            # The rich-text editor's import map is inline by nature: allowed by its hash
            # alone, so no other inline script ever runs.
            hashes = importmap_hashes(response)
            if hashes:
                update["script-src"] = [*update.get("script-src", []), *hashes]
        parts.update = update or None
        return parts


IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


def importmap_hashes(response: HttpResponse) -> list[str]:
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(found).digest()).decode()}'"
        for found in IMPORTMAP.findall(response.content)
    ]


@functools.cache
def media_origin() -> str:
    """The scheme and host pictures are served from, when it is not this site."""
    found = urlsplit(default_storage.url("probe"))
    return f"{found.scheme}://{found.netloc}" if found.scheme and found.netloc else ""


class DeskLanguageMiddleware:
    """The desk speaks each member of staff's own language (articles.admin.language)."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .admin.language import desk_language

        if not (request.path_info.startswith("/admin/") and request.user.is_authenticated):
            return self.get_response(request)
        language = desk_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
        return response


class EditionMiddleware:
    """The edition is the address's: `/fa/…` is Persian, the rest English, whatever the
    browser prefers (so no `Vary: Accept-Language`). `Content-Language` says which; an
    article page served in its own language says so too (articles.editions)."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = editions.language_of_path(request.path_info)
        request.LANGUAGE_CODE = language
        # Only for this request: the thread's language is back as it was afterwards.
        with translation.override(language):
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", translation.get_language())
        return response
