"""Polling with no cron: one chain of tasks polls each feed when its interval comes round."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Article, ImportRun, SourceFeed, WireSchedule
from articles.wire import polling
from tests.factories import SectionFactory, SourceFactory, feed_fixture

pytestmark = pytest.mark.django_db

DATABASE_ENGINE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DATABASE_ENGINE


@pytest.fixture
def frozen(monkeypatch):
    """timezone.now() stands still at `clock[0]` until a test moves it."""
    clock = [NOW]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    return clock


def queued(name: str) -> list[DBTaskResult]:
    """Tasks waiting to run, now or later."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    return [r for r in waiting if r.task_path.endswith(f".{name}")]


def polled() -> list[int]:
    return [r.args_kwargs["args"][0] for r in queued("poll_feed")]


@pytest.fixture
def feeds():
    section = SectionFactory()
    hourly = SourceFactory(slug="hourly", poll_minutes=60, default_section=section)
    quick = SourceFactory(slug="quick", poll_minutes=10, default_section=section)
    return {
        "hourly": SourceFeed.objects.create(source=hourly, url="https://hourly.example/feed"),
        "quick": SourceFeed.objects.create(source=quick, url="https://quick.example/feed"),
    }


# The worker commits and closes connections as in production (as in tests/test_tasks.py).
@pytest.mark.django_db(transaction=True)
def test_the_worker_starts_one_polling_chain(db_tasks, frozen):
    call_command("worker", "--batch", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("worker", "--batch", stdout=open("/dev/null", "w"))  # noqa: SIM115

    row = WireSchedule.objects.get()
    assert row.chain
    # The worker ran the chain's first link; it left exactly one next link.
    assert len(queued("poll_due_feeds")) == 1


def test_ensuring_twice_starts_one_chain(db_tasks, frozen):
    assert polling.schedule_ensure() is True
    assert polling.schedule_ensure() is False

    assert len(queued("poll_due_feeds")) == 1


def test_due_feeds_get_a_task_each_and_the_next_link_waits_for_the_earliest(
    db_tasks, frozen, feeds
):
    polling.schedule_ensure()
    chain = WireSchedule.objects.get().chain

    next_run = polling.poll_due(chain=chain)

    assert len(queued("poll_feed")) == 2  # never polled: both due
    # The quick feed is due again in 10 minutes; the chain looks at least every 5.
    assert next_run == NOW + polling.SCHEDULER_MAX_SLEEP
    links = queued("poll_due_feeds")
    # The first link (not run by a worker here) and the next one, deferred.
    assert len(links) == 2 and next_run in [link.run_after for link in links]

    # Five minutes on, nothing is due: no feed task is added.
    frozen[0] = NOW + timedelta(minutes=5)
    polling.poll_due(chain=chain)
    assert len(queued("poll_feed")) == 2

    # Ten minutes on, the quick feed is due, the hourly one is not.
    frozen[0] = NOW + timedelta(minutes=10)
    polling.poll_due(chain=chain)
    assert polled().count(feeds["quick"].pk) == 2 and polled().count(feeds["hourly"].pk) == 1


def test_a_chain_that_is_not_the_live_one_stops(db_tasks, frozen, feeds):
    polling.schedule_ensure()

    assert polling.poll_due(chain="an-old-chain") is None
    assert queued("poll_feed") == []


def test_a_lost_chain_is_replaced(db_tasks, frozen):
    polling.schedule_ensure()
    old = WireSchedule.objects.get().chain

    frozen[0] = NOW + polling.SCHEDULER_LOST_AFTER + timedelta(minutes=1)
    assert polling.schedule_ensure() is True

    assert WireSchedule.objects.get().chain != old
    assert polling.poll_due(chain=old) is None


def test_paused_feeds_are_not_polled(db_tasks, frozen, feeds):
    SourceFeed.objects.filter(pk=feeds["hourly"].pk).update(is_active=False)
    polling.schedule_ensure()

    polling.poll_due(chain=WireSchedule.objects.get().chain)

    assert polled() == [feeds["quick"].pk]


def test_a_poll_sets_the_next_poll_from_the_sources_interval(feed_server, frozen):
    source = SourceFactory(slug="gulf", poll_minutes=45, default_section=SectionFactory())
    url = feed_server.serve("/feed.xml", feed_fixture("rss.xml"))
    feed = SourceFeed.objects.create(source=source, url=url)

    run = polling.feed_poll(feed=feed)

    feed.refresh_from_db()
    assert run.outcome == ImportRun.Outcome.IMPORTED and run.new == 3
    assert feed.last_polled_at == NOW and feed.next_poll_at == NOW + timedelta(minutes=45)


def test_with_tasks_run_at_once_the_chain_polls_and_stops(feed_server, settings):
    """The immediate engine (tests, debugging) cannot defer: one round, then no loop."""
    source = SourceFactory(slug="gulf", default_section=SectionFactory())
    SourceFeed.objects.create(source=source, url=feed_server.serve("/f", feed_fixture("rss.xml")))

    polling.schedule_ensure()

    assert Article.objects.count() == 3
    assert WireSchedule.objects.get().chain == ""


def test_old_import_records_are_pruned(db_tasks, frozen, settings):
    settings.ARTICLES_WIRE_RUNS_KEEP_DAYS = 30
    source = SourceFactory()
    old = ImportRun.objects.create(source=source, location="x", outcome="unchanged")
    ImportRun.objects.filter(pk=old.pk).update(started_at=NOW - timedelta(days=31))
    recent = ImportRun.objects.create(source=source, location="y", outcome="unchanged")
    polling.schedule_ensure()

    polling.poll_due(chain=WireSchedule.objects.get().chain)

    assert list(ImportRun.objects.all()) == [recent]
