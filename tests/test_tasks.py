"""Background work: pictures leave the request, faults are retried, lost work runs again."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from articles import pictures, services, tasks
from articles.models import Picture
from tests import images as made
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PictureFactory,
    author_form_data,
    change_url,
    form_data,
    picture_from,
)

pytestmark = pytest.mark.django_db

DATABASE_ENGINE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker commits and closes connections as it does in production: these tests
# run outside the test's own transaction, after tests that flush the migrated roles: an
# administrator stands in for an editor.
WORKER = pytest.mark.django_db(transaction=True)


def new_picture(**fields) -> Picture:
    return picture_from(made.upload(made.cmyk_jpeg(), "fresh.jpg"), **fields)


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
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)

    response = client.post(
        change_url(article),
        {
            **form_data(article),
            "title": "Saved at once",
            "new_picture": made.upload(made.cmyk_jpeg(), "a.jpg"),
            "new_picture_alt": "A hall",
        },
    )

    assert response.status_code == 302
    article.refresh_from_db()
    # The text is saved; the picture waits, out of readers' reach, for the worker.
    assert article.title == "Saved at once"
    assert article.picture is None  # readers see no half-made picture
    picture = article.pending_picture
    assert (picture.file.name, picture.file_state, picture.alt) == ("", "processing", "A hall")
    assert picture.file_upload.name and not default_storage.exists(picture.file_upload.name)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<picture" not in page and picture.file_upload.name not in page
    assert "Processing" in client.get(change_url(article)).content.decode()

    call_command("worker", batch=True)

    picture.refresh_from_db()
    assert picture.file_state == "ready" and picture.file_renditions["sources"]
    assert not picture.file_upload
    article.refresh_from_db()
    assert (article.picture, article.pending_picture) == (picture, None)
    assert "<picture" in client.get(article.get_absolute_url()).content.decode()


def test_a_picture_is_retried_after_a_passing_fault(flaky_storage):
    picture = new_picture()

    assert flaky_storage == [0]
    assert picture.file_state == "ready"
    assert picture.file and picture.file_renditions["sources"]


def test_a_picture_that_keeps_failing_says_why_and_keeps_the_text(flaky_storage):
    flaky_storage[0] = tasks.MAX_ATTEMPTS
    picture = new_picture(alt="Kept", caption="Kept too")

    assert (picture.alt, picture.caption) == ("Kept", "Kept too")
    assert picture.file_state == "failed"
    assert "could not be stored: storage unreachable" in picture.file_error
    assert not picture.file and not picture.file_upload


@WORKER
def test_a_retry_waits_on_the_database_engine(settings, flaky_storage):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_ENGINE
    picture = new_picture()

    call_command("worker", batch=True)

    # (Beside it waits the next link of the feed-polling chain the worker keeps.)
    retry = DBTaskResult.objects.get(
        status=TaskResultStatus.READY, task_path="articles.tasks.process_picture"
    )
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("worker", batch=True)
    picture.refresh_from_db()
    assert picture.file_state == "ready"


@WORKER
def test_a_task_a_killed_worker_left_runs_again(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_ENGINE
    picture = new_picture()
    # A worker claimed the task and died with it half done.
    claimed_long_ago = timezone.now() - timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS + 1)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=claimed_long_ago)

    call_command("worker", batch=True)

    picture.refresh_from_db()
    assert picture.file_state == "ready" and picture.file_renditions["sources"]
    picture_task = DBTaskResult.objects.get(task_path="articles.tasks.process_picture")
    assert picture_task.status == TaskResultStatus.SUCCESSFUL


@WORKER
def test_a_task_another_worker_is_running_now_is_left_alone(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_ENGINE
    picture = new_picture()
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=timezone.now())

    call_command("worker", batch=True)

    picture.refresh_from_db()
    assert picture.file_state == "processing"


@WORKER
def test_a_newer_upload_wins_over_one_still_processing(settings):
    settings.TASKS = DATABASE_ENGINE
    picture = new_picture()
    first = picture.file_upload.name
    picture.file = made.upload(made.transparent_png(), "second.png")
    services.picture_save(picture=picture, by=None)

    call_command("worker", batch=True)

    picture.refresh_from_db()
    assert picture.file.name.endswith(".png") and picture.file_state == "ready"
    assert not default_storage.exists(first)


def test_a_refused_picture_leaves_a_newer_upload_that_came_meanwhile(monkeypatch):
    """The editor uploads again while the first upload is being refused."""
    picture = PictureFactory(file_upload="pictures/first.jpg", file_state="processing")
    pending = Picture._meta.get_field("file_upload").storage
    newer = pending.save("pictures/second.png", ContentFile(made.transparent_png()))

    def refuse_after_a_newer_upload(model, pk, slot):
        Picture.objects.filter(pk=pk).update(file_upload=newer, file_state="processing")
        raise ValidationError("This image is damaged or incomplete.")

    monkeypatch.setattr(pictures, "process", refuse_after_a_newer_upload)

    assert tasks.process_picture.call("picture", picture.pk) == "refused"

    picture.refresh_from_db()
    assert (picture.file_upload.name, picture.file_state) == (newer, "processing")
    assert pending.exists(newer)


def test_an_edit_opened_before_the_picture_was_ready_does_not_undo_it():
    """The editor opened the form while the worker was cutting the picture."""
    picture = new_picture(alt="A hall")  # processed at once here
    Picture.objects.filter(pk=picture.pk).update(
        file="", file_renditions={}, file_state="processing"
    )
    opened = Picture.objects.get(pk=picture.pk)  # the form, as it was read
    Picture.objects.filter(pk=picture.pk).update(  # the worker finishes meanwhile
        file=picture.file.name, file_renditions=picture.file_renditions, file_state="ready"
    )

    opened.alt = "Only the alt text changed"
    services.picture_save(picture=opened, by=None)

    saved = Picture.objects.get(pk=picture.pk)
    assert (saved.alt, saved.file.name, saved.file_state) == (
        "Only the alt text changed",
        picture.file.name,
        "ready",
    )
    assert saved.file_renditions == picture.file_renditions


def test_removing_the_picture_in_an_edit_still_removes_it():
    picture = new_picture(alt="A hall")
    opened = Picture.objects.get(pk=picture.pk)

    opened.file = None
    services.picture_save(picture=opened, by=None)

    saved = Picture.objects.get(pk=picture.pk)
    assert (saved.file.name, saved.file_renditions) == ("", {})


@WORKER
def test_a_new_author_photo_replaces_the_old_only_once_ready(client, superuser, settings):
    before = new_picture(alt="The old portrait")  # cut at once, before the engine changes
    settings.TASKS = DATABASE_ENGINE
    author = AuthorFactory(name="Sara Lindqvist", photo=before)
    ArticleFactory(authors=[author])
    client.force_login(superuser)

    response = client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        author_form_data(
            author, bio="Saved at once", new_picture=made.upload(made.cmyk_jpeg(), "new.jpg")
        ),
    )

    assert response.status_code == 302
    author.refresh_from_db()
    assert author.bio == "Saved at once"
    new = author.pending_picture
    assert (author.photo, new.file_state, new.alt) == (before, "processing", "Sara Lindqvist")
    # Readers keep the old photo meanwhile; the desk says the new one is on its way.
    assert 'alt="The old portrait"' in client.get(author.get_absolute_url()).content.decode()
    form = client.get(reverse("admin:articles_author_change", args=[author.pk]))
    assert "Processing" in form.content.decode()

    call_command("worker", batch=True)

    author.refresh_from_db()
    assert (author.photo, author.pending_picture) == (new, None)
    page = client.get(author.get_absolute_url()).content.decode()
    assert 'alt="Sara Lindqvist"' in page and 'alt="The old portrait"' not in page


def test_a_photo_task_queued_before_the_library_cuts_the_authors_library_picture(
    django_capture_on_commit_callbacks,
):
    pending = Picture._meta.get_field("file_upload").storage
    waiting = pending.save("authors/sara.jpg", ContentFile(made.cmyk_jpeg()))
    photo = PictureFactory(file_upload=waiting, file_state="processing")
    author = AuthorFactory(photo=photo)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.process_picture.call("author", author.pk) == "ready"
    assert tasks.process_picture.call("author", author.pk + 1000) == "gone"

    photo.refresh_from_db()
    assert photo.file_state == "ready" and photo.file_renditions["sources"]
    assert not photo.file_upload and not pending.exists(waiting)
    author.refresh_from_db()
    assert author.photo == photo


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
