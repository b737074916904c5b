"""Writes: saving articles and authors, restoring revisions, sharing previews.

Each service is one step a person takes, with every consequence explicit:
the row, its old address, its tags, its pictures and its search entry.
`save()` only derives fields, and no signal does any of this. Who may do
what is asked of articles.permissions; status changes are articles.workflow.
`by=None` means the system itself (commands, imports, the demo).
"""

import secrets
from datetime import datetime, timedelta

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reversion.models import Version

from . import audit, body_pictures, pictures, search, tagging, tasks
from .dates import format_datetime
from .models import (
    Article,
    ArticleRedirect,
    Author,
    BodyPicture,
    Picture,
    PictureState,
    PreviewLink,
    RevisionTags,
    Section,
    Source,
    token_digest,
)
from .permissions import User, user_can_delete, user_can_see_history, user_is_editor
from .selectors import revision_tag_names

# The longest a share link may last: a week.
PREVIEW_MAX_HOURS = 24 * 7


class EditConflict(Exception):
    """Someone else saved the article after this edit began."""

    def __init__(self, *, who: str, when: datetime | None):
        self.who, self.when = who, when
        if when is None:
            message = _(
                "Someone changed or deleted this article after you opened it. Your text "
                "was not saved and is shown below."
            )
        else:
            message = _(
                "%(who)s saved this article at %(when)s, after you opened it. Your text "
                "was not saved and is shown below: copy what you need, reload the "
                "article, and apply your changes to the new version."
            ) % {"who": who, "when": date_format(timezone.localtime(when), "DATETIME_FORMAT")}
        super().__init__(message)


# Saving ---------------------------------------------------------------------------------


def article_check_version(*, article_id: int, expected_version: int | None) -> None:
    """Refuse an edit begun from an older version than the stored one (EditConflict).

    Inside a transaction the row stays locked, so a concurrent save waits and
    then sees the new version.
    """
    current = (
        Article.objects.select_for_update(of=("self",))  # lock the article row only
        .filter(pk=article_id)
        .values("version", "updated_at", "updated_by__username")
        .first()
    )
    if current and current["version"] != expected_version:
        raise EditConflict(
            who=current["updated_by__username"] or _("Someone"), when=current["updated_at"]
        )


def _article_write(
    *, article: Article, by: User | None, expected_version: int | None, previous_slug: str
) -> None:
    """The row, its picture and its old address; the version moves on by exactly one."""
    actor = by if by is not None and by.is_authenticated else None
    if article.pk is not None:
        expected = article.version if expected_version is None else expected_version
        # Only one save can move the version on from `expected`.
        moved = Article.objects.filter(pk=article.pk, version=expected).update(version=expected + 1)
        if not moved:
            article_check_version(article_id=article.pk, expected_version=expected)
            raise EditConflict(who=_("Someone"), when=None)  # deleted meanwhile
        article.version = expected + 1
    elif actor and article.created_by_id is None:
        article.created_by = actor
    article.updated_by = actor
    article.save()
    # Kept whatever the status: the address may have been shared before, and the
    # public view only follows redirects to articles readers may see.
    ArticleRedirect.objects.record_move(old_slug=previous_slug, target=article)


@transaction.atomic
def article_save(
    *,
    article: Article,
    by: User | None,
    tags: list[str] | None = None,
    expected_version: int | None = None,
    previous_slug: str = "",
) -> Article:
    """Save an edit: refused if someone saved in between; old addresses keep working.

    `tags`, when given, become the article's tags (a reporter's new names are
    proposals). The search index is brought up to date once, at the end. Call
    inside a reversion revision block so the save is recorded with its tags;
    the desk does that for every form it saves.
    """
    _article_write(
        article=article, by=by, expected_version=expected_version, previous_slug=previous_slug
    )
    if tags is not None:
        tagging.article_set_tags(article=article, names=tags, by=by)
    article_record_body_pictures(article=article)
    search.index_article(article)
    return article


def article_record_body_pictures(*, article: Article) -> None:
    """Record which library pictures the body shows (they cannot be deleted while it
    does); ids of pictures that do not exist are dropped from the body's record."""
    wanted = set(
        Picture.objects.filter(pk__in=body_pictures.ids_in(article.body)).values_list(
            "pk", flat=True
        )
    )
    have = set(article.body_pictures.values_list("picture_id", flat=True))
    article.body_pictures.filter(picture_id__in=have - wanted).delete()
    BodyPicture.objects.bulk_create(
        BodyPicture(article=article, picture_id=pk) for pk in wanted - have
    )


@transaction.atomic
def author_save(*, author: Author, by: User | None) -> Author:
    """Save a byline. Its photo is a library picture; a new one waiting for the worker
    (author_take_picture) becomes the photo when it is ready."""
    if author.pk is not None:  # lock the row against the picture worker, as for articles
        list(Author.objects.select_for_update().filter(pk=author.pk).values_list("pk"))
    if author.pending_picture_id is not None:
        waiting = Picture.objects.filter(pk=author.pending_picture_id).first()
        if waiting is None:  # deleted from the library meanwhile
            author.pending_picture = None
        else:  # made ready since this byline was read: the promotion is not undone
            _take_picture(author, waiting)
    author.save()
    return author


@transaction.atomic
def picture_save(*, picture: Picture, by: User | None) -> Picture:
    """Save a library picture; a new file, or a moved focal point, is (re)cut in the
    background while pages keep showing what was there."""
    if picture.pk is None:
        picture.uploaded_by = by if by is not None and by.is_authenticated else None
    else:  # lock the row against the picture worker, as for articles
        list(Picture.objects.select_for_update().filter(pk=picture.pk).values_list("pk"))
    pictures.keep_worker_state(picture, pictures.LIBRARY_PICTURE)
    picture_work = pictures.prepare(picture, pictures.LIBRARY_PICTURE)
    picture.save()
    if picture_work:
        tasks.enqueue_picture(picture, pictures.LIBRARY_PICTURE)
    return picture


def article_take_picture(*, article: Article, picture: Picture) -> None:
    """Make `picture` the article's lead: at once when it is ready, else once the worker
    has made it so (tasks.process_picture); readers keep the previous one meanwhile."""
    _take_picture(article, picture)


def author_take_picture(*, author: Author, picture: Picture) -> None:
    """Make `picture` the author's photo, as article_take_picture does for a lead."""
    _take_picture(author, picture)


# Where each kind of owner keeps the picture readers see: an article's lead, a byline's photo.
SHOWN_PICTURE = {Article: "picture", Author: "photo"}


def _take_picture(owner: Article | Author, picture: Picture) -> None:
    picture.refresh_from_db(fields=["file", "file_state"])
    if picture.file and picture.file_state == PictureState.READY:
        setattr(owner, SHOWN_PICTURE[type(owner)], picture)
        owner.pending_picture = None
    else:
        owner.pending_picture = picture


def picture_promote(*, picture_id: int) -> int:
    """The articles and authors waiting on this picture take it now that it is ready;
    how many did."""
    return sum(
        owners.objects.filter(pending_picture_id=picture_id).update(
            **{f"{shown}_id": picture_id}, pending_picture=None
        )
        for owners, shown in SHOWN_PICTURE.items()
    )


def picture_create(
    *, upload, by: User | None, alt: str = "", caption: str = "", credit: str = ""
) -> Picture:
    """A new library picture from an upload (the article form's, an import's)."""
    picture = Picture(file=upload, alt=alt, caption=caption, credit=credit)
    return picture_save(picture=picture, by=by)


# The trash --------------------------------------------------------------------------------


def article_trash(*, article: Article, by: User) -> Article:
    """Deleting, as readers and the desk see it: the article becomes a draft in the
    trash, whole (words, tags, pictures, bylines, old addresses), until it is purged."""
    if not user_can_delete(article=article, user=by):
        raise PermissionDenied(_("You may not delete this article."))
    was = article.status
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(_("Moved to the trash"))
        article.status, article.publish_at = Article.Status.DRAFT, None
        article.trashed_at, article.trashed_by = timezone.now(), by
        article.version += 1
        article.save()
        revision_record_tags(article)
        audit.record("article.trashed", by=by, target=article, status_before=was)
    return article


def article_untrash(*, article: Article, by: User) -> Article:
    """Back from the trash, as a draft: never straight back in front of readers."""
    if not user_is_editor(by):
        raise PermissionDenied(_("Only editors can restore from the trash."))
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(_("Restored from the trash"))
        article.trashed_at, article.trashed_by = None, None
        article.version += 1
        article.save()
        revision_record_tags(article)
        audit.record("article.untrashed", by=by, target=article)
    return article


def trash_purge(*, older_than_days: int | None = None) -> int:
    """Delete for good what has been in the trash longer than ARTICLES_TRASH_DAYS; its
    pictures go with it. Returns how many articles went."""
    days = settings.ARTICLES_TRASH_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    purged = 0
    for article in Article.objects.in_trash().filter(trashed_at__lt=cutoff).iterator():
        with transaction.atomic():
            audit.record("article.purged", target=article)
            article.delete()
        purged += 1
    return purged


# Revisions ------------------------------------------------------------------------------

RESTORED_FIELDS = [
    "title",
    "summary",
    "body",
    "language",
    "section_id",
    "source_id",
    "source_url",
    "picture_id",
]


def revision_record_tags(article: Article) -> None:
    """Keep the article's tag names with the revision being recorded."""
    reversion.add_meta(RevisionTags, names=sorted(tag.name for tag in article.tags.all()))


def article_restore_revision(*, article: Article, version: Version, by: User) -> Article:
    """Bring back the words, picture and tags of a revision, as a new revision.

    Status and publication time stay as they are: a restore never publishes.
    """
    if not user_can_see_history(article=article, user=by):
        raise PermissionDenied(_("Only editors can restore a revision."))
    if version.object_id != str(article.pk) or version._model is not Article:
        raise ValidationError(_("That revision belongs to another article."))
    fields = dict(version.field_dict)
    # Sections and sources deleted since then cannot come back; keep today's.
    if not Section.objects.filter(pk=fields.get("section_id")).exists():
        fields.pop("section_id", None)
    if fields.get("source_id") and not Source.objects.filter(pk=fields["source_id"]).exists():
        fields.pop("source_id")
    # A picture deleted from the library since cannot come back; keep today's.
    if fields.get("picture_id") and not Picture.objects.filter(pk=fields["picture_id"]).exists():
        fields.pop("picture_id")
    with transaction.atomic(), reversion.create_revision():
        for name in RESTORED_FIELDS:
            if name in fields:
                setattr(article, name, fields[name])
        reversion.set_user(by)
        # Kept in the newsroom's language, whatever the desk of the one restoring speaks.
        with translation.override(settings.LANGUAGE_CODE):
            reversion.set_comment(
                _("Restored the revision of %(date)s")
                % {"date": format_datetime(version.revision.date_created, "desk")}
            )
        _article_write(article=article, by=by, expected_version=None, previous_slug=article.slug)
        if "authors" in fields:
            article.authors.set(Author.objects.filter(pk__in=fields["authors"]))
        # Tags deleted since come back as proposals, for an editor to look at again.
        tagging.article_set_tags(
            article=article, names=revision_tag_names(version), by=by, propose_new=True
        )
        article_record_body_pictures(article=article)
        search.index_article(article)
        audit.record("article.restored", by=by, target=article, revision=version.revision_id)
        # The version saved above predates the authors and tags set after it.
        reversion.add_to_revision(article)
        revision_record_tags(article)
    return article


# Preview links --------------------------------------------------------------------------


def preview_link_make(*, article: Article, by: User, hours: int) -> tuple[PreviewLink, str]:
    """A share link showing the article for `hours` (up to a week); returns it and the
    token for its address, which is shown once and stored only as a digest."""
    if not user_is_editor(by):
        raise PermissionDenied(_("Only editors can share previews."))
    if not 1 <= hours <= PREVIEW_MAX_HOURS:
        raise ValidationError(_("A preview link lasts between 1 hour and 7 days."))
    token = secrets.token_urlsafe(24)
    link = PreviewLink.objects.create(
        article=article,
        token_sha256=token_digest(token),
        created_by=by,
        expires_at=timezone.now() + timedelta(hours=hours),
    )
    audit.record("preview.made", by=by, target=article, link=link.pk, hours=hours)
    return link, token


def preview_link_revoke(*, link: PreviewLink, by: User) -> PreviewLink:
    """The link shows nothing from now on."""
    if not user_is_editor(by):
        raise PermissionDenied(_("Only editors can revoke previews."))
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = timezone.now(), by
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit.record("preview.revoked", by=by, target=link.article, link=link.pk)
    return link
