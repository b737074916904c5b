from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db

NEWS = reverse("articles:article_list")


def titles(response) -> set[str]:
    return {article.title for article in response.context["object_list"]}


@pytest.fixture
def newsroom():
    politics = SectionFactory(name="Politics")
    science = SectionFactory(name="Science")
    lavrov_desk = AuthorFactory(name="Anna Petrova")
    wire = SourceFactory(name="Caspian Wire")
    ArticleFactory(
        title="Vienna talks", section=politics, tags=["JCPOA", "Iran"], authors=[lavrov_desk]
    )
    ArticleFactory(title="Moscow visit", section=politics, tags=["Russia"], source=wire)
    ArticleFactory(title="Telescope", section=science, tags=["Space"])
    ArticleFactory(title="نشست تهران", persian=True, section=politics, tags=["ایران"])
    ArticleFactory(
        title="Old story",
        section=science,
        publish_at=timezone.make_aware(timezone.datetime(2024, 5, 17, 9, 0)),
    )
    ArticleFactory(title="Secret draft", draft=True, section=politics, tags=["JCPOA"])
    return {"politics": politics, "author": lavrov_desk, "source": wire}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"tag": "jcpoa"}, {"Vienna talks"}),
        ({"section": "science"}, {"Telescope", "Old story"}),
        ({"author": "anna-petrova"}, {"Vienna talks"}),
        ({"source": "caspian-wire"}, {"Moscow visit"}),
        ({"section": "politics", "language": "en"}, {"Vienna talks", "Moscow visit"}),
        ({"date_after": "2024-05-17", "date_before": "2024-05-17"}, {"Old story"}),
        ({"date_before": "2024-12-31"}, {"Old story"}),
        ({"date_after": "2025-01-01", "section": "science"}, {"Telescope"}),
    ],
)
def test_news_filters(client, newsroom, query, expected):
    response = client.get(NEWS, query)

    assert response.status_code == 200
    assert titles(response) == expected


def test_the_persian_edition_filters_its_own_articles(client, newsroom):
    response = client.get("/fa/news/", {"tag": "ایران", "section": "politics"})

    assert response.status_code == 200
    assert titles(response) == {"نشست تهران"}


@pytest.mark.parametrize(
    ("url", "query", "to"),
    [
        ("/news/", {"language": "fa"}, "/fa/news/"),
        (
            "/news/",
            {"language": "fa", "section": "politics", "page": "2"},
            "/fa/news/?section=politics",
        ),
        ("/fa/news/", {"language": "en", "tag": "jcpoa"}, "/news/?tag=jcpoa"),
        (
            "/search/",
            {"q": "تهران", "language": "fa"},
            f"/fa/search/?q={quote('تهران')}",
        ),
    ],
)
def test_asking_for_the_other_language_leads_to_its_edition(client, newsroom, url, query, to):
    response = client.get(url, query)

    assert response.status_code == 301
    assert response["Location"] == to


def test_filters_never_reveal_unpublished_articles(client, newsroom):
    response = client.get(NEWS, {"tag": "jcpoa", "section": "politics"})

    assert "Secret draft" not in response.content.decode()


def test_filter_names_the_active_tag(client, newsroom):
    content = client.get(NEWS, {"tag": "jcpoa"}).content.decode()

    assert "articles tagged" in content and "><bdi>JCPOA</bdi></a>" in content


def test_pagination_links_keep_the_filters(client):
    section = SectionFactory(name="Busy")
    for n in range(21):
        ArticleFactory(section=section, publish_at=timezone.now() - timedelta(minutes=n + 1))

    content = client.get(NEWS, {"section": "busy"}).content.decode()

    assert 'href="?section=busy&amp;page=2"' in content


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"section": "no-such-section"}, "There is no section with that address."),
        ({"tag": "nothing"}, "There is no tag with that address."),
        ({"author": "nobody"}, "There is no author with that address."),
        ({"source": "nowhere"}, "There is no source with that address."),
        ({"language": "de"}, "Select a valid choice."),
        ({"date_after": "yesterday"}, "Enter a valid date."),
        ({"date_before": "2024-02-30"}, "Enter a valid date."),
        ({"date_after": "99999-01-01"}, "Enter a valid date."),
        ({"date_after": "yesterday"}, "Published between: Enter a valid date."),
        ({"section": "nope"}, "Section: There is no section with that address."),
        (
            {"date_after": "2025-02-01", "date_before": "2025-01-01"},
            "The start date is after the end date.",
        ),
    ],
)
def test_unusable_filter_values_are_a_400_that_says_why(client, newsroom, query, message):
    response = client.get(NEWS, query)

    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "Fix the filters above to see articles." in content
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize(
    "query",
    [
        {"section": '"><script>alert(1)</script>'},
        {"tag": "<img src=x onerror=alert(1)>"},
        {"date_after": "<script>alert(1)</script>"},
        {"unknown": "<script>alert(1)</script>"},
    ],
)
def test_markup_in_query_strings_is_never_reflected_unescaped(client, newsroom, query):
    content = client.get(NEWS, query).content.decode()

    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5", "last2", "%00"])
def test_bad_page_numbers_are_404_not_500(client, newsroom, page):
    response = client.get(NEWS, {"page": page})

    assert response.status_code == 404


def test_last_page_shows_the_oldest_articles(client):
    oldest = ArticleFactory(title="The oldest", publish_at=timezone.now() - timedelta(days=30))
    for _ in range(20):
        ArticleFactory()

    response = client.get(NEWS, {"page": "last"})

    assert response.status_code == 200
    assert list(response.context["object_list"]) == [oldest]


@pytest.mark.parametrize("url", ["/tags/", "/sections/politics/", "/archive/2024/"])
@pytest.mark.parametrize("page", ["abc", "99999"])
def test_bad_page_numbers_on_other_lists_are_404(client, newsroom, url, page):
    assert client.get(url, {"page": page}).status_code == 404


def test_front_page_ignores_a_page_number(client, newsroom):
    assert client.get("/", {"page": "abc"}).status_code == 200


def test_unknown_query_parameters_are_ignored(client, newsroom):
    response = client.get(NEWS, {"utm_source": "newsletter"})

    assert response.status_code == 200
    assert len(titles(response)) == Article.objects.published().filter(language="en").count()
