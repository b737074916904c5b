"""Authors' photos join the picture library: each author's photo becomes a library
record (file, renditions, upload in waiting, state, problem; alt text the author's
name) and the author points at it. The old fields go in 0034.

The upload time of a photo was never recorded, and asking the storage for it in a
migration would tie migrating to the bucket being reachable: a migrated photo is
dated the moment it joined the library. Going back puts every author's photo back on
the author, and removes the library records only authors used (so that no file has
two owners that could delete it).
"""

from django.db import migrations, models


def authors_to_library(apps, schema_editor):
    Author = apps.get_model("articles", "Author")
    Picture = apps.get_model("articles", "Picture")
    with_photos = Author.objects.exclude(photo="", photo_upload="").order_by("pk")
    for author in with_photos.iterator(chunk_size=500):
        picture = Picture.objects.create(
            file=author.photo.name,
            file_renditions=author.photo_renditions or {},
            file_upload=author.photo_upload.name,
            file_state=author.photo_state,
            file_error=author.photo_error,
            alt=author.name,
            uploaded_by=None,
        )
        Author.objects.filter(pk=author.pk).update(picture=picture)


def library_to_authors(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    Picture = apps.get_model("articles", "Picture")
    pictured = Author.objects.exclude(picture=None, pending_picture=None)
    for author in pictured.select_related("picture", "pending_picture").order_by("pk"):
        photo = author.picture
        waiting = author.pending_picture  # a new photo still on its way wins the upload
        Author.objects.filter(pk=author.pk).update(
            photo=photo.file.name if photo else "",
            photo_renditions=(photo.file_renditions or {}) if photo else {},
            photo_upload=(waiting or photo).file_upload.name,
            photo_state=(waiting or photo).file_state,
            photo_error=(waiting or photo).file_error,
        )
    ours = set(Author.objects.values_list("picture", flat=True))
    ours |= set(Author.objects.values_list("pending_picture", flat=True))
    used_by_articles = Article.objects.values_list("picture", "social_picture", "pending_picture")
    ours -= {pk for row in used_by_articles for pk in row}
    Author.objects.update(picture=None, pending_picture=None)
    for picture in Picture.objects.filter(pk__in=ours - {None}):
        try:
            picture.delete()
        except models.ProtectedError:
            pass  # placed elsewhere since (an article's body): it stays in the library

class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0032_author_pictures"),
    ]

    # On its own, so that going back commits the data before 0032 drops the columns
    # (PostgreSQL refuses to alter a table with row changes still to be checked).
    operations = [
        migrations.RunPython(authors_to_library, library_to_authors, elidable=False),
    ]
