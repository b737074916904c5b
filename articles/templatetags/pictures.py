"""Responsive pictures from the renditions recorded with each image."""

from django import template
from django.db.models.fields.files import FieldFile
from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles import body_pictures, selectors
from articles.renditions import picture_sources

register = template.Library()


@register.simple_tag
def picture(
    field_file: FieldFile,
    renditions: dict,
    *,
    alt: str = "",
    sizes: str = "100vw",
    eager: bool = False,
    css_class: str = "",
) -> SafeString | str:
    """<picture> with WebP and fallback srcsets, width and height, lazy unless eager.

    Renditions carry their names and sizes, so nothing is opened or asked of the
    storage beyond building URLs. Built in Python: it is on every teaser.
    """
    if not field_file:
        return ""
    found = picture_sources(field_file, renditions)
    webp = (
        format_html('<source type="image/webp" srcset="{}" sizes="{}">', found.webp_srcset, sizes)
        if found.webp_srcset
        else ""
    )
    srcset = format_html(' srcset="{}" sizes="{}"', found.srcset, sizes) if found.srcset else ""
    shape = format_html(' width="{}" height="{}"', found.width, found.height) if found.width else ""
    loading = ' fetchpriority="high"' if eager else ' loading="lazy" decoding="async"'
    return format_html(
        '<picture{}>{}<img src="{}"{}{} alt="{}"{}></picture>',
        format_html(' class="{}"', css_class) if css_class else "",
        webp,
        found.src,
        srcset,
        shape,
        alt,
        SafeString(loading),
    )


@register.simple_tag
def library_picture(
    picture,
    *,
    sizes: str = "100vw",
    eager: bool = False,
    css_class: str = "",
    alt: str | None = None,
) -> SafeString | str:
    """A library picture (articles.Picture) with its own alt text (or `alt`, this
    place's), cropped by the browser around its focal point."""
    if picture is None:
        return ""
    classes = f"{css_class} {picture.focal_class}".strip()
    return picture_tag(
        picture.file,
        picture.file_renditions,
        alt=picture.alt if alt is None else alt,
        sizes=sizes,
        eager=eager,
        css_class=classes,
    )


picture_tag = picture


BODY_SIZES = "(min-width: 46rem) 46rem, 100vw"


@register.filter
def with_library_pictures(body_html: str) -> SafeString:
    """The body with the library pictures placed in it shown from the library, as
    responsive `<picture>`s (articles.body_pictures); one query, none without any."""
    found = selectors.body_pictures_of(body_html)
    return body_pictures.render(
        body_html, found, lambda picture, alt: library_picture(picture, sizes=BODY_SIZES, alt=alt)
    )
