"""`{% teaser article %}`: one article in a list, rendered once and kept until it changes.

A teaser shows the article's headline, summary, address, picture and date, its
section and its byline. The fragment is cached under a key made of exactly
those: the article's version and last edit, its picture, its byline's people,
and a version of the names of sections and people (page_cache "names"), so a
rename anywhere shows at once. Lists render in a fraction of the time.
"""

import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from articles import page_cache
from articles.models import Article

register = template.Library()

DEFAULT_SIZES = "(min-width: 56rem) 16rem, (min-width: 40rem) 12rem, 100vw"
# Kept a day at most; a changed article gets a new key at once anyway.
FRAGMENT_SECONDS = 24 * 3600


def _shown(article: Article) -> tuple:
    """Everything of an article a teaser shows (or that changes when it does)."""
    return (
        article.pk,
        article.version,
        article.updated_at.timestamp(),
        article.picture_id,
        # The picture's alt text, credit, focal point and renditions, which change
        # without the article's version moving.
        _picture_shown(article.picture) if article.picture_id else None,
        tuple(author.pk for author in article.authors.all()),
    )


def _picture_shown(picture) -> tuple:
    return (
        picture.alt,
        picture.credit,
        picture.focal_x,
        picture.focal_y,
        (picture.file_renditions or {}).get("original", ""),
        picture.file.name,
    )


def fragment_key(article: Article, options: tuple, names_version: str) -> str:
    shown = (_shown(article), names_version, get_language(), options)
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"teaser:{digest}"


def teasers_signature(request, *groups) -> str:
    """What a whole block of teasers shows, for `{% cache … signature %}` around it: one
    cache look-up for the block instead of one per teaser."""
    shown = (
        tuple(tuple(_shown(article) for article in group if article) for group in groups),
        page_cache.names_version(request),
        get_language(),
    )
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


@register.simple_tag(takes_context=True)
def teaser(
    context,
    article: Article,
    *,
    variant: str = "",
    show_image: bool = False,
    eager: bool = False,
    heading: str = "h3",
    sizes: str = DEFAULT_SIZES,
) -> SafeString:
    """The teaser of `article`: "lead" or "compact" variant, picture when `show_image`."""
    options = (variant, bool(show_image), bool(eager), heading, sizes)
    request = context.get("request")
    names = page_cache.names_version(request)
    key = fragment_key(article, options, names)
    html = cache.get(key)
    if html is None:
        html = get_template("articles/_teaser.html").render(
            {
                "article": article,
                "variant": variant,
                "show_image": show_image,
                "eager": eager,
                "heading": heading,
                "sizes": sizes,
            }
        )
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
