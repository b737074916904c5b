"""Query budgets: a list page costs the same for 1 article as for 20."""

import pytest
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PictureFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[1, 20], ids=["1-article", "20-articles"])
def articles(request):
    section = SectionFactory(name="Politics")
    author = AuthorFactory(name="Ann")
    source = SourceFactory(name="Wire")
    return [
        ArticleFactory(section=section, authors=[author], source=source, tags=["Iran", "JCPOA"])
        for _ in range(request.param)
    ]


def archive_urls(article) -> list[str]:
    day = timezone.localtime(article.publish_at)
    return [
        f"/archive/{day:%Y}/",
        f"/archive/{day:%Y}/{day:%m}/",
        f"/archive/{day:%Y}/{day:%m}/{day:%d}/",
    ]


# Each budget counts the section navigation (1 query) that every page shows.
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # the editors' arrangement and its pins, featured id, latest ids, sections,
        # newest of each section (one each), next go-live (the choice is kept until
        # then, the stream changes or editors rearrange it), articles, authors, nav
        ("/", 10),
        # count and next go-live (both kept until the stream changes), page, authors, nav
        # (the section filter offers the navigation's own list)
        ("/news/", 5),
        # ... plus one look-up per filter value given (tag, section, author, source)
        ("/news/?tag=iran&section=politics&author=ann&source=wire&language=en", 9),
        # tag counts and next go-live (kept), this page's tags, nav
        ("/tags/", 4),
        # tag, any published? (kept until the stream changes), count, page, authors, tags,
        # related tags, nav
        ("/tags/iran/", 9),
        ("/sections/politics/", 6),
        ("/authors/ann/", 6),
        ("/sources/wire/", 6),
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(
    client, articles, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_an_authors_photo_costs_no_query_of_its_own(client, articles, django_assert_num_queries):
    author = articles[0].authors.get()
    author.photo = PictureFactory(file="pictures/ann.jpg", alt="Ann")
    author.save()

    with django_assert_num_queries(6):  # as without a photo
        response = client.get("/authors/ann/")
    assert 'alt="Ann"' in response.content.decode()


def test_the_front_page_keeps_its_choice_of_stories(client, articles, django_assert_num_queries):
    first = client.get("/")

    # articles, authors, nav
    with django_assert_num_queries(3):
        again = client.get("/")
    assert again.content == first.content


@pytest.mark.parametrize(
    ("index", "queries"), [(0, 9), (1, 9), (2, 10)], ids=["year", "month", "day"]
)
def test_archive_pages_run_a_fixed_number_of_queries(
    client, articles, django_assert_num_queries, index, queries
):
    url = archive_urls(articles[0])[index]

    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("others", [1, 10])
def test_article_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, others):
    section = SectionFactory()
    article = ArticleFactory(section=section, authors=[AuthorFactory()], tags=["Iran", "Oil"])
    for _ in range(others):
        ArticleFactory(section=section, authors=[AuthorFactory()], tags=["Iran"])

    # article with section, source and pictures, authors, tags, corrections; related
    # stories: the stories published just after and just before, the tags they share,
    # those stories with their authors; when the next scheduled story goes live (how
    # long the choice is kept); nav
    with django_assert_num_queries(11):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    related = [story.pk for story in response.context["related"]]
    assert len(related) == min(others, 4)

    # The related stories are kept, with their sections and bylines, until the stream
    # changes (the moment of the next scheduled story is kept too): article with section,
    # source and pictures, authors, tags, corrections, nav.
    with django_assert_num_queries(5):
        response = client.get(article.get_absolute_url())
    assert [story.pk for story in response.context["related"]] == related


def test_article_page_without_related_stories_runs_eight_queries(client, django_assert_num_queries):
    article = ArticleFactory(tags=["Only here"])

    # article, authors, tags, corrections; the stories before and after (none); when the
    # next scheduled story goes live; nav
    with django_assert_num_queries(8):
        client.get(article.get_absolute_url())


# What grows with the archive ----------------------------------------------------------------


def test_no_page_runs_more_queries_as_the_archive_grows(client, settings):
    """The same pages at 1,000 and at 10,000 articles run the same number of queries."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, Tag
    from tests.factories import bulk_articles

    settings.ARTICLES_PAGE_SIZE = 20
    sections = [SectionFactory(name=f"Section {n}") for n in range(5)]
    authors = [AuthorFactory(name=f"Author {n}") for n in range(8)]
    tags = [Tag.objects.create(name=f"Topic {n}") for n in range(30)]
    bulk_articles(1000, sections=sections, authors=authors, tags=tags)
    newest = Article.objects.published().order_by("-publish_at").first()
    month = timezone.localtime(newest.publish_at)
    urls = [
        "/",
        "/news/",
        "/news/?page=40",
        "/news/?tag=topic-3&section=section-1",
        newest.get_absolute_url(),
        "/tags/",
        tags[3].get_absolute_url(),
        sections[1].get_absolute_url(),
        authors[2].get_absolute_url(),
        f"/archive/{month:%Y}/{month:%m}/",
        "/search/?q=bulk",
        "/feeds/latest/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-tags.xml",
    ]

    def counts() -> dict[str, int]:
        found = {}
        for url in urls:
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            found[url] = len(queries)
        return found

    at_1k = counts()
    bulk_articles(9000, sections=sections, authors=authors, tags=tags, start=1000)
    at_10k = counts()

    assert at_10k == at_1k
