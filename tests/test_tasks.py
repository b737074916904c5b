"""Background work: pictures leave the request, faults are retried, lost work runs again."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from articles import pictures, services, tasks
from articles.models import Article
from tests import images as made
from tests.factories import ArticleFactory, change_url, form_data

pytestmark = pytest.mark.django_db

DATABASE_ENGINE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker commits and closes connections as it does in production: these tests
# run outside the test's own transaction, after tests that flush the migrated roles: an
# administrator stands in for an editor.
WORKER = pytest.mark.django_db(transaction=True)


def with_new_picture(article: Article) -> Article:
    article.image = made.upload(made.cmyk_jpeg(), "fresh.jpg")
    services.article_save(article=article, by=None)
    article.refresh_from_db()
    return article


@pytest.fixture
def flaky_storage(monkeypatch):
    """Storage that fails the first `failures[0]` writes, then works."""
    from django.core.files.storage import storages

    failures = [1]
    media = storages["default"]
    real_save = media.save

    def save(name, content, max_length=None):
        if failures[0] > 0:
            failures[0] -= 1
            raise OSError("storage unreachable")
        return real_save(name, content, max_length=max_length)

    monkeypatch.setattr(media, "save", save)
    return failures


@WORKER
def test_the_request_only_sets_the_upload_aside(client, superuser, settings):
    editor = superuser
    settings.TASKS = DATABASE_ENGINE
    article = ArticleFactory(created_by=editor, image_alt="A hall")
    client.force_login(editor)

    response = client.post(
        change_url(article),
        {
            **form_data(article),
            "title": "Saved at once",
            "image": made.upload(made.cmyk_jpeg(), "a.jpg"),
        },
    )

    assert response.status_code == 302
    article.refresh_from_db()
    # The text is saved; the picture waits, out of readers' reach, for the worker.
    assert article.title == "Saved at once"
    assert (article.image.name, article.image_state) == ("", "processing")
    assert article.image_upload.name and not default_storage.exists(article.image_upload.name)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<picture" not in page and article.image_upload.name not in page
    assert "Processing" in client.get(change_url(article)).content.decode()

    call_command("worker", batch=True)

    article.refresh_from_db()
    assert article.image_state == "ready" and article.image_renditions["sources"]
    assert not article.image_upload
    assert "<picture" in client.get(article.get_absolute_url()).content.decode()


def test_a_picture_is_retried_after_a_passing_fault(flaky_storage):
    article = with_new_picture(ArticleFactory())

    assert flaky_storage == [0]
    assert article.image_state == "ready"
    assert article.image and article.image_renditions["sources"]


def test_a_picture_that_keeps_failing_says_why_and_keeps_the_text(flaky_storage):
    flaky_storage[0] = tasks.MAX_ATTEMPTS
    article = ArticleFactory(title="Kept")

    article = with_new_picture(article)

    assert article.title == "Kept"
    assert article.image_state == "failed"
    assert "could not be stored: storage unreachable" in article.image_error
    assert not article.image and not article.image_upload


@WORKER
def test_a_retry_waits_on_the_database_engine(settings, flaky_storage):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_ENGINE
    article = with_new_picture(ArticleFactory())

    call_command("worker", batch=True)

    # (Beside it waits the next link of the feed-polling chain the worker keeps.)
    retry = DBTaskResult.objects.get(
        status=TaskResultStatus.READY, task_path="articles.tasks.process_picture"
    )
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("worker", batch=True)
    article.refresh_from_db()
    assert article.image_state == "ready"


@WORKER
def test_a_task_a_killed_worker_left_runs_again(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_ENGINE
    article = with_new_picture(ArticleFactory())
    # A worker claimed the task and died with it half done.
    claimed_long_ago = timezone.now() - timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS + 1)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=claimed_long_ago)

    call_command("worker", batch=True)

    article.refresh_from_db()
    assert article.image_state == "ready" and article.image_renditions["sources"]
    picture_task = DBTaskResult.objects.get(task_path="articles.tasks.process_picture")
    assert picture_task.status == TaskResultStatus.SUCCESSFUL


@WORKER
def test_a_task_another_worker_is_running_now_is_left_alone(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_ENGINE
    article = with_new_picture(ArticleFactory())
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=timezone.now())

    call_command("worker", batch=True)

    article.refresh_from_db()
    assert article.image_state == "processing"


@WORKER
def test_a_newer_upload_wins_over_one_still_processing(settings):
    settings.TASKS = DATABASE_ENGINE
    article = with_new_picture(ArticleFactory())
    first = article.image_upload.name
    article.image = made.upload(made.transparent_png(), "second.png")
    services.article_save(article=article, by=None)

    call_command("worker", batch=True)

    article.refresh_from_db()
    assert article.image.name.endswith(".png") and article.image_state == "ready"
    assert not default_storage.exists(first)


def test_a_refused_picture_leaves_a_newer_upload_that_came_meanwhile(monkeypatch):
    """The editor uploads again while the first upload is being refused."""
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(image_upload="articles/first.jpg")
    pending = Article._meta.get_field("image_upload").storage
    newer = pending.save("articles/second.png", ContentFile(made.transparent_png()))

    def refuse_after_a_newer_upload(model, pk, slot):
        Article.objects.filter(pk=pk).update(image_upload=newer, image_state="processing")
        raise ValidationError("This image is damaged or incomplete.")

    monkeypatch.setattr(pictures, "process", refuse_after_a_newer_upload)

    assert tasks.process_picture.call("article", article.pk) == "refused"

    article.refresh_from_db()
    assert (article.image_upload.name, article.image_state) == (newer, "processing")
    assert pending.exists(newer)


def test_an_edit_opened_before_the_picture_was_ready_does_not_undo_it():
    """The editor opened the form while the worker was cutting the picture."""
    article = with_new_picture(ArticleFactory(image_alt="A hall"))  # processed at once here
    Article.objects.filter(pk=article.pk).update(
        image="", image_renditions={}, image_state="processing"
    )
    opened = Article.objects.get(pk=article.pk)  # the form, as it was read
    Article.objects.filter(pk=article.pk).update(  # the worker finishes meanwhile
        image=article.image.name, image_renditions=article.image_renditions, image_state="ready"
    )

    opened.title = "Only the headline changed"
    services.article_save(article=opened, by=None)

    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.image.name, saved.image_state) == (
        "Only the headline changed",
        article.image.name,
        "ready",
    )
    assert saved.image_renditions == article.image_renditions


def test_removing_the_picture_in_an_edit_still_removes_it():
    article = with_new_picture(ArticleFactory(image_alt="A hall"))
    opened = Article.objects.get(pk=article.pk)

    opened.image = None
    services.article_save(article=opened, by=None)

    saved = Article.objects.get(pk=article.pk)
    assert (saved.image.name, saved.image_renditions) == ("", {})


@WORKER
def test_curating_a_tag_reindexes_in_the_background(client, superuser, settings):
    editor = superuser
    from articles import tagging

    settings.TASKS = DATABASE_ENGINE
    tag = ArticleFactory(title="Plain", tags=["Caspian"]).tags.get()

    tagging.tag_rename(tag=tag, name="Hyrcanian", by=editor)
    assert list(client.get("/search/", {"q": "hyrcanian"}).context["object_list"]) == []

    call_command("worker", batch=True)
    assert [a.title for a in client.get("/search/", {"q": "hyrcanian"}).context["object_list"]] == [
        "Plain"
    ]
