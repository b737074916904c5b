"""Attribution on every imported story: "Original news", isBasedOn, and for sources that
require it, rel=canonical to the original."""

import json
import re

import pytest

from articles.models import Article, Source
from articles.wire import importing
from tests.factories import SectionFactory, SourceFactory, feed_fixture

pytestmark = pytest.mark.django_db

ORIGINAL = "https://www.gulfwire.example/news/jcpoa-talks/?utm_source=rss&amp;utm_medium=feed"


@pytest.fixture
def story():
    source = SourceFactory(
        name="Gulf Wire",
        default_section=SectionFactory(),
        import_policy=Source.ImportPolicy.PUBLISH,
    )
    importing.feed_import(source=source, content=feed_fixture("rss.xml"), location="rss.xml")
    return Article.objects.get(title="Talks on the JCPOA resume in Vienna")


def news_article(content: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return next(d for d in map(json.loads, blocks) if d.get("@type") == "NewsArticle")


def test_an_imported_story_names_its_original(client, story):
    content = client.get(story.get_absolute_url()).content.decode()

    assert re.search(
        r'Original news:\s*<a href="' + re.escape(ORIGINAL) + r'"[^>]*><bdi>Gulf Wire</bdi>',
        content,
    )
    assert news_article(content)["isBasedOn"] == story.source_url
    # By default the canonical page is ours.
    assert f'<link rel="canonical" href="http://testserver{story.get_absolute_url()}">' in content


def test_a_source_that_requires_it_gets_rel_canonical_to_the_original(client, story, settings):
    settings.ARTICLES_PAGE_CACHE = True
    client.get(story.get_absolute_url())  # cached with the source's old setting
    story.source.canonical_to_original = True
    story.source.save()

    content = client.get(story.get_absolute_url()).content.decode()

    assert f'<link rel="canonical" href="{ORIGINAL}">' in content


def test_the_persian_edition_attributes_too(client):
    source = SourceFactory(name="خبرگزاری نمونه", default_section=SectionFactory())
    source.import_policy = Source.ImportPolicy.PUBLISH
    source.save()
    importing.feed_import(source=source, content=feed_fixture("persian.xml"), location="fa.xml")
    article = Article.objects.get(title="بازار تهران پس از تعطیلات باز شد")

    content = client.get(article.get_absolute_url()).content.decode()

    assert article.get_absolute_url().startswith("/fa/news/")
    assert "<bdi>خبرگزاری نمونه</bdi>" in content
    assert news_article(content)["isBasedOn"] == "https://khabar.example/news/bazar"
