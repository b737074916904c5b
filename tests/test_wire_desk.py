"""The wire desk in the admin: feeds and last runs on each source, "Poll now", the
import log, and sources from OPML (editors only, checked on the server)."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from articles.models import Article, ImportRun, Source, SourceFeed
from articles.wire import importing
from tests.factories import SectionFactory, SourceFactory, feed_fixture

pytestmark = pytest.mark.django_db

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Wire subscriptions</title></head>
  <body>
    <outline text="Middle East">
      <outline type="rss" text="Gulf Wire" title="Gulf Wire"
               xmlUrl="https://gulfwire.example/feed.xml" htmlUrl="https://gulfwire.example/"/>
      <outline type="rss" text="Gulf Wire" title="Gulf Wire"
               xmlUrl="https://gulfwire.example/persian.xml" htmlUrl="https://gulfwire.example/"/>
      <outline type="rss" title="Caspian Report" xmlUrl="https://caspian.example/atom"/>
      <outline type="rss" title="Bad" xmlUrl="javascript:alert(1)"/>
    </outline>
  </body>
</opml>"""


@pytest.fixture
def source():
    return SourceFactory(name="Gulf Wire", slug="gulf-wire", default_section=SectionFactory())


def test_a_source_shows_its_feeds_and_the_last_runs_counts_and_error(client, editor, source):
    feed = SourceFeed.objects.create(source=source, url="https://gulfwire.example/feed.xml")
    importing.feed_import(
        source=source, content=feed_fixture("rss.xml"), location=feed.url, feed=feed
    )
    importing.feed_import(source=source, content=feed_fixture("broken.xml"), location="broken.xml")
    client.force_login(editor)

    listing = client.get("/admin/articles/source/").content.decode()
    page = client.get(f"/admin/articles/source/{source.pk}/change/").content.decode()

    assert "not well-formed XML" in listing  # the latest run, in the list
    assert "https://gulfwire.example/feed.xml" in page
    assert "3 new, 0 updated, 0 skipped, 0 failed" in page
    assert "not well-formed XML" in page


def test_the_import_log_lists_every_run(client, editor, source):
    importing.feed_import(source=source, content=feed_fixture("rss.xml"), location="rss.xml")
    client.force_login(editor)

    response = client.get("/admin/articles/importrun/")

    assert response.status_code == 200 and "rss.xml" in response.content.decode()
    assert client.get("/admin/articles/importrun/add/").status_code == 403


def test_imported_articles_are_in_the_desk_with_their_source(client, editor, source):
    importing.feed_import(source=source, content=feed_fixture("rss.xml"), location="rss.xml")
    client.force_login(editor)

    response = client.get(f"/admin/articles/article/?source__id__exact={source.pk}")

    assert response.status_code == 200
    assert "Talks on the JCPOA resume in Vienna" in response.content.decode()


def test_poll_now_polls_the_selected_sources_feeds(client, editor, feed_server, source):
    url = feed_server.serve("/feed.xml", feed_fixture("rss.xml"))
    SourceFeed.objects.create(source=source, url=url)
    client.force_login(editor)

    response = client.post(
        "/admin/articles/source/",
        {"action": "poll_now", "_selected_action": [source.pk]},
        follow=True,
    )

    assert "1 feed is being polled" in response.content.decode()
    assert Article.objects.filter(source=source).count() == 3  # tasks run at once in tests
    assert source.import_runs.get().new == 3


def test_a_reporter_cannot_poll_or_import_opml(client, reporter, source):
    client.force_login(reporter)

    assert client.get("/admin/articles/source/import-opml/").status_code == 403
    upload = SimpleUploadedFile("feeds.opml", OPML)
    response = client.post("/admin/articles/source/import-opml/", {"file": upload})
    assert response.status_code == 403
    assert not SourceFeed.objects.exists()


def test_an_editor_adds_many_sources_from_opml(client, editor, source):
    client.force_login(editor)
    upload = SimpleUploadedFile("feeds.opml", OPML, content_type="text/x-opml")

    response = client.post(
        "/admin/articles/source/import-opml/",
        {"file": upload, "import_policy": "review"},
        follow=True,
    )

    content = response.content.decode()
    assert "1 new sources and 3 new feeds" in content
    assert "javascript:alert(1)" in content  # named as skipped
    assert set(source.feeds.values_list("url", flat=True)) == {
        "https://gulfwire.example/feed.xml",
        "https://gulfwire.example/persian.xml",
    }
    caspian = Source.objects.get(name="Caspian Report")
    assert caspian.feeds.get().url == "https://caspian.example/atom"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body>hello</body></html>", "not an OPML file"),
        (b"<opml><body><outline", "not a well-formed OPML file"),
        (
            b'<!DOCTYPE lol [<!ENTITY a "aaaa">]><opml><body></body></opml>',
            "document type declaration",
        ),
        (b"<opml><body><outline text='x'/></body></opml>", "lists no feeds"),
    ],
)
def test_an_unusable_opml_file_is_a_400_that_says_why(client, editor, content, message):
    client.force_login(editor)

    response = client.post(
        "/admin/articles/source/import-opml/",
        {"file": SimpleUploadedFile("feeds.opml", content), "import_policy": "review"},
    )

    assert response.status_code == 400 and message in response.content.decode()
    assert not SourceFeed.objects.exists()


def test_importing_the_same_opml_twice_adds_nothing_new(tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_bytes(OPML)

    call_command("import_opml", str(path), stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("import_opml", str(path), stdout=out, stderr=StringIO())

    assert "0 new sources, 0 new feeds, 3 feeds already known" in out.getvalue()
    assert SourceFeed.objects.count() == 3


def test_the_opml_command_refuses_a_broken_file_clearly(tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_bytes(b"not xml at all")

    with pytest.raises(CommandError, match="not a well-formed OPML file"):
        call_command("import_opml", str(path))


def test_the_source_form_refuses_a_polling_interval_under_five_minutes(client, editor, source):
    client.force_login(editor)
    data = {
        "name": source.name,
        "slug": source.slug,
        "homepage": "",
        "poll_minutes": "1",
        "default_section": "",
        "default_language": "",
        "import_policy": "review",
        "feeds-TOTAL_FORMS": "1",
        "feeds-INITIAL_FORMS": "0",
        "feeds-MIN_NUM_FORMS": "0",
        "feeds-MAX_NUM_FORMS": "1000",
        "feeds-0-url": "ftp://example.com/feed",
        "feeds-0-is_active": "on",
    }

    response = client.post(f"/admin/articles/source/{source.pk}/change/", data)

    assert response.status_code == 200  # the form again, with what was typed
    content = response.content.decode()
    assert "greater than or equal to 5" in content
    assert "Enter a valid URL" in content
    assert ImportRun.objects.count() == 0 and not SourceFeed.objects.exists()


def test_an_imported_article_says_where_and_when_it_was_first_published(client, editor, source):
    importing.feed_import(source=source, content=feed_fixture("rss.xml"), location="rss.xml")
    article = Article.objects.get(title="Talks on the JCPOA resume in Vienna")
    client.force_login(editor)

    content = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert "Imported from Gulf Wire" in content
    assert "first published there at" in content and "gulfwire-1001" not in content


@pytest.mark.parametrize("count", [1, 10])
def test_the_sources_list_costs_the_same_for_1_source_as_for_10(
    client, editor, django_assert_num_queries, count
):
    for n in range(count):
        source = SourceFactory(default_section=SectionFactory())
        SourceFeed.objects.create(source=source, url=f"https://wire-{n}.example/feed")
        importing.feed_import(source=source, content=feed_fixture("rss.xml"), location=f"{n}.xml")
    client.force_login(editor)
    client.get("/admin/articles/source/")  # the session and permission caches warm

    # session, user, 2 x second-factor devices, 2 x permissions, count, filtered count,
    # the page (feeds counted, last run found in the same query), the last runs
    with django_assert_num_queries(10):
        response = client.get("/admin/articles/source/")

    assert response.status_code == 200
