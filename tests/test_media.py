"""Media reaches readers: served by the app from disk, or stored in and read from S3.

The production recipe (gunicorn, DEBUG off) must show every picture; content-
hashed names are cached for a year; nothing outside MEDIA_ROOT, and nothing in
the pending-uploads storage, is ever served.
"""

import http.client
import io
import logging
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import RequestFactory
from django.utils.http import http_date
from moto.server import ThreadedMotoServer
from PIL import Image

from articles import images, pictures
from newsroom import media
from newsroom.media_storages import media_storages
from tests.factories import PRODUCTION, PictureFactory, manage

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = "articles/2026/11/hall-1a2b3c4d.jpg"
IMMUTABLE = "public, max-age=31536000, immutable"
BUCKET = "newsroom-media"


def picture(fmt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, fmt)
    return buffer.getvalue()


def put(root: Path, name: str, data: bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    return tmp_path / "media"


# The naming rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "articles/2026/11/hall-1a2b3c4d.jpg",
        "articles/2026/11/renditions/hall-1a2b3c4d-640w.webp",
        "articles/2026/11/renditions/hall-1a2b3c4d-social.jpg",
        "authors/renditions/face-0f9e8d7c-96w.png",
    ],
)
def test_content_hashed_names_are_cached_for_a_year(name):
    assert media.is_hashed(name)
    assert media.cache_control(name) == IMMUTABLE


@pytest.mark.parametrize(
    "name",
    [
        "articles/2026/11/hall.jpg",
        "articles/2026/11/renditions/hall-640w.webp",
        "articles/2026/11/renditions/hall-social.jpg",
        "articles/2026/11/hall-1a2b3c4.jpg",  # seven digits
        "articles/2026/11/hall-1a2b3c4d5.jpg",  # nine
        "articles/2026/11/hall-1a2b3c4g.jpg",  # not hex
        "articles/1a2b3c4d/hall.jpg",  # a folder, not the name
    ],
)
def test_other_names_are_cached_for_an_hour(name):
    assert not media.is_hashed(name)
    assert media.cache_control(name) == "public, max-age=3600"


# The view -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "content_type"),
    [
        ("articles/2026/11/renditions/hall-1a2b3c4d-640w.webp", "WEBP", "image/webp"),
        ("articles/2026/11/hall-1a2b3c4d.jpg", "JPEG", "image/jpeg"),
        ("articles/2026/11/logo-1a2b3c4d.png", "PNG", "image/png"),
        ("articles/2026/11/loop-1a2b3c4d.gif", "GIF", "image/gif"),
    ],
)
def test_a_picture_is_streamed_with_its_type_and_a_years_caching(
    client, media_root, name, fmt, content_type
):
    data = picture(fmt)
    put(media_root, name, data)

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response.streaming  # a FileResponse, never read into memory
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == content_type
    assert response["Content-Length"] == str(len(data))
    assert response["Cache-Control"] == IMMUTABLE
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_name_without_a_hash_is_cached_briefly_and_revalidated(client, media_root):
    put(media_root, "articles/old-upload.jpg", picture("JPEG"))

    response = client.get("/media/articles/old-upload.jpg")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response.has_header("ETag")
    assert response.has_header("Last-Modified")


def test_a_file_that_is_not_a_picture_is_a_download(client, media_root):
    put(media_root, "stray.html", b"<script>alert(1)</script>")

    response = client.get("/media/stray.html")

    assert response["Content-Type"] == "text/html"
    assert response["Content-Disposition"].startswith("attachment")


def test_conditional_requests_are_answered_with_304(client, media_root):
    name = "articles/2026/11/hall-1a2b3c4d.jpg"
    put(media_root, name, picture("JPEG"))
    first = client.get(f"/media/{name}")

    by_etag = client.get(f"/media/{name}", headers={"If-None-Match": first["ETag"]})
    by_date = client.get(f"/media/{name}", headers={"If-Modified-Since": first["Last-Modified"]})
    changed = client.get(f"/media/{name}", headers={"If-None-Match": '"something-else"'})
    older = client.get(f"/media/{name}", headers={"If-Modified-Since": http_date(86400)})

    for not_modified in (by_etag, by_date):
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        assert not_modified["ETag"] == first["ETag"]
        assert not_modified["Cache-Control"] == IMMUTABLE
    assert changed.status_code == older.status_code == 200


def test_head_answers_the_headers_alone(client, media_root):
    data = picture("WEBP")
    put(media_root, "a-1a2b3c4d-320w.webp", data)

    response = client.head("/media/a-1a2b3c4d-320w.webp")

    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "image/webp"
    assert response["Content-Length"] == str(len(data))
    assert response["Cache-Control"] == IMMUTABLE


def test_only_reading_is_allowed(client, media_root):
    put(media_root, "a.jpg", picture("JPEG"))

    assert client.post("/media/a.jpg").status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/media/../secret.txt",
        "/media/articles/../../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/..%2fsecret.txt",
        "/media//etc/passwd",
        "/media/articles/missing-1a2b3c4d.jpg",
        "/media/articles/",  # a folder
        "/media/a%00.jpg",
    ],
)
def test_nothing_outside_media_root_and_nothing_missing_is_served(client, media_root, url):
    put(media_root.parent, "secret.txt", b"not for readers")
    put(media_root, "articles/present.jpg", picture("JPEG"))

    response = client.get(url)

    assert response.status_code == 404
    assert b"not for readers" not in response.content


def test_the_view_refuses_traversal_whatever_the_url_resolver_passes(media_root):
    put(media_root.parent, "secret.txt", b"not for readers")
    request = RequestFactory().get("/media/x")

    for name in (
        "../secret.txt",
        str(media_root.parent / "secret.txt"),
        "articles/../../secret.txt",
    ):
        assert media.serve(request, name).status_code == 404


def test_a_link_out_of_media_root_is_not_followed(client, media_root):
    outside = put(media_root.parent, "secret.jpg", picture("JPEG"))
    (media_root / "inside.jpg").symlink_to(outside)

    assert client.get("/media/inside.jpg").status_code == 404


def test_pending_uploads_are_never_served_even_inside_media_root(client, settings, media_root):
    # A misconfiguration: DJANGO_PENDING_UPLOADS_ROOT inside MEDIA_ROOT.
    settings.STORAGES = {
        **settings.STORAGES,
        "pending": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media_root / "uploads")},
        },
    }
    storages["pending"].save("raw.jpg", ContentFile(picture("JPEG")))

    assert (media_root / "uploads" / "raw.jpg").exists()
    assert client.get("/media/uploads/raw.jpg").status_code == 404


def test_a_signed_in_reader_gets_no_cookie_and_no_vary_cookie(client, editor, media_root):
    put(media_root, "a-1a2b3c4d.jpg", picture("JPEG"))
    client.force_login(editor)

    response = client.get("/media/a-1a2b3c4d.jpg")

    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert "cookie" not in response.get("Vary", "").lower()


def test_the_route_is_mounted_only_while_the_app_serves_local_media(settings):
    assert [pattern.name for pattern in media.urlpatterns()] == ["media"]

    settings.SERVE_MEDIA = False
    assert media.urlpatterns() == []

    settings.SERVE_MEDIA = True
    settings.MEDIA_URL = "https://media.example.com/"
    assert media.urlpatterns() == []

    settings.MEDIA_URL = "/media/"
    settings.STORAGES = {
        **settings.STORAGES,
        **media_storages("s3", pending_root="unused", bucket=BUCKET),
    }
    assert media.urlpatterns() == []


def test_the_view_serves_nothing_when_media_is_not_on_this_disk(client, settings, media_root):
    put(media_root, "a.jpg", picture("JPEG"))
    settings.STORAGES = {
        **settings.STORAGES,
        **media_storages("s3", pending_root="unused", bucket=BUCKET),
    }

    assert client.get("/media/a.jpg").status_code == 404


# The production recipe: gunicorn, DEBUG off ---------------------------------------------


class Server:
    """gunicorn running newsroom.wsgi as the README says, stopped however the test ends."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log.read_text()}")
            try:
                status = self.request("GET", "/media/none")[0]
            except OSError:
                time.sleep(0.2)
                continue
            if status == 404:
                return
        raise AssertionError(f"gunicorn did not answer in {timeout}s:\n{self.log.read_text()}")

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, Message, bytes]:
        """A raw request: http.client sends the path as written, `..` included."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self._log_file.close()


def test_gunicorn_without_debug_serves_renditions(tmp_path):
    root = tmp_path / "media"
    storage = media_storages("local", pending_root=tmp_path / "uploads")["default"]
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    disk = storages.create_storage({**storage, "OPTIONS": {"location": str(root)}})
    disk.save(ORIGINAL, ContentFile(picture("JPEG", (800, 600))))
    made = images.make_renditions(disk, ORIGINAL, widths=(320,), social=True)
    webp = next(s["name"] for s in made["sources"] if s["type"] == "image/webp")
    social = made["social"]["name"]
    put(tmp_path, "secret.txt", b"not for readers")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_DEBUG": "off",
        "DJANGO_SECRET_KEY": PRODUCTION["DJANGO_SECRET_KEY"],
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "off",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(root),
        "DJANGO_PENDING_UPLOADS_ROOT": str(tmp_path / "uploads"),
    }
    server = Server(env, tmp_path / "gunicorn.log")
    try:
        server.wait_until_up()

        status, headers, body = server.request("GET", f"/media/{webp}")
        assert status == 200, server.log.read_text()
        assert body == (root / webp).read_bytes()
        assert headers["Content-Type"] == "image/webp"
        assert headers["Cache-Control"] == IMMUTABLE
        assert "Set-Cookie" not in headers

        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert server.request("GET", f"/media/{webp}", {"If-None-Match": etag})[0] == 304
        assert server.request("GET", f"/media/{webp}", {"If-Modified-Since": modified})[0] == 304

        status, headers, body = server.request("GET", f"/media/{social}")
        assert (status, headers["Content-Type"]) == (200, "image/jpeg")
        assert headers["Cache-Control"] == IMMUTABLE

        status, headers, body = server.request("HEAD", f"/media/{webp}")
        assert (status, body) == (200, b"")
        assert headers["Content-Length"] == str((root / webp).stat().st_size)

        for path in ("/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/x-1a2b3c4d.jpg"):
            status, _, body = server.request("GET", path)
            assert status == 404, path
            assert b"not for readers" not in body
    finally:
        server.stop()


# S3 -------------------------------------------------------------------------------------


@pytest.fixture
def s3(monkeypatch) -> Iterator[str]:
    """moto's S3 in server mode on a free local port, with one bucket; yields its endpoint."""
    requests_log = logging.getLogger("werkzeug")  # moto's server logs every request
    level = requests_log.level
    requests_log.setLevel(logging.WARNING)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        # moto keeps its buckets per process, not per server: start from none.
        reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310
        urllib.request.urlopen(reset, timeout=10).close()  # noqa: S310 - local moto
        client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()
        requests_log.setLevel(level)


def client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")


def fetch(url: str) -> tuple[int, Message, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local moto
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def use_s3(settings, endpoint: str, **options) -> None:
    """STORAGES as DJANGO_MEDIA_STORAGE=s3 makes them, through the settings' own function."""
    settings.STORAGES = {
        **settings.STORAGES,
        **media_storages(
            "s3",
            pending_root="unused",
            bucket=BUCKET,
            endpoint_url=endpoint,
            region="us-east-1",
            **options,
        ),
    }


def test_renditions_are_stored_in_and_served_from_s3(settings, s3):
    use_s3(settings, s3)
    storage = storages["default"]

    name = storage.save(ORIGINAL, ContentFile(picture("JPEG", (800, 600))))
    made = images.make_renditions(storage, name, widths=(320,), social=True)

    keys = {o["Key"] for o in client(s3).list_objects_v2(Bucket=BUCKET)["Contents"]}
    written = [name, made["social"]["name"], *(source["name"] for source in made["sources"])]
    assert keys == {f"media/{stored}" for stored in written}
    for source in made["sources"]:
        url = storage.url(source["name"])
        assert url.startswith(f"{s3}/{BUCKET}/media/articles/2026/11/renditions/")
        assert "Signature" not in url  # plain, cacheable addresses
        status, headers, body = fetch(url)
        assert status == 200
        assert headers["Content-Type"] == source["type"]
        assert headers["Cache-Control"] == IMMUTABLE
        assert len(body) == source["bytes"]
    status, headers, _ = fetch(storage.url(made["social"]["name"]))
    assert (status, headers["Content-Type"]) == (200, "image/jpeg")


def test_pending_uploads_in_s3_are_private(settings, s3):
    use_s3(settings, s3, custom_domain="media.example.com")
    pending = storages["pending"]
    data = picture("JPEG")

    name = pending.save("raw-upload.jpg", ContentFile(data))

    assert client(s3).head_object(Bucket=BUCKET, Key=f"pending/{name}")
    assert fetch(f"{s3}/{BUCKET}/pending/{name}")[0] == 403
    signed = pending.url(name)
    assert signed.startswith(f"{s3}/{BUCKET}/pending/")  # never through the CDN
    assert "Signature=" in signed
    assert fetch(signed)[0] == 200
    assert fetch(signed)[2] == data


def test_behind_a_cdn_urls_name_the_custom_domain(settings, s3):
    use_s3(settings, s3, custom_domain="media.example.com", default_acl=None)
    storage = storages["default"]

    name = storage.save("articles/2026/11/renditions/hall-1a2b3c4d-320w.webp", ContentFile(b"x"))

    assert storage.url(name) == (
        "https://media.example.com/media/articles/2026/11/renditions/hall-1a2b3c4d-320w.webp"
    )
    head = client(s3).head_object(Bucket=BUCKET, Key=f"media/{name}")
    assert head["CacheControl"] == IMMUTABLE


def test_the_environment_chooses_s3():
    code = (
        "from django.conf import settings; from newsroom import media; "
        "s = settings.STORAGES; print(s['default']['BACKEND'], s['pending']['BACKEND'], "
        "s['default']['OPTIONS']['custom_domain'], s['default']['OPTIONS']['default_acl'], "
        "s['pending']['OPTIONS']['default_acl'], media.urlpatterns())"
    )
    env = {
        **PRODUCTION,
        "DJANGO_MEDIA_STORAGE": "s3",
        "DJANGO_AWS_STORAGE_BUCKET_NAME": BUCKET,
        "DJANGO_AWS_S3_CUSTOM_DOMAIN": "media.example.com",
    }

    result = manage("shell", "-c", code, env=env)
    missing = manage("check", env={**PRODUCTION, "DJANGO_MEDIA_STORAGE": "s3"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "newsroom.s3.MediaStorage",
        "storages.backends.s3.S3Storage",
        "media.example.com",
        "None",  # behind a CDN no public ACL is needed
        "private",
        "[]",  # and the app serves no media
    ]
    assert missing.returncode != 0
    assert "DJANGO_AWS_STORAGE_BUCKET_NAME" in missing.stderr


def test_the_environment_can_leave_local_media_to_the_proxy():
    code = "from newsroom import media; print(len(media.urlpatterns()))"

    served = manage("shell", "-c", code, env=PRODUCTION)
    left = manage("shell", "-c", code, env={**PRODUCTION, "DJANGO_SERVE_MEDIA": "off"})

    assert served.stdout.split()[-1] == "1", served.stderr
    assert left.stdout.split()[-1] == "0", left.stderr


@pytest.mark.django_db
def test_uploads_no_row_waits_on_are_swept_from_the_bucket(settings, s3):
    """On S3 a folder is only a prefix: the sweep must list it all the same."""
    use_s3(settings, s3)
    pending = storages["pending"]
    kept = pending.save("pictures/waiting.jpg", ContentFile(picture("JPEG")))
    pending.save("pictures/left-by-a-refused-form.jpg", ContentFile(picture("JPEG")))
    PictureFactory(file_upload=kept, file_state="processing")

    assert pictures.sweep_pending(older_than=timedelta(0)) == 1

    keys = {o["Key"] for o in client(s3).list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {f"pending/{kept}"}
