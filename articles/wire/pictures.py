"""An imported story's lead picture: fetched like a feed, checked like an upload, then
handed to the same pipeline as a picture chosen in the desk (articles.pictures)."""

import posixpath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from .. import images, pictures, tasks
from ..models import Article, PictureState
from . import fetching

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def picture_filename(url: str, fmt: str) -> str:
    """A file name from the address's last part, with the extension of what it is."""
    stem = posixpath.splitext(posixpath.basename(urlsplit(url).path))[0]
    stem = "".join(c for c in stem if c.isalnum() or c in "-_")[:60] or "picture"
    return f"{stem}.{EXTENSIONS.get(fmt, 'jpg')}"


@transaction.atomic
def attach_lead_picture(*, article: Article, content: bytes, filename: str, alt: str = "") -> bool:
    """Give an imported article this picture, unless it has one already (an editor's
    choice wins); ValidationError when the bytes are not a picture we accept.
    Returns whether the picture was set aside for the worker."""
    upload = ContentFile(content, name=filename)
    inspected = images.inspect_upload(upload)
    article = Article.objects.select_for_update().filter(pk=article.pk).first()
    if article is None or article.image or article.image_upload:
        return False
    article.image = ContentFile(content, name=picture_filename(filename, inspected.format))
    if alt and not article.image_alt:
        article.image_alt = alt
    pictures.prepare(article, pictures.ARTICLE_PICTURE)
    article.save(update_fields=["image", "image_upload", "image_state", "image_error", "image_alt"])
    tasks.enqueue_picture(article, pictures.ARTICLE_PICTURE)
    return True


def lead_picture_import(*, article_id: int, url: str, alt: str = "") -> str:
    """Fetch the picture at `url` for the article; a failure shows in the desk as the
    article's picture problem. Returns what happened."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return "gone"
    try:
        fetched = fetching.fetch(url, max_bytes=images.max_bytes(), accept="image/*")
        attached = attach_lead_picture(
            article=article, content=fetched.content, filename=url, alt=alt
        )
    except (fetching.FetchError, ValidationError) as problem:
        reason = " ".join(getattr(problem, "messages", [str(problem)]))
        Article.objects.filter(pk=article_id, image="", image_upload="").update(
            image_state=PictureState.FAILED,
            image_error=(
                _("The feed's picture could not be used: %(reason)s") % {"reason": reason}
            )[:500],
        )
        return "refused"
    return "attached" if attached else "kept"
