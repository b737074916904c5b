"""A bad day: the database away, errors nobody expected, and who hears of them."""

import os
import posixpath
import shutil
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles import pictures
from articles.models import Article, Picture
from newsroom import reporting
from tests import images as made
from tests.factories import ArticleFactory, PictureFactory, article_form, change_url, form_data

PUBLIC_PAGES = [
    "/",
    "/news/",
    "/news/any-story/",
    "/search/?q=iran",
    "/tags/",
    "/tags/iran/",
    "/sections/world/",
    "/authors/someone/",
    "/archive/2026/",
    "/feeds/latest/",
    "/sitemap.xml",
    "/no-such-page/",
]


@pytest.fixture
def database_down():
    """Every query fails as it does when PostgreSQL is stopped or unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    with mock.patch.object(BaseDatabaseWrapper, "cursor", refuse):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_with_the_database_down_readers_get_a_503_that_asks_them_to_come_back(url, database_down):
    response = Client(raise_request_exception=False).get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "We will be back in a moment" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert not any(mark in page for mark in ("{#", "{%", "newsroom.reporting"))


@pytest.mark.django_db
def test_an_outage_sends_admins_no_mail_per_request(database_down, settings):
    settings.ADMINS = [("Desk", "desk@example.com")]
    settings.DEBUG = False

    for _ in range(5):
        assert Client(raise_request_exception=False).get("/news/").status_code == 503

    assert mail.outbox == []


@pytest.mark.django_db
def test_the_503_page_keeps_its_looks_under_the_content_security_policy(database_down):
    response = Client(raise_request_exception=False).get("/")

    policy = response["Content-Security-Policy"]
    style_src = next(part for part in policy.split(";") if part.strip().startswith("style-src"))
    assert "'sha256-" in style_src  # the page's own <style>, by hash
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_healthz_takes_the_server_out_of_rotation_while_the_database_is_down(database_down):
    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"


def test_a_server_that_cannot_reach_its_database_serves_503s(tmp_path):
    """The real thing, in a fresh process: a PostgreSQL port where nothing listens,
    and an SQLite file that cannot be opened, with DEBUG off."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "for url in ('/', '/news/', '/tags/iran/', '/healthz'):\n"
        "    response = client.get(url, secure=True)\n"
        "    print(url, response.status_code, response.get('Retry-After'))\n"
    )
    for database_url in (
        "postgres://postgres@127.0.0.1:9/newsroom?connect_timeout=2",
        f"sqlite:///{tmp_path}/missing/folder/db.sqlite3",
    ):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_ENV_FILE": os.devnull,
            "DJANGO_DEBUG": "off",
            "DJANGO_SECRET_KEY": "x" * 50,
            "DATABASE_URL": database_url,
            "CACHE_URL": "locmemcache://",
        }
        done = subprocess.run(  # noqa: S603 - our interpreter, our script
            [sys.executable, "-c", script],
            env=env,
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == [
            "/ 503 60",
            "/news/ 503 60",
            "/tags/iran/ 503 60",
            "/healthz 503 60",
        ], database_url


# Errors nobody expected ---------------------------------------------------------------------


@pytest.fixture
def broken_front_page(settings):
    settings.DEBUG = False
    with mock.patch("articles.selectors.front_page", side_effect=ZeroDivisionError("a bug")):
        yield


@pytest.mark.django_db
def test_the_500_page_promises_nothing_when_nobody_is_told(broken_front_page, settings):
    settings.ADMINS = []

    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "We have been told" not in page
    assert "let the site’s editors know" in page
    assert "ZeroDivisionError" not in page
    assert not any(mark in page for mark in ("{#", "{%", "newsroom.reporting"))
    assert mail.outbox == []


@pytest.mark.django_db
def test_with_admins_set_they_get_mail_and_the_page_says_so(broken_front_page, settings):
    settings.ADMINS = [("Desk", "desk@example.com")]

    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 500
    assert "We have been told about it" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["desk@example.com"]
    assert "ZeroDivisionError" in mail.outbox[0].body


@pytest.fixture
def sentry():
    """Sentry started as settings do for SENTRY_DSN, sending to a list instead of the net."""
    import sentry_sdk
    from sentry_sdk.transport import Transport

    sent = []

    class Keep(Transport):
        def capture_envelope(self, envelope):
            sent.extend(item.payload.json for item in envelope.items if item.type == "event")

    reporting.start_sentry(
        "https://public@sentry.example.com/1",
        environment="test",
        traces_sample_rate=0.0,
        transport=Keep,
    )
    yield sent
    sentry_sdk.init()  # no DSN: reporting off again


@pytest.mark.django_db
def test_with_sentry_configured_errors_reach_it_without_personal_data(
    broken_front_page, settings, sentry, editor
):
    settings.ADMINS = []
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    response = client.get("/?q=x", headers={"cookie": "sessionid=secret"})

    assert response.status_code == 500
    assert "We have been told about it" in response.content.decode()
    import sentry_sdk

    sentry_sdk.flush()
    [event] = sentry
    assert event["exception"]["values"][-1]["type"] == "ZeroDivisionError"
    assert "user" not in event or "username" not in event.get("user", {})
    assert "secret" not in str(event.get("request", {}).get("cookies", ""))


# When the media store fails -----------------------------------------------------------------


@pytest.fixture(params=["disk", "bucket"])
def media_store_down(request, monkeypatch):
    """Writes to where uploads wait fail: a full disk, or a bucket that does not answer."""
    from botocore.exceptions import EndpointConnectionError

    fault = (
        OSError(28, "No space left on device")
        if request.param == "disk"
        else EndpointConnectionError(endpoint_url="https://s3.example.com")
    )

    def refuse(name, content, max_length=None):
        raise fault

    monkeypatch.setattr(storages["pending"], "save", refuse)


@pytest.mark.django_db
def test_a_new_article_with_its_picture_refused_by_the_store_keeps_what_was_typed(
    client, editor, media_store_down
):
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_add"),
        {
            **article_form(title="Talks resume in Vienna", body="<p>Every word typed</p>"),
            "new_picture": made.upload(made.cmyk_jpeg(), "hall.jpg"),
            "new_picture_alt": "A hall",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The picture could not be stored just now, so nothing was saved." in page
    assert 'value="Talks resume in Vienna"' in page and "Every word typed" in page
    assert 'value="A hall"' in page
    assert not Article.objects.exists() and not Picture.objects.exists()


@pytest.mark.django_db
def test_an_edit_with_a_picture_the_store_refuses_changes_nothing(client, editor, media_store_down):
    article = ArticleFactory(title="Before", created_by=editor)
    client.force_login(editor)

    response = client.post(
        change_url(article),
        {
            **form_data(article, title="After"),
            "new_picture": made.upload(made.cmyk_jpeg(), "hall.jpg"),
            "new_picture_alt": "A hall",
        },
    )

    assert response.status_code == 200
    assert 'value="After"' in response.content.decode()
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.version, stored.picture) == ("Before", 1, None)
    assert not Picture.objects.exists()
    assert not Version.objects.get_for_object(stored).exists()


@pytest.fixture
def pending():
    """The pending storage, emptied of what earlier tests left in it."""
    storage = storages["pending"]
    shutil.rmtree(storage.location, ignore_errors=True)
    return storage


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_stored_once_and_the_worker_takes_it_from_there(
    client, superuser, settings, pending
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    article = ArticleFactory(created_by=superuser)
    client.force_login(superuser)

    response = client.post(
        change_url(article),
        {
            **form_data(article),
            "new_picture": made.upload(made.cmyk_jpeg(), "hall.jpg"),
            "new_picture_alt": "A hall",
        },
    )

    assert response.status_code == 302
    article.refresh_from_db()
    picture = article.pending_picture
    assert pending.listdir("pictures")[1] == [posixpath.basename(picture.file_upload.name)]
    call_command("worker", batch=True)
    picture.refresh_from_db()
    assert picture.file_state == "ready" and pending.listdir("pictures")[1] == []
    article.refresh_from_db()
    assert (article.picture, article.pending_picture) == (picture, None)


@pytest.mark.django_db
def test_uploads_left_by_refused_forms_are_swept_after_a_day(client, editor, pending):
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)
    # The picture is set aside while the form is checked; the form is then refused.
    response = client.post(
        change_url(article),
        {
            **form_data(article, title=""),
            "new_picture": made.upload(made.cmyk_jpeg(), "a.jpg"),
            "new_picture_alt": "A picture",
        },
    )
    assert response.status_code == 200
    [left] = pending.listdir("pictures")[1]
    waiting = pending.save("pictures/waiting.jpg", ContentFile(b"x"))
    PictureFactory(file_upload=waiting, file_state="processing")

    assert pictures.sweep_pending() == 0  # too fresh: a form may still be on its way

    a_day_ago = time.time() - 25 * 3600
    for name in (f"pictures/{left}", waiting):
        os.utime(pending.path(name), (a_day_ago, a_day_ago))
    assert pictures.sweep_pending() == 1
    assert pending.listdir("pictures")[1] == ["waiting.jpg"]


@pytest.mark.django_db
def test_author_photos_waiting_from_before_the_library_are_kept_and_strays_swept(pending):
    """Authors' uploads waited in "authors/" before their photos joined the library
    (migration 0031): the library records pointing there keep theirs."""
    waiting = pending.save("authors/sara.jpg", ContentFile(b"x"))
    stray = pending.save("authors/left-by-a-refused-form.jpg", ContentFile(b"x"))
    PictureFactory(file_upload=waiting, file_state="processing")
    a_day_ago = time.time() - 25 * 3600
    for name in (waiting, stray):
        os.utime(pending.path(name), (a_day_ago, a_day_ago))

    assert pictures.sweep_pending() == 1
    assert pending.listdir("authors")[1] == ["sara.jpg"]


@pytest.mark.django_db
def test_sentry_gets_no_form_body_and_no_local_variables(settings, sentry):
    settings.ADMINS = []
    import sentry_sdk

    with mock.patch("newsroom.signin.address_paused", side_effect=ZeroDivisionError("a bug")):
        response = Client(raise_request_exception=False).post(
            "/admin/login/", {"username": "sara", "password": "hunter2-secret"}
        )
    sentry_sdk.flush()

    assert response.status_code == 500

    [event] = sentry
    assert "hunter2-secret" not in str(event)
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert not any(frame.get("vars") for frame in frames)


@pytest.mark.django_db
def test_the_health_check_answers_plain_http_where_everything_else_redirects(settings, client):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/news/").status_code == 301
    assert client.get("/healthz").status_code in (200, 503)
