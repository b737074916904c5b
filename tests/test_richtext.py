"""The body's rich text: the editor's toolbar and the sanitiser are one list; embeds."""

import json
import re

import pytest

from articles import richtext
from articles.embeds import player_url
from articles.sanitize import clean_html
from tests.factories import ArticleFactory, change_url

pytestmark = pytest.mark.django_db

# What each toolbar button makes, as the editor writes it.
TOOLBAR_HTML = (
    "<h2>Heading</h2><h3>Sub</h3><h4>Small</h4>"
    "<p><strong>bold</strong> <em>italic</em> "
    '<a href="https://example.com/" rel="noopener noreferrer">a link</a><br>next line</p>'
    "<ul><li><p>one</p></li></ul><ol><li><p>first</p></li></ol>"
    "<blockquote><p>A quotation.</p><cite>Helena Voss, researcher</cite></blockquote><hr>"
)


def test_everything_the_toolbar_makes_survives_a_save_unchanged():
    assert clean_html(TOOLBAR_HTML) == TOOLBAR_HTML


def test_the_sanitiser_allows_exactly_what_the_editor_can_make():
    allowed = richtext.body_allowlist()
    assert allowed["tags"] == {
        "p", "h2", "h3", "h4", "strong", "em", "a", "ul", "ol", "li",
        "blockquote", "cite", "hr", "br", "figure", "img", "figcaption",
    }  # fmt: skip
    # Pictures come only from the library, in one shape (tests/test_body_pictures.py).
    assert allowed["attributes"]["figure"] == {"data-picture"}
    assert allowed["attributes"]["img"] == {"src", "alt"}
    # Adding a button to the toolbar list is what lets its markup through.
    richtext.BODY_EXTENSIONS["Strike"] = True
    try:
        assert "s" in richtext.body_allowlist()["tags"]
    finally:
        del richtext.BODY_EXTENSIONS["Strike"]


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        # Word: classes, styles, spans and conditional comments go.
        (
            '<p class="MsoNormal" style="margin:0"><span style="font-family:Calibri">Talks '
            "<b>resume</b></span><!--[if gte mso 9]><xml></xml><![endif]--></p>",
            "<p>Talks <strong>resume</strong></p>",
        ),
        # Google Docs: a wrapping <b id="docs-internal-guid"> and spans.
        (
            '<b style="font-weight:normal;" id="docs-internal-guid-1"><p dir="ltr">'
            '<span style="font-size:11pt">A line</span></p></b>',
            "<p>A line</p>",
        ),
        # A web page: scripts, iframes, images, event handlers and h1.
        (
            '<h1 onclick="x()">Title</h1><script>alert(1)</script><iframe src="//evil"></iframe>'
            '<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">bad</a>',
            '<h2>Title</h2><a rel="noopener noreferrer">bad</a>',
        ),
    ],
)
def test_pasted_markup_arrives_clean(pasted, kept):
    assert clean_html(pasted) == kept


def test_text_without_tags_becomes_paragraphs():
    typed = "First paragraph,\nsecond line.\n\nSecond paragraph."
    assert clean_html(typed) == "<p>First paragraph,<br>second line.</p><p>Second paragraph.</p>"
    assert ArticleFactory(body=typed).body.startswith("<p>First paragraph,")


def test_existing_bodies_load_unchanged(client, editor):
    body = "<p>Para.</p><blockquote><p>Quote.</p></blockquote><h2>Sub</h2><ul><li>one</li></ul>"
    article = ArticleFactory(body=body)
    assert article.body == body
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    textarea = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert textarea.strip() == body.replace("<", "&lt;").replace(">", "&gt;")


def editor_config(html: str) -> dict:
    found = re.search(r'data-django-prose-editor-configurable="([^"]+)"', html)
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_editors_get_the_source_view_and_reporters_do_not(client, editor, reporter):
    client.force_login(editor)
    config = editor_config(client.get("/admin/articles/article/add/").content.decode())
    assert "HTML" in config["extensions"]
    assert config["extensions"]["Heading"] == {"levels": [2, 3, 4]}
    assert any(module.endswith("js/prose-newsroom.js") for module in config["js_modules"])
    client.force_login(reporter)
    config = editor_config(client.get("/admin/articles/article/add/").content.decode())
    assert "HTML" not in config["extensions"]
    assert "Citation" in config["extensions"]


def test_the_editors_import_map_is_allowed_by_its_hash_alone(client, editor):
    client.force_login(editor)
    response = client.get("/admin/articles/article/add/")
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
    assert "'unsafe-inline'" not in script_src
    assert any(source.startswith("'sha256-") for source in script_src)
    # Reader pages carry no inline script, so no hash either.
    client.logout()
    public = client.get("/")["Content-Security-Policy"]
    assert "sha256" not in re.search(r"script-src ([^;]+)", public).group(1)


# Embeds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "player"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://x.com/someone/status/1234567890",
            "https://platform.twitter.com/embed/Tweet.html?id=1234567890&dnt=true",
        ),
        (
            "https://twitter.com/someone/status/42",
            "https://platform.twitter.com/embed/Tweet.html?id=42&dnt=true",
        ),
        ("https://www.instagram.com/p/Cabc123/", "https://www.instagram.com/p/Cabc123/embed"),
    ],
)
def test_provider_links_have_players(link, player):
    assert player_url(link)[1] == player


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=<script>",
        "javascript:alert(1)//youtube.com",
        "https://x.com/someone",
    ],
)
def test_other_links_stay_links(link):
    assert player_url(link) is None


def test_a_link_alone_on_a_line_becomes_a_click_to_load_embed(client):
    link = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    article = ArticleFactory(
        body=f'<p><a href="{link}">{link}</a></p>'
        f'<p>See <a href="{link}">this video</a> for more.</p>'
        '<p><a href="https://example.com/">https://example.com/</a></p>'
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    figures = re.findall(r'<figure class="embed embed--youtube"[^>]*>.*?</figure>', html, re.S)
    assert len(figures) == 1  # a link inside a sentence stays a link
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in figures[0]
    # Without JavaScript: a plain link; nothing of the provider loads with the page.
    assert f'<a class="embed__link" href="{link}"' in figures[0]
    assert "<iframe" not in html
    assert '<a href="https://example.com/"' in html
    assert '<script src="/static/js/embeds.js" defer></script>' in html
    frames = re.search(r"frame-src ([^;]+)", response["Content-Security-Policy"]).group(1)
    assert "https://www.youtube-nocookie.com" in frames and "'self'" not in frames


def test_pages_without_embeds_load_no_script(client):
    article = ArticleFactory(body="<p>Just text.</p>")
    assert "embeds.js" not in client.get(article.get_absolute_url()).content.decode()
