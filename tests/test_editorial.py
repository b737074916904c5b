"""Notes between staff, corrections readers see, and search and social fields."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import editorial
from articles.models import Article, ArticleNote, Correction
from tests.factories import ArticleFactory, AuthorFactory, PictureFactory, change_url, form_data

pytestmark = pytest.mark.django_db


def ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def own_article(reporter, **fields) -> Article:
    article = ArticleFactory(draft=True, **fields)
    article.created_by = reporter
    article.save()
    return article


# Notes ------------------------------------------------------------------------------------


def test_a_note_round_trip_between_reporter_and_editor(client, reporter, editor):
    article = own_article(reporter, authors=[AuthorFactory(user=reporter)])
    client.force_login(reporter)
    posted = form_data(article, _transition="submit", _note="Sources in the second paragraph.")
    client.post(change_url(article), posted)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW

    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    assert "Sources in the second paragraph." in page
    assert "with Submit for review" in page
    posted = form_data(article, _transition="return_to_draft", _note="Needs a second source.")
    client.post(change_url(article), posted)

    client.force_login(reporter)
    page = client.get(change_url(article)).content.decode()
    # The reporter sees, at the top of the form, why it came back.
    assert re.search(
        r'class="note-returned".*Sent back by an-editor:.*Needs a second source', page, re.S
    )
    notes = list(article.notes.values_list("occasion", "created_by__username", "text"))
    assert notes == [
        ("return_to_draft", "an-editor", "Needs a second source."),
        ("submit", "a-reporter", "Sources in the second paragraph."),
    ]


def test_notes_are_never_shown_to_readers(client, editor):
    article = ArticleFactory()
    editorial.note_add(article=article, by=editor, text="Embargoed detail: do not publish")
    assert "Embargoed detail" not in client.get(article.get_absolute_url()).content.decode()


def test_a_note_from_the_notes_box_and_an_empty_one(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/notes/"
    assert (
        client.post(url, {"text": "Check the spelling of the minister's name"}).status_code == 302
    )
    assert client.post(url, {"text": "   "}).status_code == 302
    assert list(article.notes.values_list("text", flat=True)) == [
        "Check the spelling of the minister's name"
    ]


def test_a_reporter_cannot_leave_notes_on_someone_elses_article(client, reporter):
    article = ArticleFactory(draft=True)
    client.force_login(reporter)
    response = client.post(f"/admin/articles/article/{article.pk}/notes/", {"text": "hi"})
    assert response.status_code == 404
    assert not ArticleNote.objects.exists()


# Corrections ------------------------------------------------------------------------------


def test_a_correction_shows_under_the_story_in_the_feed_and_in_structured_data(client, editor):
    article = ArticleFactory(title="Minister resigns", body="<p>The minister resigned.</p>")
    before = Article.objects.get(pk=article.pk)
    client.force_login(editor)
    client.post(
        f"/admin/articles/article/{article.pk}/corrections/",
        {"kind": "correction", "text": "An earlier version misspelled the minister's name."},
    )
    client.logout()

    article.refresh_from_db()
    assert article.revised_at is not None
    assert article.version == before.version  # not an edit of the story
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Corrections and updates" in page
    assert "An earlier version misspelled the minister&#x27;s name." in page
    assert "Updated" in page  # the dateline says so
    data = ld(page)
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert data["correction"][0]["text"].startswith("An earlier version")
    assert data["dateModified"] > data["datePublished"]
    feed = client.get("/feeds/latest/").content.decode()
    assert "An earlier version misspelled" in feed


def test_a_plain_edit_moves_no_modified_date(client, editor):
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=2))
    client.force_login(editor)
    client.post(change_url(article), form_data(article, summary="A sharper summary."))
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    data = ld(page)
    assert data["dateModified"] == data["datePublished"]
    assert "dateline__updated" not in page
    assert "correction" not in data


def test_only_editors_correct_and_only_published_stories(client, reporter, editor):
    article = own_article(reporter)
    with pytest.raises(PermissionDenied):
        editorial.correction_add(article=article, by=reporter, text="x", kind="correction")
    with pytest.raises(ValidationError):
        editorial.correction_add(article=article, by=editor, text="x", kind="correction")
    live = ArticleFactory()
    with pytest.raises(ValidationError):
        editorial.correction_add(article=live, by=editor, text="  ", kind="correction")
    with pytest.raises(ValidationError):
        editorial.correction_add(article=live, by=editor, text="x", kind="rumour")
    client.force_login(reporter)
    url = f"/admin/articles/article/{live.pk}/corrections/"
    assert client.post(url, {"kind": "update", "text": "x"}).status_code == 404
    assert not Correction.objects.exists()


def test_an_update_is_labelled_as_one(client, editor):
    article = ArticleFactory()
    editorial.correction_add(
        article=article, by=editor, text="Talks resumed on Friday.", kind="update"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r"<strong>Update</strong>.*Talks resumed on Friday\.", page, re.S)


# Search and social ------------------------------------------------------------------------


def test_search_fields_fall_back_to_the_headline_and_summary(client):
    article = ArticleFactory(title="Talks resume", summary="Negotiators meet again.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Talks resume · " in page
    assert '<meta name="description" content="Negotiators meet again.">' in page
    assert 'name="robots"' not in page


def test_search_fields_replace_them_when_set(client):
    picture = PictureFactory(
        file="pictures/social.jpg",
        file_renditions={
            "social": {"name": "pictures/social-card.jpg", "width": 1200, "height": 630}
        },
        alt="A card",
    )
    article = ArticleFactory(
        title="Talks resume",
        seo_title="Iran nuclear talks resume in Vienna",
        meta_description="What changed, and what did not.",
        social_picture=picture,
        noindex=True,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Iran nuclear talks resume in Vienna</title>" in page
    assert '<meta name="description" content="What changed, and what did not.">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert re.search(
        r'<meta property="og:image" content="http://testserver/media/pictures/social-card.jpg">',
        page,
    )
    assert '<meta property="og:image:alt" content="A card">' in page
    # The headline readers see stays the headline.
    assert "<h1" in page and "Talks resume</h1>" in page


def test_a_correction_in_a_full_text_feed_is_text_not_markup(client, editor, settings):
    settings.ARTICLES_FEED_FULL_TEXT = True
    article = ArticleFactory()
    editorial.correction_add(
        article=article, by=editor, text="We wrote <b>5</b> & meant 6.", kind="correction"
    )
    feed = client.get("/feeds/latest/").content.decode()
    # Escaped once for the HTML description, once more for the XML around it.
    assert "We wrote &amp;lt;b&amp;gt;5&amp;lt;/b&amp;gt; &amp;amp; meant 6." in feed
