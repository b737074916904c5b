"""Pictures placed inside an article's body, from the library.

The editor (static/js/prose-newsroom.js, "Picture from the library") writes
`<figure data-picture="12"><img src="…" alt="…"><figcaption>…</figcaption></figure>`:
the library picture's id, with its own alt text and caption for this place.
On save the body keeps exactly that shape (`normalise`) and nothing else of
figures or images, so no other picture address can be smuggled in; the
article records which pictures its body uses (`ids_in`), which keeps them from
being deleted. Pages show each one from the library as a responsive `<picture>`
(`render`), whatever `src` was stored; a picture gone or not ready is left out.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

FIGURE = re.compile(r'<figure data-picture="(?P<id>\d{1,18})">(?P<inner>.*?)</figure>', re.S)
_ALT = re.compile(r'<img\b[^>]*?\balt="(?P<alt>[^"]*)"')
_SRC = re.compile(r'<img\b[^>]*?\bsrc="(?P<src>[^"]*)"')
_CAPTION = re.compile(r"<figcaption>(?P<caption>.*?)</figcaption>", re.S)
_TAGS = re.compile(r"<[^>]+>")
# Figures and images the toolbar did not make: their text stays, as a paragraph.
_STRAY_IMAGE = re.compile(r"<img\b[^>]*>")
_STRAY_FIGURE = re.compile(r"</?figure\b[^>]*>")
_STRAY_CAPTION = re.compile(r"<(/?)figcaption>")
_PLACEHOLDER = "\x00picture{}\x00"


def _text(fragment: str) -> str:
    """Plain text of a cleaned fragment, entities left as they are (already escaped)."""
    return _TAGS.sub("", fragment).strip()


def _parts(match: re.Match) -> tuple[int, str, str, str]:
    inner = match.group("inner")
    alt = _ALT.search(inner)
    src = _SRC.search(inner)
    caption = _CAPTION.search(inner)
    return (
        int(match.group("id")),
        alt.group("alt") if alt else "",
        src.group("src") if src else "",
        _text(caption.group("caption")) if caption else "",
    )


def normalise(html: str) -> str:
    """Cleaned body HTML with library figures in their one shape and no other images."""
    if "<figure" not in html and "<img" not in html:
        return html
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        pk, alt, src, caption = _parts(match)
        # The stored address only shows the desk's editor a thumbnail; pages and the API
        # use the library's. A same-site or media address, or none.
        if not src.startswith(("/", settings.MEDIA_URL)) or src.startswith("//"):
            src = ""
        figure = f'<figure data-picture="{pk}"><img src="{src}" alt="{alt}">'
        figure += f"<figcaption>{caption}</figcaption>" if caption else ""
        kept.append(figure + "</figure>")
        return _PLACEHOLDER.format(len(kept) - 1)

    html = FIGURE.sub(keep, html)
    html = _STRAY_IMAGE.sub("", html)
    html = _STRAY_FIGURE.sub("", html)
    html = _STRAY_CAPTION.sub(lambda m: f"<{m.group(1)}p>", html)
    for n, figure in enumerate(kept):
        html = html.replace(_PLACEHOLDER.format(n), figure)
    return html


def ids_in(html: str) -> list[int]:
    """The library pictures a body uses, in order, once each."""
    return list(dict.fromkeys(int(m.group("id")) for m in FIGURE.finditer(html or "")))


def render(html: str, pictures: dict, show: Callable[..., str]) -> SafeString:
    """Each library figure as the page shows it: `show(picture, alt=…)` makes the
    `<picture>`; the caption is this place's, the credit the picture's."""

    def figure(match: re.Match) -> str:
        pk, alt, _src, caption = _parts(match)
        picture = pictures.get(pk)
        if picture is None or not picture.file:
            return ""
        credit = (
            format_html('<span class="credit">{}</span>', picture.credit) if picture.credit else ""
        )
        # The caption and alt text were cleaned (and escaped) when the body was saved.
        caption_html = f'<span class="caption">{caption}</span>' if caption else ""
        figcaption = f"<figcaption>{caption_html}{credit}</figcaption>" if caption or credit else ""
        return (
            f'<figure class="story__figure story__figure--inline">'
            f"{show(picture, alt=_unescape_attr(alt))}{figcaption}</figure>"
        )

    return mark_safe(FIGURE.sub(figure, html))  # noqa: S308 - parts cleaned or escaped


def _unescape_attr(value: str) -> str:
    """The alt text as typed (the tag that shows it escapes it again)."""
    return (
        value.replace("&quot;", '"')
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )
