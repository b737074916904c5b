"""Every kind of public page is valid HTML: the Nu HTML Checker reads the served source."""

import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.template.loader import get_template
from django.utils import timezone

from articles import services
from articles.dates import solar_hijri
from articles.models import Article, Correction, FrontPage, Tag
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PictureFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
)

# Pages that answer with an error status; every other page answers 200.
STATUS = {
    "news, filters that cannot be used": 400,
    "news, dates the wrong way round": 400,
    "page not found": 404,
    "article not found": 404,
    "Persian page not found": 404,
}
BODY = (
    "<p>Negotiators met again in <a href='https://example.org/vienna'>Vienna</a>.</p>"
    "<h2>What is on the table</h2><ul><li>Enrichment</li><li>Sanctions</li></ul>"
    "<blockquote><p>We are close.</p><cite>A diplomat in Vienna</cite></blockquote>"
    '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p>"
)


def _picture(prefix: str, width: int, height: int) -> dict:
    """A renditions record as the picture pipeline writes it; no file needs to exist."""
    return {
        "original": f"{prefix}.jpg",
        "width": width,
        "height": height,
        "sources": [
            {"name": f"{prefix}-{w}.{ext}", "width": w, "height": w * height // width, "type": t}
            for ext, t in [("webp", "image/webp"), ("jpg", "image/jpeg")]
            for w in (width // 2, width)
        ],
        "social": {"name": f"{prefix}-social.jpg", "width": 1200, "height": 630},
    }


def _newsroom() -> dict[str, str]:
    """A small newsroom with everything a page can show; the addresses of its page types."""
    now = timezone.now()
    politics = SectionFactory(name="Politics", description="Parliament, elections and talks.")
    economy = SectionFactory(name="Economy")
    author = AuthorFactory(
        name="Sara Lindqvist",
        bio="Covers diplomacy from Vienna.",
        photo=PictureFactory(
            alt="Sara Lindqvist",
            file="pictures/sara.jpg",
            file_renditions=_picture("pictures/sara", 600, 800),
            focal_y=0.3,
        ),
    )
    persian_author = AuthorFactory(name="مریم احمدی")
    source = SourceFactory(name="Caspian Wire")
    english = ArticleFactory(
        title="Iran talks resume in Vienna",
        summary="Negotiators meet again.",
        body=BODY,
        section=politics,
        authors=[author, persian_author],
        tags=["Iran", "JCPOA"],
        source=source,
        source_url="https://caspian-wire.example/vienna",
        picture=PictureFactory(
            alt="Delegates outside the hall",
            caption="Delegates arrive.",
            credit="Caspian Wire",
            file="pictures/talks.jpg",
            file_renditions=_picture("pictures/talks", 1600, 900),
            focal_x=0.3,
        ),
        is_featured=True,
        publish_at=now - timedelta(days=1),
    )
    # Corrected since: the page says "Updated", and the notice is under the story.
    Article.objects.filter(pk=english.pk).update(updated_at=now, revised_at=now)
    Correction.objects.create(article=english, text="An earlier version gave the wrong day.")
    FrontPage.objects.update_or_create(
        edition="en", defaults={"banner_text": "Talks resume", "banner_link": english}
    )
    persian = ArticleFactory(
        persian=True,
        summary="مذاکره‌کنندگان دوباره دیدار کردند.",
        body="<p>مذاکرات دربارهٔ ایران در وین از سر گرفته شد.</p>",
        section=politics,
        authors=[persian_author],
        tags=["Iran", "برجام"],
        source=source,
        translation=english,
    )
    for n in range(4):
        ArticleFactory(
            title=f"Iran's rial moves, day {n}",
            section=economy,
            tags=["Iran"],
            publish_at=now - timedelta(hours=n + 2),
        )
    Tag.objects.filter(name="Iran").update(description="News about Iran.")
    scheduled = ArticleFactory(scheduled=True, title="Embargoed story", section=politics)
    editor = UserFactory(username="validity-editor", is_staff=True, is_superuser=True)
    _link, token = services.preview_link_make(article=scheduled, by=editor, hours=1)

    day = timezone.localtime(english.publish_at)
    solar = solar_hijri(timezone.localtime(persian.publish_at).date())
    iran = Tag.objects.get(name="Iran")
    return {
        "front page": "/",
        "all news": "/news/",
        "all news, page 2": "/news/?page=2",
        "Persian front page": "/fa/",
        "news in Persian": "/fa/news/",
        "Persian topics": "/fa/tags/",
        "Persian topic": f"/fa/tags/{iran.slug}/",
        "Persian section": f"/fa/sections/{politics.slug}/",
        "Persian author": "/fa/authors/" + urllib.parse.quote(persian_author.slug) + "/",
        "Persian year archive": f"/fa/archive/{solar.year}/",
        "Persian month archive": f"/fa/archive/{solar.year}/{solar.month:02d}/",
        "Persian day archive": f"/fa/archive/{solar.year}/{solar.month:02d}/{solar.day:02d}/",
        "Persian page not found": "/fa/no-such-page/",
        "news tagged": f"/news/?tag={iran.slug}",
        "news by an author": f"/news/?author={author.slug}",
        "news from a source": f"/news/?source={source.slug}",
        "news between dates": f"/news/?date_after={day:%Y-%m-%d}&date_before={day:%Y-%m-%d}",
        "news, filters that cannot be used": "/news/?date_after=yesterday&section=nope",
        "news, dates the wrong way round": "/news/?date_after=2025-02-01&date_before=2025-01-01",
        "English article": english.get_absolute_url(),
        "Persian article": persian.get_absolute_url(),
        "preview": f"/preview/{token}/",
        "topics": "/tags/",
        "topic": iran.get_absolute_url(),
        "section": politics.get_absolute_url(),
        "author": author.get_absolute_url(),
        "source": source.get_absolute_url(),
        "year archive": f"/archive/{day:%Y}/",
        "month archive": f"/archive/{day:%Y/%m}/",
        "day archive": f"/archive/{day:%Y/%m/%d}/",
        "search": "/search/?q=iran",
        "search in Persian": "/fa/search/?q=" + urllib.parse.quote("ایران"),
        "search, filtered": f"/search/?q=iran&section={politics.slug}",
        "search, no results": "/search/?q=zanzibar",
        "search, empty": "/search/?q=",
        "search, symbols only": "/search/?q=%21%21",
        "API documentation": "/api/docs/",
        "page not found": "/no-such-page/",
        "article not found": "/news/no-such-article/",
    }


def _source(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - the live server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_every_kind_of_public_page_is_valid_html(live_server, vnu, settings):
    settings.ARTICLES_PAGE_SIZE = 3  # so lists have a second page
    pages = _newsroom()

    documents = {}
    for name, path in pages.items():
        status, html = _source(live_server.url + path)
        assert status == STATUS.get(name, 200), f"{name} ({path}) answered {status}"
        documents[f"{name} ({path})"] = html
    # What a server error shows, as Django renders it: no context, no request.
    documents["server error (500.html)"] = get_template("500.html").render()

    errors = vnu(documents)

    if errors:
        pytest.fail(
            "The Nu HTML Checker found errors:\n"
            + "\n".join(
                f"\n{page}:\n" + "\n".join(f"  {error}" for error in page_errors)
                for page, page_errors in errors.items()
            ),
            pytrace=False,
        )
