"""The front page editors arrange: top story, pinned stories in order, breaking news."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from articles import editorial
from articles.models import FrontPage
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def headlines(client, url: str = "/") -> list[str]:
    html = client.get(url).content.decode()
    return re.findall(r'class="teaser__title"><a href="[^"]+">([^<]+)</a>', html)


def arrange_url(edition: str = "en") -> str:
    return f"/admin/articles/frontpage/{FrontPage.objects.get(edition=edition).pk}/change/"


@pytest.fixture
def stories():
    now = timezone.now()
    return [
        ArticleFactory(title=f"Story {n}", publish_at=now - timedelta(hours=n)) for n in range(1, 8)
    ]


def test_without_arrangement_the_newest_story_leads(client, stories):
    assert headlines(client)[:3] == ["Story 1", "Story 2", "Story 3"]


def test_editors_choose_the_top_story_and_pin_stories_in_order(client, editor, stories):
    editorial.front_page_arrange(
        edition="en", by=editor, top_story=stories[5], pinned=[stories[6], stories[4]]
    )
    shown = headlines(client)
    assert shown[:4] == ["Story 6", "Story 7", "Story 5", "Story 1"]
    assert shown.count("Story 7") == 1  # a pinned story is not shown twice


def test_a_pinned_story_not_yet_published_takes_its_place_when_it_goes_live(
    client, editor, stories
):
    later = ArticleFactory(title="Embargoed story", scheduled=True)
    editorial.front_page_arrange(edition="en", by=editor, top_story=later, pinned=[later])
    assert "Embargoed story" not in headlines(client)
    assert headlines(client)[0] == "Story 1"

    later.publish_at = timezone.now() - timedelta(seconds=1)
    later.save()
    assert headlines(client)[0] == "Embargoed story"


def test_the_banner_shows_until_its_end(client, editor, stories):
    editorial.front_page_arrange(
        edition="en",
        by=editor,
        top_story=None,
        pinned=[],
        banner_text="Polls have closed",
        banner_link=stories[0],
        banner_expires_at=timezone.now() + timedelta(hours=1),
    )
    page = client.get("/").content.decode()
    assert re.search(r'class="breaking".*<a href="/news/[^"]+">Polls have closed</a>', page, re.S)
    assert "Polls have closed" not in client.get("/fa/").content.decode()

    FrontPage.objects.filter(edition="en").update(
        banner_expires_at=timezone.now() - timedelta(seconds=1)
    )
    editorial.page_cache.bump("front")
    assert "Polls have closed" not in client.get("/").content.decode()


def test_each_edition_is_arranged_on_its_own(client, editor, stories):
    persian = ArticleFactory(persian=True, title="خبر مهم")
    editorial.front_page_arrange(edition="fa", by=editor, top_story=persian, pinned=[])
    with pytest.raises(ValidationError):
        editorial.front_page_arrange(edition="fa", by=editor, top_story=stories[0], pinned=[])
    assert headlines(client, "/fa/")[0] == "خبر مهم"
    assert headlines(client)[0] == "Story 1"


@override_settings(ARTICLES_FRONT_PAGE_PINS=2)
def test_pins_are_limited_and_unique(editor, stories):
    with pytest.raises(ValidationError):
        editorial.front_page_arrange(edition="en", by=editor, top_story=None, pinned=stories[:3])
    with pytest.raises(ValidationError):
        editorial.front_page_arrange(
            edition="en", by=editor, top_story=None, pinned=[stories[0], stories[0]]
        )


def test_reporters_cannot_arrange_the_front_page(client, reporter, stories):
    with pytest.raises(PermissionDenied):
        editorial.front_page_arrange(edition="en", by=reporter, top_story=stories[3], pinned=[])
    client.force_login(reporter)
    response = client.post(arrange_url(), {"top_story": stories[3].pk, "_save": "1"})
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()  # the desk's own 403 page
    assert FrontPage.objects.get(edition="en").top_story is None


def test_the_arrows_reorder_without_saving_then_save_puts_it_live(client, editor, stories):
    client.force_login(editor)
    pinned = [stories[4].pk, stories[5].pk, stories[6].pk]
    response = client.post(arrange_url(), {"pinned": pinned, "move": "down:0"})
    page = response.content.decode()
    assert "Not saved yet" in page
    assert re.findall(r'name="pinned" value="(\d+)"', page) == [
        str(stories[5].pk),
        str(stories[4].pk),
        str(stories[6].pk),
    ]
    assert headlines(client)[0] == "Story 1"  # nothing is live yet

    response = client.post(
        arrange_url(),
        {"pinned": [stories[5].pk, stories[4].pk], "top_story": stories[6].pk, "_save": "1"},
    )
    assert response.status_code == 302
    client.logout()
    assert headlines(client)[:3] == ["Story 7", "Story 6", "Story 5"]


def test_a_tampered_arrangement_is_a_400(client, editor, stories):
    client.force_login(editor)
    response = client.post(arrange_url(), {"pinned": ["1; DROP TABLE"], "_save": "1"})
    assert response.status_code == 400
    assert "not stories of this desk" in response.content.decode()
    for field in ("top_story", "banner_link", "add_pin"):
        response = client.post(arrange_url(), {field: "abc", "_save": "1"})
        assert response.status_code == 400, field
        assert "Select a valid choice" in response.content.decode()
    response = client.post(arrange_url(), {"banner_expires_at_0": "yesterday", "_save": "1"})
    assert response.status_code == 400
    assert client.get("/admin/articles/frontpage/999999/change/").status_code == 404
