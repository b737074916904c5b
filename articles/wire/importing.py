"""Writes: a feed's items become articles, attributed to their source, each only once.

All or nothing: a feed that cannot be read imports nothing, and the whole feed
is one transaction. Inside it each item has its own savepoint, so an item
that cannot be saved is counted as failed without losing the others. The
outcome is recorded as an ImportRun, which the desk shows on the source.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import selectors, services, tasks
from ..models import Article, ImportRun, Section, Source, SourceFeed, WireItem
from . import dedup
from .parsing import FeedError, FeedItem, language_of_text, parse_feed
from .tasks import fetch_lead_picture

logger = logging.getLogger(__name__)

# Suggested tags per imported article, from the approved vocabulary only.
MAX_TAGS = 8
Progress = Callable[[int, int], None]


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0


def import_section(source: Source) -> Section:
    """Where imported stories go: the source's default section, else the first one."""
    section = source.default_section or Section.objects.order_by("position", "name").first()
    if section is None:
        raise FeedError(_("There is no section to import into: add a section first."))
    return section


def run_record_failure(
    *, source: Source, location: str, error: str, feed: SourceFeed | None = None
) -> ImportRun:
    return ImportRun.objects.create(
        source=source,
        feed=feed,
        location=location[:1000],
        outcome=ImportRun.Outcome.FAILED,
        error=error or _("Unknown error."),
    )


def feed_import(
    *,
    source: Source,
    content: bytes,
    location: str,
    feed: SourceFeed | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Import a feed's items for `source`; returns the recorded run (its outcome says
    whether it failed, and why)."""
    try:
        parsed = parse_feed(content, url=location if "://" in location else "")
        section = import_section(source)
        with transaction.atomic():
            counts = Counts()
            total = len(parsed.items)
            for done, item in enumerate(parsed.items, start=1):
                outcome = _import_one(source=source, item=item, section=section)
                setattr(counts, outcome, getattr(counts, outcome) + 1)
                if progress:
                    progress(done, total)
            return ImportRun.objects.create(
                source=source,
                feed=feed,
                location=location[:1000],
                outcome=ImportRun.Outcome.IMPORTED,
                new=counts.new,
                updated=counts.updated,
                skipped=counts.skipped,
                failed=counts.failed,
            )
    except FeedError as error:
        return run_record_failure(source=source, feed=feed, location=location, error=str(error))
    except DatabaseError as error:
        logger.exception("Importing %s failed", location)
        return run_record_failure(
            source=source,
            feed=feed,
            location=location,
            error=_("The database refused the import (%(error)s); nothing was imported.")
            % {"error": error},
        )


def _match(source: Source, keys: dict[str, str | None]) -> WireItem | None:
    match = Q()
    if keys["guid_key"]:
        match |= Q(source=source, guid_key=keys["guid_key"])
    if keys["link_key"]:
        match |= Q(link_key=keys["link_key"])
    if keys["fingerprint"]:
        match |= Q(source=source, fingerprint=keys["fingerprint"])
    if not match:
        return None
    return WireItem.objects.filter(match).select_related("article").order_by("pk").first()


def _import_one(*, source: Source, item: FeedItem, section: Section) -> str:
    """ "new", "updated", "skipped" or "failed"."""
    keys = {
        "guid_key": dedup.guid_key(item.guid),
        "link_key": dedup.link_key(item.link),
        "fingerprint": dedup.fingerprint(item.title, item.published if item.dated else None),
    }
    if not any(keys.values()) or not (item.title or item.summary):
        return "failed"  # nothing to know it by again, or nothing to say
    digest = dedup.content_hash(item.title, item.summary, item.body, item.image_url)
    try:
        with transaction.atomic():
            known = _match(source, keys)
            if known is None:
                _create(source=source, item=item, section=section, keys=keys, digest=digest)
                return "new"
            if known.content_hash == digest:
                return "skipped"
            if known.source_id != source.pk:
                # The same story from another outlet: one import of it is enough, and
                # one outlet never rewrites what another is credited with.
                return "skipped"
            if not _updatable(known.article):
                return "skipped"  # an editor's now: published, archived, or in the trash
            _update(known=known, item=item, digest=digest)
            return "updated"
    except IntegrityError:
        return "skipped"  # imported by another worker at the same moment
    except (ValidationError, DatabaseError) as error:
        logger.warning("Could not import %s: %s", item.link or item.guid, error)
        return "failed"


def _updatable(article: Article | None) -> bool:
    return (
        article is not None
        and article.trashed_at is None
        and article.status in (Article.Status.DRAFT, Article.Status.REVIEW)
    )


def _language(source: Source, item: FeedItem) -> str:
    return (
        item.language or source.default_language or language_of_text(f"{item.title} {item.summary}")
    )


def _suggested_tags(item: FeedItem) -> list[str]:
    text = f"{item.title}\n{item.summary}\n{item.body}"
    return [tag["name"] for tag in selectors.tag_suggestions(text, user=None, limit=MAX_TAGS)]


def _create(
    *, source: Source, item: FeedItem, section: Section, keys: dict, digest: str
) -> Article:
    trusted = source.import_policy == Source.ImportPolicy.PUBLISH
    status = Article.Status.PUBLISHED if trusted else Article.Status.REVIEW
    article = Article(
        title=item.title or item.summary[:100],
        summary=item.summary,
        body=item.body,
        language=_language(source, item),
        section=section,
        source=source,
        source_url=item.link,
        status=status,
        publish_at=item.published if trusted else None,
    )
    # Field by field (lengths, the link); the database keeps the constraints.
    article.clean_fields(exclude=["slug", "section", "source", "tags"])
    with reversion.create_revision(), translation.override(settings.LANGUAGE_CODE):
        reversion.set_comment(_("Imported from %(source)s") % {"source": source.name})
        services.article_save(article=article, by=None, tags=_suggested_tags(item))
        services.revision_record_tags(article)
    WireItem.objects.create(
        source=source,
        article=article,
        guid=item.guid[:1000],
        link=item.link[:1000],
        content_hash=digest,
        original_published_at=item.published,
        **keys,
    )
    if item.image_url:
        tasks.enqueue(fetch_lead_picture, article.pk, item.image_url, item.image_alt)
    return article


def _update(*, known: WireItem, item: FeedItem, digest: str) -> None:
    """The feed changed a story still waiting for an editor: its words follow."""
    article = known.article
    article.title = item.title or article.title
    article.summary = item.summary
    article.body = item.body
    if item.link:
        article.source_url = item.link
    article.clean_fields(exclude=["slug", "section", "source", "tags"])
    with reversion.create_revision(), translation.override(settings.LANGUAGE_CODE):
        reversion.set_comment(_("Updated from %(source)s") % {"source": known.source.name})
        services.article_save(article=article, by=None)
        services.revision_record_tags(article)
    known.content_hash = digest
    known.save(update_fields=["content_hash", "last_seen_at"])


def runs_prune(*, now=None) -> int:
    """Forget import records older than ARTICLES_WIRE_RUNS_KEEP_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ARTICLES_WIRE_RUNS_KEEP_DAYS)
    return ImportRun.objects.filter(started_at__lt=cutoff).delete()[0]
