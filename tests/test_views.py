from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    SourceFactory,
    picture_from,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_articles():
    """One article in every state a reader must not see."""
    return [
        ArticleFactory(draft=True, title="Secret draft"),
        ArticleFactory(in_review=True, title="Secret review"),
        ArticleFactory(archived=True, title="Secret archived"),
        ArticleFactory(scheduled=True, title="Secret scheduled"),
    ]


def test_front_page_shows_top_story_latest_and_section_blocks(client):
    politics = SectionFactory(name="Politics", position=1)
    science = SectionFactory(name="Science", position=2)
    now = timezone.now()
    top = ArticleFactory(
        title="The top story",
        is_featured=True,
        section=politics,
        publish_at=now - timedelta(days=3),
    )
    newest = [
        ArticleFactory(
            title=f"Fresh {n}", section=politics, publish_at=now - timedelta(hours=n + 1)
        )
        for n in range(10)
    ]
    older_science = ArticleFactory(
        title="A lab discovery", section=science, publish_at=now - timedelta(days=5)
    )
    older_politics = ArticleFactory(
        title="Old politics", section=politics, publish_at=now - timedelta(days=6)
    )

    response = client.get(reverse("articles:home"))

    assert response.status_code == 200
    assert response.context["top_story"] == top
    assert response.context["secondary"] == newest[:2]
    assert response.context["latest"] == newest[2:10]
    # Section blocks carry what the top of the page did not already show.
    blocks = response.context["section_blocks"]
    assert [(section.name, articles) for section, articles in blocks] == [
        ("Politics", [older_politics]),
        ("Science", [older_science]),
    ]
    content = response.content.decode()
    assert "The top story" in content and "A lab discovery" in content


def test_front_page_without_featured_story_leads_with_the_newest():
    newest = ArticleFactory(title="Newest")
    ArticleFactory(title="Older", publish_at=timezone.now() - timedelta(days=1))

    from django.test import Client

    assert Client().get("/").context["top_story"] == newest


def test_front_page_shows_each_section_at_most_four_times(client):
    section = SectionFactory()
    for hours in range(6):
        ArticleFactory(section=section, publish_at=timezone.now() - timedelta(hours=hours + 1))

    for hours in range(11):  # enough to fill the top of the page first
        ArticleFactory(publish_at=timezone.now() - timedelta(minutes=hours + 1))

    blocks = client.get("/").context["section_blocks"]

    assert [len(articles) for _, articles in blocks] == [4]


@pytest.mark.parametrize(
    ("url_name", "shown"),
    [
        ("articles:home", "Public story"),
        ("articles:article_list", "Public story"),
        ("articles:tag_list", "Iran"),
    ],
)
def test_hidden_articles_appear_in_no_list(client, hidden_articles, url_name, shown):
    ArticleFactory(title="Public story", tags=["Iran"])
    for article in hidden_articles:
        # A tag only hidden articles carry names them too: /tags/ must not show it.
        article.tags.add("Iran", "Secret topic")

    content = client.get(reverse(url_name)).content.decode()

    assert shown in content
    assert "Secret" not in content


def test_hidden_articles_appear_on_no_owner_or_archive_page(client, hidden_articles):
    author = AuthorFactory()
    source = SourceFactory()
    visible = ArticleFactory(title="Public story", authors=[author], source=source, tags=["Iran"])
    for article in hidden_articles:
        article.section = visible.section
        article.source = source
        article.save()
        article.authors.add(author)
        article.tags.add("Iran")
    day = timezone.localtime(visible.publish_at)
    urls = [
        visible.section.get_absolute_url(),
        author.get_absolute_url(),
        source.get_absolute_url(),
        visible.tags.get().get_absolute_url(),
        reverse("articles:archive_year", args=[day.year]),
        reverse("articles:archive_month", args=[day.year, day.month]),
        reverse("articles:archive_day", args=[day.year, day.month, day.day]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert "Public story" in content, url
        assert "Secret" not in content, url


def test_hidden_articles_are_404_for_readers(client, hidden_articles):
    for article in hidden_articles:
        assert client.get(article.get_absolute_url()).status_code == 404


def test_article_page_shows_everything_a_reader_needs(client):
    author = AuthorFactory(name="Sara Lindqvist")
    source = SourceFactory(name="Caspian Wire")
    article = ArticleFactory(
        title="Talks resume in Vienna",
        summary="Negotiators meet again.",
        body="<p>Body text.</p><blockquote><p>We are close.</p></blockquote>",
        authors=[author],
        tags=["JCPOA", "Iran"],
        source=source,
        source_url="https://caspian-wire.example/vienna",
        picture=picture_from(
            _jpeg(),
            alt="Delegates outside the hall",
            caption="Delegates arrive.",
            credit="Caspian Wire",
        ),
        publish_at=timezone.now(),
    )

    response = client.get(article.get_absolute_url())
    content = response.content.decode()

    assert response.status_code == 200
    assert "<h1" in content and "Talks resume in Vienna" in content
    assert "Negotiators meet again." in content
    published = timezone.localtime(article.publish_at).replace(microsecond=0)
    assert f'<time datetime="{published.isoformat()}">' in content
    assert f'href="{author.get_absolute_url()}"' in content
    assert f'href="{article.section.get_absolute_url()}"' in content
    assert 'alt="Delegates outside the hall"' in content
    figure = content.split('class="story__figure"')[1].split("</figure>")[0]
    assert '<picture class="focus-x50 focus-y50">' in figure
    assert '<span class="caption">Delegates arrive.</span>' in figure
    assert '<span class="credit">Caspian Wire</span>' in figure
    assert "<blockquote><p>We are close.</p></blockquote>" in content
    for tag in article.tags.all():
        assert f'href="{tag.get_absolute_url()}"' in content
    assert "Original news:" in content
    assert 'href="https://caspian-wire.example/vienna" rel="noopener"' in content
    assert "Updated" not in content


def test_article_page_says_updated_only_once_corrected_or_updated(client):
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=1))
    article.summary = "Edited summary."
    article.save()

    # A plain edit, however long after publication, is not news to readers.
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Edited summary." in content
    assert "Updated" not in content

    revised = timezone.now().replace(microsecond=0)
    Article.objects.filter(pk=article.pk).update(revised_at=revised)

    content = client.get(article.get_absolute_url()).content.decode()
    updated = content.split('class="dateline__updated"')[1].split("</span>")[0]
    assert "Updated" in updated
    assert f'datetime="{timezone.localtime(revised).isoformat()}"' in updated


def test_persian_article_is_marked_right_to_left_wherever_it_is_shown(client):
    article = ArticleFactory(persian=True, tags=["ایران"])

    with translation.override("fa"):
        urls = [
            article.get_absolute_url(),
            reverse("articles:home"),
            reverse("articles:article_list"),
            article.section.get_absolute_url(),
            article.tags.get().get_absolute_url(),
        ]
    for url in urls:
        assert url.startswith("/fa/")
        response = client.get(url)
        content = response.content.decode()
        assert content.startswith('<!doctype html>\n<html lang="fa" dir="rtl">'), url
        assert response["Content-Language"] == "fa"
        assert article.title in unescape(content), url


def test_persian_slug_url_works(client):
    article = ArticleFactory(title="نشست وزیران در تهران")

    response = client.get(article.get_absolute_url())

    assert article.get_absolute_url().startswith("/news/%D9%86")
    assert response.status_code == 200
    assert response.context["article"] == article


def test_article_list_is_newest_first_and_paginated_by_twenty(client):
    articles = [
        ArticleFactory(publish_at=timezone.now() - timedelta(hours=n + 1)) for n in range(25)
    ]

    first = client.get(reverse("articles:article_list"))
    second = client.get(reverse("articles:article_list"), {"page": 2})

    assert list(first.context["object_list"]) == articles[:20]
    assert list(second.context["object_list"]) == articles[20:]
    assert 'rel="next" href="?page=2"' in first.content.decode()


def test_tag_index_lists_used_tags_most_used_first(client):
    ArticleFactory(tags=["Russia", "Iran"])
    ArticleFactory(tags=["Iran"])
    ArticleFactory(draft=True, tags=["Embargoed"])

    response = client.get(reverse("articles:tag_list"))

    tags = [(tag.name, tag.article_count) for tag in response.context["tags"]]
    assert tags == [("Iran", 2), ("Russia", 1)]


def test_tag_only_on_drafts_is_404(client):
    article = ArticleFactory(draft=True, tags=["Embargoed"])

    assert client.get(article.tags.get().get_absolute_url()).status_code == 404


def test_unapproved_tag_is_404(client):
    article = ArticleFactory(tags=["Proposal"])
    tag = article.tags.get()
    tag.approved = False
    tag.save()

    assert client.get(tag.get_absolute_url()).status_code == 404


def test_empty_section_page_still_exists(client):
    section = SectionFactory(name="Science", description="Research and discovery.")

    response = client.get(section.get_absolute_url())

    assert response.status_code == 200
    assert "Research and discovery." in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/news/no-such-story/",
        "/tags/no-such-tag/",
        "/sections/no-such-section/",
        "/authors/no-such-author/",
        "/sources/no-such-source/",
        "/news/%D9%86%D8%A7%D9%85%D9%88%D8%AC%D9%88%D8%AF/",
        "/archive/1999/",
        "/archive/2024/13/",
        "/archive/2024/02/30/",
        "/archive/0000/",
        "/archive/9999/12/31/",
        "/archive/2999/12/31/",
        "/archive/20245/",
        "/news/<script>/",
    ],
)
def test_unknown_addresses_are_404(client, url):
    ArticleFactory()

    response = client.get(url)

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_date_archives_show_their_period(client):
    march = timezone.make_aware(timezone.datetime(2025, 3, 9, 12, 0))
    in_march = ArticleFactory(title="March story", publish_at=march)
    ArticleFactory(title="April story", publish_at=march + timedelta(days=31))

    year = client.get("/archive/2025/")
    month = client.get("/archive/2025/03/")
    day = client.get("/archive/2025/03/09/")
    other_day = client.get("/archive/2025/03/10/")

    assert year.status_code == month.status_code == day.status_code == 200
    assert len(year.context["object_list"]) == 2
    assert list(month.context["object_list"]) == [in_march]
    assert list(day.context["object_list"]) == [in_march]
    assert other_day.status_code == 404
    assert 'href="/archive/2025/03/"' in year.content.decode()


def test_healthz_answers_ok_when_the_database_does(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    from django.db import DatabaseError, connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    assert client.get("/healthz").status_code == 503


def test_site_name_and_tagline_come_from_settings(client, settings):
    settings.SITE_NAME = "The Caspian Courier"
    settings.SITE_TAGLINE = "News from both shores"

    content = client.get("/").content.decode()

    assert "The Caspian Courier" in content and "News from both shores" in content


def test_pages_load_nothing_from_other_sites(client):
    article = ArticleFactory()

    for url in ["/", article.get_absolute_url(), "/news/"]:
        content = client.get(url).content.decode()
        for attribute in ['src="http', "src='http", 'href="//', "url(http"]:
            assert attribute not in content
        assert '<link rel="stylesheet" href="/static/' in content


def _jpeg():
    from articles.demo.images import demo_picture
    from tests import images as made

    return made.upload(demo_picture("test", size=(320, 180)), "photo.jpg")
