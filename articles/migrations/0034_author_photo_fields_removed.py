"""The author's own photo fields go, now that their photos are in the library.

The library picture takes the field's name: an author's `photo` is a Picture now.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0033_author_photos_to_library"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="author",
            name="photo",
        ),
        migrations.RemoveField(
            model_name="author",
            name="photo_error",
        ),
        migrations.RemoveField(
            model_name="author",
            name="photo_renditions",
        ),
        migrations.RemoveField(
            model_name="author",
            name="photo_state",
        ),
        migrations.RemoveField(
            model_name="author",
            name="photo_upload",
        ),
        migrations.RenameField(model_name="author", old_name="picture", new_name="photo"),
    ]
