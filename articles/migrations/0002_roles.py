"""The newsroom's roles as groups, so every database has them from the start."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = ["article", "section", "author", "source", "tag", "taggedarticle"]
REPORTER_PERMISSIONS = [
    "add_article",
    "change_article",
    "delete_article",
    "view_article",
    "view_section",
    "view_author",
    "view_source",
    "add_tag",
    "view_tag",
    "add_taggedarticle",
    "change_taggedarticle",
    "delete_taggedarticle",
    "view_taggedarticle",
]


def create_roles(apps, schema_editor):
    # Permissions are normally made after migrating; make them now to attach them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    articles_perms = Permission.objects.filter(content_type__app_label="articles")

    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *articles_perms.filter(content_type__model__in=EDITOR_MODELS)
    )
    reporter, _ = Group.objects.get_or_create(name="Reporter")
    reporter.permissions.add(*articles_perms.filter(codename__in=REPORTER_PERMISSIONS))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Reporter"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
