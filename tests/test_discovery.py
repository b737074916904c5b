"""Feeds, sitemaps, robots.txt, structured data and related stories."""

import json
import re
from datetime import timedelta
from urllib.parse import quote

import feedparser
import pytest
from django.utils import timezone
from lxml import etree

from articles import tagging
from articles.models import Article
from tests import images as made
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    SourceFactory,
    picture_from,
)

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def story():
    article = ArticleFactory(
        title="Talks resume in Vienna",
        summary="Negotiators meet again.",
        authors=[AuthorFactory(name="Sara Lindqvist")],
        tags=["JCPOA", "Iran"],
        source=SourceFactory(name="Caspian Wire"),
        source_url="https://caspian-wire.example/vienna",
        section=SectionFactory(name="Politics"),
        picture=picture_from(made.upload(made.cmyk_jpeg(), "hall.jpg"), alt="Delegates in a hall"),
    )
    return article


# Feeds -----------------------------------------------------------------------------


def test_feed_categories_leave_out_proposed_tags(client, story, reporter):
    tagging.article_set_tags(article=story, names=["JCPOA", "Iran", "Leaked plan"], by=reporter)

    feed = feedparser.parse(client.get("/feeds/latest/").content)

    assert {tag.term for tag in feed.entries[0].tags} == {"JCPOA", "Iran"}


@pytest.mark.parametrize("url", ["/feeds/latest/", "/feeds/latest/atom/"])
def test_latest_feeds_are_valid_with_everything_a_reader_needs(client, story, url):
    ArticleFactory(title="Unpublished", draft=True)
    ArticleFactory(title="Tomorrow", scheduled=True)

    response = client.get(url)
    feed = feedparser.parse(response.content)

    assert response.status_code == 200
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["Talks resume in Vienna"]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver{story.get_absolute_url()}"
    assert entry.author == "Sara Lindqvist"
    assert {tag.term for tag in entry.tags} == {"JCPOA", "Iran"}
    assert entry.published_parsed[:6] == story.publish_at.utctimetuple()[:6]
    assert "Negotiators meet again." in entry.summary


def test_feed_dates_carry_their_time_zone(client, story, settings):
    settings.TIME_ZONE = "Asia/Tehran"

    content = client.get("/feeds/latest/").content.decode()
    feed = feedparser.parse(content)

    published = feed.entries[0].published_parsed  # feedparser normalises to UTC
    expected = story.publish_at.utctimetuple()
    assert published[:6] == expected[:6]
    assert re.search(r"<pubDate>[^<]+ [+-]\d{4}</pubDate>", content)


def test_feed_carries_the_picture_as_an_enclosure(client, story):
    feed = feedparser.parse(client.get("/feeds/latest/").content)

    enclosure = feed.entries[0].enclosures[0]
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith("http://testserver/media/") and "social" in enclosure.href
    assert int(enclosure.length) > 0


def test_full_text_feeds_by_setting(client, story, settings):
    settings.ARTICLES_FEED_FULL_TEXT = True

    feed = feedparser.parse(client.get("/feeds/latest/").content)

    assert "A quotation." in feed.entries[0].summary


def test_tag_and_section_feeds(client, story):
    ArticleFactory(title="Elsewhere")

    tag_feed = feedparser.parse(client.get("/feeds/tags/jcpoa/").content)
    section_feed = feedparser.parse(client.get("/feeds/sections/politics/").content)

    assert not tag_feed.bozo and not section_feed.bozo
    assert [e.title for e in tag_feed.entries] == ["Talks resume in Vienna"]
    assert [e.title for e in section_feed.entries] == ["Talks resume in Vienna"]
    assert client.get("/feeds/tags/nope/").status_code == 404
    assert client.get("/feeds/sections/nope/").status_code == 404


def test_pages_announce_their_feeds(client, story):
    home = client.get("/").content.decode()
    tag_page = client.get("/tags/jcpoa/").content.decode()
    section_page = client.get("/sections/politics/").content.decode()

    assert 'rel="alternate" type="application/rss+xml"' in home
    assert 'type="application/atom+xml"' in home
    assert 'href="/feeds/tags/jcpoa/"' in tag_page
    assert 'href="/feeds/sections/politics/"' in section_page


def test_persian_feed_is_valid(client):
    ArticleFactory(persian=True, tags=["ایران"], summary="خلاصهٔ خبر")

    feed = feedparser.parse(client.get("/fa/feeds/latest/").content)

    assert not feed.bozo
    assert feed.entries[0].tags[0].term == "ایران"


@pytest.mark.parametrize("path", ["feeds/latest/", "feeds/latest/atom/"])
def test_each_edition_has_its_own_latest_feed_in_its_language(client, path):
    ArticleFactory(title="Vienna talks")
    ArticleFactory(title="نشست تهران", persian=True)

    english = feedparser.parse(client.get(f"/{path}").content)
    persian = feedparser.parse(client.get(f"/fa/{path}").content)

    assert [e.title for e in english.entries] == ["Vienna talks"]
    assert [e.title for e in persian.entries] == ["نشست تهران"]
    assert english.feed.language == "en" and persian.feed.language == "fa"
    assert persian.entries[0].link.endswith(quote("/fa/news/نشست-تهران/"))


# Sitemaps and robots ------------------------------------------------------------------


def test_sitemap_index_and_sections(client, story):
    ArticleFactory(title="Secret", draft=True)

    index = etree.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    urls = {}
    for location in locations:
        page = etree.fromstring(client.get(location.replace("http://testserver", "")).content)
        for url in page.iter(f"{SITEMAP}url"):
            urls[url.findtext(f"{SITEMAP}loc")] = url.findtext(f"{SITEMAP}lastmod")

    base = "http://testserver"
    assert f"{base}{story.get_absolute_url()}" in urls
    assert urls[f"{base}{story.get_absolute_url()}"] == story.updated_at.date().isoformat()
    assert f"{base}/sections/politics/" in urls
    assert f"{base}/tags/jcpoa/" in urls
    assert f"{base}/authors/sara-lindqvist/" in urls
    assert not any("secret" in url for url in urls)


def test_news_sitemap_lists_the_last_two_days(client, story):
    ArticleFactory(title="Old news", publish_at=timezone.now() - timedelta(days=3))
    ArticleFactory(title="خبر تازه", persian=True)

    response = client.get("/news-sitemap.xml")
    root = etree.fromstring(response.content)
    entries = {url.findtext(f"{NEWS}news/{NEWS}title"): url for url in root.iter(f"{SITEMAP}url")}

    assert response["Content-Type"].startswith("application/xml")
    assert set(entries) == {"Talks resume in Vienna", "خبر تازه"}
    vienna = entries["Talks resume in Vienna"]
    assert vienna.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") == "en"
    assert entries["خبر تازه"].findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") == "fa"
    assert vienna.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name") == "Newsroom"
    assert vienna.findtext(f"{NEWS}news/{NEWS}publication_date").startswith(
        timezone.localtime(story.publish_at).date().isoformat()
    )


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_the_desk(client):
    text = client.get("/robots.txt").content.decode()

    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text
    # Previews answer noindex themselves; robots.txt would keep crawlers from reading it.
    assert "/preview/" not in text


# Meta and structured data ----------------------------------------------------------------


def jsonld(content: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return [json.loads(block) for block in blocks]


def test_article_page_has_canonical_social_cards_and_news_article(client, story):
    content = client.get(story.get_absolute_url(), {"utm_source": "x"}).content.decode()

    url = f"http://testserver{story.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in content
    assert '<meta name="description" content="Negotiators meet again.">' in content
    assert '<meta property="og:type" content="article">' in content
    assert '<meta property="og:title" content="Talks resume in Vienna">' in content
    assert '<meta name="twitter:card" content="summary_large_image">' in content
    image = re.search(r'<meta property="og:image" content="([^"]+)">', content).group(1)
    assert image.startswith("http://testserver/media/") and "social" in image
    assert '<meta property="og:image:width" content="1200">' in content
    assert '<meta property="og:image:alt" content="Delegates in a hall">' in content

    [data] = jsonld(content)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Talks resume in Vienna"
    published = timezone.localtime(story.publish_at).replace(microsecond=0)
    assert data["datePublished"] == published.isoformat()
    # Never corrected or updated: modified when published, whatever plain edits came since.
    assert data["dateModified"] == published.isoformat()
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Sara Lindqvist",
            "url": "http://testserver/authors/sara-lindqvist/",
        }
    ]
    assert data["image"] == [image]
    assert data["publisher"]["name"] == "Newsroom"
    assert data["inLanguage"] == "en"
    assert data["isBasedOn"] == "https://caspian-wire.example/vienna"

    revised = timezone.now().replace(microsecond=0)
    Article.objects.filter(pk=story.pk).update(revised_at=revised)
    [data] = jsonld(client.get(story.get_absolute_url()).content.decode())
    assert data["dateModified"] == timezone.localtime(revised).isoformat()


def test_json_ld_cannot_be_broken_out_of(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>")

    content = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in content
    assert jsonld(content)[0]["headline"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/sections/politics/", ["Newsroom", "Politics"]),
        ("/tags/jcpoa/", ["Newsroom", "Topics", "JCPOA"]),
        ("/news/", ["Newsroom", "All news"]),
    ],
)
def test_listing_pages_have_breadcrumbs(client, story, url, names):
    [data] = jsonld(client.get(url).content.decode())

    assert data["@type"] == "BreadcrumbList"
    assert [item["name"] for item in data["itemListElement"]] == names
    assert data["itemListElement"][-1]["item"] == f"http://testserver{url}"


def test_list_pages_are_canonical_without_filters_but_with_their_page(client):
    for _ in range(21):
        ArticleFactory()

    content = client.get("/news/", {"page": 2, "language": "en"}).content.decode()

    assert '<link rel="canonical" href="http://testserver/news/?page=2">' in content


# Related stories -------------------------------------------------------------------------


def test_related_stories_share_the_most_tags_newer_first(client):
    now = timezone.now()
    article = ArticleFactory(tags=["Iran", "Oil", "Russia"])
    two_old = ArticleFactory(
        title="Two tags, older", tags=["Iran", "Oil"], publish_at=now - timedelta(days=2)
    )
    two_new = ArticleFactory(
        title="Two tags, newer", tags=["Iran", "Russia"], publish_at=now - timedelta(days=1)
    )
    ArticleFactory(title="One tag", tags=["Oil"], publish_at=now - timedelta(hours=2))
    ArticleFactory(title="Three tags, draft", tags=["Iran", "Oil", "Russia"], draft=True)
    ArticleFactory(title="Unrelated", tags=["Football"])
    for n in range(3):
        ArticleFactory(
            title=f"Also one tag {n}", tags=["Russia"], publish_at=now - timedelta(days=5 + n)
        )

    related = client.get(article.get_absolute_url()).context["related"]

    assert [a.title for a in related] == [
        "Two tags, newer",
        "Two tags, older",
        "One tag",
        "Also one tag 0",
    ]
    assert two_new in related and two_old in related


# Query budgets ---------------------------------------------------------------------------


@pytest.fixture(params=[1, 20], ids=["1-article", "20-articles"])
def many(request):
    section = SectionFactory(name="Politics")
    author = AuthorFactory()
    return [
        ArticleFactory(section=section, authors=[author], tags=["Iran", "JCPOA"])
        for _ in range(request.param)
    ]


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # articles with section, source and pictures, authors, tags, corrections
        ("/feeds/latest/", 4),
        ("/feeds/latest/atom/", 4),
        # ... and the tag, whether readers may know it and when the next story goes live
        # (both kept until the stream changes)
        ("/feeds/tags/iran/", 7),
        ("/feeds/sections/politics/", 5),  # ... and the section
        ("/news-sitemap.xml", 1),
        # count and next go-live (kept until the stream changes), page, the page's
        # translations (hreflang alternates)
        ("/sitemap-articles.xml", 4),
        # tag counts, next go-live, count, page
        ("/sitemap-tags.xml", 4),
        ("/robots.txt", 0),
    ],
)
def test_feeds_and_sitemaps_run_a_fixed_number_of_queries(
    client, many, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_control_characters_pasted_into_a_headline_never_break_feeds(client):
    article = ArticleFactory(title="Soft\x0breturn in a headline", summary="Bell\x07 and null\x00")
    article.authors.add(AuthorFactory(name="Writer\x0c Name"))

    assert article.title == "Soft return in a headline"
    for url in ["/feeds/latest/", "/feeds/latest/atom/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert not feedparser.parse(response.content).bozo
    etree.fromstring(client.get("/news-sitemap.xml").content)  # parses


def test_feeds_build_links_from_their_own_request(client):
    ArticleFactory()

    first = client.get("/feeds/latest/", HTTP_HOST="localhost").content.decode()
    second = client.get("/feeds/latest/", HTTP_HOST="127.0.0.1").content.decode()

    assert "tag:localhost," in first and "tag:127.0.0.1," in second


def test_related_stories_follow_what_is_published_and_the_articles_own_tags(client, editor):
    from articles import workflow

    now = timezone.now()
    article = ArticleFactory(tags=["Iran", "Oil"], publish_at=now - timedelta(hours=1))
    oil = ArticleFactory(title="Oil story", tags=["Oil"], publish_at=now - timedelta(days=1))
    ArticleFactory(title="Football story", tags=["Football"], publish_at=now - timedelta(days=2))

    def related():
        return [a.title for a in client.get(article.get_absolute_url()).context["related"]]

    assert related() == ["Oil story"]

    # A newer story sharing more tags goes live: it leads at once.
    ArticleFactory(title="Iran and oil", tags=["Iran", "Oil"], publish_at=now)
    assert related() == ["Iran and oil", "Oil story"]

    # One taken down is gone at once.
    workflow.article_unpublish(article=oil, by=editor)
    assert related() == ["Iran and oil"]

    # The article's own tags choose again.
    article.tags.set(["Football"])
    assert related() == ["Football story"]


def test_the_sitemap_index_is_made_once_per_change(client, django_assert_num_queries):
    ArticleFactory(title="First")
    first = client.get("/sitemap.xml")

    with django_assert_num_queries(0):
        again = client.get("/sitemap.xml")
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]

    # A story published later moves the articles sitemap's <lastmod>: made again at once.
    ArticleFactory(title="Second", updated_at=timezone.now() + timedelta(minutes=5))
    assert client.get("/sitemap.xml").content != first.content
