"""Autosave: what is typed is kept privately, offered back, and never a revision."""

import pytest
from reversion.models import Version

from articles.models import Article, Autosave
from tests.factories import ArticleFactory, change_url, form_data

pytestmark = pytest.mark.django_db


def autosave(client, article, **typed):
    url = (
        f"/admin/articles/article/{article.pk}/autosave/"
        if article
        else "/admin/articles/article/autosave/"
    )
    return client.post(url, {"title": "", **typed})


def test_typing_is_kept_without_a_revision_or_touching_the_article(client, editor):
    article = ArticleFactory(title="Talks resume", body="<p>Old text.</p>")
    client.force_login(editor)
    response = autosave(client, article, title="Talks resume in Vienna", body="<p>New text.</p>")

    assert response.status_code == 200
    assert "Draft kept" in response.json()["message"]
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.body, stored.version) == ("Talks resume", "<p>Old text.</p>", 1)
    assert not Version.objects.get_for_object(stored).exists()
    kept = Autosave.objects.get(user=editor, article=article)
    assert kept.fields["title"] == "Talks resume in Vienna"
    # The next tick replaces it: one kept copy per person and article.
    autosave(client, article, title="Talks resume in Vienna, Austria")
    assert Autosave.objects.get(user=editor, article=article).fields["title"].endswith("Austria")


def test_reopening_the_form_offers_it_back_and_restores_it(client, editor):
    article = ArticleFactory(title="Talks resume", body="<p>Old text.</p>")
    client.force_login(editor)
    autosave(
        client, article, title="A headline typed before the crash", body="<p>Lost?</p>", tags="Iran"
    )

    page = client.get(change_url(article)).content.decode()
    assert "was not saved. It was kept for you." in page
    restored = client.get(change_url(article) + "?restore=autosave").content.decode()
    assert 'value="A headline typed before the crash"' in restored
    assert "&lt;p&gt;Lost?&lt;/p&gt;" in restored
    assert 'value="Iran"' in restored

    client.post(change_url(article), form_data(article, title="A headline typed before the crash"))
    assert not Autosave.objects.filter(article=article).exists()  # saved for real: gone
    assert "It was kept for you" not in client.get(change_url(article)).content.decode()


def test_a_restored_draft_over_a_newer_save_is_refused_and_shown_back(client, editor, superuser):
    article = ArticleFactory(title="Talks resume")
    client.force_login(editor)
    autosave(client, article, title="My version")
    # Meanwhile someone else saves the article.
    client.force_login(superuser)
    client.post(change_url(article), form_data(article, title="Their version"))
    article.refresh_from_db()
    assert article.version == 2

    client.force_login(editor)
    autosave(client, article, title="My version, again")  # typed after their save
    Autosave.objects.filter(user=editor).update(base_version=1)  # …in a form opened before it
    restored = client.get(change_url(article) + "?restore=autosave").content.decode()
    assert 'name="edit_version" value="1"' in restored
    stale = Article.objects.get(pk=article.pk)
    stale.version = 1
    response = client.post(change_url(article), form_data(stale, title="My version, again"))
    # The form comes back with the refusal and the typed text, nothing saved.
    assert response.status_code == 200
    assert "an-admin saved this article at" in response.content.decode()
    assert 'value="My version, again"' in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Their version"


def test_a_new_article_is_kept_too(client, reporter):
    client.force_login(reporter)
    assert autosave(client, None, title="A story not yet saved").status_code == 200
    page = client.get("/admin/articles/article/add/").content.decode()
    assert "It was kept for you" in page
    restored = client.get("/admin/articles/article/add/?restore=autosave").content.decode()
    assert 'value="A story not yet saved"' in restored


def test_nobody_keeps_drafts_of_articles_they_cannot_edit(client, reporter):
    article = ArticleFactory(draft=True)
    client.force_login(reporter)
    assert autosave(client, article, title="x").status_code == 404
    mine = ArticleFactory()  # published: a reporter cannot change it any more
    mine.created_by = reporter
    mine.save()
    assert autosave(client, mine, title="x").status_code == 403
    assert client.post(f"/admin/articles/article/{mine.pk}/autosave/", {}).status_code == 400
    assert not Autosave.objects.exists()


def test_discarding_forgets_it(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    autosave(client, article, title="Never mind")
    autosave(client, article, discard="1")
    assert not Autosave.objects.exists()
