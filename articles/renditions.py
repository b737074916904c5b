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
