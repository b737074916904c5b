"""Authors get a photo from the picture library (the data moves in 0033)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0031_body_pictures"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="picture",
            field=models.ForeignKey(
                blank=True,
                help_text="A portrait from the picture library; the author's page crops it to a circle around its focal point.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="authors",
                to="articles.picture",
                verbose_name="photo",
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="pending_picture",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="articles.picture",
                verbose_name="new photo in processing",
            ),
        ),
    ]
