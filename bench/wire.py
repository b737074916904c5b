"""The wire desk's costs: importing a 500-item feed, and polling 50 unchanged feeds.

    .venv/bin/python bench/wire.py                 # a fresh SQLite database in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_wire \
        .venv/bin/python bench/wire.py

The database named by DATABASE_URL is migrated and filled with a section, a
source and 300 approved tags (so the tag suggestions have a vocabulary to
search); the feeds are generated here and served by a local HTTP server, which
the wire desk may read because DJANGO_ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES is
on for this run. Timed: (1) a poll of a 500-item feed (fetch, parse, 500 new
articles with their tags and search entries, in one transaction); (2) the same
feed polled again (one conditional request, 304); (3) 50 feeds polled once
(a few items each), then (4) all 50 polled again, unchanged. Results are
printed and written to bench/out/wire.json.
"""

import json
import os
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH, setup_django  # noqa: E402

WORDS = [
    "minister",
    "talks",
    "vienna",
    "nuclear",
    "agreement",
    "sanctions",
    "oil",
    "tehran",
    "moscow",
    "brussels",
    "parliament",
    "election",
    "market",
    "currency",
    "inflation",
    "drought",
    "harbour",
    "shipping",
    "caspian",
    "negotiators",
    "envoy",
    "ceasefire",
    "refugees",
    "border",
    "trade",
    "exports",
    "wheat",
    "grain",
    "corridor",
]
PERSIAN = ["وزیر", "گفت\u200cوگو", "وین", "برجام", "تحریم", "نفت", "تهران", "مسکو"]
PERSIAN += ["مجلس", "انتخابات", "بازار"]


def feed(items: int, *, seed: int, prefix: str) -> bytes:
    rng = random.Random(seed)
    start = datetime(2025, 6, 10, tzinfo=UTC)
    entries = []
    for n in range(items):
        words = PERSIAN if n % 5 == 0 else WORDS
        title = " ".join(rng.choice(words) for _ in range(8)).capitalize()
        paragraphs = "".join(
            "<p>" + " ".join(rng.choice(words) for _ in range(60)) + ".</p>" for _ in range(6)
        )
        when = format_datetime(start - timedelta(minutes=7 * n))
        entries.append(
            f"<item><title>{escape(title)} {n}</title>"
            f"<link>https://www.{prefix}.example/news/{n}/?utm_source=rss</link>"
            f"<guid isPermaLink='false'>{prefix}-{n}</guid><pubDate>{when}</pubDate>"
            f"<description>{escape(paragraphs[:300])}</description>"
            f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{prefix}</title><link>https://{prefix}.example/</link>{''.join(entries)}"
        "</channel></rss>"
    ).encode()


class Feeds:
    """Serves generated feeds with ETags; answers 304 when the ETag comes back."""

    def __init__(self):
        self.bodies: dict[str, bytes] = {}
        self.requests = 0
        feeds = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - http.server's name
                feeds.requests += 1
                body = feeds.bodies.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> dict:
    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-wire-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'wire.sqlite3'}")
    os.environ["DJANGO_ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES"] = "on"
    os.environ.setdefault("DJANGO_TASKS_ENGINE", "immediate")
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(folder / "media"))
    os.environ.setdefault("DJANGO_PENDING_UPLOADS_ROOT", str(folder / "uploads"))
    setup_django(collect_static=False)
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article, Section, Source, SourceFeed, Tag
    from articles.wire import polling

    call_command("migrate", verbosity=0)
    section, _ = Section.objects.get_or_create(name="Wire bench", defaults={"slug": "wire-bench"})
    Tag.objects.bulk_create(
        [Tag(name=f"{word} {n}", slug=f"bench-{word}-{n}", approved=True) for n, word in
         enumerate(WORDS * 10)],
        ignore_conflicts=True,
    )  # fmt: skip
    for word in WORDS:  # single-word tags the stories mention
        Tag.objects.get_or_create(name=word.capitalize(), defaults={"approved": True})
    server = Feeds()
    big = Source.objects.create(name=f"Big wire {time.time_ns()}", default_section=section)
    server.bodies["/big.xml"] = feed(500, seed=1, prefix=f"big{time.time_ns()}")
    big_feed = SourceFeed.objects.create(source=big, url=server.url("/big.xml"))
    before = Article.objects.count()

    import_seconds, run = timed(lambda: polling.feed_poll(feed=big_feed))
    assert run.new == 500, (run.outcome, run.error, run.new)
    again_seconds, again = timed(lambda: polling.feed_poll(feed=big_feed))
    assert again.outcome == "unchanged"

    feeds = []
    for n in range(50):
        source = Source.objects.create(
            name=f"Small wire {n} {time.time_ns()}", default_section=section
        )
        path = f"/small-{n}.xml"
        server.bodies[path] = feed(5, seed=100 + n, prefix=f"small{n}x{time.time_ns()}")
        feeds.append(SourceFeed.objects.create(source=source, url=server.url(path)))
    first_seconds, _ = timed(lambda: [polling.feed_poll(feed=f) for f in feeds])
    requests_before = server.requests
    unchanged_seconds, runs = timed(lambda: [polling.feed_poll(feed=f) for f in feeds])
    assert all(r.outcome == "unchanged" for r in runs)

    results = {
        "database": connection.vendor,
        "import_500_items_seconds": round(import_seconds, 2),
        "import_per_item_ms": round(import_seconds / 500 * 1000, 1),
        "articles_created": Article.objects.count() - before,
        "repoll_unchanged_500_item_feed_seconds": round(again_seconds, 3),
        "first_poll_50_feeds_of_5_items_seconds": round(first_seconds, 2),
        "poll_50_unchanged_feeds_seconds": round(unchanged_seconds, 3),
        "poll_50_unchanged_requests": server.requests - requests_before,
        "feed_bytes_500_items": len(server.bodies["/big.xml"]),
    }
    server.httpd.shutdown()
    out = BENCH / "out"
    out.mkdir(exist_ok=True)
    (out / "wire.json").write_text(json.dumps(results, indent=2))
    for key, value in results.items():
        print(f"{key}: {value}")
    return results


if __name__ == "__main__":
    main()
