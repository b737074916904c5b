"""Writes around an article that are not the article itself: notes between staff,
corrections and updates readers see, the front page editors arrange, and the
private autosave of what someone is typing.

Each is a small typed service that checks who may do it, on the server.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, page_cache
from .models import Article, ArticleNote, Autosave, Correction, FrontPage, FrontPagePin
from .permissions import User, user_can_edit, user_can_publish, user_can_see_article

# Notes ------------------------------------------------------------------------------------


def note_add(*, article: Article, by: User, text: str, occasion: str = "") -> ArticleNote | None:
    """Leave a note on an article for the people working on it; none for blank text."""
    text = text.strip()
    if not text:
        return None
    if not user_can_see_article(article=article, user=by):
        raise PermissionDenied(_("You cannot leave notes on this article."))
    return ArticleNote.objects.create(article=article, created_by=by, text=text, occasion=occasion)


# Corrections and updates --------------------------------------------------------------------


@transaction.atomic
def correction_add(*, article: Article, by: User, text: str, kind: str) -> Correction:
    """Append a dated correction or update to a published story: readers see it under the
    story, in feeds and in structured data, and the story's modified date moves."""
    if not user_can_publish(by):
        raise PermissionDenied(_("Only editors can correct or update a published story."))
    if not article.is_published():
        raise ValidationError(_("Only a published story takes corrections; edit a draft instead."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Say what was corrected or updated."))
    if kind not in Correction.Kind.values:
        raise ValidationError(_("Choose a correction or an update."))
    correction = Correction.objects.create(article=article, created_by=by, text=text, kind=kind)
    # Not an edit of the text: the version stays (an open form can still be saved). The
    # story did change for readers, so its modified date moves, and so does updated_at,
    # which clients that keep a copy follow (the API's updated_after).
    Article.objects.filter(pk=article.pk).update(
        revised_at=correction.created_at, updated_at=correction.created_at
    )
    article.revised_at = article.updated_at = correction.created_at
    page_cache.article_changed(article, was_public=True)
    audit.record(f"article.{kind}", by=by, target=article, text=text[:200])
    return correction


# The front page ---------------------------------------------------------------------------


def front_page_for(edition: str) -> FrontPage:
    arranged, _created = FrontPage.objects.get_or_create(edition=edition)
    return arranged


@transaction.atomic
def front_page_arrange(
    *,
    edition: str,
    by: User,
    top_story: Article | None,
    pinned: list[Article],
    banner_text: str = "",
    banner_link: Article | None = None,
    banner_expires_at: datetime | None = None,
) -> FrontPage:
    """Set an edition's top story, pinned stories (in order) and breaking-news banner.

    Stories must be in the edition's language; unpublished ones may be chosen and
    take their place when they go live.
    """
    if not user_can_publish(by):
        raise PermissionDenied(_("Only editors arrange the front page."))
    limit = settings.ARTICLES_FRONT_PAGE_PINS
    if len(pinned) > limit:
        raise ValidationError(
            _("At most %(limit)d stories can be pinned.") % {"limit": limit}, code="too_many"
        )
    if len({article.pk for article in pinned}) != len(pinned):
        raise ValidationError(_("A story is pinned twice."), code="twice")
    chosen = [a for a in (top_story, banner_link, *pinned) if a is not None]
    elsewhere = [a.title for a in chosen if a.language != edition]
    if elsewhere:
        raise ValidationError(
            _("These stories belong to the other edition: %(titles)s")
            % {"titles": ", ".join(elsewhere)},
            code="other_edition",
        )
    if banner_expires_at is not None and banner_expires_at <= timezone.now():
        raise ValidationError(_("The banner's end is already past."), code="banner_past")
    arranged = FrontPage.objects.select_for_update().get(pk=front_page_for(edition).pk)
    arranged.top_story = top_story
    arranged.banner_text = banner_text.strip()
    arranged.banner_link = banner_link
    arranged.banner_expires_at = banner_expires_at if arranged.banner_text else None
    arranged.save()
    arranged.pins.all().delete()
    FrontPagePin.objects.bulk_create(
        FrontPagePin(front_page=arranged, article=article, position=n)
        for n, article in enumerate(pinned)
    )
    page_cache.bump("front")
    audit.record(
        "frontpage.arranged",
        by=by,
        target=arranged,
        top=top_story.pk if top_story else None,
        pinned=[article.pk for article in pinned],
        banner=arranged.banner_text,
    )
    return arranged


# Autosave ---------------------------------------------------------------------------------

# The form fields an autosave keeps: what someone types, not files or workflow.
AUTOSAVED_FIELDS = (
    "title", "summary", "body", "tags", "seo_title", "meta_description", "source_url",
)  # fmt: skip


def autosave_store(*, by: User, article: Article | None, fields: dict) -> Autosave:
    """Keep what `by` is typing, privately: no revision, the live article untouched."""
    if article is not None and not user_can_edit(article=article, user=by):
        raise PermissionDenied(_("You cannot edit this article."))
    kept = {name: str(fields.get(name, ""))[:200_000] for name in AUTOSAVED_FIELDS}
    autosave, _created = Autosave.objects.update_or_create(
        user=by,
        article=article,
        defaults={"fields": kept, "base_version": article.version if article else None},
    )
    return autosave


def autosave_waiting(*, by: User, article: Article | None) -> Autosave | None:
    """An autosave worth offering back: newer than the article's last save and different."""
    autosave = Autosave.objects.filter(user=by, article=article).first()
    if autosave is None:
        return None
    if article is not None:
        if autosave.saved_at <= article.updated_at:
            return None
        saved = {name: str(getattr(article, name, "") or "") for name in AUTOSAVED_FIELDS}
        saved["tags"] = autosave.fields.get("tags", "")  # tags are compared as typed
        if all(autosave.fields.get(name, "") == saved[name] for name in AUTOSAVED_FIELDS):
            return None
    return autosave


def autosave_discard(*, by: User, article: Article | None) -> None:
    Autosave.objects.filter(user=by, article=article).delete()
