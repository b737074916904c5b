"""Transitions are one registry: buttons, bulk actions and checks all follow from it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles import workflow
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, UserFactory, change_url

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def retract(monkeypatch):
    """A new transition, registered the one way the workflow allows."""
    transitions = dict(workflow.TRANSITIONS)
    monkeypatch.setattr(workflow, "TRANSITIONS", transitions)
    monkeypatch.setattr("articles.admin.workflow.TRANSITIONS", transitions)
    return workflow.register(
        workflow.Transition(
            name="retract",
            label="Retract",
            sources=frozenset({Article.Status.PUBLISHED}),
            target=Article.Status.ARCHIVED,
            editors_only=True,
        )
    )


def test_a_registered_transition_is_a_button_a_bulk_action_and_a_check(client, editor, retract):
    article = ArticleFactory(authors=[AuthorFactory()])
    client.force_login(editor)

    form = client.get(change_url(article)).content.decode()
    assert 'name="_transition" value="retract"' in form
    listing = client.get(CHANGELIST).content.decode()
    assert '<option value="retract">Retract</option>' in listing

    client.post(CHANGELIST, {"action": "retract", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED


def test_a_registered_transition_refuses_who_it_should(client, retract):
    reporter = UserFactory(is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporter"))
    article = ArticleFactory(created_by=reporter, authors=[AuthorFactory(user=reporter)])
    client.force_login(reporter)

    assert '<option value="retract">' not in client.get(CHANGELIST).content.decode()
    client.post(CHANGELIST, {"action": "retract", "_selected_action": [article.pk]})
    assert retract.refusal(article=article, user=reporter)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_buttons_are_the_transitions_that_apply_now(editor):
    draft = ArticleFactory(draft=True)
    live = ArticleFactory()

    assert [t.name for t in workflow.article_transitions(article=draft, user=editor)] == [
        "submit",
        "publish",
        "schedule",
    ]
    assert [t.name for t in workflow.article_transitions(article=live, user=editor)] == [
        "schedule",
        "unpublish",
        "archive",
    ]
