"""What every response tells the browser: a content security policy, and no powerful features."""

import base64
import hashlib
import re

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


@pytest.mark.parametrize(
    "url", ["/", "/news/", "story", "/search/?q=x", "/feeds/latest/", "/nope/"]
)
def test_reader_pages_allow_no_inline_code_at_all(client, url, settings):
    settings.ARTICLES_PAGE_CACHE = True
    story = ArticleFactory()
    url = story.get_absolute_url() if url == "story" else url

    for response in (client.get(url), client.get(url)):  # made, then from the page cache
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]


def test_the_desk_allows_its_widgets_inline_styles_but_no_inline_scripts(client, editor):
    client.force_login(editor)

    response = client.get("/admin/articles/article/add/")

    policy = directives(response)
    # The rich-text editor's import map, allowed by its own hash; nothing else inline.
    [importmap] = re.findall(r'<script type="importmap">(.*?)</script>', response.content.decode())
    digest = base64.b64encode(hashlib.sha256(importmap.encode()).digest()).decode()
    assert policy["script-src"] == ["'self'", f"'sha256-{digest}'"]
    assert "'unsafe-inline'" in policy["style-src"]


def test_pictures_on_another_host_are_allowed_by_name(client, settings):
    from articles import middleware

    settings.MEDIA_URL = "https://media.example.com/"
    middleware.media_origin.cache_clear()
    try:
        policy = directives(client.get("/"))
    finally:
        middleware.media_origin.cache_clear()

    assert policy["img-src"] == ["'self'", "data:", "https://media.example.com"]
