"""The wire desk's background work: polling feeds and fetching imported pictures.

Thin on purpose: each task reads its rows again and calls articles.wire.polling or
articles.wire.pictures, so a retry or a second run does the right thing.
"""

import logging
from datetime import datetime

from django.db import DatabaseError
from django_tasks import task, task_backends

from ..tasks import MAX_ATTEMPTS, enqueue

logger = logging.getLogger(__name__)


def can_defer() -> bool:
    return task_backends[poll_due_feeds.backend].supports_defer


def enqueue_poll_due(chain: str, *, at: datetime | None) -> None:
    work = poll_due_feeds.using(run_after=at) if at is not None else poll_due_feeds
    work.enqueue(chain)


def enqueue_poll_feed(feed_id: int) -> None:
    enqueue(poll_feed, feed_id)


@task()
def poll_due_feeds(chain: str) -> str:
    """One link of the polling chain (articles.wire.polling.poll_due)."""
    from . import polling

    next_run = polling.poll_due(chain=chain)
    return next_run.isoformat() if next_run else "stopped"


@task()
def poll_feed(feed_id: int, attempt: int = 1) -> str:
    """Poll one feed now; its outcome is recorded on it for the desk."""
    from ..models import SourceFeed
    from . import polling

    feed = SourceFeed.objects.select_related("source").filter(pk=feed_id).first()
    if feed is None:
        return "gone"
    try:
        return polling.feed_poll(feed=feed).outcome
    except DatabaseError:
        if attempt >= MAX_ATTEMPTS:
            raise
        logger.warning("Polling feed %s failed; trying again later", feed_id)
        enqueue(poll_feed, feed_id, attempt=attempt + 1)
        return "retrying"


@task()
def fetch_lead_picture(article_id: int, url: str, alt: str = "", attempt: int = 1) -> str:
    """Fetch an imported story's picture and hand it to the picture pipeline."""
    from . import pictures

    return pictures.lead_picture_import(article_id=article_id, url=url, alt=alt)
