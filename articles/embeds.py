"""Embeds: a YouTube, Vimeo, X/Twitter or Instagram link alone on a line of the body
becomes a click-to-load player, from an allow-list of providers.

Nothing of the provider loads until the reader asks (no cookies, no tracking on
page view): the page carries a plain link, which is all a reader without
JavaScript gets, and static/js/embeds.js turns it into a button that loads the
provider's player in a frame. Only these frame hosts are in the site's
Content-Security-Policy (`frame-src`). Any other link stays a link.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Provider:
    name: str
    hosts: tuple[str, ...]
    frame_origin: str


YOUTUBE = Provider("YouTube", ("youtube.com", "youtu.be"), "https://www.youtube-nocookie.com")
VIMEO = Provider("Vimeo", ("vimeo.com",), "https://player.vimeo.com")
X = Provider("X", ("twitter.com", "x.com"), "https://platform.twitter.com")
INSTAGRAM = Provider("Instagram", ("instagram.com",), "https://www.instagram.com")
PROVIDERS = (YOUTUBE, VIMEO, X, INSTAGRAM)
FRAME_ORIGINS = [provider.frame_origin for provider in PROVIDERS]

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# A paragraph holding one link and nothing else (the editor writes links this way).
_LONE_LINK = re.compile(r'<p><a href="(?P<href>[^"]+)"[^>]*>(?P<text>[^<]*)</a>\s*</p>')


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.").removeprefix("m.")


def player_url(url: str) -> tuple[Provider, str] | None:
    """The provider and the address of its player for a link, if it is one we embed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    host, path = _host(url), [p for p in parts.path.split("/") if p]
    if host in ("youtube.com", "youtu.be"):
        if host == "youtu.be" and path:
            video = path[0]
        elif path[:1] in (["shorts"], ["embed"], ["live"]) and len(path) > 1:
            video = path[1]
        else:
            video = (parse_qs(parts.query).get("v") or [""])[0]
        if _ID.match(video):
            return YOUTUBE, f"{YOUTUBE.frame_origin}/embed/{video}"
    elif host == "vimeo.com" and path and path[-1].isdigit():
        return VIMEO, f"{VIMEO.frame_origin}/video/{path[-1]}?dnt=1"
    elif host in X.hosts and len(path) >= 3 and path[1] == "status" and path[2].isdigit():
        return X, f"{X.frame_origin}/embed/Tweet.html?id={path[2]}&dnt=true"
    elif host == "instagram.com" and len(path) >= 2 and path[0] in ("p", "reel", "tv"):
        post = path[1] if _ID.match(path[1]) else ""
        return (INSTAGRAM, f"{INSTAGRAM.frame_origin}/{path[0]}/{post}/embed") if post else None
    return None


def _placeholder(match: re.Match) -> str:
    href = match.group("href").replace("&amp;", "&")
    found = player_url(href)
    if found is None:
        return match.group(0)
    provider, player = found
    return format_html(
        '<figure class="embed embed--{}" data-embed-src="{}" data-embed-title="{}">'
        '<a class="embed__link" href="{}" rel="noopener noreferrer">{}</a>'
        '<button type="button" class="embed__load" hidden>{}</button>'
        '<figcaption class="embed__note" hidden>{}</figcaption>'
        "</figure>",
        provider.name.lower(),
        player,
        _("Embedded post from %(provider)s") % {"provider": provider.name},
        href,
        _("View on %(provider)s: %(link)s") % {"provider": provider.name, "link": href},
        _("Load from %(provider)s") % {"provider": provider.name},
        _("Loading it lets %(provider)s see your visit.") % {"provider": provider.name},
    )


def with_embeds(body: str) -> SafeString:
    """Cleaned body HTML with lone provider links turned into embed placeholders."""
    if "<a " not in body:
        return mark_safe(body)  # noqa: S308 - the body is cleaned by the caller
    return mark_safe(_LONE_LINK.sub(_placeholder, body))  # noqa: S308 - parts escaped above


def has_embeds(body: str) -> bool:
    return 'class="embed ' in body
