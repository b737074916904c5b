"""Articles' pictures (migration 0028) and authors' photos (0033) move into the picture
library, nothing lost."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ArticleFactory

BEFORE = [("articles", "0027_picture_library")]


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_each_articles_picture_joins_the_library_with_everything_it_had():
    from articles.models import Article, Picture

    renditions = {
        "original": "articles/2025/03/hall-1a2b3c4d.jpg",
        "width": 1600,
        "height": 900,
        "sources": [
            {
                "name": "articles/2025/03/renditions/hall-1a2b3c4d-640w.webp",
                "width": 640,
                "height": 360,
                "type": "image/webp",
            }
        ],
        "social": {
            "name": "articles/2025/03/renditions/hall-1a2b3c4d-social.jpg",
            "width": 1200,
            "height": 630,
        },
    }
    written = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        section = old.get_model("articles", "Section").objects.create(
            name="Politics", slug="politics"
        )
        reporter = old.get_model("auth", "User").objects.create(username="migrated-reporter")
        OldArticle = old.get_model("articles", "Article")
        pictured = OldArticle.objects.create(
            title="Talks resume in Vienna",
            slug="talks-resume-in-vienna",
            body="<p>Body.</p>",
            section=section,
            created_by=reporter,
            image="articles/2025/03/hall-1a2b3c4d.jpg",
            image_renditions=renditions,
            image_alt="Delegates outside the hall",
            image_caption="Delegates arrive for the talks.",
            image_credit="Caspian Wire",
        )
        OldArticle.objects.filter(pk=pictured.pk).update(created_at=written)
        waiting = OldArticle.objects.create(
            title="A picture on its way",
            slug="a-picture-on-its-way",
            body="<p>Body.</p>",
            section=section,
            image_upload="articles/waiting.jpg",
            image_state="processing",
            image_alt="Still being cut",
        )
        failed = OldArticle.objects.create(
            title="A picture refused",
            slug="a-picture-refused",
            body="<p>Body.</p>",
            section=section,
            image="articles/2025/03/kept.jpg",
            image_state="failed",
            image_error="This image is damaged or incomplete.",
        )
        plain = OldArticle.objects.create(
            title="No picture", slug="no-picture", body="<p>Body.</p>", section=section
        )
    finally:
        migrate_to_latest()

    article = Article.objects.select_related("picture").get(pk=pictured.pk)
    picture = article.picture
    assert picture is not None
    assert picture.file.name == "articles/2025/03/hall-1a2b3c4d.jpg"
    assert picture.file_renditions == renditions
    assert (picture.alt, picture.caption, picture.credit) == (
        "Delegates outside the hall",
        "Delegates arrive for the talks.",
        "Caspian Wire",
    )
    assert (picture.file_state, picture.file_error, picture.file_upload.name) == ("ready", "", "")
    assert picture.uploaded_by_id == reporter.pk and picture.created_at == written
    assert picture.focal_point == (0.5, 0.5)

    on_its_way = Article.objects.get(pk=waiting.pk).picture
    assert (on_its_way.file.name, on_its_way.file_upload.name, on_its_way.file_state) == (
        "",
        "articles/waiting.jpg",
        "processing",
    )
    assert on_its_way.alt == "Still being cut"
    refused = Article.objects.get(pk=failed.pk).picture
    assert (refused.file.name, refused.file_state, refused.file_error) == (
        "articles/2025/03/kept.jpg",
        "failed",
        "This image is damaged or incomplete.",
    )
    # One library record per pictured article; none for the article without.
    assert Article.objects.get(pk=plain.pk).picture is None
    assert Picture.objects.count() == 3


BEFORE_AUTHOR_PICTURES = [("articles", "0031_body_pictures")]


@pytest.mark.django_db(transaction=True)
def test_each_authors_photo_joins_the_library_and_can_go_back():
    from articles.models import Author, Picture

    renditions = {
        "original": "authors/sara-1a2b3c4d.jpg",
        "width": 384,
        "height": 384,
        "sources": [
            {
                "name": "authors/renditions/sara-1a2b3c4d-96w.webp",
                "width": 96,
                "height": 96,
                "type": "image/webp",
            }
        ],
    }
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE_AUTHOR_PICTURES)
        old = executor.loader.project_state(BEFORE_AUTHOR_PICTURES).apps
        OldAuthor = old.get_model("articles", "Author")
        sara = OldAuthor.objects.create(
            name="Sara Lindqvist",
            slug="sara-lindqvist",
            photo="authors/sara-1a2b3c4d.jpg",
            photo_renditions=renditions,
        )
        waiting = OldAuthor.objects.create(
            name="Anna Petrova",
            slug="anna-petrova",
            photo="authors/anna-old.jpg",
            photo_upload="authors/anna-new.jpg",
            photo_state="processing",
        )
        refused = OldAuthor.objects.create(
            name="مریم احمدی",
            slug="maryam",
            photo_state="failed",
            photo_upload="",
            photo_error="This image is damaged or incomplete.",
            photo="authors/maryam.jpg",
        )
        plain = OldAuthor.objects.create(name="No Photo", slug="no-photo")
    finally:
        migrate_to_latest()

    photo = Author.objects.get(pk=sara.pk).photo
    assert photo.file.name == "authors/sara-1a2b3c4d.jpg"
    assert photo.file_renditions == renditions
    assert (photo.alt, photo.caption, photo.credit, photo.uploaded_by) == (
        "Sara Lindqvist",
        "",
        "",
        None,
    )
    assert (photo.file_state, photo.file_error, photo.file_upload.name) == ("ready", "", "")
    on_its_way = Author.objects.get(pk=waiting.pk)
    assert on_its_way.pending_picture is None  # migrated as it was: the worker finishes it
    assert (
        on_its_way.photo.file.name,
        on_its_way.photo.file_upload.name,
        on_its_way.photo.file_state,
    ) == ("authors/anna-old.jpg", "authors/anna-new.jpg", "processing")
    kept = Author.objects.get(pk=refused.pk).photo
    assert (kept.file.name, kept.file_state, kept.file_error, kept.alt) == (
        "authors/maryam.jpg",
        "failed",
        "This image is damaged or incomplete.",
        "مریم احمدی",
    )
    assert Author.objects.get(pk=plain.pk).photo is None
    assert Picture.objects.count() == 3

    # Going back puts every photo back on its author; the library keeps only what an
    # article uses too (each file keeps one owner that may delete it).
    shared = Author.objects.get(pk=refused.pk).photo
    ArticleFactory(picture=shared, indexed=False)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE_AUTHOR_PICTURES)
        old = executor.loader.project_state(BEFORE_AUTHOR_PICTURES).apps
        back = {
            author.slug: (
                author.photo.name,
                author.photo_renditions,
                author.photo_upload.name,
                author.photo_state,
                author.photo_error,
            )
            for author in old.get_model("articles", "Author").objects.all()
        }
        left_in_library = list(
            old.get_model("articles", "Picture").objects.values_list("pk", flat=True)
        )
    finally:
        migrate_to_latest()
    assert back == {
        "sara-lindqvist": ("authors/sara-1a2b3c4d.jpg", renditions, "", "ready", ""),
        "anna-petrova": ("authors/anna-old.jpg", {}, "authors/anna-new.jpg", "processing", ""),
        "maryam": ("authors/maryam.jpg", {}, "", "failed", "This image is damaged or incomplete."),
        "no-photo": ("", {}, "", "ready", ""),
    }
    assert left_in_library == [shared.pk]
