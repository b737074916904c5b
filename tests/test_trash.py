"""Deleting moves an article to the trash, whole; editors restore drafts; purging is final."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleRedirect, AuditEntry, Picture
from tests import images as made
from tests.factories import ArticleFactory, AuthorFactory, change_url, picture_from

pytestmark = pytest.mark.django_db

TRASH = reverse("admin:articles_trashedarticle_changelist")


@pytest.fixture
def story(editor):
    article = ArticleFactory(
        title="Talks resume in Vienna", authors=[AuthorFactory(name="Sara")], tags=["JCPOA"]
    )
    article.picture = picture_from(made.upload(made.cmyk_jpeg(), "hall.jpg"), alt="The hall")
    services.article_save(article=article, by=editor)
    old = article.slug
    article.slug = "talks-in-vienna"
    services.article_save(article=article, by=editor, previous_slug=old)
    article.refresh_from_db()
    return article


def trash_in_the_desk(client, article):
    return client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})


def test_deleting_moves_a_live_story_to_the_trash_whole(client, editor, story):
    url = story.get_absolute_url()
    client.force_login(editor)

    response = trash_in_the_desk(client, story)

    assert response.status_code == 302
    assert "is in the trash" in client.get(response["Location"]).content.decode()
    story.refresh_from_db()
    assert story.trashed_at and story.trashed_by == editor and story.status == "draft"
    assert Client().get(url).status_code == 404
    assert "Talks resume" not in Client().get("/feeds/latest/").content.decode()
    assert (
        story.title not in client.get(reverse("admin:articles_article_changelist")).content.decode()
    )
    # Whole: tags, bylines, picture files and old addresses stay.
    assert [t.name for t in story.tags.all()] == ["JCPOA"]
    assert [a.name for a in story.authors.all()] == ["Sara"]
    assert story.picture.alt == "The hall" and default_storage.exists(story.picture.file.name)
    assert ArticleRedirect.objects.filter(article=story).exists()
    assert AuditEntry.objects.filter(action="article.trashed", object_id=str(story.pk)).exists()


def test_the_confirmation_says_trash_not_a_cascade(client, editor, story):
    client.force_login(editor)

    page = client.get(reverse("admin:articles_article_delete", args=[story.pk])).content.decode()

    assert "Move “Talks resume in Vienna” to the trash?" in page
    assert "revision" not in page.lower()


def test_editors_restore_from_the_trash_as_a_draft_never_live(client, editor, story):
    client.force_login(editor)
    trash_in_the_desk(client, story)
    assert story.title in client.get(TRASH).content.decode()

    client.post(TRASH, {"action": "restore", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.trashed_at is None and story.status == "draft"
    assert client.get(change_url(story)).status_code == 200
    assert Client().get(story.get_absolute_url()).status_code == 404
    assert [t.name for t in story.tags.all()] == ["JCPOA"]


def test_reporters_cannot_see_the_trash(client, reporter, editor, story):
    services.article_trash(article=story, by=editor)
    client.force_login(reporter)

    assert client.get(TRASH).status_code == 403
    assert "Trash" not in client.get(reverse("admin:index")).content.decode()


def test_purging_deletes_old_trash_for_good_and_leaves_the_picture_library(
    editor, story, django_capture_on_commit_callbacks
):
    fresh = ArticleFactory(title="Trashed today")
    services.article_trash(article=story, by=editor)
    services.article_trash(article=fresh, by=editor)
    Article.objects.filter(pk=story.pk).update(trashed_at=timezone.now() - timedelta(days=31))
    picture = story.picture
    files = [picture.file.name, *(s["name"] for s in picture.file_renditions["sources"])]

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_trash", verbosity=0)

    assert list(Article.objects.values_list("title", flat=True)) == ["Trashed today"]
    assert AuditEntry.objects.filter(action="article.purged").count() == 1
    # The picture belongs to the library, which other stories may draw on: it stays...
    assert Picture.objects.filter(pk=picture.pk).exists()
    assert all(default_storage.exists(name) for name in files)
    # ...and, used by nothing now, can be deleted from it, files and all.
    with django_capture_on_commit_callbacks(execute=True):
        picture.delete()
    assert not any(default_storage.exists(name) for name in files)


def test_the_database_keeps_the_trash_out_of_sight():
    article = ArticleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(trashed_at=timezone.now())
