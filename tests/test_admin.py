import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, article_form

pytestmark = pytest.mark.django_db


def test_editor_adds_an_article_with_a_persian_title(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_add"),
        article_form(title="مذاکرات وین از سر گرفته شد", language="fa"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.slug == "مذاکرات-وین-از-سر-گرفته-شد"
    assert article.created_by == editor
    assert "<script" not in article.body
    assert sorted(tag.name for tag in article.tags.all()) == ["Iran", "JCPOA"]


def test_editor_writes_and_publishes_in_one_go(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_add"), article_form(_transition="publish"), follow=True
    )

    article = Article.objects.get()
    assert article in Article.objects.published()
    assert "Publish now: “Talks resume in Vienna”." in response.content.decode()


def test_admin_change_list_searches_and_filters(client, editor):
    ArticleFactory(title="Vienna talks", summary="JCPOA")
    ArticleFactory(title="Football derby", draft=True)
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")

    found = client.get(url, {"q": "vienna"})
    drafts = client.get(url, {"status__exact": "draft"})

    assert [a.title for a in found.context["cl"].result_list] == ["Vienna talks"]
    assert [a.title for a in drafts.context["cl"].result_list] == ["Football derby"]


@pytest.mark.parametrize("model", ["article", "section", "author", "source", "tag", "picture"])
def test_editor_can_open_every_add_and_list_page(client, editor, model):
    client.force_login(editor)

    assert client.get(reverse(f"admin:articles_{model}_add")).status_code == 200
    assert client.get(reverse(f"admin:articles_{model}_changelist")).status_code == 200


def test_admin_edit_page_opens_for_a_persian_article(client, editor):
    article = ArticleFactory(persian=True, tags=["ایران"])
    client.force_login(editor)

    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_readers_reach_none_of_the_desks_own_pages(client):
    article = ArticleFactory(draft=True, title="Embargoed: secret deal", tags=["Secret deal"])
    urls = [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_revisions", args=[article.pk]),
        reverse("admin:articles_tag_autocomplete") + "?q=secret",
        reverse("admin:articles_tag_suggest") + "?text=secret+deal",
        reverse("admin:articles_tag_duplicates"),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
        assert b"secret" not in response.content.lower(), url
    share = client.post(reverse("admin:articles_article_share", args=[article.pk]))
    assert share.status_code == 302 and share["Location"].startswith("/admin/login/")
