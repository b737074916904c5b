"""Polling every source's feeds on its interval, with no cron: a chain of tasks.

`schedule_ensure()` (the worker calls it at start-up and between rounds) makes
sure one chain exists. Each link of the chain (`poll_due`) hands every feed
whose time has come to a task of its own, then enqueues the next link for the
earliest next poll time (at most SCHEDULER_MAX_SLEEP away, so a feed added in
the desk is not long left waiting). The WireSchedule row names the live chain:
a link of any other chain (a duplicate, or one thought lost and replaced)
stops at once. A chain whose next link is long overdue is taken for lost and
replaced.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone, translation

from ..models import ImportRun, SourceFeed, WireSchedule
from .fetching import FetchError, fetch
from .importing import feed_import, run_record_failure, runs_prune

SCHEDULER_MIN_SLEEP = timedelta(seconds=30)
SCHEDULER_MAX_SLEEP = timedelta(minutes=5)
# A chain whose next link is this late has been lost (its task deleted, the queue reset).
SCHEDULER_LOST_AFTER = timedelta(minutes=15)


def feeds_due(now: datetime):
    return SourceFeed.objects.filter(is_active=True).filter(
        Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    )


def feed_poll(*, feed: SourceFeed) -> ImportRun:
    """Fetch one feed (conditionally: an unchanged feed is one request and imports
    nothing) and import it; the run, failed or not, is recorded on the feed."""
    # The import log is kept in the newsroom's language, whoever pressed "Poll now".
    with translation.override(settings.LANGUAGE_CODE):
        return _feed_poll(feed=feed)


def _feed_poll(*, feed: SourceFeed) -> ImportRun:
    now = timezone.now()
    source = feed.source
    try:
        fetched = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as error:
        run = run_record_failure(source=source, feed=feed, location=feed.url, error=str(error))
    else:
        if fetched.not_modified:
            run = ImportRun.objects.create(
                source=source, feed=feed, location=feed.url, outcome=ImportRun.Outcome.UNCHANGED
            )
        else:
            run = feed_import(source=source, content=fetched.content, location=feed.url, feed=feed)
            if run.outcome == ImportRun.Outcome.IMPORTED:
                # Only a feed read whole may be skipped next time it has not changed.
                feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
    feed.last_polled_at = now
    feed.next_poll_at = now + timedelta(minutes=source.poll_minutes)
    feed.save(update_fields=["etag", "last_modified", "last_polled_at", "next_poll_at"])
    return run


def _schedule_row() -> WireSchedule:
    WireSchedule.objects.get_or_create(pk=1)
    return WireSchedule.objects.select_for_update().get(pk=1)


def schedule_ensure(*, now: datetime | None = None) -> bool:
    """Start a polling chain unless a live one exists; True when one was started."""
    from . import tasks

    now = now or timezone.now()
    live = Q(chain__gt="", next_run_at__gt=now - SCHEDULER_LOST_AFTER)
    if WireSchedule.objects.filter(live, pk=1).exists():
        return False  # the usual answer, without a lock
    with transaction.atomic():
        row = _schedule_row()
        if row.chain and row.next_run_at and row.next_run_at > now - SCHEDULER_LOST_AFTER:
            return False
        row.chain, row.next_run_at = secrets.token_hex(8), now
        row.save()
        tasks.enqueue_poll_due(row.chain, at=None)
    return True


def poll_due(*, chain: str, now: datetime | None = None) -> datetime | None:
    """One link of the chain: hand due feeds to their own tasks, and enqueue the next
    link. Returns when the next link runs (None: this chain is not the live one, or
    the task engine cannot defer, so no next link)."""
    from . import tasks

    now = now or timezone.now()
    with transaction.atomic():
        row = _schedule_row()
        if row.chain != chain:
            return None
        for feed in feeds_due(now).select_related("source").select_for_update(of=("self",)):
            # Claimed: the next link does not hand it out again while its task waits.
            feed.next_poll_at = now + timedelta(minutes=feed.source.poll_minutes)
            feed.save(update_fields=["next_poll_at"])
            tasks.enqueue_poll_feed(feed.pk)
        runs_prune(now=now)
        earliest = SourceFeed.objects.filter(is_active=True).aggregate(Min("next_poll_at"))
        upcoming = earliest["next_poll_at__min"] or now + SCHEDULER_MAX_SLEEP
        next_run = min(max(upcoming, now + SCHEDULER_MIN_SLEEP), now + SCHEDULER_MAX_SLEEP)
        if not tasks.can_defer():
            row.next_run_at = None
            row.chain = ""
            row.save()
            return None
        row.next_run_at = next_run
        row.save()
        tasks.enqueue_poll_due(chain, at=next_run)
    return next_run


def feeds_poll_now(*, feeds) -> int:
    """The desk's "Poll now": each feed gets its task at once; returns how many."""
    from . import tasks

    count = 0
    for feed in feeds:
        tasks.enqueue_poll_feed(feed.pk)
        count += 1
    return count
