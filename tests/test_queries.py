"""Query budgets: a list page costs the same for 1 article as for 20."""

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, SourceFactory

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
        # featured id, latest ids, per-section ids, articles, authors, tags, nav
        ("/", 7),
        # count, page, authors, tags, nav, filter form's section choices
        ("/news/", 6),
        # ... plus one look-up per filter value given (tag, section, author, source)
        ("/news/?tag=iran&section=politics&author=ann&source=wire&language=en", 10),
        ("/tags/", 3),
        # tag, any published?, count, page, authors, tags, related tags, nav
        ("/tags/iran/", 8),
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

    # article with section and source, authors, tags, related stories with their
    # authors and tags, nav
    with django_assert_num_queries(7):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["related"]) == min(others, 4)


def test_article_page_without_related_stories_runs_five_queries(client, django_assert_num_queries):
    article = ArticleFactory(tags=["Only here"])

    with django_assert_num_queries(5):
        client.get(article.get_absolute_url())
