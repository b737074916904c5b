"""The roles table, cell by cell, as a browser posts to the admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Section, Source, Tag
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    UserFactory,
    change_url,
    form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_draft(reporter):
    return ArticleFactory(draft=True, created_by=reporter, authors=[AuthorFactory()])


@pytest.fixture
def others_draft():
    return ArticleFactory(draft=True, created_by=UserFactory(), authors=[AuthorFactory()])


# Write drafts, submit for review: reporter own, editor any ------------------------


def test_reporter_writes_a_draft(client, reporter):
    client.force_login(reporter)
    section, author = SectionFactory(), AuthorFactory()

    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "My scoop",
            "slug": "",
            "summary": "",
            "body": "<p>Text</p>",
            "language": "en",
            "section": section.pk,
            "authors": [author.pk],
            "tags": "Iran",
            "source_url": "",
            "picture": "",
            "new_picture_alt": "",
            "new_picture_caption": "",
            "new_picture_credit": "",
        },
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.created_by) == ("draft", reporter)


def test_reporter_submits_own_draft_from_the_form(client, reporter, own_draft):
    client.force_login(reporter)

    response = client.post(
        change_url(own_draft), form_data(own_draft, _transition="submit"), follow=True
    )

    own_draft.refresh_from_db()
    assert own_draft.status == "review"
    assert "Submit for review" in response.content.decode()


def test_reporter_cannot_open_another_reporters_draft(client, reporter, others_draft):
    client.force_login(reporter)

    response = client.get(change_url(others_draft))

    assert response.status_code == 302
    assert others_draft.title not in client.get(response["Location"]).content.decode()


def test_reporter_cannot_edit_or_submit_another_reporters_draft(client, reporter, others_draft):
    client.force_login(reporter)

    client.post(
        change_url(others_draft), form_data(others_draft, title="Hijacked", _transition="submit")
    )

    others_draft.refresh_from_db()
    assert (others_draft.title, others_draft.status) != ("Hijacked", "review")
    assert others_draft.status == "draft"


def test_editor_submits_anyones_draft(client, editor, others_draft):
    client.force_login(editor)

    client.post(change_url(others_draft), form_data(others_draft, _transition="submit"))

    others_draft.refresh_from_db()
    assert others_draft.status == "review"


# Edit: reporter own while draft/review; editor any -----------------------------------


@pytest.mark.parametrize("status", ["draft", "review"])
def test_reporter_edits_own_article_while_draft_or_review(client, reporter, status):
    article = ArticleFactory(status=status, publish_at=None, created_by=reporter)
    client.force_login(reporter)

    response = client.post(change_url(article), form_data(article, title="Better headline"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Better headline"


def test_reporter_cannot_edit_own_published_article(client, reporter):
    article = ArticleFactory(created_by=reporter, title="As published")
    client.force_login(reporter)

    page = client.get(change_url(article))
    response = client.post(change_url(article), form_data(article, title="Quietly changed"))

    assert page.status_code == 200  # they may still read it
    assert 'name="title"' not in page.content.decode()
    # Refused, but the words they typed are handed back, not thrown away.
    assert response.status_code == 409
    assert "Quietly changed" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "As published"


def test_reporter_posting_status_or_publish_time_by_hand_publishes_nothing(
    client, reporter, own_draft
):
    client.force_login(reporter)
    tomorrow = timezone.localtime() + timedelta(days=1)

    client.post(
        change_url(own_draft),
        form_data(
            own_draft,
            status="published",
            is_featured="on",
            publish_at_0=tomorrow.strftime("%Y-%m-%d"),
            publish_at_1="08:00:00",
        ),
    )

    own_draft.refresh_from_db()
    assert own_draft.status == "draft"
    assert own_draft.publish_at is None
    assert not own_draft.is_featured


def test_editor_edits_anyones_published_article(client, editor):
    article = ArticleFactory(created_by=UserFactory())
    client.force_login(editor)

    client.post(change_url(article), form_data(article, summary="A correction."))

    article.refresh_from_db()
    assert article.summary == "A correction."
    assert article.updated_by == editor


# Publish, schedule, unpublish, archive: editors only -----------------------------------


@pytest.mark.parametrize("name", ["publish", "schedule"])
def test_reporter_cannot_publish_or_schedule_from_the_form(client, reporter, own_draft, name):
    client.force_login(reporter)
    later = timezone.localtime() + timedelta(days=1)

    response = client.post(
        change_url(own_draft),
        form_data(
            own_draft,
            _transition=name,
            publish_at_0=later.strftime("%Y-%m-%d"),
            publish_at_1="08:00:00",
        ),
        follow=True,
    )

    own_draft.refresh_from_db()
    assert own_draft.status == "draft"
    assert "Only editors can publish" in response.content.decode()


def test_reporter_is_not_offered_publishing_buttons_or_actions(client, reporter, own_draft):
    client.force_login(reporter)

    form = client.get(change_url(own_draft)).content.decode()
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert 'value="submit"' in form
    for name in ["publish", "schedule", "unpublish", "archive"]:
        assert f'value="{name}"' not in form
    for action in ["publish", "unpublish", "archive", "schedule"]:
        assert f'value="{action}"' not in changelist


def test_reporter_cannot_run_publish_bulk_action_by_hand(client, reporter, own_draft):
    client.force_login(reporter)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [own_draft.pk]},
    )

    own_draft.refresh_from_db()
    assert own_draft.status == "draft"


def test_editor_publishes_from_the_form(client, editor, others_draft):
    client.force_login(editor)

    client.post(change_url(others_draft), form_data(others_draft, _transition="publish"))

    assert others_draft in Article.objects.published()


def test_editor_schedules_from_the_form(client, editor, others_draft):
    client.force_login(editor)
    later = timezone.localtime() + timedelta(days=2)

    response = client.post(
        change_url(others_draft),
        form_data(
            others_draft,
            _transition="schedule",
            publish_at_0=later.strftime("%Y-%m-%d"),
            publish_at_1=later.strftime("%H:%M:%S"),
        ),
        follow=True,
    )

    others_draft.refresh_from_db()
    assert others_draft.is_scheduled()
    assert "Scheduled —" in response.content.decode()


def test_scheduling_without_a_time_says_so(client, editor, others_draft):
    client.force_login(editor)

    response = client.post(
        change_url(others_draft), form_data(others_draft, _transition="schedule"), follow=True
    )

    assert "Choose the time to publish at" in response.content.decode()
    others_draft.refresh_from_db()
    assert others_draft.status == "draft"


def test_publishing_an_incomplete_article_says_what_is_missing(client, editor):
    article = ArticleFactory(draft=True)  # no author
    client.force_login(editor)

    response = client.post(
        change_url(article), form_data(article, _transition="publish"), follow=True
    )

    assert "needs an author" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "draft"


@pytest.mark.parametrize(("name", "status"), [("unpublish", "draft"), ("archive", "archived")])
def test_editor_unpublishes_and_archives_from_the_form(client, editor, name, status):
    article = ArticleFactory(authors=[AuthorFactory()])
    client.force_login(editor)

    client.post(change_url(article), form_data(article, _transition=name))

    article.refresh_from_db()
    assert article.status == status
    assert article not in Article.objects.published()


@pytest.mark.parametrize(
    ("action", "start", "status"),
    [
        ("publish", {"draft": True}, "published"),
        ("unpublish", {}, "draft"),
        ("archive", {}, "archived"),
        ("submit", {"draft": True}, "review"),
    ],
)
def test_editor_bulk_actions(client, editor, action, start, status):
    articles = [ArticleFactory(**start, authors=[AuthorFactory()]) for _ in range(3)]
    client.force_login(editor)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [a.pk for a in articles]},
    )

    assert {a.status for a in Article.objects.all()} == {status}


def test_bulk_publish_reports_the_incomplete_ones(client, editor):
    ready = ArticleFactory(draft=True, authors=[AuthorFactory()])
    incomplete = ArticleFactory(draft=True, title="No byline yet")
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [ready.pk, incomplete.pk]},
        follow=True,
    )

    content = response.content.decode()
    assert "1 article: Publish now." in content
    assert "“No byline yet” cannot be published yet: it needs an author." in content
    assert list(Article.objects.published()) == [ready]


def test_editor_bulk_schedules_with_a_time(client, editor):
    articles = [ArticleFactory(draft=True, authors=[AuthorFactory()]) for _ in range(2)]
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    later = timezone.localtime() + timedelta(days=1)

    ask = client.post(url, {"action": "schedule", "_selected_action": [a.pk for a in articles]})
    client.post(
        url,
        {
            "action": "schedule",
            "apply": "1",
            "_selected_action": [a.pk for a in articles],
            "publish_at_0": later.strftime("%Y-%m-%d"),
            "publish_at_1": "09:30",
        },
    )

    assert "Publish at" in ask.content.decode()
    assert Article.objects.scheduled().count() == 2


# Delete: reporter own drafts; editor any ----------------------------------------------


def delete(client, article):
    return client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})


def test_reporter_deletes_own_draft(client, reporter, own_draft):
    client.force_login(reporter)

    delete(client, own_draft)

    assert Article.objects.in_trash().filter(pk=own_draft.pk).exists()


@pytest.mark.parametrize("start", [{"in_review": True}, {}])
def test_reporter_cannot_delete_own_article_once_submitted_or_published(client, reporter, start):
    article = ArticleFactory(**start, created_by=reporter)
    client.force_login(reporter)

    response = delete(client, article)

    assert response.status_code == 403
    assert Article.objects.not_in_trash().filter(pk=article.pk).exists()


def test_reporter_cannot_delete_another_reporters_draft(client, reporter, others_draft):
    client.force_login(reporter)

    delete(client, others_draft)

    assert Article.objects.not_in_trash().filter(pk=others_draft.pk).exists()


def test_reporter_cannot_bulk_delete_own_submitted_articles(client, reporter):
    article = ArticleFactory(in_review=True, created_by=reporter)
    client.force_login(reporter)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "move_to_trash", "_selected_action": [article.pk], "post": "yes"},
    )

    assert Article.objects.not_in_trash().filter(pk=article.pk).exists()


def test_editor_deletes_any_article(client, editor):
    article = ArticleFactory(created_by=UserFactory())
    client.force_login(editor)

    delete(client, article)

    assert list(Article.objects.in_trash()) == [article]


# Manage tags, sections, authors, sources: editors --------------------------------------


CURATION = [
    ("section", Section, {"name": "Sport", "slug": "sport", "description": "", "position": 9}),
    ("author", Author, {"name": "New Writer", "slug": "new-writer", "bio": ""}),
    (
        "source",
        Source,
        {
            "name": "Wire",
            "slug": "wire",
            "homepage": "",
            "poll_minutes": "30",
            "import_policy": "review",
            "feeds-TOTAL_FORMS": "0",
            "feeds-INITIAL_FORMS": "0",
        },
    ),
    ("tag", Tag, {"name": "Oil", "slug": "oil", "description": "", "approved": "on"}),
]


@pytest.mark.parametrize(("model", "cls", "data"), CURATION)
def test_reporter_cannot_manage_vocabulary(client, reporter, model, cls, data):
    client.force_login(reporter)

    response = client.post(reverse(f"admin:articles_{model}_add"), data)

    assert response.status_code == 403
    assert not cls.objects.filter(slug=data["slug"]).exists()


@pytest.mark.parametrize(("model", "cls", "data"), CURATION)
def test_editor_manages_vocabulary(client, editor, model, cls, data):
    client.force_login(editor)

    response = client.post(reverse(f"admin:articles_{model}_add"), data)

    assert response.status_code == 302
    assert cls.objects.filter(slug=data["slug"]).exists()


# Users and groups: administrators only ------------------------------------------------


@pytest.mark.parametrize("role", ["reporter", "editor"])
@pytest.mark.parametrize("model", ["auth/user", "auth/group"])
def test_only_administrators_reach_users_and_roles(client, request, role, model):
    client.force_login(request.getfixturevalue(role))

    assert client.get(f"/admin/{model}/").status_code == 403
    assert client.get(f"/admin/{model}/add/").status_code == 403


def test_administrator_creates_a_reporter_and_deactivates_them(client, superuser):
    client.force_login(superuser)

    client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newbie",
            "password1": "a-long-pass-phrase-77",
            "password2": "a-long-pass-phrase-77",
            "usable_password": "true",
        },
    )
    user = User.objects.get(username="newbie")
    reporter_role = Group.objects.get(name="Reporter")
    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": "newbie",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "groups": [reporter_role.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_staff and user.groups.get() == reporter_role

    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [user.pk]},
    )

    user.refresh_from_db()
    assert not user.is_active


def test_staff_pages_are_not_indexed(client, editor):
    client.force_login(editor)

    for url in ["/admin/", reverse("admin:articles_article_changelist"), "/admin/login/"]:
        assert client.get(url)["X-Robots-Tag"] == "noindex, nofollow"


# The view-on-site redirect gives nothing away ------------------------------------------


def view_on_site(article) -> str:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Article)
    return reverse("admin:view_on_site", args=[content_type.pk, article.pk])


def test_view_on_site_refuses_what_a_reporter_may_not_change(client, reporter, others_draft):
    embargoed = ArticleFactory(scheduled=True, title="Embargoed until noon")
    own_live = ArticleFactory(created_by=reporter)
    own_draft = ArticleFactory(draft=True, created_by=reporter)
    client.force_login(reporter)

    for article in [others_draft, embargoed, own_live]:
        response = client.get(view_on_site(article))
        assert response.status_code == 404, article
        assert article.slug not in response.get("Location", "")
    assert client.get(view_on_site(own_draft))["Location"].endswith(own_draft.get_absolute_url())
    for odd in [("999999", "1"), ("abc", "1"), ("1", "%00")]:
        assert client.get(f"/admin/r/{odd[0]}/{odd[1]}/").status_code == 404


def test_view_on_site_takes_an_editor_to_the_article(client, editor, others_draft):
    client.force_login(editor)

    response = client.get(view_on_site(others_draft))

    assert response.status_code == 302
    assert response["Location"].endswith(others_draft.get_absolute_url())
