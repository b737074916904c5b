"""The allow-list for article HTML, derived from what the desk's editor can make
(articles.richtext). Anything else is removed on save, whoever posts it."""

import functools
import re

import nh3

from . import body_pictures
from .richtext import body_allowlist
from .text import strip_control

# What other tools make that the editor has no button for, mapped to what it has: a
# pasted or imported <h1> is the story's subheading, not a second headline.
RENAMED_TAGS = {"h1": "h2", "h5": "h4", "h6": "h4", "b": "strong", "i": "em"}
_RENAMED = re.compile(r"<(/?)(h1|h5|h6|b|i)(?=[\s>/])", re.IGNORECASE)
# Google Docs wraps a whole paste in a <b> that is not bold.
_NOT_BOLD = re.compile(r"<b\b[^>]*font-weight:\s*normal[^>]*>(.*?)</b>", re.IGNORECASE | re.S)
# Text with no markup at all (a plain-text import, an old body typed without tags).
_HAS_BLOCKS = re.compile(r"<(p|h[1-6]|ul|ol|blockquote|hr|div|br|table|figure)\b", re.I)


@functools.cache
def _cleaner() -> nh3.Cleaner:
    allowed = body_allowlist()
    # Links always get our own rel (noopener noreferrer), never a posted one.
    attributes = {tag: names - {"rel"} for tag, names in allowed["attributes"].items()}
    return nh3.Cleaner(
        tags=allowed["tags"],
        attributes=attributes,
        url_schemes=allowed["url_schemes"],
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs: blank lines part paragraphs, single ones break lines."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return "".join(
        "<p>" + "<br>".join(line for line in block.split("\n")) + "</p>"
        for block in blocks
        if block
    )


def clean_html(html: str) -> str:
    """Article HTML with only what the editor can make: its tags, attributes and links."""
    if not html or not html.strip():
        return ""
    html = strip_control(html)
    if not _HAS_BLOCKS.search(html):
        html = paragraphs(html)
    html = _NOT_BOLD.sub(r"\1", html)
    html = _RENAMED.sub(lambda m: f"<{m.group(1)}{RENAMED_TAGS[m.group(2).lower()]}", html)
    cleaned = body_pictures.normalise(_cleaner().clean(html))
    return "" if re.fullmatch(r"(<p></p>|\s)*", cleaned) else cleaned
