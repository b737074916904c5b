"""What the desk's home page says is waiting: for editors, the review queue, proposed
tags, today's schedule and recent corrections; for reporters, their drafts, what
came back with a note and what went live. Counts and short lists, each one query."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from ..models import Article, ArticleNote, Correction, Tag
from ..permissions import User, user_can_curate_tags, user_can_publish

LISTED = 8


@dataclass
class Queue:
    """One box of the dashboard: how many, the first few, and where the rest are."""

    key: str
    count: int
    items: list = field(default_factory=list)
    link: str = ""


def _queue(key: str, queryset: QuerySet, link: str = "") -> Queue:
    items = list(queryset[:LISTED])
    count = len(items) if len(items) < LISTED else queryset.count()
    return Queue(key=key, count=count, items=items, link=link)


def _desk(query: str) -> str:
    return f"{reverse('admin:articles_article_changelist')}?{query}"


def today_bounds(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The newsroom's today (its time zone), as two aware datetimes."""
    local = timezone.localtime(now or timezone.now())
    start = timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)
    return start, start + timedelta(days=1)


def dashboard_for(user: User) -> list[Queue]:
    """The boxes this person's dashboard shows, most urgent first."""
    desk = Article.objects.not_in_trash()
    if user_can_publish(user):
        start, end = today_bounds()
        queues = [
            _queue(
                "review",
                desk.filter(status=Article.Status.REVIEW).order_by("updated_at", "pk"),
                _desk("status=review"),
            ),
            _queue(
                "scheduled_today",
                desk.scheduled().filter(publish_at__lt=end).order_by("publish_at", "pk"),
                _desk("status=scheduled"),
            ),
        ]
        if user_can_curate_tags(user):
            queues.append(
                _queue(
                    "proposed_tags",
                    Tag.objects.proposed().order_by("name"),
                    reverse("admin:articles_proposedtag_changelist"),
                )
            )
        queues.append(
            _queue(
                "corrections",
                Correction.objects.filter(created_at__gte=start - timedelta(days=6))
                .select_related("article")
                .order_by("-created_at", "-pk"),
            )
        )
        return queues
    own = desk.owned_by(user)
    latest_note = ArticleNote.objects.filter(article=OuterRef("pk")).order_by("-created_at", "-pk")
    returned = own.filter(status=Article.Status.DRAFT).annotate(
        last_occasion=Subquery(latest_note.values("occasion")[:1]),
        last_note=Subquery(latest_note.values("text")[:1]),
    )
    return [
        _queue(
            "returned",
            returned.filter(last_occasion="return_to_draft").order_by("-updated_at", "-pk"),
        ),
        _queue(
            "drafts",
            own.filter(status=Article.Status.DRAFT).order_by("-updated_at", "-pk"),
            _desk("status=draft&mine=1"),
        ),
        _queue(
            "submitted",
            own.filter(status=Article.Status.REVIEW).order_by("-updated_at", "-pk"),
            _desk("status=review&mine=1"),
        ),
        _queue(
            "live",
            own.published().order_by("-publish_at", "-pk"),
            _desk("status=published&mine=1"),
        ),
    ]
