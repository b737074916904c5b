"""The editorial workflow: every change of an article's status is a registered Transition.

A transition is one entry in TRANSITIONS. The desk's buttons, its bulk actions
and every permission check are derived from the registry: adding a transition
means registering one more `Transition(...)` here, nothing else.

Each transition checks (`refusal()`) and then executes (`execute()`), the way
Wagtail's actions do; `execute()` records a revision with who did it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .dates import format_datetime
from .models import Article
from .permissions import User, user_can_edit, user_can_publish
from .services import revision_record_tags

Status = Article.Status
# What a transition does to the publication time.
Timing = Literal["keep", "now", "at", "clear"]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset[str]
    target: str
    # Editors' transitions need the publish permission; the others, the right to edit.
    editors_only: bool
    timing: Timing = "keep"
    # Shown on the button: what happens beyond the label.
    hint: str | Promise = ""
    # "Publish now" on a live article would only move its date.
    refuse_when_live: bool = False
    # The desk offers a note to go with it (why it is submitted, why it came back).
    asks_for_note: bool = False

    @property
    def needs_time(self) -> bool:
        """The transition asks for a time first (a form field or an intermediate page)."""
        return self.timing == "at"

    def offered_to(self, user: User) -> bool:
        """Whether the user's role may ever apply it: which bulk actions they see."""
        if self.editors_only:
            return user_can_publish(user)
        return user.has_perm("articles.change_article")

    def refusal(self, *, article: Article, user: User) -> str | None:
        """Why this user may not apply the transition to this article now; None if they may."""
        if article.status not in self.sources:
            return _("“%(title)s” is %(status)s; it cannot be changed that way.") % {
                "title": article.title,
                "status": article.get_status_display().lower(),
            }
        if self.refuse_when_live and article.is_published():
            return _("“%(title)s” is already published.") % {"title": article.title}
        if self.editors_only and not user_can_publish(user):
            return _("Only editors can publish, schedule, unpublish or archive.")
        if not self.editors_only and not user_can_edit(article=article, user=user):
            return _("You can only change your own drafts and articles in review.")
        return None

    def execute(self, *, article: Article, by: User, at: datetime | None = None) -> Article:
        """Check, then apply: status, publication time, and a revision saying who did it."""
        refusal = self.refusal(article=article, user=by)
        if refusal:
            raise PermissionDenied(refusal)
        if self.needs_time and at is None:
            raise ValidationError(_("Choose the time to publish at before scheduling."))
        if self.target == Status.PUBLISHED:
            missing = article_missing_for_publication(article)
            if missing:
                raise ValidationError(
                    _("“%(title)s” cannot be published yet: it needs %(missing)s.")
                    % {"title": article.title, "missing": ", ".join(missing)}
                )
        now = timezone.now()
        article.status = self.target
        match self.timing:
            case "now":
                article.publish_at = now
            case "at":  # a time already past publishes now
                article.publish_at = max(at, now)
            case "clear":
                article.publish_at = None
        actor = by if by.is_authenticated else None
        # Inside the desk's own revision (a button on the form) the desk records the tags.
        nested = reversion.is_active()
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(actor)
            reversion.set_comment(str(self.label))
            article.updated_by = actor
            article.version += 1
            article.save()
            if not nested:
                revision_record_tags(article)
            audit.record(
                f"article.{self.name}",
                by=by,
                target=article,
                status=article.status,
                publish_at=article.publish_at.isoformat() if article.publish_at else None,
            )
        return article

    def done_message(self, article: Article) -> str:
        """What the desk tells the editor afterwards."""
        if self.needs_time and article.is_scheduled():
            return _("Scheduled “%(title)s” for %(time)s.") % {
                "title": article.title,
                "time": format_datetime(article.publish_at, "desk"),
            }
        return _("%(action)s: “%(title)s”.") % {"action": self.label, "title": article.title}


TRANSITIONS: dict[str, Transition] = {}


def register(transition: Transition) -> Transition:
    TRANSITIONS[transition.name] = transition
    return transition


WRITING = frozenset({Status.DRAFT, Status.REVIEW})

register(
    Transition(
        name="submit",
        label=gettext_lazy("Submit for review"),
        sources=frozenset({Status.DRAFT}),
        target=Status.REVIEW,
        editors_only=False,
        asks_for_note=True,
    )
)
register(
    Transition(
        name="publish",
        label=gettext_lazy("Publish now"),
        sources=WRITING | {Status.PUBLISHED},
        target=Status.PUBLISHED,
        editors_only=True,
        timing="now",
        refuse_when_live=True,
    )
)
register(
    Transition(
        name="schedule",
        label=gettext_lazy("Schedule"),
        sources=WRITING | {Status.PUBLISHED},
        target=Status.PUBLISHED,
        editors_only=True,
        timing="at",
        hint=gettext_lazy("Publishes at the time set in “Publish at”"),
    )
)
register(
    Transition(
        name="unpublish",
        label=gettext_lazy("Unpublish"),
        sources=frozenset({Status.PUBLISHED}),
        target=Status.DRAFT,
        editors_only=True,
        timing="clear",
    )
)
register(
    Transition(
        name="archive",
        label=gettext_lazy("Archive"),
        sources=frozenset({Status.PUBLISHED}),
        target=Status.ARCHIVED,
        editors_only=True,
    )
)
register(
    Transition(
        name="return_to_draft",
        label=gettext_lazy("Back to draft"),
        sources=frozenset({Status.REVIEW, Status.ARCHIVED}),
        target=Status.DRAFT,
        editors_only=False,
        timing="clear",
        asks_for_note=True,
    )
)


def article_missing_for_publication(article: Article) -> list[str]:
    """What an article lacks before readers may see it; empty when complete."""
    missing = []
    if not article.title.strip():
        missing.append(_("a title"))
    if not article.body.strip():
        missing.append(_("a body"))
    if article.section_id is None:
        missing.append(_("a section"))
    # A story from another outlet (the wire desk) is credited to its source instead.
    if article.source_id is None and (article.pk is None or not article.authors.exists()):
        missing.append(_("an author"))
    lead = article.pending_picture or article.picture
    if lead is not None and not lead.alt.strip():
        missing.append(_("alt text for the picture"))
    return missing


def article_transitions(*, article: Article, user: User) -> list[Transition]:
    """The transitions this user may apply to this article now, in button order."""
    return [t for t in TRANSITIONS.values() if t.refusal(article=article, user=user) is None]


def article_apply_transition(
    *, article: Article, by: User, name: str, at: datetime | None = None
) -> Article:
    """Apply a transition by name, as the desk's buttons and bulk actions name them."""
    if name not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    return TRANSITIONS[name].execute(article=article, by=by, at=at)


# The typed entry points that code and tests call; each is its registry entry.


def article_submit(*, article: Article, by: User) -> Article:
    """Draft → in review."""
    return TRANSITIONS["submit"].execute(article=article, by=by)


def article_publish(*, article: Article, by: User) -> Article:
    """Readers see the article from now on."""
    return TRANSITIONS["publish"].execute(article=article, by=by)


def article_schedule(*, article: Article, by: User, at: datetime) -> Article:
    """Readers see the article from `at` on; a time already past publishes now."""
    return TRANSITIONS["schedule"].execute(article=article, by=by, at=at)


def article_unpublish(*, article: Article, by: User) -> Article:
    """Published or scheduled → draft; readers no longer see it."""
    return TRANSITIONS["unpublish"].execute(article=article, by=by)


def article_archive(*, article: Article, by: User) -> Article:
    """Published → archived: withdrawn from readers, kept for the record."""
    return TRANSITIONS["archive"].execute(article=article, by=by)


def article_return_to_draft(*, article: Article, by: User) -> Article:
    """In review or archived → draft."""
    return TRANSITIONS["return_to_draft"].execute(article=article, by=by)
