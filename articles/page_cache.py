"""Whole pages cached for anonymous readers, and forgotten exactly when what they show changes.

Each cached page remembers what it showed as *dependencies* ("published": the
stream of published articles; "article:12"; "tag:5"; "sections"…), each with
the version it had when the page was made. A change bumps the versions of
what it touched (the receivers in articles.page_invalidation), and
a page whose dependencies moved on is made again on its next request. A page
also expires at the next scheduled publication time, so a story goes live on
every page at its minute, with no cron and no stale list.

Views declare what they show with `depends_on(request, ...)`; the middleware
(articles.middleware.PageCacheMiddleware) looks up, stores and serves.
"""

import gzip
import hashlib
import secrets
from dataclasses import dataclass, field

import brotli
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

from .models import Article, Author

PREFIX = "pc"
# Dependencies every reader page has: the navigation lists the sections.
ALWAYS = frozenset({"sections"})
# What every change bumps at least one of (an article edit moves "published", a tag's
# "tags", a name's "names"…): compared before and after a page is made.
STREAMS = frozenset({"published", "tags", "names", "sections", "search"})
COMPRESSIBLE = (
    "text/html",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/json",  # the API (articles.api)
)


def enabled() -> bool:
    return settings.ARTICLES_PAGE_CACHE


def now() -> float:
    return timezone.now().timestamp()


def depends_on(request: HttpRequest, *dependencies: str) -> None:
    """Say what this page shows; only pages that say so are cached."""
    deps = getattr(request, "page_dependencies", None)
    if deps is not None:
        deps.update(dependencies)


def article_dependencies(article: Article) -> list[str]:
    """What an article page shows of other records: its tags, bylines and source."""
    deps = [f"article:{article.pk}"]
    # Every tag, proposals too: approving one puts it on the page.
    deps += [f"tag:{tag.pk}" for tag in article.tags.all()]
    deps += [f"author:{author.pk}" for author in article.authors.all()]
    if article.source_id:
        deps.append(f"source:{article.source_id}")
    return deps


# Versions -------------------------------------------------------------------------------


def _version_key(dependency: str) -> str:
    return f"{PREFIX}:v:{dependency}"


def bump(*dependencies: str) -> None:
    """Everything that showed these is out of date from now on."""
    cache.set_many({_version_key(d): secrets.token_hex(4) for d in dependencies}, None)


def _current_versions(dependencies: set[str]) -> dict[str, str]:
    keys = {_version_key(d): d for d in dependencies}
    found = cache.get_many(list(keys))
    missing = {key: secrets.token_hex(4) for key in keys if key not in found}
    for key, token in missing.items():
        # Another process may have made it first; read back whichever won.
        if not cache.add(key, token, None):
            missing[key] = cache.get(key, token)
    return {keys[key]: value for key, value in {**found, **missing}.items()}


def version_of(dependency: str) -> str:
    return _current_versions({dependency})[dependency]


def stream_version() -> str:
    """The version of the published stream: it moves whenever any list could change."""
    versions = _current_versions({"published", "tags"})
    return versions["published"] + versions["tags"]


def names_version(request: HttpRequest | None) -> str:
    """The version of the names teasers show (sections, people), once per request."""
    if request is not None and hasattr(request, "_names_version"):
        return request._names_version
    version = _current_versions({"names"})["names"]
    if request is not None:
        request._names_version = version
    return version


def next_go_live() -> float | None:
    """When the next scheduled article goes live (a timestamp), kept until it passes."""
    key = f"{PREFIX}:next-go-live"
    cached = cache.get(key)
    if cached is not None and (cached == 0 or cached > now()):
        return cached or None
    upcoming = (
        Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True)
    ).first()
    value = upcoming.timestamp() if upcoming else 0
    cache.set(key, value, settings.ARTICLES_PAGE_CACHE_SECONDS)
    return value or None


def lifetime() -> int:
    """Seconds what is true of the published stream stays true, at most the cache's time:
    until the next scheduled story goes live."""
    seconds = settings.ARTICLES_PAGE_CACHE_SECONDS
    go_live = next_go_live()
    if go_live:
        seconds = min(seconds, int(go_live - now()))
    return max(1, seconds)


def kept_with_stream(key: str, compute):
    """`compute()`, kept until the published stream moves or the next scheduled story
    goes live, whichever comes first: for reads that depend on nothing else."""
    key = f"{PREFIX}:kept:{key}:{stream_version()}"
    kept = cache.get(key)
    if kept is not None and kept[0] > now():
        return kept[1]
    value = compute()
    seconds = lifetime()
    cache.set(key, (now() + seconds, value), seconds)
    return value


# Entries --------------------------------------------------------------------------------


@dataclass
class Entry:
    status: int
    headers: dict[str, str]
    bodies: dict[str, bytes]  # by content coding: "identity", and "gzip"/"br" when worth it
    etag: str
    last_modified: float
    expires: float
    versions: dict[str, str] = field(default_factory=dict)


def response_key(request: HttpRequest) -> str:
    """One entry per address (host, path and query), whatever the method."""
    url = f"{request.get_host()}{request.get_full_path()}"
    return f"{PREFIX}:page:{hashlib.blake2b(url.encode(), digest_size=16).hexdigest()}"


def lookup(key: str) -> Entry | None:
    """The stored page, if nothing it showed has changed and it has not expired."""
    entry = cache.get(key)
    if entry is None or entry.expires <= now():
        return None
    if cache.get_many([_version_key(d) for d in entry.versions]) != {
        _version_key(d): v for d, v in entry.versions.items()
    }:
        return None
    return entry


def streams_now() -> dict[str, str]:
    """The versions of the streams, read before a page is made (see `store`)."""
    return _current_versions(set(STREAMS))


def store(key: str, request: HttpRequest, response: HttpResponse) -> Entry | None:
    """Keep a reader page with the versions of what it shows, compressed once.

    Nothing is kept when anything changed while the page was being made: its rows
    were read before the change, but the versions read now are already the new
    ones, so it would be kept as current, stale until the next change.
    """
    versions = _current_versions(request.page_dependencies | ALWAYS | STREAMS)
    started = getattr(request, "page_streams", None)
    if started is not None and any(versions[name] != seen for name, seen in started.items()):
        return None
    body = response.content
    made = now()
    seconds = settings.ARTICLES_PAGE_CACHE_SECONDS
    go_live = next_go_live()
    expires = min(made + seconds, go_live) if go_live else made + seconds
    # A page showing something with an end of its own (the front page's banner).
    expires = min(expires, getattr(request, "page_expires_at", expires))
    bodies = {"identity": body}
    if response.get("Content-Type", "").startswith(COMPRESSIBLE) and len(body) > 200:
        bodies["gzip"] = gzip.compress(body, compresslevel=6, mtime=0)
        bodies["br"] = brotli.compress(body, quality=5)
    headers = {
        name: value
        for name, value in response.items()
        if name.lower() not in {"content-length", "vary", "etag", "last-modified", "set-cookie"}
    }
    entry = Entry(
        status=response.status_code,
        headers=headers,
        bodies=bodies,
        etag=f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"',
        last_modified=float(int(made)),
        expires=expires,
        versions=versions,
    )
    cache.set(key, entry, max(1, int(expires - made)))
    return entry


def respond(request: HttpRequest, entry: Entry) -> HttpResponse:
    """The stored page as this reader asked for it: 304, or the body in their coding."""
    if _not_modified(request, entry):
        response = HttpResponseNotModified()
    else:
        coding = preferred_coding(request, entry.bodies)
        response = HttpResponse(
            b"" if request.method == "HEAD" else entry.bodies[coding], status=entry.status
        )
        for name, value in entry.headers.items():
            response[name] = value
        if coding != "identity":
            response["Content-Encoding"] = coding
        response["Content-Length"] = str(len(entry.bodies[coding]))
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(entry.last_modified)
    response["Vary"] = "Accept-Encoding"
    cdn_cache_control(response)
    return response


def _not_modified(request: HttpRequest, entry: Entry) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return entry.etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return since is not None and entry.last_modified <= since


def preferred_coding(request: HttpRequest, available) -> str:
    """Brotli when the reader takes it, else gzip, else none (q=0 respected)."""
    accepted = {}
    for part in request.headers.get("Accept-Encoding", "").split(","):
        name, _semicolon, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        accepted[name.strip().lower()] = quality
    for coding in ("br", "gzip"):
        if coding in available and accepted.get(coding, 0) > 0:
            return coding
    return "identity"


def cdn_cache_control(response: HttpResponse) -> None:
    """Browsers revalidate (cheap, with the ETag); a CDN may keep the page a little."""
    seconds = settings.ARTICLES_CDN_MAX_AGE
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={seconds}, stale-while-revalidate={seconds}"
    )


def is_anonymous_read(request: HttpRequest) -> bool:
    """A reader with no session: staff (and anyone signed in) never share cached pages.

    Media and the desk never are reader pages; they skip even the look-up.
    """
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith((settings.MEDIA_URL, "/admin/"))
    )


def cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        bool(request.page_dependencies)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


# What changes what ----------------------------------------------------------------------


def article_changed(article: Article, *, was_public: bool) -> None:
    """An article's page is out of date; lists too if readers saw it before or see it now."""
    deps = [f"article:{article.pk}"]
    if was_public or article.is_published() or article.is_scheduled():
        deps.append("published")
    bump(*deps)


def picture_changed(picture_id: int) -> None:
    """A library picture changed (file, crops, alt text, caption, credit): every article
    showing it, as its lead or its social picture, and every author's page showing it as
    the photo, is out of date."""
    using = Article.objects.filter(Q(picture_id=picture_id) | Q(social_picture_id=picture_id))
    ids = list(using.values_list("pk", flat=True)[:1000])
    portrayed = Author.objects.filter(photo_id=picture_id).values_list("pk", flat=True)
    deps = [f"author:{pk}" for pk in portrayed[:1000]]
    if ids:
        # Teasers show lead pictures on every list: those move with the published stream.
        deps += [*(f"article:{pk}" for pk in ids), "published"]
    if deps:
        bump(*deps)
