"""Give the Editor role the workflow permissions added with the editorial desk."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = ["publish_article", "change_any_article", "view_articleredirect",
                      "add_articleredirect", "change_articleredirect", "delete_articleredirect"]
REPORTER_PERMISSIONS = ["view_articleredirect"]
# Reporters tag articles in the article form; the tag admin is the editors' to curate.
REPORTER_REVOKED = ["add_tag"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in [("Editor", EDITOR_PERMISSIONS), ("Reporter", REPORTER_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )
    Group.objects.get(name="Reporter").permissions.remove(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=REPORTER_REVOKED)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Reporter"]):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles",
                codename__in=EDITOR_PERMISSIONS + REPORTER_PERMISSIONS,
            )
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_workflow")]

    operations = [migrations.RunPython(grant, revoke)]
