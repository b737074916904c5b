"""Articles' own pictures move into the picture library (migration 0028), nothing lost."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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
