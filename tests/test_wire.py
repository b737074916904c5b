"""The wire desk: feeds become articles, attributed, sanitised, tagged from the approved
vocabulary, and never twice."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ImportRun, Source, Tag, WireItem
from articles.wire import dedup, importing
from articles.wire.parsing import parse_feed
from tests.factories import FEEDS, ArticleFactory, SectionFactory, SourceFactory, feed_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return SectionFactory(name="World")


@pytest.fixture
def source(section):
    return SourceFactory(name="Gulf Wire", slug="gulf-wire", default_section=section)


def import_file(name: str, source: Source) -> str:
    out = StringIO()
    call_command("import_feed", str(FEEDS / name), source=source.slug, stdout=out)
    return out.getvalue()


def import_bytes(content: bytes, source: Source) -> ImportRun:
    return importing.feed_import(source=source, content=content, location="test.xml")


def test_rss_items_become_articles_in_review_attributed_to_their_source(source):
    output = import_file("rss.xml", source)

    assert "3 new, 0 updated, 0 skipped, 0 failed" in output
    articles = {a.title: a for a in Article.objects.all()}
    talks = articles["Talks on the JCPOA resume in Vienna"]
    assert talks.status == Article.Status.REVIEW and talks.publish_at is None
    assert talks.source == source and talks.section == source.default_section
    assert talks.source_url.startswith("https://www.gulfwire.example/news/jcpoa-talks/")
    assert talks.summary == "Negotiators from Iran and Russia met again on Tuesday."
    assert "<blockquote>" in talks.body and "<strong>Iran</strong>" in talks.body
    assert talks.language == "en" and talks.created_by is None
    item = WireItem.objects.get(article=talks)
    assert item.original_published_at.isoformat() == "2025-06-10T08:30:00+00:00"
    # Readers see nothing until an editor publishes.
    assert not Article.objects.published().exists()


def test_the_command_shows_a_progress_bar(source):
    output = import_file("rss.xml", source)

    assert re.search(r"\[#{30}\] 3/3", output)


def test_atom_entries_import_with_their_content(section):
    source = SourceFactory(slug="caspian", default_section=section)

    import_file("atom.xml", source)

    caviar = Article.objects.get(title="Caviar exports fall for a third year")
    assert caviar.body == "<p>Sturgeon farms around the Caspian report lower output.</p>"
    assert caviar.source_url == "https://caspian.example/2025/06/caviar"
    assert Article.objects.get(title="Baku hosts an energy forum").summary == (
        "Ministers from Russia attend."
    )


def test_persian_items_are_persian_by_their_script_with_persian_slugs(section):
    source = SourceFactory(slug="khabar", default_section=section)

    import_file("persian.xml", source)

    talks = Article.objects.get(title="گفت‌وگوهای برجام در وین از سر گرفته شد")
    assert talks.language == "fa"
    assert talks.slug.startswith("گفتوگوهای-برجام")
    assert Article.objects.filter(language="fa").count() == 2


def test_a_feeds_declared_language_wins_over_the_script(source):
    feed = feed_fixture("persian.xml").replace(b"<channel>", b"<channel><language>en</language>", 1)

    import_bytes(feed, source)

    assert set(Article.objects.values_list("language", flat=True)) == {"en"}


def test_the_sources_default_language_is_used_when_the_feed_says_none(source):
    source.default_language = "en"
    source.save()

    import_bytes(feed_fixture("persian.xml"), source)

    assert set(Article.objects.values_list("language", flat=True)) == {"en"}


def test_a_broken_feed_imports_nothing_and_says_why(source):
    with pytest.raises(CommandError, match="not well-formed XML"):
        import_file("broken.xml", source)

    assert not Article.objects.exists()
    run = source.import_runs.get()
    assert run.outcome == ImportRun.Outcome.FAILED and "not well-formed" in run.error


def test_something_that_is_not_a_feed_imports_nothing(source):
    run = import_bytes(b"<html><body><p>Hello</p></body></html>", source)

    assert run.outcome == ImportRun.Outcome.FAILED
    assert "not an RSS or Atom feed" in run.error
    assert not Article.objects.exists()


def test_scripts_and_event_handlers_in_a_feed_never_reach_the_article(source):
    import_file("hostile.xml", source)

    article = Article.objects.get()
    assert "Markets rally on ceasefire news" in article.title and "<" not in article.title
    for forbidden in ("<script", "onclick", "javascript:", "<iframe", "onerror", "<style"):
        assert forbidden not in article.body.lower()
    assert "Second <em>paragraph</em>." in article.body
    # Pictures are not hotlinked from the other site.
    assert "<img" not in article.body
    # A javascript: link is no "Original news" link.
    assert article.source_url == ""


def test_importing_again_imports_nothing_twice(source):
    import_file("rss.xml", source)
    output = import_file("rss.xml", source)

    assert "0 new, 0 updated, 3 skipped, 0 failed" in output
    assert Article.objects.count() == 3


def test_the_same_story_is_recognised_by_its_link_in_another_feed(source, section):
    import_file("rss.xml", source)
    # Another feed of the same outlet: other GUIDs, the link without www., with other
    # tracking parameters and no trailing slash.
    feed = (
        feed_fixture("rss.xml")
        .replace(b"gulfwire-100", b"other-guid-")
        .replace(
            b"https://www.gulfwire.example/news/jcpoa-talks/?utm_source=rss&amp;utm_medium=feed",
            b"http://gulfwire.example/news/jcpoa-talks?fbclid=abc",
        )
    )

    run = import_bytes(feed, SourceFactory(slug="aggregator", default_section=section))

    assert (run.new, run.skipped) == (0, 3)
    assert Article.objects.count() == 3


def test_the_same_story_is_recognised_by_its_title_and_date(source):
    import_file("rss.xml", source)
    feed = feed_fixture("rss.xml").replace(b"gulfwire-100", b"renumbered-")
    feed = feed.replace(b"gulfwire.example/news/", b"gulfwire.example/stories/")
    feed = feed.replace(b"Talks on the JCPOA", b"TALKS  on the jcpoa")

    run = import_bytes(feed, source)

    # The headline's new spelling is an update of the story still in review.
    assert (run.new, run.updated, run.skipped) == (0, 1, 2)
    assert Article.objects.count() == 3


def test_an_updated_item_updates_its_import_still_in_review(source):
    import_file("rss.xml", source)
    article = Article.objects.get(title="Oil prices steady after OPEC meeting")
    feed = feed_fixture("rss.xml").replace(
        b"Brent crude held near $80 a barrel.", b"Brent crude rose to $82 a barrel."
    )

    run = import_bytes(feed, source)

    assert (run.new, run.updated, run.skipped) == (0, 1, 2)
    article.refresh_from_db()
    assert "$82" in article.body and article.version == 2
    assert Article.objects.count() == 3


def test_another_outlets_copy_never_rewrites_an_import(source, section):
    import_file("rss.xml", source)
    article = Article.objects.get(title="Oil prices steady after OPEC meeting")
    link = WireItem.objects.get(article=article).link
    other = SourceFactory(slug="ledger", default_section=section)
    # The same link as another outlet carries it, with other words.
    copied = feed_fixture("rss.xml").replace(
        b"Brent crude held near $80 a barrel.", b"Someone else's account of it."
    )

    run = import_bytes(copied, other)

    assert (run.new, run.updated) == (0, 0)
    article.refresh_from_db()
    assert article.source == source and "$80" in article.body and article.version == 1
    assert WireItem.objects.get(article=article).link == link


def test_an_update_leaves_a_published_import_alone(source, editor):
    import_file("rss.xml", source)
    article = Article.objects.get(title="Oil prices steady after OPEC meeting")
    ArticleFactory._meta.model.objects.filter(pk=article.pk).update(
        status="published", publish_at=article.created_at
    )
    feed = feed_fixture("rss.xml").replace(b"$80", b"$99")

    run = import_bytes(feed, source)

    assert (run.updated, run.skipped) == (0, 3)
    article.refresh_from_db()
    assert "$80" in article.body


def test_a_deleted_import_does_not_come_back(source):
    import_file("rss.xml", source)
    Article.objects.filter(title="Port of Bandar Abbas reopens").delete()

    run = import_bytes(feed_fixture("rss.xml"), source)

    assert run.new == 0 and Article.objects.count() == 2


def test_a_trusted_source_publishes_at_the_original_time(source):
    source.import_policy = Source.ImportPolicy.PUBLISH
    source.save()

    import_file("rss.xml", source)

    talks = Article.objects.published().get(title="Talks on the JCPOA resume in Vienna")
    assert talks.publish_at.isoformat() == "2025-06-10T08:30:00+00:00"


def test_tags_come_only_from_the_approved_vocabulary(source):
    Tag.objects.create(name="JCPOA", approved=True)
    Tag.objects.create(name="Russia", approved=False)
    Tag.objects.create(name="Baseball", approved=True)
    before = Tag.objects.count()

    import_file("rss.xml", source)

    talks = Article.objects.get(title="Talks on the JCPOA resume in Vienna")
    assert [tag.name for tag in talks.tags.all()] == ["JCPOA"]
    assert Tag.objects.count() == before


def test_an_item_with_nothing_to_know_it_by_fails_alone(source):
    feed = feed_fixture("rss.xml").replace(
        b"</channel>",
        b"<item><description>No title, link, guid or date.</description></item></channel>",
    )

    run = import_bytes(feed, source)

    assert (run.new, run.failed) == (3, 1)


def test_an_unknown_source_is_a_clear_command_error(source):
    with pytest.raises(CommandError, match="There is no source “nope”"):
        call_command("import_feed", str(FEEDS / "rss.xml"), source="nope")


def test_a_missing_file_is_a_clear_command_error(source):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_feed", "/no/such/feed.xml", source=source.slug)


def test_without_any_section_the_import_says_so():
    source = SourceFactory(slug="lonely")

    with pytest.raises(CommandError, match="no section to import into"):
        call_command("import_feed", str(FEEDS / "rss.xml"), source=source.slug)


def test_a_source_without_a_default_section_imports_into_the_first(section):
    source = SourceFactory(slug="no-default")

    import_file("rss.xml", source)

    assert set(Article.objects.values_list("section", flat=True)) == {section.pk}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://www.example.com/a/b/?utm_source=x&id=2", "http://example.com/a/b?id=2"),
        ("https://example.com/a?b=2&a=1#top", "https://example.com/a?a=1&b=2"),
        ("https://EXAMPLE.com:443/a/", "https://example.com/a"),
        ("https://example.com/a?fbclid=1&gclid=2", "https://example.com/a"),
    ],
)
def test_links_are_normalised_to_one_form(first, second):
    assert dedup.normalise_link(first) == dedup.normalise_link(second)


def test_different_pages_keep_different_links():
    assert dedup.normalise_link("https://example.com/a?id=1") != dedup.normalise_link(
        "https://example.com/a?id=2"
    )


def test_a_feed_with_too_many_items_imports_nothing(source, settings):
    settings.ARTICLES_WIRE_MAX_ITEMS = 2

    run = import_bytes(feed_fixture("rss.xml"), source)

    assert run.outcome == ImportRun.Outcome.FAILED
    assert "3 items; at most 2" in run.error
    assert not Article.objects.exists()


def test_the_first_picture_in_the_text_becomes_the_lead_picture_not_a_hotlink(source):
    feed = feed_fixture("rss.xml").replace(
        b"<description>Ships are moving again after the storm.</description>",
        b"<description>&lt;p&gt;Ships move.&lt;img src=&quot;https://cdn.gulfwire.example/"
        b"ship.jpg&quot; alt=&quot;A ship&quot;&gt;&lt;/p&gt;</description>",
    )
    port = next(i for i in parse_feed(feed).items if i.title.startswith("Port"))

    assert port.image_url == "https://cdn.gulfwire.example/ship.jpg"
    assert port.body == "<p>Ships move.</p>"
