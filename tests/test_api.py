"""The read-only JSON API: published articles only, both editions with their language,
the /news/ filters, pagination, ETags and the page cache's rules."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Tag
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    politics = SectionFactory(name="Politics", slug="politics")
    ann = AuthorFactory(name="Ann", slug="ann")
    wire = SourceFactory(name="Wire", slug="wire")
    english = ArticleFactory(
        title="Talks resume", section=politics, authors=[ann], tags=["Iran", "JCPOA"], source=wire,
        source_url="https://wire.example/talks",
    )  # fmt: skip
    persian = ArticleFactory(persian=True, section=politics, tags=["Iran"])
    drafts = [
        ArticleFactory(title="Draft secret", draft=True, tags=["Embargoed"]),
        ArticleFactory(title="In review secret", in_review=True),
        ArticleFactory(title="Scheduled secret", scheduled=True),
        ArticleFactory(title="Archived secret", archived=True),
    ]
    return {"en": english, "fa": persian, "drafts": drafts, "section": politics}


def slugs(response) -> set[str]:
    return {item["slug"] for item in response.json()["results"]}


def test_the_list_shows_published_articles_of_both_editions_with_their_language(client, newsroom):
    response = client.get("/api/articles/")

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 2
    by_slug = {item["slug"]: item for item in data["results"]}
    english, persian = by_slug[newsroom["en"].slug], by_slug[newsroom["fa"].slug]
    assert english["language"] == "en" and persian["language"] == "fa"
    assert persian["url"] == f"http://testserver{newsroom['fa'].get_absolute_url()}"
    assert persian["url"].startswith("http://testserver/fa/news/")
    assert english["source"] == {
        "slug": "wire",
        "name": "Wire",
        "homepage": english["source"]["homepage"],
    }
    assert english["source_url"] == "https://wire.example/talks"
    assert {tag["name"] for tag in english["tags"]} == {"Iran", "JCPOA"}
    assert english["authors"] == [{"slug": "ann", "name": "Ann"}]
    assert "body" not in english


def test_no_draft_review_scheduled_or_archived_article_ever_appears(client, newsroom):
    listed = client.get("/api/articles/?page_size=100").content.decode()

    for article in newsroom["drafts"]:
        assert article.slug not in listed
        assert client.get(f"/api/articles/{article.slug}/").status_code == 404
    # Nor does a tag that only a draft carries.
    assert "Embargoed" not in client.get("/api/tags/").content.decode()


def test_one_article_has_its_body(client, newsroom):
    response = client.get(f"/api/articles/{newsroom['fa'].slug}/")

    assert response.status_code == 200
    assert response.json()["body"] == newsroom["fa"].body
    assert response.json()["language"] == "fa"


def test_an_unknown_slug_is_a_json_404(client, newsroom):
    response = client.get("/api/articles/no-such-story/")

    assert response.status_code == 404 and response.json()["detail"]


def test_an_unknown_address_under_api_is_a_json_404(client):
    response = client.get("/api/nothing/here/")

    assert response.status_code == 404 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("language=fa", {"fa"}),
        ("language=en", {"en"}),
        ("tag=jcpoa", {"en"}),
        ("section=politics", {"en", "fa"}),
        ("author=ann", {"en"}),
        ("source=wire", {"en"}),
    ],
)
def test_the_news_filters_work(client, newsroom, query, expected):
    response = client.get(f"/api/articles/?{query}")

    assert response.status_code == 200
    assert slugs(response) == {newsroom[code].slug for code in expected}


def test_updated_after_lists_what_changed_since(client, newsroom):
    since = timezone.now()
    Article.objects.filter(pk=newsroom["fa"].pk).update(updated_at=since + timedelta(minutes=1))
    Article.objects.filter(pk=newsroom["en"].pk).update(updated_at=since - timedelta(days=1))

    response = client.get("/api/articles/", {"updated_after": since.isoformat()})

    assert slugs(response) == {newsroom["fa"].slug}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("tag=no-such-tag", "tag"),
        ("section=nowhere", "section"),
        ("language=de", "language"),
        ("date_after=yesterday", "date"),
        ("updated_after=not-a-time", "updated_after"),
        # Valid dates and times that no instant matches once in UTC.
        ("updated_after=0001-01-01T00:00:00%2B14:00", "updated_after"),
        ("updated_after=9999-12-31T23:59:59-14:00", "updated_after"),
        ("ordering=title", "ordering"),
        ("date_after=2025-06-10&date_before=2025-06-01", "date"),
    ],
)
def test_a_bad_parameter_is_a_400_that_says_which(client, newsroom, query, field):
    response = client.get(f"/api/articles/?{query}")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_page_past_the_end_is_a_404_and_page_size_is_capped(client, newsroom, settings):
    settings.ARTICLES_API_MAX_PAGE_SIZE = 1

    assert client.get("/api/articles/?page=99").status_code == 404
    assert client.get("/api/articles/?page=abc").status_code == 400
    assert client.get("/api/articles/?page_size=0").status_code == 400
    assert client.get("/api/articles/?tag=").status_code == 400
    assert client.get("/api/articles/?language=en&language=fa").status_code == 400
    assert "At most 1" in client.get("/api/articles/?page_size=2").json()["errors"]["page_size"][0]
    response = client.get("/api/articles/?page_size=1")
    assert len(response.json()["results"]) == 1 and response.json()["next"]


def test_a_nul_in_the_query_is_a_json_400(client):
    response = client.get("/api/articles/?q=%00")

    assert response.status_code == 400 and response["Content-Type"] == "application/json"


def test_tags_sections_authors_and_sources(client, newsroom):
    tags = client.get("/api/tags/").json()["results"]
    assert [tag["name"] for tag in tags] == ["Iran", "JCPOA"]
    assert tags[0]["urls"]["fa"] == "http://testserver/fa/tags/iran/"

    sections = client.get("/api/sections/").json()["results"]
    assert "politics" in [section["slug"] for section in sections]

    authors = client.get("/api/authors/").json()["results"]
    assert [author["slug"] for author in authors] == ["ann"]

    sources = client.get("/api/sources/").json()["results"]
    assert [source["slug"] for source in sources] == ["wire"]
    assert "etag" not in sources[0] and "feeds" not in sources[0]


def test_a_tag_waiting_for_approval_is_not_listed(client, newsroom):
    Tag.objects.filter(name="JCPOA").update(approved=False)

    names = [tag["name"] for tag in client.get("/api/tags/").json()["results"]]

    assert names == ["Iran"]
    english = client.get(f"/api/articles/{newsroom['en'].slug}/").json()
    assert [tag["name"] for tag in english["tags"]] == ["Iran"]


def test_a_translation_is_named_only_once_readers_may_see_it(client, newsroom):
    english, persian = newsroom["en"], newsroom["fa"]
    Article.objects.filter(pk=english.pk).update(translation=persian)

    assert client.get(f"/api/articles/{english.slug}/").json()["translation"] == persian.slug
    Article.objects.filter(pk=persian.pk).update(status="draft", publish_at=None)
    assert client.get(f"/api/articles/{english.slug}/").json()["translation"] is None


def test_answers_carry_an_etag_and_revalidate_with_304(client, newsroom):
    first = client.get("/api/articles/")
    etag = first["ETag"]

    again = client.get("/api/articles/", HTTP_IF_NONE_MATCH=etag)

    assert etag and again.status_code == 304


def test_the_page_cache_serves_the_api_and_forgets_it_when_an_article_is_published(
    client, newsroom, settings
):
    settings.ARTICLES_PAGE_CACHE = True
    first = client.get("/api/articles/")
    assert first.json()["count"] == 2
    assert client.get("/api/articles/")["ETag"] == first["ETag"]

    draft = newsroom["drafts"][0]
    draft.status, draft.publish_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()

    after = client.get("/api/articles/")
    assert after.json()["count"] == 3 and after["ETag"] != first["ETag"]
    assert "s-maxage" in after["Cache-Control"]


def test_a_cached_article_is_forgotten_when_it_is_unpublished(client, newsroom, settings):
    settings.ARTICLES_PAGE_CACHE = True
    url = f"/api/articles/{newsroom['en'].slug}/"
    assert client.get(url).status_code == 200

    article = newsroom["en"]
    article.status, article.publish_at = Article.Status.DRAFT, None
    article.save()

    assert client.get(url).status_code == 404


def test_anonymous_clients_are_throttled_with_a_429(client, newsroom, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "2/minute"}
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = rates
    try:
        statuses = [client.get("/api/sections/").status_code for _ in range(3)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original

    assert statuses == [200, 200, 429]


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # count and next go-live (both kept until the stream changes), page, authors, tags
        ("/api/articles/", 5),
        # ... plus one look-up per filter value given
        ("/api/articles/?section=politics&tag=iran", 7),
        # the article (section, source, translation, picture joined), authors, tags,
        # corrections
        ("/api/articles/{slug}/", 4),
        ("/api/tags/", 2),
        ("/api/sections/", 2),
        ("/api/authors/", 2),
        ("/api/sources/", 2),
    ],
)
def test_each_answer_runs_a_fixed_number_of_queries(
    client, newsroom, django_assert_num_queries, url, queries
):
    for _ in range(15):
        ArticleFactory(section=newsroom["section"], authors=[AuthorFactory()], tags=["Iran"])
    url = url.format(slug=newsroom["en"].slug)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


def test_a_correction_reaches_clients_that_keep_a_copy(client, newsroom, editor):
    from articles import editorial

    story = newsroom["en"]
    since = timezone.now()
    Article.objects.filter(pk__in=[newsroom["en"].pk, newsroom["fa"].pk]).update(
        updated_at=since - timedelta(days=1)
    )
    editorial.correction_add(
        article=Article.objects.get(pk=story.pk),
        by=editor,
        text="An earlier version gave the wrong date.",
        kind="correction",
    )

    changed = client.get("/api/articles/", {"updated_after": since.isoformat()})
    detail = client.get(f"/api/articles/{story.slug}/").json()

    assert slugs(changed) == {story.slug}
    assert detail["modified_at"] > detail["published_at"]
    assert detail["corrections"] == [
        {
            "kind": "correction",
            "text": "An earlier version gave the wrong date.",
            "published_at": detail["modified_at"],
        }
    ]


def test_the_article_list_never_counts_the_archive_twice(client, newsroom, settings):
    """As /news/: the count of a filter is kept until the published stream changes, so
    the next page, or the next client, does not count every article again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.ARTICLES_PAGE_CACHE = False  # every answer made afresh
    settings.ARTICLES_API_PAGE_SIZE = 1
    client.get("/api/articles/")

    with CaptureQueriesContext(connection) as second:
        response = client.get("/api/articles/?page=2")

    assert response.status_code == 200 and response.json()["count"] == 2
    assert not [q["sql"] for q in second.captured_queries if "COUNT(" in q["sql"].upper()]
    Article.objects.filter(pk=newsroom["fa"].pk).update(status="draft")
    from articles import page_cache

    page_cache.bump("published")  # what a save does
    assert client.get("/api/articles/").json()["count"] == 1
