"""Reporters tag through the article form; the tag and redirect admins are the editors'."""

from django.db import migrations

REVOKED = ["view_tag", "view_articleredirect"]


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Reporter"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=REVOKED)
        )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Reporter"):
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=REVOKED)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_picture_renditions")]

    operations = [migrations.RunPython(revoke, grant)]
