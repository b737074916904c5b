"""An imported story's lead picture: fetched like a feed, checked like an upload, then
handed to the picture library like a picture uploaded in the desk (articles.services)."""

import posixpath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from .. import images, services
from ..models import Article, ArticleNote
from . import fetching

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def picture_filename(url: str, fmt: str) -> str:
    """A file name from the address's last part, with the extension of what it is."""
    stem = posixpath.splitext(posixpath.basename(urlsplit(url).path))[0]
    stem = "".join(c for c in stem if c.isalnum() or c in "-_")[:60] or "picture"
    return f"{stem}.{EXTENSIONS.get(fmt, 'jpg')}"


@transaction.atomic
def attach_lead_picture(*, article: Article, content: bytes, filename: str, alt: str = "") -> bool:
    """Give an imported article this picture, through the picture library, unless it
    has one already (an editor's choice wins); ValidationError when the bytes are not a
    picture we accept. Returns whether a picture joined the library for it."""
    upload = ContentFile(content, name=filename)
    inspected = images.inspect_upload(upload)
    article = Article.objects.select_for_update().filter(pk=article.pk).first()
    if article is None or article.picture_id or article.pending_picture_id:
        return False
    picture = services.picture_create(
        upload=ContentFile(content, name=picture_filename(filename, inspected.format)),
        by=None,
        alt=alt,
        credit=article.source.name if article.source_id else "",
    )
    services.article_take_picture(article=article, picture=picture)
    article.save(update_fields=["picture", "pending_picture"])
    return True


def lead_picture_import(*, article_id: int, url: str, alt: str = "") -> str:
    """Fetch the picture at `url` for the article; a failure is left as a note on the
    article, where the desk shows it. Returns what happened."""
    article = Article.objects.filter(pk=article_id).select_related("source").first()
    if article is None:
        return "gone"
    try:
        fetched = fetching.fetch(url, max_bytes=images.max_bytes(), accept="image/*")
        attached = attach_lead_picture(
            article=article, content=fetched.content, filename=url, alt=alt
        )
    except (fetching.FetchError, ValidationError) as problem:
        reason = " ".join(getattr(problem, "messages", [str(problem)]))
        ArticleNote.objects.create(
            article=article,
            occasion="wire",
            text=_("The feed's picture could not be used: %(reason)s") % {"reason": reason},
        )
        return "refused"
    return "attached" if attached else "kept"
