"""Reading what the picture pipeline recorded: rendition and social-card URLs.

articles.images makes renditions and records their names and sizes with the
picture; pages, feeds and structured data only read that record here, so
showing a picture never opens a file or asks the storage more than its URL.
"""

from dataclasses import dataclass

from django.db.models.fields.files import FieldFile


@dataclass(frozen=True)
class SocialCard:
    """The picture social networks and feed readers show: 1200×630 when it exists."""

    url: str
    width: int | None
    height: int | None
    bytes: int
    type: str = "image/jpeg"


def social_card(field_file: FieldFile, renditions: dict | None) -> SocialCard | None:
    """The social card of a picture, or its original while there is no card yet."""
    if not field_file:
        return None
    card = (renditions or {}).get("social")
    if card:
        return SocialCard(
            url=field_file.storage.url(card["name"]),
            width=card["width"],
            height=card["height"],
            bytes=card.get("bytes", 0),
        )
    return SocialCard(url=field_file.url, width=None, height=None, bytes=0)


@dataclass(frozen=True)
class Sources:
    """What `<picture>` needs: srcsets by type, a fallback src, and the shape to reserve."""

    webp_srcset: str
    srcset: str
    src: str
    width: int | None
    height: int | None


def picture_sources(field_file: FieldFile, renditions: dict | None) -> Sources:
    """The srcsets of a picture's renditions: WebP, and its own format for the rest.

    The largest fallback up to 1024 px wide serves browsers that ignore srcset;
    a picture without renditions yet shows its original.
    """
    storage = field_file.storage
    renditions = renditions or {}
    sources = renditions.get("sources", [])
    urls = {source["name"]: storage.url(source["name"]) for source in sources}

    def srcset(mime: str) -> str:
        return ", ".join(f"{urls[s['name']]} {s['width']}w" for s in sources if s["type"] == mime)

    fallback_type = min({s["type"] for s in sources} - {"image/webp"}, default="image/webp")
    fallback = [s for s in sources if s["type"] == fallback_type]
    if fallback:
        small_enough = [s for s in fallback if s["width"] <= 1024] or fallback[-1:]
        src = urls[max(small_enough, key=lambda s: s["width"])["name"]]
    else:
        src = field_file.url
    return Sources(
        webp_srcset=srcset("image/webp") if fallback_type != "image/webp" else "",
        srcset=srcset(fallback_type),
        src=src,
        width=renditions.get("width"),
        height=renditions.get("height"),
    )


def thumbnail_url(field_file: FieldFile, renditions: dict | None) -> str:
    """The smallest rendition's URL (the desk's thumbnails), or the original's."""
    if not field_file:
        return ""
    sources = (renditions or {}).get("sources", [])
    if sources:
        smallest = min(sources, key=lambda source: (source["width"], source["type"]))
        return field_file.storage.url(smallest["name"])
    return field_file.url
