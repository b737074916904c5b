"""The article's own picture fields go, now that their pictures are in the library."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0028_pictures_from_articles"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="article",
            name="image",
        ),
        migrations.RemoveField(
            model_name="article",
            name="image_alt",
        ),
        migrations.RemoveField(
            model_name="article",
            name="image_caption",
        ),
        migrations.RemoveField(
            model_name="article",
            name="image_credit",
        ),
        migrations.RemoveField(
            model_name="article",
            name="image_error",
        ),
        migrations.RemoveField(
            model_name="article",
            name="image_renditions",
        ),
        migrations.RemoveField(
            model_name="article",
            name="image_state",
        ),
        migrations.RemoveField(
            model_name="article",
            name="image_upload",
        ),
    ]
