from datetime import timedelta
from urllib.parse import quote, unquote

import pytest
from django.db import IntegrityError
from django.urls import resolve
from django.utils import timezone

from articles.models import Article, Section
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.mark.parametrize(
    ("publish_at", "visible"),
    [(NOW - timedelta(days=1), True), (NOW, True), (NOW + timedelta(days=1), False)],
    ids=["yesterday", "now", "tomorrow"],
)
def test_publication_rule_at_yesterday_now_and_tomorrow(frozen_now, publish_at, visible):
    article = ArticleFactory(publish_at=publish_at)

    assert (article in Article.objects.published()) is visible
    assert article.is_published() is visible


@pytest.mark.parametrize("trait", ["draft", "in_review", "archived"])
def test_unpublished_statuses_are_never_visible(trait):
    article = ArticleFactory(**{trait: True}, publish_at=timezone.now() - timedelta(days=1))

    assert article not in Article.objects.published()
    assert not article.is_published()


def test_scheduled_article_appears_by_itself_when_its_time_comes(monkeypatch):
    article = ArticleFactory(scheduled=True)
    assert article not in Article.objects.published()

    later = article.publish_at + timedelta(seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)

    assert article in Article.objects.published()


def test_published_article_without_publish_time_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        ArticleFactory(status=Article.Status.PUBLISHED, publish_at=None)


def test_slug_is_made_from_the_title():
    assert (
        ArticleFactory(title="Iran and the JCPOA: what now?").slug == "iran-and-the-jcpoa-what-now"
    )


def test_persian_title_gives_a_persian_slug_that_resolves():
    article = ArticleFactory(title="توافق هسته‌ای ایران و آینده برجام")

    assert article.slug == "توافق-هستهای-ایران-و-آینده-برجام"
    match = resolve(unquote(article.get_absolute_url()))
    assert match.kwargs["slug"] == article.slug


def test_arabic_letter_variants_give_the_persian_slug():
    assert ArticleFactory(title="ايران و كشورهای همسايه").slug == "ایران-و-کشورهای-همسایه"


def test_duplicate_titles_get_distinct_slugs():
    first = ArticleFactory(title="Same headline")
    second = ArticleFactory(title="Same headline")
    third = ArticleFactory(title="Same headline")

    assert [first.slug, second.slug, third.slug] == [
        "same-headline",
        "same-headline-2",
        "same-headline-3",
    ]


def test_saving_again_keeps_the_slug():
    article = ArticleFactory(title="Original headline")
    article.title = "A new headline"
    article.save()

    article.refresh_from_db()
    assert article.slug == "original-headline"


def test_long_persian_title_gives_a_short_enough_address():
    title = " ".join(["گزارشی مفصل از مذاکرات طولانی هسته‌ای در وین"] * 5)
    assert len(title) <= 255
    article = ArticleFactory(title=title)

    assert len(article.slug.encode()) <= 120
    assert not article.slug.endswith("-")
    # Percent-encoded it stays far below the limits browsers and proxies keep.
    assert len(quote(article.get_absolute_url())) < 800
    assert resolve(unquote(article.get_absolute_url())).kwargs["slug"] == article.slug


def test_title_without_letters_still_gets_a_slug():
    assert ArticleFactory(title="!!!").slug == "article"


def test_section_and_author_slugs_are_made_from_names():
    assert SectionFactory(name="World News").slug == "world-news"
    assert AuthorFactory(name="مریم احمدی").slug == "مریم-احمدی"


def test_sections_are_ordered_by_position():
    SectionFactory(name="Later", position=5)
    SectionFactory(name="First", position=1)

    assert [s.name for s in Section.objects.all()] == ["First", "Later"]


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">link</a>',
        '<a href="JaVaScRiPt:alert(1)">link</a>',
        '<p onclick="alert(1)">text</p>',
        '<iframe src="https://evil.example/"></iframe>',
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"></svg>',
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    ],
)
def test_body_is_sanitised_on_save(dangerous):
    article = ArticleFactory(body=f"<p>Safe text.</p>{dangerous}")
    article.refresh_from_db()

    body = article.body.lower()
    for marker in [
        "<script",
        "onerror",
        "javascript:",
        "onclick",
        "<iframe",
        "<style",
        "onload",
        "data:",
    ]:
        assert marker not in body
    assert "<p>safe text.</p>" in body


def test_news_markup_survives_sanitising():
    """What the editor's toolbar makes stays; what it cannot make goes, its text kept."""
    html = (
        "<h2>Background</h2><p><strong>Bold</strong> and <em>italic</em> with "
        '<a href="https://example.com/report">a link</a>.</p>'
        "<blockquote><p>A quotation.</p><cite>A source</cite></blockquote>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><hr>"
        '<figure><img src="https://example.com/a.jpg" alt="A chart">'
        "<figcaption>Chart</figcaption></figure>"
        "<table><thead><tr><th>Year</th></tr></thead><tbody><tr><td>2015</td></tr></tbody></table>"
    )
    article = ArticleFactory(body=html)
    article.refresh_from_db()

    for kept in [
        "<h2>", "<strong>", "<em>", 'href="https://example.com/report"', "<blockquote>",
        "<cite>A source</cite>", "<ul>", "<ol>", "<hr>", "Chart", "Year", "2015",
    ]:  # fmt: skip
        assert kept in article.body
    for gone in ["<figure", "<img", "<table", "<th>", "<td>"]:
        assert gone not in article.body
    assert 'rel="noopener noreferrer"' in article.body


def test_body_written_behind_the_models_back_is_still_cleaned_when_shown():
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(body="<p>x</p><script>alert(1)</script>")
    article.refresh_from_db()

    assert "<script" not in article.body_html


def test_updated_is_only_reported_for_corrections_and_updates():
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=2))
    Article.objects.filter(pk=article.pk).update(updated_at=article.publish_at)
    article.refresh_from_db()
    assert not article.was_updated
    assert article.date_modified == article.publish_at

    article.summary = "An edit, days after publication."
    article.save()
    article.refresh_from_db()
    assert article.updated_at - article.publish_at > timedelta(days=1)
    assert not article.was_updated  # a plain edit is not news to readers
    assert article.date_modified == article.publish_at

    revised = timezone.now()
    Article.objects.filter(pk=article.pk).update(revised_at=revised)
    article.refresh_from_db()
    assert article.was_updated
    assert article.date_modified == revised
