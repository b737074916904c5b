"""The two editions: English at `/…`, Persian at `/fa/…`. One place for which is which.

The edition is chosen by the address, never by the browser's Accept-Language:
`EditionMiddleware` (articles.middleware) activates the language of the path's
prefix, and every reader page, list, feed and date then follows the active
language. An article belongs to the edition of its own language.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation


@dataclass(frozen=True)
class Edition:
    language: str
    direction: str  # "ltr" or "rtl"
    name: str  # in its own language, for the switcher
    locale: str  # Open Graph's og:locale
    read_story: str  # "this story in this edition's language", in that language

    @property
    def other(self) -> "Edition":
        return EDITIONS["fa" if self.language == "en" else "en"]

    def home_url(self) -> str:
        with translation.override(self.language):
            return reverse("articles:home")


EDITIONS = {
    "en": Edition("en", "ltr", "English", "en_US", "Read this story in English"),
    "fa": Edition("fa", "rtl", "فارسی", "fa_IR", "این خبر به فارسی"),
}
DEFAULT = settings.LANGUAGE_CODE


def language_of_path(path: str) -> str:
    """The edition an address belongs to: "fa" under /fa/, else the default."""
    found = translation.get_language_from_path(path)
    return found if found in EDITIONS else DEFAULT


def current() -> Edition:
    """The edition being served now (the active language)."""
    return EDITIONS.get((translation.get_language() or DEFAULT)[:2], EDITIONS[DEFAULT])


def language() -> str:
    return current().language


def alternates(request, pages: list[tuple[str, str]]) -> list[dict[str, str]]:
    """`<link rel="alternate" hreflang>` of one page in both languages: (language, path)
    pairs, plus x-default, the English one."""
    default = next((path for code, path in pages if code == DEFAULT), None)
    if len(pages) < 2 or default is None or len({code for code, _path in pages}) < len(pages):
        return []
    found = [{"hreflang": code, "url": request.build_absolute_uri(path)} for code, path in pages]
    return [*found, {"hreflang": "x-default", "url": request.build_absolute_uri(default)}]


def site_names() -> dict[str, str]:
    """The site's name and tagline as the edition being served writes them."""
    if language() == "fa":
        return {"SITE_NAME": settings.SITE_NAME_FA, "SITE_TAGLINE": settings.SITE_TAGLINE_FA}
    return {"SITE_NAME": settings.SITE_NAME, "SITE_TAGLINE": settings.SITE_TAGLINE}


def site_name() -> str:
    return site_names()["SITE_NAME"]


def site_tagline() -> str:
    return site_names()["SITE_TAGLINE"]


def of(code: str) -> Edition:
    return EDITIONS.get(code, EDITIONS[DEFAULT])


@contextmanager
def serving(code: str):
    """Render and link as the edition of `code` (an article's language) for a while."""
    with translation.override(of(code).language):
        yield
