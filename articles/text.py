"""Text helpers for English and Persian: folding spellings together, and slugs."""

import html
import re
import unicodedata

from django.utils.html import strip_tags
from django.utils.text import slugify

# Arabic code points that Persian writes with other letters; typed on Arabic
# keyboards they would otherwise make a second spelling of the same word.
PERSIAN_LETTER_FOLDS = str.maketrans(
    {
        "\u064a": "\u06cc",  # ARABIC YEH -> FARSI YEH
        "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
        "\u0643": "\u06a9",  # ARABIC KAF -> KEHEH
        "\u0629": "\u0647",  # TEH MARBUTA -> HEH
        "\u0640": None,  # TATWEEL
    }
)
ZERO_WIDTH = re.compile("[\u200b-\u200f\ufeff]")
# Short vowels, tanvin, shadda and sukun: optional marks, rarely typed the same way twice.
DIACRITICS = re.compile("[\u064b-\u065f\u0670]")
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
SPACES = re.compile(r"\s+")


# C0 control characters other than tab, newline and carriage return: pasted from
# word processors (a "soft return" is \x0b), invisible, and forbidden in XML feeds.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control(text: str) -> str:
    """Text without invisible control characters; a soft return becomes a space."""
    return CONTROL.sub(lambda match: " " if match.group() in "\x0b\x0c" else "", text or "")


def fold(text: str) -> str:
    """The form two spellings of one word share: case, Arabic/Persian letter and
    digit variants, zero-width joiners, tatweel, diacritics and spacing folded."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(PERSIAN_LETTER_FOLDS).translate(DIGITS)
    text = DIACRITICS.sub("", ZERO_WIDTH.sub("", text))
    return SPACES.sub(" ", text).strip().casefold()


# A slug counts characters, but a Persian letter is 2 bytes of UTF-8 and six
# characters once percent-encoded in a URL: cap what we generate in bytes.
SLUG_MAX_BYTES = 120


def slugify_unicode(value: str, *, max_bytes: int = SLUG_MAX_BYTES) -> str:
    """A URL slug that keeps Persian letters, cut at a word boundary to max_bytes."""
    value = unicodedata.normalize("NFKC", value).translate(PERSIAN_LETTER_FOLDS)
    # A zero-width non-joiner separates parts of one Persian word: join them.
    value = ZERO_WIDTH.sub("", value)
    slug = slugify(value, allow_unicode=True)
    if len(slug.encode()) <= max_bytes:
        return slug
    words, kept = slug.split("-"), []
    for word in words:
        candidate = "-".join([*kept, word])
        if len(candidate.encode()) > max_bytes:
            break
        kept.append(word)
    if kept:
        return "-".join(kept)
    # One very long word: cut on a character boundary.
    return slug.encode()[:max_bytes].decode(errors="ignore")


# Where one block of text ends and the next begins: paragraphs stay apart as text.
BLOCK_END = re.compile(
    r"</(?:p|h[1-6]|li|blockquote|figcaption|pre|tr|td|th|caption)\s*>|<br\s*/?>", re.IGNORECASE
)
BLANK_LINES = re.compile(r"\n\s*\n\s*")


def html_to_text(markup: str) -> str:
    """What a reader reads in a piece of HTML: no tags, entities decoded, and
    paragraphs (and other blocks) separated by a blank line."""
    spaced = BLOCK_END.sub(lambda match: match.group(0) + "\n\n", markup or "")
    text = html.unescape(strip_tags(spaced))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def tags_as_text(tags) -> str:
    """Tags as the tags box shows them: "Iran, Sergey Lavrov" — no quotes around names
    with spaces (taggit's default). A lone name with a space keeps a trailing comma, so
    it reads back as one tag; a name with a comma is the only one quoted."""
    names = [f'"{tag.name}"' if "," in tag.name else tag.name for tag in tags]
    text = ", ".join(sorted(names, key=str.casefold))
    return f"{text}, " if len(names) == 1 and " " in names[0] else text
