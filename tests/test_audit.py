"""The audit log: who did what, when and from where; read-only, for administrators."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services, tagging, workflow
from articles.models import AuditEntry
from tests.factories import ArticleFactory, AuthorFactory, UserFactory, change_url, form_data

pytestmark = pytest.mark.django_db

LOG = reverse("admin:articles_auditentry_changelist")


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_a_transition_in_the_desk_says_who_what_when_and_from_where(client, editor):
    article = ArticleFactory(draft=True, authors=[AuthorFactory()])
    client.force_login(editor)

    client.post(
        change_url(article), form_data(article, _transition="publish"), REMOTE_ADDR="203.0.113.7"
    )

    entry = AuditEntry.objects.get(action="article.publish")
    assert (entry.actor, entry.actor_name, entry.object_repr) == (
        editor,
        "an-editor",
        article.title,
    )
    assert entry.ip_address == "203.0.113.7"
    assert entry.details["status"] == "published"
    assert timezone.now() - entry.created_at < timedelta(minutes=1)


def test_every_curation_step_is_logged_withdrawal_included(editor, reporter):
    article = ArticleFactory()
    tagging.article_set_tags(article=article, names=["Caspian"], by=reporter)
    tag = article.tags.get()

    tagging.tag_approve(tags=[tag], by=editor)
    tagging.tag_rename(tag=tag, name="Caspian Sea", by=editor)
    tagging.tag_withdraw_approval(tags=[tag], by=editor)

    assert actions() == ["tag.approve", "tag.rename", "tag.withdraw"]


def test_preview_links_made_and_revoked_are_logged(editor):
    link, _token = services.preview_link_make(
        article=ArticleFactory(draft=True), by=editor, hours=2
    )
    services.preview_link_revoke(link=link, by=editor)

    assert actions() == ["preview.made", "preview.revoked"]


def test_sign_ins_and_failed_sign_ins_are_logged(client):
    UserFactory(username="sara", is_staff=True)
    login = reverse("admin:login")

    client.post(login, {"username": "sara", "password": "wrong"}, REMOTE_ADDR="198.51.100.4")
    client.post(login, {"username": "sara", "password": "correct horse battery staple"})

    failed, signed_in = AuditEntry.objects.order_by("pk")
    assert (failed.action, failed.actor_name, failed.ip_address) == (
        "login.failed",
        "sara",
        "198.51.100.4",
    )
    assert "wrong" not in str(failed.details)
    assert (signed_in.action, signed_in.actor_name) == ("login", "sara")


def test_role_changes_and_deactivations_are_logged(client, superuser):
    reporter = UserFactory(username="new-reporter", is_staff=True)
    client.force_login(superuser)
    change = reverse("admin:auth_user_change", args=[reporter.pk])
    data = {
        "username": "new-reporter",
        "is_active": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name="Reporter").pk],
        "last_login_0": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }

    client.post(change, data)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [reporter.pk]},
    )

    assert "user.roles" in actions() and "user.deactivated" in actions()
    assert AuditEntry.objects.get(action="user.roles").details["roles"] == ["Reporter"]


def test_only_administrators_read_the_log_and_nobody_changes_it(client, editor, superuser):
    workflow.article_publish(
        article=ArticleFactory(draft=True, authors=[AuthorFactory()]), by=editor
    )
    entry = AuditEntry.objects.get()

    client.force_login(editor)
    assert client.get(LOG).status_code == 403
    admin = Client()
    admin.force_login(superuser)
    page = admin.get(LOG, {"action": "article.publish"})
    assert page.status_code == 200 and "article.publish" in page.content.decode()
    delete = reverse("admin:articles_auditentry_delete", args=[entry.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_old_entries_are_pruned_after_the_retention_time(settings):
    settings.ARTICLES_AUDIT_DAYS = 30
    old, recent = (AuditEntry.objects.create(action="login") for _ in range(2))
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))

    call_command("prune_audit_log", verbosity=0)

    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    with pytest.raises(CommandError):
        call_command("prune_audit_log", days=-1)
