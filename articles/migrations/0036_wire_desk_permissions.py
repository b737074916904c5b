"""Editors run the wire desk: sources' feeds, and the import log (read only)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "view_sourcefeed", "add_sourcefeed", "change_sourcefeed", "delete_sourcefeed",
    "view_importrun",
]  # fmt: skip


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(codename__in=EDITOR_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [("articles", "0035_wire_desk")]

    operations = [migrations.RunPython(grant, revoke)]
