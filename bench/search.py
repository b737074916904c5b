"""Search latency as readers see it: GET /search/?q=… on a large newsroom.

    DATABASE_URL=… python bench/generate.py 100000
    DATABASE_URL=… python bench/search.py

Reports median and 95th percentile over repeated requests for a few kinds of
query, through the whole stack (search, ranking, snippets, template).
"""

import json

from common import setup_django, timed

QUERIES = {
    "one common word": {"q": "minister"},
    "two words": {"q": "oil prices"},
    "prefix": {"q": "satell"},
    "persian word": {"q": "تهران"},
    "persian, arabic keyboard": {"q": "مذاكرات"},
    "word + section filter": {"q": "budget", "section": None},  # the first section
    "no match": {"q": "zzzzqqq"},
}


def main() -> None:
    setup_django()
    from django.test import Client

    from articles.models import Article, Section

    QUERIES["word + section filter"]["section"] = Section.objects.first().slug
    client = Client()
    results = {"articles": Article.objects.count(), "vendor": None}
    from django.db import connection

    results["vendor"] = connection.vendor
    for name, query in QUERIES.items():

        def run(query=query):
            response = client.get("/search/", query)
            assert response.status_code == 200, response.status_code

        results[name] = timed(run, repeat=30)
    medians = sorted(v["median_ms"] for v in results.values() if isinstance(v, dict))
    p95s = sorted(v["p95_ms"] for v in results.values() if isinstance(v, dict))
    results["worst median_ms"], results["worst p95_ms"] = medians[-1], p95s[-1]
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
