"""The two baseline views `make bench` compares every page with (see bench/urls.py).

Both go through the whole middleware stack like any page; neither reads the
database, the cache or a template file.
"""

from datetime import UTC, datetime, timedelta

from django.http import HttpRequest, HttpResponse
from django.template import engines

BARE_BYTES = 22 * 1024


def _bare_page() -> bytes:
    head = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Baseline</title></head><body><main>\n"
    )
    tail = "</main></body></html>\n"
    paragraph = (
        "<p>Officials said the talks in Vienna would resume next week, after a pause "
        "of several months, and that both delegations had agreed on an agenda.</p>\n"
    )
    body = paragraph * ((BARE_BYTES - len(head) - len(tail)) // len(paragraph) + 1)
    page = (head + body)[: BARE_BYTES - len(tail)] + tail
    return page.encode()


BARE_PAGE = _bare_page()
assert len(BARE_PAGE) == BARE_BYTES


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_PAGE, content_type="text/html; charset=utf-8")


LIST_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ol class="teasers">{% for item in items %}
  <li class="teaser">
    <h2><a href="{{ item.url }}">{{ item.title }}</a></h2>
    <p class="meta">{{ item.section }} ·
      <time datetime="{{ item.publish_at|date:'c' }}">{{ item.publish_at|date:"j F Y" }}</time>
      · {% for author in item.authors %}{{ author }}{% if not forloop.last %}, {% endif %}
        {% endfor %}</p>
    <p>{{ item.summary|truncatewords:40 }}</p>
    <ul class="tags">{% for tag in item.tags %}
      <li><a href="/tags/{{ tag|slugify }}/">{{ tag }}</a></li>{% endfor %}
    </ul>
  </li>{% endfor %}
</ol>
<nav>{% if page > 1 %}<a href="?page={{ page|add:-1 }}">Newer</a>{% endif %}
<a href="?page={{ page|add:1 }}">Older</a></nav>
</main></body></html>
"""

_NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
ITEMS = [
    {
        "url": f"/news/baseline-story-{n}/",
        "title": f"Talks resume in Vienna as envoys weigh a new offer, part {n}",
        "section": "World",
        "publish_at": _NOW - timedelta(hours=3 * n),
        "authors": ["Sara Hughes", "Omid Karimi"][: 1 + n % 2],
        "summary": "Officials said the talks would resume next week after a pause of several "
        "months, and that both delegations had agreed on an agenda & a timetable <soon>.",
        "tags": ["Iran", "Nuclear talks", "Vienna"],
    }
    for n in range(20)
]
_template = None


def template(request: HttpRequest) -> HttpResponse:
    global _template  # compiled once per process, as the template loaders cache them
    if _template is None:
        _template = engines["django"].from_string(LIST_TEMPLATE)
    html = _template.render({"title": "All news", "items": ITEMS, "page": 2})
    return HttpResponse(html, content_type="text/html; charset=utf-8")
