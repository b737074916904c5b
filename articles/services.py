"""Every change of an article's state goes through here.

The rule book is the roles table: reporters write and submit their own
articles; editors publish, schedule, unpublish and archive anything. Admin
views, actions and commands call these functions and never repeat the rules.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import reversion
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from .models import Article, ArticleRedirect, Author, RevisionTags, Section, Source

User = AbstractBaseUser | AnonymousUser
Status = Article.Status

PREVIEW_SALT = "articles.preview"


class EditConflict(Exception):
    """Someone else saved the article after this edit began."""


# Permissions -----------------------------------------------------------------


def user_is_editor(user: User) -> bool:
    """Editors and administrators may act on any article."""
    return user.has_perm("articles.change_any_article")


def user_can_publish(user: User) -> bool:
    return user.has_perm("articles.publish_article")


def article_is_own(*, article: Article, user: User) -> bool:
    """The user started the article or writes under one of its bylines."""
    if not user.is_authenticated:
        return False
    if article.created_by_id == user.pk:
        return True
    return article.pk is not None and article.authors.filter(user=user).exists()


def articles_visible_in_desk(user: User):
    """What a staff member sees in the admin: editors all, reporters their own."""
    articles = Article.objects.all()
    if user_is_editor(user):
        return articles
    own = Article.objects.filter(Q(created_by=user) | Q(authors__user=user)).values("pk")
    return articles.filter(pk__in=own)


def user_can_edit(*, article: Article, user: User) -> bool:
    if not user.has_perm("articles.change_article"):
        return False
    if user_is_editor(user):
        return True
    return article.status in {Status.DRAFT, Status.REVIEW} and article_is_own(
        article=article, user=user
    )


def user_can_delete(*, article: Article, user: User) -> bool:
    if not user.has_perm("articles.delete_article"):
        return False
    if user_is_editor(user):
        return True
    return article.status == Status.DRAFT and article_is_own(article=article, user=user)


# Transitions -----------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    editors_only: bool


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit", _("Submit for review"), frozenset({Status.DRAFT}), Status.REVIEW, False
        ),
        Transition(
            "publish",
            _("Publish now"),
            frozenset({Status.DRAFT, Status.REVIEW, Status.PUBLISHED}),
            Status.PUBLISHED,
            True,
        ),
        Transition(
            "schedule",
            _("Schedule"),
            frozenset({Status.DRAFT, Status.REVIEW, Status.PUBLISHED}),
            Status.PUBLISHED,
            True,
        ),
        Transition("unpublish", _("Unpublish"), frozenset({Status.PUBLISHED}), Status.DRAFT, True),
        Transition("archive", _("Archive"), frozenset({Status.PUBLISHED}), Status.ARCHIVED, True),
        Transition(
            "return_to_draft",
            _("Back to draft"),
            frozenset({Status.REVIEW, Status.ARCHIVED}),
            Status.DRAFT,
            False,
        ),
    ]
}


def article_transitions(*, article: Article, user: User) -> list[Transition]:
    """The transitions this user may apply to this article now, in button order."""
    allowed = []
    for transition in TRANSITIONS.values():
        if _transition_refusal(transition, article=article, user=user) is None:
            allowed.append(transition)
    return allowed


def _transition_refusal(transition: Transition, *, article: Article, user: User) -> str | None:
    """Why this user may not apply the transition now, or None when they may."""
    if article.status not in transition.sources:
        return _("“%(title)s” is %(status)s; it cannot be changed that way.") % {
            "title": article.title,
            "status": article.get_status_display().lower(),
        }
    # "Publish now" on a live article would only move its date.
    if transition.name == "publish" and article.is_published():
        return _("“%(title)s” is already published.") % {"title": article.title}
    if transition.editors_only and not user_can_publish(user):
        return _("Only editors can publish, schedule, unpublish or archive.")
    if not transition.editors_only and not user_can_edit(article=article, user=user):
        return _("You can only change your own drafts and articles in review.")
    return None


def article_missing_for_publication(article: Article) -> list[str]:
    """What an article lacks before readers may see it; empty when complete."""
    missing = []
    if not article.title.strip():
        missing.append(_("a title"))
    if not article.body.strip():
        missing.append(_("a body"))
    if article.section_id is None:
        missing.append(_("a section"))
    if article.pk is None or not article.authors.exists():
        missing.append(_("an author"))
    if article.image and not article.image_alt.strip():
        missing.append(_("alt text for the image"))
    return missing


def _apply(name: str, *, article: Article, by: User, publish_at: datetime | None = None) -> Article:
    transition = TRANSITIONS[name]
    refusal = _transition_refusal(transition, article=article, user=by)
    if refusal:
        raise PermissionDenied(refusal)
    if transition.target == Status.PUBLISHED:
        missing = article_missing_for_publication(article)
        if missing:
            raise ValidationError(
                _("“%(title)s” cannot be published yet: it needs %(missing)s.")
                % {"title": article.title, "missing": ", ".join(missing)}
            )
    article.status = transition.target
    if transition.target == Status.PUBLISHED:
        article.publish_at = publish_at
    elif transition.target == Status.DRAFT:
        article.publish_at = None
    # Inside the admin's own revision (a button on the form) the admin records the tags.
    nested = reversion.is_active()
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(by if by.is_authenticated else None)
        reversion.set_comment(str(transition.label))
        article.updated_by = by if by.is_authenticated else None
        article.version += 1
        article.save()
        if not nested:
            revision_record_tags(article)
    return article


def article_submit(*, article: Article, by: User) -> Article:
    """Draft → in review."""
    return _apply("submit", article=article, by=by)


def article_publish(*, article: Article, by: User) -> Article:
    """Readers see the article from now on."""
    return _apply("publish", article=article, by=by, publish_at=timezone.now())


def article_schedule(*, article: Article, by: User, at: datetime) -> Article:
    """Readers see the article from `at` on; a time already past publishes now."""
    now = timezone.now()
    return _apply("schedule", article=article, by=by, publish_at=max(at, now))


def article_unpublish(*, article: Article, by: User) -> Article:
    """Published or scheduled → draft; readers no longer see it."""
    return _apply("unpublish", article=article, by=by)


def article_archive(*, article: Article, by: User) -> Article:
    """Published → archived: withdrawn from readers, kept for the record."""
    return _apply("archive", article=article, by=by)


def article_return_to_draft(*, article: Article, by: User) -> Article:
    """In review or archived → draft."""
    return _apply("return_to_draft", article=article, by=by)


def article_apply_transition(
    *, article: Article, by: User, name: str, at: datetime | None = None
) -> Article:
    """Run a transition by name, as buttons and bulk actions name them."""
    if name not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    refusal = _transition_refusal(TRANSITIONS[name], article=article, user=by)
    if refusal:
        raise PermissionDenied(refusal)
    if name == "schedule":
        if at is None:
            raise ValidationError(_("Choose the time to publish at before scheduling."))
        return article_schedule(article=article, by=by, at=at)
    functions = {
        "submit": article_submit,
        "publish": article_publish,
        "unpublish": article_unpublish,
        "archive": article_archive,
        "return_to_draft": article_return_to_draft,
    }
    return functions[name](article=article, by=by)


# Saving ----------------------------------------------------------------------


def article_save(
    *, article: Article, by: User, expected_version: int | None = None, previous_slug: str = ""
) -> Article:
    """Save an edit: refuse it if someone saved in between, keep old addresses alive.

    Call inside a reversion revision block so the save is recorded with its
    tags; the admin does that for every form it saves.
    """
    if article.pk is not None:
        expected = article.version if expected_version is None else expected_version
        # Only one save can move the version on from `expected`.
        moved = Article.objects.filter(pk=article.pk, version=expected).update(version=expected + 1)
        if not moved:
            raise EditConflict
        article.version = expected + 1
    elif by.is_authenticated and article.created_by_id is None:
        article.created_by = by
    article.updated_by = by if by.is_authenticated else None
    article.save()
    if previous_slug and previous_slug != article.slug:
        # Kept whatever the status: the address may have been shared before, and the
        # public view only follows redirects to articles readers may see.
        ArticleRedirect.objects.update_or_create(
            old_slug=previous_slug, defaults={"article": article}
        )
    # An article renamed back to an old address of its own needs no redirect from it.
    ArticleRedirect.objects.filter(old_slug=article.slug, article=article).delete()
    return article


# Revisions -------------------------------------------------------------------

RESTORED_FIELDS = [
    "title",
    "summary",
    "body",
    "language",
    "section_id",
    "source_id",
    "source_url",
    "image",
    "image_alt",
    "image_caption",
    "image_credit",
]


def article_revisions(article: Article):
    """The article's revisions, newest first, with who made them."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def revision_record_tags(article: Article) -> None:
    """Keep the article's tag names with the revision being recorded."""
    reversion.add_meta(RevisionTags, names=sorted(tag.name for tag in article.tags.all()))


def revision_tag_names(version: Version) -> list[str]:
    """The tag names the article had in this revision."""
    tags = RevisionTags.objects.filter(revision_id=version.revision_id).first()
    return list(tags.names) if tags else []


def article_restore_revision(*, article: Article, version: Version, by: User) -> Article:
    """Bring back the words, picture and tags of a revision, as a new revision.

    Status and publication time stay as they are: a restore never publishes.
    """
    if not user_can_edit(article=article, user=by) or not user_is_editor(by):
        raise PermissionDenied(_("Only editors can restore a revision."))
    if version.object_id != str(article.pk) or version._model is not Article:
        raise ValidationError(_("That revision belongs to another article."))
    fields = dict(version.field_dict)
    # Sections and sources deleted since then cannot come back; keep today's.
    if not Section.objects.filter(pk=fields.get("section_id")).exists():
        fields.pop("section_id", None)
    if fields.get("source_id") and not Source.objects.filter(pk=fields["source_id"]).exists():
        fields.pop("source_id")
    if "image" in fields:
        fields["image"] = getattr(fields["image"], "name", fields["image"]) or ""
    with transaction.atomic(), reversion.create_revision():
        for name in RESTORED_FIELDS:
            if name in fields:
                setattr(article, name, fields[name])
        reversion.set_user(by)
        reversion.set_comment(
            _("Restored the revision of %(date)s")
            % {"date": timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")}
        )
        article_save(article=article, by=by, previous_slug=article.slug)
        if "authors" in fields:
            article.authors.set(Author.objects.filter(pk__in=fields["authors"]))
        # Tags deleted since come back as proposals, for an editor to look at again.
        article.tags.set(revision_tag_names(version), tag_kwargs={"approved": False})
        # The version saved above predates the authors and tags set after it.
        reversion.add_to_revision(article)
        revision_record_tags(article)
    return article


# Preview links ---------------------------------------------------------------


def article_preview_token(*, article: Article, by: User, hours: int = 48) -> str:
    """A signed token that shows the article to anyone holding it for `hours`."""
    if not user_is_editor(by):
        raise PermissionDenied(_("Only editors can share previews."))
    if not 1 <= hours <= 24 * 30:
        raise ValidationError(_("A preview link lasts between 1 hour and 30 days."))
    expires = timezone.now() + timedelta(hours=hours)
    return signing.dumps({"a": article.pk, "e": int(expires.timestamp())}, salt=PREVIEW_SALT)


def article_from_preview_token(token: str) -> tuple[Article, datetime] | None:
    """The article a valid, unexpired token points to, with its expiry; else None."""
    try:
        payload = signing.loads(token, salt=PREVIEW_SALT)
        expires = datetime.fromtimestamp(int(payload["e"]), tz=UTC)
        article_id = int(payload["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None
    if expires <= timezone.now():
        return None
    article = Article.objects.for_listing().filter(pk=article_id).first()
    return (article, expires) if article else None
