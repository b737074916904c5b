"""Hostile input anywhere gets a 4xx, never a 500: addresses, query strings, forms, methods."""

from urllib.parse import quote

import pytest
from django.test import Client

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "\x00",
    "a\x00b",
    "\x01",
    "\x1b[31m",
    "\x7f",
    "x" * 5000,
    "<script>alert(1)</script>",
    "' OR 1=1--",
    "../../etc/passwd",
    "%",
    "%%00",
    "\ufffd",
    "\u202eevil",
    "ايران",
    "9" * 40,
    "-1",
    "0",
    "[]",
    "😀",
    "",
]

PUBLIC_PATHS = [
    "/news/{}/",
    "/tags/{}/",
    "/sections/{}/",
    "/authors/{}/",
    "/sources/{}/",
    "/feeds/tags/{}/",
    "/feeds/sections/{}/",
    "/preview/{}/",
    "/sitemap-{}.xml",
    "/media/{}",
    # The Persian edition's own addresses
    "/fa/news/{}/",
    "/fa/tags/{}/",
    "/fa/feeds/tags/{}/",
    "/fa/preview/{}/",
    "/fa/archive/1403/{}/",
]
PUBLIC_QUERIES = [
    ("/news/", "tag"),
    ("/news/", "section"),
    ("/news/", "author"),
    ("/news/", "source"),
    ("/news/", "language"),
    ("/news/", "date_after"),
    ("/news/", "page"),
    ("/search/", "q"),
    ("/search/", "tag"),
    ("/tags/", "page"),
    ("/", "page"),
    ("/sitemap-articles.xml", "p"),
    ("/fa/news/", "tag"),
    ("/fa/news/", "language"),
    ("/fa/search/", "q"),
    ("/fa/archive/1403/", "page"),
]
DESK_QUERIES = [
    ("/admin/articles/article/", "status"),
    ("/admin/articles/article/", "tag"),
    ("/admin/articles/article/", "language__exact"),
    ("/admin/articles/article/", "section__id__exact"),
    ("/admin/articles/article/", "q"),
    ("/admin/articles/article/", "p"),
    ("/admin/articles/article/", "o"),
    ("/admin/articles/article/", "publish_at__year"),
    ("/admin/articles/tag/autocomplete/", "q"),
    ("/admin/articles/tag/suggest/", "text"),
    ("/admin/articles/tag/", "q"),
    ("/admin/articles/proposedtag/", "q"),
]


@pytest.fixture
def newsroom():
    section = SectionFactory(name="Politics")
    ArticleFactory(
        section=section,
        authors=[AuthorFactory(name="Ann")],
        source=SourceFactory(name="Wire"),
        tags=["Iran"],
    )


def requests_made(client: Client, editor=None) -> list[tuple[str, int]]:
    """Every hostile request of the suite, with the status each got."""
    seen = []

    def record(label: str, response) -> None:
        seen.append((label, response.status_code))

    for template in PUBLIC_PATHS:
        for payload in PAYLOADS:
            path = template.format(quote(payload, safe=""))
            record(f"GET {path[:80]!r}", client.get(path))
    queries = PUBLIC_QUERIES + (DESK_QUERIES if editor else [])
    for path, name in queries:
        for payload in PAYLOADS:
            record(f"GET {path}?{name}={payload[:30]!r}", client.get(path, {name: payload}))
        record(f"GET {path} repeated", client.get(path, {name: ["a", "b", "\x00"]}))
        record(
            f"GET {path} broken UTF-8",
            client.get(path, QUERY_STRING=f"{name}=%ff%fe%00%C3%28"),
        )
    for method in ["put", "patch", "delete", "options", "trace"]:
        for path in ["/", "/news/", "/search/", "/feeds/latest/", "/admin/articles/article/"]:
            record(f"{method.upper()} {path}", getattr(client, method)(path))
    record("bad Host", client.get("/", headers={"host": "evil.example\x00"}))
    record("bad Host 2", client.get("/", HTTP_HOST="no such host"))
    record(
        "broken multipart",
        client.generic(
            "POST",
            "/admin/articles/article/add/",
            b'--xx\r\nContent-Disposition: form-data; name="title"\r\n\r\nbroken',
            content_type="multipart/form-data; boundary=xx",
        ),
    )
    if editor:
        for payload in PAYLOADS:
            record(
                f"POST bulk action {payload[:20]!r}",
                client.post(
                    "/admin/articles/article/",
                    {"action": "publish", "_selected_action": [payload]},
                ),
            )
            record(
                f"POST action name {payload[:20]!r}",
                client.post(
                    "/admin/articles/article/", {"action": payload, "_selected_action": ["1"]}
                ),
            )
            record(
                f"POST tag merge {payload[:20]!r}",
                client.post(
                    "/admin/articles/tag/",
                    {
                        "action": "merge",
                        "apply": "1",
                        "into_name": payload,
                        "_selected_action": ["1"],
                    },
                ),
            )
    return seen


def test_hundreds_of_hostile_requests_get_no_server_error(client, newsroom):
    seen = requests_made(client)

    assert len(seen) >= 300
    assert [(label, status) for label, status in seen if status >= 500] == []


def test_hostile_requests_from_staff_get_no_server_error(client, editor, newsroom):
    client.force_login(editor)

    seen = requests_made(client, editor=editor)

    assert len(seen) >= 300
    assert [(label, status) for label, status in seen if status >= 500] == []


@pytest.mark.parametrize(
    ("path", "status"),
    [("/news/a%00b/", 404), ("/tags/%01/", 404), ("/news/?tag=%00", 400), ("/search/?q=a%00", 400)],
)
def test_control_characters_are_refused_plainly(client, newsroom, path, status):
    response = client.get(path)

    assert response.status_code == status


def test_a_nul_in_a_form_is_refused_and_saves_nothing(client, editor, newsroom):
    from articles.models import Article

    client.force_login(editor)
    article = Article.objects.get()

    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", {"title": "New\x00title"}
    )

    assert response.status_code == 400
    assert Article.objects.get().title == article.title
