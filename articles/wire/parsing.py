"""Reading RSS and Atom (feedparser) into items the wire desk can import.

A feed that is not well-formed XML, or not a feed at all, is refused whole
(FeedError): importing the items a forgiving parser guessed at would import a
broken feed half-way.
"""

import re
import xml.sax
from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import feedparser
from django.conf import settings
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..sanitize import clean_html
from ..text import html_to_text, strip_control

# Persian and Arabic letters: text written mostly in them is Persian here.
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
LATIN = re.compile("[A-Za-z]")
FIRST_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
# In sanitised HTML (articles.sanitize): attributes quoted, no ">" inside them.
IMAGE_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
SUMMARY_CHARS = 600
TITLE_CHARS = 255


class FeedError(Exception):
    """Why a feed could not be read, in words for the desk."""


@dataclass(frozen=True)
class FeedItem:
    guid: str
    link: str
    title: str
    summary: str
    body: str  # sanitised HTML
    published: datetime
    dated: bool  # the feed gave a date (else `published` is the time it was read)
    language: str  # "en", "fa", or "" when the feed does not say
    image_url: str
    image_alt: str


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    language: str
    items: list[FeedItem]


def language_code(value: str | None) -> str:
    """ "fa-IR" → "fa", "en-us" → "en"; "" for a language neither edition is in."""
    code = (value or "").strip().lower()[:2]
    return code if code in ("en", "fa") else ""


def language_of_text(text: str) -> str:
    """Persian when most letters are Persian/Arabic script, else English."""
    persian = len(ARABIC_SCRIPT.findall(text))
    return "fa" if persian and persian >= len(LATIN.findall(text)) else "en"


def _http_url(value: str) -> str:
    value = (value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) and len(value) <= 500 else ""


def _when(entry) -> tuple[datetime, bool]:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    now = timezone.now()
    if not parsed:
        return now, False
    try:
        moment = datetime.fromtimestamp(timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return now, False
    # A feed cannot schedule our stories: a date in the future is "now".
    return min(moment, now + timedelta(minutes=1)), True


def _image(entry, body: str) -> tuple[str, str]:
    """The enclosure or media picture, else the first picture in the text."""
    candidates = []
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("image/"):
            candidates.append((link.get("href"), ""))
    for media in entry.get("media_content", []):
        if media.get("medium") == "image" or (media.get("type") or "").startswith("image/"):
            candidates.append((media.get("url"), ""))
    for media in entry.get("media_thumbnail", []):
        candidates.append((media.get("url"), ""))
    found = FIRST_IMAGE.search(body)
    if found:
        candidates.append((found.group(1), ""))
    for url, alt in candidates:
        if _http_url(url):
            description = entry.get("media_description") or ""
            return _http_url(url), strip_control(html_to_text(description or alt))[:255]
    return "", ""


def _item(entry, feed_language: str) -> FeedItem:
    content = entry.get("content") or []
    summary_html = entry.get("summary", "") or ""
    body_html = content[0].get("value", "") if content else summary_html
    cleaned = clean_html(body_html)
    # Pictures stay on the other site: readers' browsers are not sent there (the page's
    # CSP would block them anyway); the first one becomes the lead picture instead.
    body = IMAGE_TAG.sub("", cleaned)
    summary = html_to_text(summary_html if summary_html else body)
    title = strip_control(html_to_text(entry.get("title", "")))
    title = " ".join(title.split())
    published, dated = _when(entry)
    declared = ""
    for detail in (content[0] if content else {}, entry.get("title_detail") or {}):
        declared = declared or language_code(detail.get("language"))
    # Found in the text as sent: the cleaned body keeps library pictures only.
    image_url, image_alt = _image(entry, body_html)
    link = _http_url(entry.get("link", ""))
    guid = strip_control(entry.get("id", "") or "")[:1000]
    return FeedItem(
        guid=guid,
        link=link,
        title=Truncator(title).chars(TITLE_CHARS),
        summary=Truncator(strip_control(summary)).chars(SUMMARY_CHARS),
        body=body,
        published=published,
        dated=dated,
        language=declared or feed_language,
        image_url=image_url,
        image_alt=image_alt,
    )


def parse_feed(content: bytes, *, url: str = "") -> ParsedFeed:
    """The feed's items, newest as the feed orders them; FeedError when it is unusable."""
    if not content.strip():
        raise FeedError(_("The feed is empty."))
    # Bytes, never a string: given a string that looks like an address, feedparser
    # would fetch it itself, past every check in articles.wire.fetching.
    parsed = feedparser.parse(
        content,
        response_headers={"content-location": url} if url else None,
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXException):
        raise FeedError(
            _("The feed is not well-formed XML (%(problem)s); nothing was imported.")
            % {"problem": problem}
        )
    if not parsed.get("version"):
        raise FeedError(_("This is not an RSS or Atom feed; nothing was imported."))
    limit = settings.ARTICLES_WIRE_MAX_ITEMS
    if len(parsed.entries) > limit:
        # One transaction holds the whole feed: a huge one is refused, not half-imported.
        raise FeedError(
            _("The feed has %(count)d items; at most %(limit)d are imported at once.")
            % {"count": len(parsed.entries), "limit": limit}
        )
    feed_language = language_code(parsed.feed.get("language"))
    title = strip_control(html_to_text(parsed.feed.get("title", "")))
    return ParsedFeed(
        title=title,
        language=feed_language,
        items=[_item(entry, feed_language) for entry in parsed.entries],
    )
