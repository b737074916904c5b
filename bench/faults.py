"""A bad day, against the production recipe: what readers and editors get.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom .venv/bin/python bench/faults.py

Serves the 1k bench database (made by `make bench`) with gunicorn, DEBUG off, and
plays three faults, printing what each URL answered (status, time, what the page
says):

1. the database refuses connections mid-flight (ALLOW_CONNECTIONS false and every
   session ended), then comes back, with no restart;
2. Redis does not answer (CACHE_URL at a port where nothing listens);
3. the store for uploads fails (its folder cannot be created) while an editor
   saves an article with a new picture.

Touches only the bench database and 127.0.0.1.
"""

import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lxml.html  # noqa: E402
import psycopg  # noqa: E402
import urllib3  # noqa: E402
from common import BENCH  # noqa: E402
from databases import small_postgresql_database  # noqa: E402
from server import Server, fetch, log_in, manage, recipe_env  # noqa: E402

READER_PAGES = ["/", "/news/", "/tags/", "/search/?q=iran", "/sitemap.xml", "/feeds/latest/"]
DESK = "/admin/articles/article/"


class AnyHealth(Server):
    """Started even when /healthz says 503 (the database is away from the start)."""

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                fetch(self, "/healthz", timeout=5)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(self.tail())


def show(server: Server, path: str, cookie: str = "") -> str:
    started = time.monotonic()
    status, headers, body = fetch(server, path, headers={"Cookie": cookie} if cookie else {})
    took = (time.monotonic() - started) * 1000
    text = re.sub(r"\s+", " ", re.sub(rb"<[^>]+>", b" ", body[:3000]).decode(errors="replace"))
    retry = f" Retry-After {headers['Retry-After']}" if headers.get("Retry-After") else ""
    return f"  {path:28} {status}{retry} {took:6.0f} ms  {text.strip()[:70]}"


def admin_connection(url: str):
    parts = urlsplit(url)
    return psycopg.connect(
        urlunsplit(parts._replace(path="/postgres", scheme="postgresql")), autocommit=True
    )


def database_away(server: Server, url: str, name: str) -> None:
    print("1. The database refuses connections, then comes back")
    with admin_connection(url) as pg:
        for path in READER_PAGES[:2]:
            print(show(server, path))
        pg.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        pg.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        try:
            print(" away:")
            for path in [*READER_PAGES, "/healthz", "/admin/login/"]:
                print(show(server, path))
        finally:
            pg.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        print(" back (no restart):")
        for path in [*READER_PAGES[:2], "/healthz"]:
            print(show(server, path))


def store_failing(server: Server, url: str) -> None:
    print("3. The upload store fails while an editor saves a new picture")
    cookie = log_in(server)
    status, _headers, page = fetch(server, DESK, headers={"Cookie": cookie})
    change = re.search(rb'href="(/admin/articles/article/(\d+)/change/)[^"]*"', page)
    path = change.group(1).decode()
    status, headers, form = fetch(server, path, headers={"Cookie": cookie})
    # What a browser would send back: every field as the form shows it (lxml reads it).
    page_form = next(f for f in lxml.html.fromstring(form).forms if f.get("id") == "article_form")
    fields = [(name, value) for name, value in page_form.form_values() if name != "title"]
    fields.append(("title", "A headline typed during an outage"))
    data = _tiny_jpeg()
    encoded, content_type = urllib3.encode_multipart_formdata(
        [*fields, ("new_picture", ("hall.jpg", data, "image/jpeg")), ("new_picture_alt", "A hall")]
    )
    origin = f"https://{server.host}"
    started = time.monotonic()
    status, headers, answer = fetch(
        server,
        path,
        method="POST",
        body=encoded,
        headers={
            "Cookie": cookie,
            "Content-Type": content_type,
            "Origin": origin,
            "Referer": origin + path,
        },
    )
    took = (time.monotonic() - started) * 1000
    said = re.search(rb'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer, re.S)
    print(f"  POST {path} {status} {took:.0f} ms")
    if said:
        print("  says:", re.sub(rb"<[^>]+>", b"", said.group(1)).decode().strip())
    print("  title kept in the form:", b"A headline typed during an outage" in answer)
    with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as db:
        stored = db.execute(
            "SELECT title FROM articles_article WHERE id = %s", [int(change.group(2))]
        ).fetchone()[0]
    print("  stored title unchanged:", stored != "A headline typed during an outage")


def _tiny_jpeg() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (800, 600), "navy").save(out, "JPEG")
    return out.getvalue()


def main() -> int:
    database = small_postgresql_database()
    out = Path(tempfile.mkdtemp(prefix="newsroom-faults-"))
    env = recipe_env(
        database_url=database.url,
        cache_url="redis://127.0.0.1:6379/13",
        page_cache="on",
        out=BENCH / "out",
    )
    manage(env, "migrate", "--no-input", "-v0")
    manage(
        env,
        "shell",
        "-c",
        f"import sys; sys.path.insert(0, {str(BENCH)!r}); import common; common.ensure_editor()",
    )
    with Server(env, workers=2, log=out / "db.log") as server:
        database_away(server, database.url, database.name)

    print("2. Redis does not answer")
    quiet = {**env, "CACHE_URL": "redis://127.0.0.1:9/0"}
    with AnyHealth(quiet, workers=2, log=out / "redis.log") as server:
        for path in [*READER_PAGES, "/healthz"]:
            print(show(server, path))
        print(show(server, DESK, log_in(server)))

    blocker = out / "not-a-folder"
    blocker.write_text("a file where the upload folder should be")
    broken = {**env, "DJANGO_PENDING_UPLOADS_ROOT": str(blocker / "uploads")}
    with Server(broken, workers=2, log=out / "store.log") as server:
        store_failing(server, database.url)
    print(f"(server logs in {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
