"""Inside Django on one benchmark database: choose the pages, count their SQL queries.

    python bench/measure.py pages              # JSON: the pages to load-test, and facts
    python bench/measure.py queries < pages.json

bench/run.py runs it with the server's environment (bench.settings, DATABASE_URL,
CACHE_URL, DJANGO_ARTICLES_PAGE_CACHE) and reads the last line, `BENCH_JSON {…}`.
Queries are counted with CaptureQueriesContext through the test Client, with the
reader's headers (the editor's session for the desk); the cache is cleared
before each page, so the first request is a cold one and the second a warm one.
"""

import json
import math
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit

from common import ensure_editor, setup_django, steady_state

SEARCH_WORD = "minister"  # about a third of the English stories carry it (bench/generate.py)
READER = {"X-Forwarded-Proto": "https"}


def pages() -> dict:
    """Real addresses from this database for every page `make bench` loads."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.encoding import iri_to_uri

    from articles.models import Article, Section, Tag, TaggedArticle

    call_command("migrate", verbosity=0)
    ensure_editor()
    steady_state()  # also after the last run's soak wrote and deleted stories
    published = Article.objects.published()
    # /news/ lists the English edition's articles: its last page is counted from those.
    count = published.filter(language="en").count()
    last_page = max(1, math.ceil(count / settings.ARTICLES_PAGE_SIZE))
    chosen: dict[str, dict] = {}

    def add(name: str, path: str, note: str = "", admin: bool = False) -> None:
        chosen[name] = {"path": iri_to_uri(path), "note": note, "admin": admin}

    news = reverse("articles:article_list")
    add("home", reverse("articles:home"))
    add("news", news)
    add("api articles", reverse("api:articles"), "the JSON API's article list, 20 a page")
    if last_page >= 500:
        add("news p500", f"{news}?page=500")
    else:
        add("news p500", f"{news}?page={last_page}", f"last page ({last_page}); no page 500")
    # A typical English story: recent, with three or more tags (so "related" has work).
    article = (
        published.filter(language="en")
        .annotate(tag_count=Count("tags", filter=Q(tags__approved=True)))
        .filter(tag_count__gte=3)
        .order_by("-publish_at", "-pk")[20:21]
        .first()
    ) or published.first()
    add("article", article.get_absolute_url(), "an English story with 3+ tags")
    add("tags", reverse("articles:tag_list"))
    # Straight from the models: the selectors' shapes change more often than the rule.
    most_used = (
        TaggedArticle.objects.filter(content_object__in=published, tag__in=Tag.objects.public())
        .values("tag")
        .annotate(n=Count("pk"))
        .order_by("-n", "tag")
        .first()
    )
    tag = Tag.objects.get(pk=most_used["tag"])
    add("tag", tag.get_absolute_url(), f"the most used tag, {most_used['n']} stories")
    section = (
        Section.objects.annotate(n=Count("articles", filter=Q(articles__in=published)))
        .order_by("-n")
        .first()
    )
    add("section", section.get_absolute_url(), f"the largest section, {section.n} stories")
    month = (timezone.localtime() - timedelta(days=31)).replace(day=1)
    in_month = published.filter(publish_at__year=month.year, publish_at__month=month.month).count()
    add(
        "archive month",
        reverse("articles:archive_month", args=[month.year, f"{month.month:02d}"]),
        f"last month, {in_month} stories",
    )
    add("search", f"{reverse('articles:search')}?q={SEARCH_WORD}", f"q={SEARCH_WORD}")
    add("feed", reverse("feed_latest"))
    add("sitemap", reverse("sitemap"))
    client = Client(headers=READER)
    index = client.get(reverse("sitemap"))
    largest, largest_bytes = None, -1
    for loc in _locations(index.content):
        parts = urlsplit(loc)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        size = len(client.get(path).content)
        if size > largest_bytes:
            largest, largest_bytes = path, size
    if largest:
        add("sitemap child", largest, f"the largest child sitemap, {largest_bytes // 1024} KB")
    add("admin list", reverse("admin:articles_article_changelist"), "logged in as editor", True)

    newest = published.filter(language="en").order_by("-publish_at", "-pk")
    mix = [reverse("articles:home")] * 3 + [news, f"{news}?page=2"]
    mix += [iri_to_uri(a.get_absolute_url()) for a in newest[:12]]
    mix += [chosen[name]["path"] for name in ("tag", "section", "search", "feed", "tags")]
    mix.append(chosen["archive month"]["path"])
    facts = {
        "articles": Article.objects.count(),
        "published": count,
        "tags": Tag.objects.count(),
        "taggings": TaggedArticle.objects.count(),
        "sections": Section.objects.count(),
        "vendor": connection.vendor,
        # None while the application has no page cache setting (DJANGO_ARTICLES_PAGE_CACHE).
        "page_cache_setting": getattr(settings, "ARTICLES_PAGE_CACHE", None),
    }
    return {"pages": chosen, "mix": mix, "facts": facts}


def _locations(xml: bytes) -> list[str]:
    import re

    return [loc.decode() for loc in re.findall(rb"<loc>([^<]+)</loc>", xml)]


def queries(chosen: dict) -> dict:
    """SQL queries of each page, cold (cache cleared) and warm (asked again)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    reader = Client(headers=READER)
    editor = Client(headers=READER)
    editor.force_login(ensure_editor())
    found = {}
    for name, page in chosen.items():
        client = editor if page.get("admin") else reader
        cache.clear()
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as cold:
            first = client.get(page["path"])
        cold_ms = (time.perf_counter() - began) * 1000
        with CaptureQueriesContext(connection) as warm:
            client.get(page["path"])
        slowest = max(cold.captured_queries, key=lambda q: float(q["time"]), default=None)
        found[name] = {
            "status": first.status_code,
            "queries": len(cold.captured_queries),
            "queries_warm": len(warm.captured_queries),
            "cold_ms": round(cold_ms, 1),
            "slowest_query_ms": round(float(slowest["time"]) * 1000, 1) if slowest else 0,
            "slowest_query": slowest["sql"][:20000] if slowest else "",
        }
    cache.clear()
    return found


def main() -> None:
    if len(sys.argv) != 2 or sys.argv[1] not in ("pages", "queries"):
        raise SystemExit(__doc__)
    setup_django(collect_static=False)
    result = pages() if sys.argv[1] == "pages" else queries(json.load(sys.stdin))
    print("BENCH_JSON " + json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
