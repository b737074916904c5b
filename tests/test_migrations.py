from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_no_pending_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Models changed without a migration:\n{out.getvalue()}")


def test_roles_exist_on_a_fresh_database():
    editor = Group.objects.get(name="Editor")
    reporter = Group.objects.get(name="Reporter")

    assert editor.permissions.filter(codename="delete_section").exists()
    assert reporter.permissions.filter(codename="add_article").exists()
    assert not reporter.permissions.filter(codename="delete_section").exists()
