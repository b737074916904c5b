"""The readers' page cache: served without a query, forgotten when something shown changes."""

import gzip
from datetime import timedelta

import brotli
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services, tagging, workflow
from articles.models import Tag
from tests import images as made
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PictureFactory,
    SectionFactory,
    SourceFactory,
    picture_from,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.ARTICLES_PAGE_CACHE = True


@pytest.fixture
def story():
    return ArticleFactory(
        title="Talks resume in Vienna",
        section=SectionFactory(name="Politics"),
        authors=[AuthorFactory(name="Sara Lindqvist")],
        source=SourceFactory(name="Caspian Wire"),
        source_url="https://caspian-wire.example/vienna",
        tags=["JCPOA"],
    )


def shows(client, url: str, text: str) -> bool:
    response = client.get(url)
    assert response.status_code == 200, url
    return text in response.content.decode()


PAGES = ["/", "/news/", "/tags/", "/feeds/latest/", "/sitemap.xml", "/news-sitemap.xml"]
LISTS = ["/", "/news/", "/feeds/latest/", "/sitemap-articles.xml", "/news-sitemap.xml"]


@pytest.mark.parametrize("url", PAGES + ["story"])
def test_a_second_reader_gets_the_page_without_a_query(
    client, story, url, django_assert_num_queries
):
    url = story.get_absolute_url() if url == "story" else url
    first = client.get(url)

    with django_assert_num_queries(0):
        second = Client().get(url)

    assert second.status_code == 200
    assert second.content == first.content


# Forgotten exactly when something shown changes -----------------------------------------


def test_publishing_shows_the_story_on_every_list_at_once(client, story, editor):
    draft = ArticleFactory(title="Breaking: a new deal", draft=True, authors=[AuthorFactory()])
    for url in LISTS:
        client.get(url)

    workflow.article_publish(article=draft, by=editor)

    for url in LISTS:
        assert shows(client, url, draft.slug), url


def test_an_edit_shows_on_the_story_and_in_lists(client, story, editor):
    client.get(story.get_absolute_url())
    client.get("/news/")

    story.title = "Talks resume in Geneva"
    services.article_save(article=story, by=editor)

    assert shows(client, story.get_absolute_url(), "Talks resume in Geneva")
    assert shows(client, "/news/", "Talks resume in Geneva")


@pytest.mark.parametrize("transition", ["unpublish", "archive"])
def test_withdrawing_a_story_takes_it_off_every_page(client, story, editor, transition):
    url = story.get_absolute_url()
    for page in [url, "/", "/feeds/latest/"]:
        client.get(page)

    workflow.article_apply_transition(article=story, by=editor, name=transition)

    assert client.get(url).status_code == 404
    assert not shows(client, "/", "Talks resume in Vienna")
    assert not shows(client, "/feeds/latest/", "Talks resume in Vienna")


def test_a_scheduled_story_goes_live_on_cached_pages_at_its_minute(
    client, story, editor, monkeypatch
):
    later = ArticleFactory(title="Embargoed until noon", draft=True, authors=[AuthorFactory()])
    workflow.article_schedule(article=later, by=editor, at=timezone.now() + timedelta(hours=1))
    assert not shows(client, "/", "Embargoed until noon")
    assert not shows(client, "/news/", "Embargoed until noon")

    an_hour_on = timezone.now() + timedelta(hours=1, seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: an_hour_on)

    assert shows(client, "/", "Embargoed until noon")
    assert shows(client, "/news/", "Embargoed until noon")
    assert client.get(later.get_absolute_url()).status_code == 200


def test_renaming_a_tag_shows_on_the_story(client, story, editor):
    client.get(story.get_absolute_url())

    tagging.tag_rename(tag=story.tags.get(), name="Iran nuclear deal", by=editor)

    assert shows(client, story.get_absolute_url(), "Iran nuclear deal")
    assert shows(client, "/tags/", "Iran nuclear deal")


def test_approving_or_withdrawing_a_tag_shows_on_its_pages(client, story, editor, reporter):
    tagging.article_set_tags(article=story, names=["JCPOA", "Sanctions"], by=reporter)
    proposal = Tag.objects.get(name="Sanctions")
    assert not shows(client, story.get_absolute_url(), ">Sanctions<")

    tagging.tag_approve(tags=[proposal], by=editor)
    assert shows(client, story.get_absolute_url(), ">Sanctions<")
    assert shows(client, proposal.get_absolute_url(), "Talks resume in Vienna")

    tagging.tag_withdraw_approval(tags=[proposal], by=editor)
    assert not shows(client, story.get_absolute_url(), ">Sanctions<")
    assert client.get(proposal.get_absolute_url()).status_code == 404


def test_merging_tags_shows_on_the_tag_kept(client, editor):
    ArticleFactory(title="One", tags=["Nuclear"])
    ArticleFactory(title="Two", tags=["Atomic"])
    kept = Tag.objects.get(name="Nuclear")
    assert not shows(client, kept.get_absolute_url(), ">Two<")

    tagging.tag_merge(tags=list(Tag.objects.all()), into=kept, by=editor)

    assert shows(client, kept.get_absolute_url(), ">Two<")


@pytest.mark.parametrize(
    ("what", "new_name"),
    [
        ("section", "World politics"),
        ("author", "Sara Lindqvist-Ahmadi"),
        ("source", "Caspian Post"),
    ],
)
def test_renaming_a_section_author_or_source_shows_everywhere(client, story, what, new_name):
    pages = [story.get_absolute_url(), "/news/"]
    for page in pages:
        client.get(page)

    owner = {"section": story.section, "author": story.authors.get(), "source": story.source}[what]
    owner.name = new_name
    owner.save()

    assert shows(client, story.get_absolute_url(), new_name)
    if what != "source":  # teasers name the section and the byline, not the source
        assert shows(client, "/news/", new_name)


def test_a_picture_ready_in_the_background_shows_on_the_story(client, story):
    from django.core.files.base import ContentFile

    from articles import tasks
    from articles.models import Picture

    # As the desk leaves it: the article points at a new picture still waiting for the worker.
    pending = Picture._meta.get_field("file_upload").storage
    waiting = pending.save("pictures/hall.jpg", ContentFile(made.cmyk_jpeg()))
    story.picture = PictureFactory(alt="The hall", file_upload=waiting, file_state="processing")
    services.article_save(article=story, by=None)
    assert not shows(client, story.get_absolute_url(), "<picture")  # and cached so

    assert tasks.process_picture.call("picture", story.picture_id) == "ready"

    assert shows(client, story.get_absolute_url(), 'alt="The hall"')


def test_a_library_picture_edited_shows_on_the_story(client, story):
    picture = picture_from(made.upload(made.cmyk_jpeg(), "hall.jpg"), caption="Before")
    story.picture = picture
    services.article_save(article=story, by=None)
    assert shows(client, story.get_absolute_url(), "Before")  # and cached so

    picture.caption = "After"
    services.picture_save(picture=picture, by=None)

    assert shows(client, story.get_absolute_url(), "After")


def test_an_authors_photo_edited_in_the_library_shows_on_the_author_page(client, story):
    author = story.authors.get()
    portrait = picture_from(made.upload(made.cmyk_jpeg(), "sara.jpg"), alt="Before")
    author.photo = portrait
    services.author_save(author=author, by=None)
    assert shows(client, author.get_absolute_url(), 'alt="Before"')  # and cached so

    portrait.alt, portrait.focal_x = "After", 0.2
    services.picture_save(picture=portrait, by=None)

    assert shows(client, author.get_absolute_url(), 'alt="After"')
    assert shows(client, author.get_absolute_url(), "focus-x20")


def test_an_authors_new_photo_ready_in_the_background_shows_on_the_author_page(client, story):
    from django.core.files.base import ContentFile

    from articles import tasks
    from articles.models import Picture

    author = story.authors.get()
    pending = Picture._meta.get_field("file_upload").storage
    waiting = pending.save("pictures/sara.jpg", ContentFile(made.cmyk_jpeg()))
    new = PictureFactory(alt="The new portrait", file_upload=waiting, file_state="processing")
    services.author_take_picture(author=author, picture=new)
    services.author_save(author=author, by=None)
    assert not shows(client, author.get_absolute_url(), "<picture")  # and cached so

    assert tasks.process_picture.call("picture", new.pk) == "ready"

    assert shows(client, author.get_absolute_url(), 'alt="The new portrait"')


def test_editing_a_draft_leaves_cached_lists_alone(
    client, story, editor, django_assert_num_queries
):
    draft = ArticleFactory(title="Work in progress", draft=True)
    client.get("/news/")

    draft.title = "Still in progress"
    services.article_save(article=draft, by=editor)

    with django_assert_num_queries(0):
        assert Client().get("/news/").status_code == 200


# Who gets cached pages -------------------------------------------------------------------


def test_staff_never_get_or_fill_the_cache(client, story, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = Client()
    staff.force_login(editor)
    staff.get("/news/")
    # A staff visit filled nothing: the first reader still makes the page.
    with CaptureQueriesContext(connection) as reader:
        client.get("/news/")
    # Staff are not served the readers' copy either.
    with CaptureQueriesContext(connection) as again:
        staff.get("/news/")

    assert len(reader) > 0 and len(again) > 0


def test_previews_and_errors_are_never_cached(client, editor):
    draft = ArticleFactory(draft=True, title="Secret draft")
    staff = Client()
    staff.force_login(editor)
    assert "Secret draft" in staff.get(draft.get_absolute_url()).content.decode()

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/news/", {"section": "nope"}).status_code == 400


def test_cached_pages_say_how_a_cdn_may_keep_them(client, story):
    client.get("/")
    response = client.get("/")

    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
    assert response["Vary"] == "Accept-Encoding"
    assert not response.cookies


# Revalidation and compression ----------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/news/", "/feeds/latest/", "/sitemap.xml", "story"])
def test_a_page_unchanged_since_the_last_visit_is_a_304(client, story, url):
    url = story.get_absolute_url() if url == "story" else url
    first = client.get(url)

    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})

    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_date.status_code == 304


def test_a_changed_page_is_not_a_304(client, story, editor):
    first = client.get("/")
    workflow.article_publish(
        article=ArticleFactory(draft=True, title="Newer", authors=[AuthorFactory()]), by=editor
    )

    assert client.get("/", headers={"if-none-match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize("cache_on", [True, False])
@pytest.mark.parametrize(
    ("coding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_pages_feeds_and_sitemaps_are_compressed(
    client, settings, story, cache_on, coding, decompress
):
    settings.ARTICLES_PAGE_CACHE = cache_on
    for url in ["/", "/feeds/latest/", "/sitemap-articles.xml"]:
        plain = client.get(url).content
        response = client.get(url, headers={"accept-encoding": f"{coding}, identity"})

        assert response["Content-Encoding"] == coding, url
        assert decompress(response.content) == plain, url
        assert len(response.content) < len(plain)


def test_pages_carrying_a_secret_are_not_compressed(client, editor):
    login = client.get(reverse("admin:login"), headers={"accept-encoding": "gzip, br"})
    assert "csrfmiddlewaretoken" in login.content.decode()
    assert "Content-Encoding" not in login

    client.force_login(editor)
    desk = client.get(
        reverse("admin:articles_article_changelist"), headers={"accept-encoding": "gzip"}
    )
    assert "Content-Encoding" not in desk


# When the cache server is down --------------------------------------------------------------


@pytest.fixture
def cache_down(settings):
    """A Redis cache at an address where nothing answers."""
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


def test_with_the_cache_down_readers_and_the_desk_are_served(client, story, editor, cache_down):
    assert shows(client, "/", "Talks resume in Vienna")
    assert shows(client, story.get_absolute_url(), "Talks resume in Vienna")
    assert client.get("/sitemap.xml").status_code == 200

    client.force_login(editor)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200

    health = Client().get("/healthz")
    assert health.status_code == 200
    assert health.content == b"ok; cache degraded\n"


def test_healthz_says_ok_when_the_cache_answers(client):
    assert client.get("/healthz").content == b"ok\n"


def test_a_page_made_while_a_story_was_published_is_not_kept(client, monkeypatch):
    """A reader's page read its rows just before an editor published: it is served,
    but not kept, so the next reader sees the new story."""
    from articles import selectors, views

    ArticleFactory(title="Older story")
    original = selectors.front_page

    def published_meanwhile(**kwargs):
        front = original(**kwargs)  # the rows are read…
        ArticleFactory(title="Published meanwhile")  # …then a story goes live
        return front

    monkeypatch.setattr(views.selectors, "front_page", published_meanwhile)
    first = client.get("/")
    assert "Published meanwhile" not in first.content.decode()
    monkeypatch.setattr(views.selectors, "front_page", original)

    assert shows(client, "/", "Published meanwhile")
