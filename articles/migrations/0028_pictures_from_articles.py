"""Every article's picture becomes a library record, with its alt text, caption, credit,
renditions and state; the article points at it. Nothing is lost, and going back
puts the fields back on the articles."""

from django.db import migrations


def articles_to_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Picture = apps.get_model("articles", "Picture")
    with_pictures = Article.objects.exclude(image="", image_upload="").order_by("pk")
    for article in with_pictures.iterator(chunk_size=500):
        picture = Picture.objects.create(
            file=article.image.name,
            file_renditions=article.image_renditions or {},
            file_upload=article.image_upload.name,
            file_state=article.image_state,
            file_error=article.image_error,
            alt=article.image_alt,
            caption=article.image_caption,
            credit=article.image_credit,
            uploaded_by_id=article.created_by_id,
        )
        # auto_now_add: the upload's time is the article's, as near as is known.
        Picture.objects.filter(pk=picture.pk).update(created_at=article.created_at)
        Article.objects.filter(pk=article.pk).update(picture=picture)


def library_to_articles(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.exclude(picture=None).select_related("picture"):
        picture = article.picture
        Article.objects.filter(pk=article.pk).update(
            image=picture.file.name,
            image_renditions=picture.file_renditions,
            image_upload=picture.file_upload.name,
            image_state=picture.file_state,
            image_error=picture.file_error,
            image_alt=picture.alt,
            image_caption=picture.caption,
            image_credit=picture.credit,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0027_picture_library"),
    ]

    operations = [
        migrations.RunPython(articles_to_library, library_to_articles, elidable=False),
    ]
