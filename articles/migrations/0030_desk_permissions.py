"""Who may use the picture library, notes, corrections and the front page; and each
edition's front page, ready for editors to arrange.

Reporters upload and describe pictures and leave notes; editors also delete
unused pictures, write corrections and arrange the front page.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER_PERMISSIONS = [
    "view_picture", "add_picture", "change_picture",
    "view_articlenote", "add_articlenote",
]  # fmt: skip
EDITOR_PERMISSIONS = [
    *REPORTER_PERMISSIONS,
    "delete_picture",
    "view_correction", "add_correction", "change_correction", "delete_correction",
    "view_frontpage", "change_frontpage",
    "view_frontpagepin", "add_frontpagepin", "change_frontpagepin", "delete_frontpagepin",
]  # fmt: skip


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Reporter", REPORTER_PERMISSIONS), ("Editor", EDITOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def create_front_pages(apps, schema_editor):
    FrontPage = apps.get_model("articles", "FrontPage")
    for edition in ("en", "fa"):
        FrontPage.objects.get_or_create(edition=edition)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Reporter", "Editor"]):
        group.permissions.remove(*Permission.objects.filter(codename__in=EDITOR_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [("articles", "0029_article_image_fields_removed")]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.RunPython(create_front_pages, migrations.RunPython.noop),
    ]
