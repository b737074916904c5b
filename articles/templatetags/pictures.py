"""Responsive pictures from the renditions recorded with each image."""

from django import template
from django.db.models.fields.files import FieldFile

register = template.Library()


@register.inclusion_tag("articles/_picture.html")
def picture(
    field_file: FieldFile,
    renditions: dict,
    *,
    alt: str = "",
    sizes: str = "100vw",
    eager: bool = False,
    css_class: str = "",
) -> dict:
    """<picture> with WebP and fallback srcsets, width and height, lazy unless eager.

    Renditions carry their names and sizes, so nothing is opened or asked of the
    storage beyond building URLs.
    """
    if not field_file:
        return {"show": False}
    storage = field_file.storage
    renditions = renditions or {}
    sources = renditions.get("sources", [])

    def srcset(mime: str) -> str:
        return ", ".join(
            f"{storage.url(s['name'])} {s['width']}w" for s in sources if s["type"] == mime
        )

    fallback_types = sorted({s["type"] for s in sources} - {"image/webp"})
    fallback_type = fallback_types[0] if fallback_types else "image/webp"
    fallback = [s for s in sources if s["type"] == fallback_type]
    # The largest fallback up to 1024 px wide serves browsers that ignore srcset.
    src = (
        storage.url(
            max(
                (s for s in fallback if s["width"] <= 1024),
                key=lambda s: s["width"],
                default=fallback[-1],
            )["name"]
        )
        if fallback
        else field_file.url
    )
    return {
        "show": True,
        "webp_srcset": srcset("image/webp") if fallback_type != "image/webp" else "",
        "srcset": srcset(fallback_type),
        "src": src,
        "width": renditions.get("width"),
        "height": renditions.get("height"),
        "alt": alt,
        "sizes": sizes,
        "eager": eager,
        "css_class": css_class,
    }
