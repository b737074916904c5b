"""An editor publishing while readers load the site: is every new story visible at once?

    python bench/soak.py http://127.0.0.1:PORT SECONDS EVERY

bench/run.py runs it with the server's environment while wrk loads a mix of
pages. Every EVERY seconds it writes a draft and publishes it through the
application's own code (articles.services.article_save, then
articles.workflow.article_publish as the benchmark editor), then fetches / and
/news/ as an anonymous reader would and looks for the new story's link. A
story not visible at once is fetched again every quarter second (up to 30 s)
to tell how late it appeared. Prints "ready" when set up and, at the end, the
results as `BENCH_JSON {…}`. The stories it published are deleted at the end,
so the benchmark database stays as generated.
"""

import http.client
import json
import secrets
import sys
import time
from urllib.parse import urlsplit

from common import ensure_editor, setup_django

READER = {"X-Forwarded-Proto": "https"}
PAGES = ("/", "/news/")
LATE_LIMIT = 30.0


def fetch(base: str, path: str) -> tuple[int, str]:
    host = urlsplit(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    try:
        connection.request("GET", path, headers=READER)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def publish_one(n: int, run: str, *, editor, section, author):
    """A new story, saved as a draft and published the way the desk does it."""
    from articles import services, workflow
    from articles.models import Article

    article = Article(
        title=f"Soak story {n} {run}",
        summary="Officials said the talks would resume next week.",
        body="<p>Officials said the talks would resume next week, after a pause.</p>",
        language="en",
        section=section,
    )
    services.article_save(article=article, by=None, tags=["Iran"])
    article.authors.add(author)
    workflow.article_publish(article=article, by=editor)
    return article


def visible(base: str, link: str) -> dict:
    """Whether each page shows the link now: {path: [status, shown]}."""
    found = {}
    for path in PAGES:
        status, html = fetch(base, path)
        found[path] = [status, f'href="{link}"' in html]
    return found


def main() -> None:
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    base, seconds, every = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    setup_django(collect_static=False)
    from articles.models import Article, Author, Section

    editor = ensure_editor()
    section = Section.objects.order_by("position", "pk").first()
    author = Author.objects.order_by("pk").first()
    run = secrets.token_hex(3)
    stories, made = [], []
    print("ready", flush=True)
    start = time.monotonic()
    n = 0
    while start + (n + 1) * every < start + seconds - 1:
        time.sleep(max(0.0, start + (n + 1) * every - time.monotonic()))
        began = time.perf_counter()
        try:
            article = publish_one(n, run, editor=editor, section=section, author=author)
        except Exception as error:  # noqa: BLE001 - reported, and the run goes on
            stories.append({"n": n, "error": f"{type(error).__name__}: {error}"})
            n += 1
            continue
        made.append(article.pk)
        published_s = time.perf_counter() - began
        link = article.get_absolute_url()
        at_once = visible(base, link)
        late = None
        if not all(shown for _status, shown in at_once.values()):
            waited = time.perf_counter()
            while time.perf_counter() - waited < LATE_LIMIT:
                time.sleep(0.25)
                if all(shown for _status, shown in visible(base, link).values()):
                    late = round(time.perf_counter() - waited, 2)
                    break
        stories.append(
            {
                "n": n,
                "publish_s": round(published_s, 3),
                "pages": at_once,
                "visible_at_once": all(shown for _status, shown in at_once.values()),
                "visible_after_s": late,
            }
        )
        n += 1
    Article.objects.filter(pk__in=made).delete()
    print("BENCH_JSON " + json.dumps({"stories": stories}), flush=True)


if __name__ == "__main__":
    main()
