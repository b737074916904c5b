"""The API against its own OpenAPI schema (schemathesis): whatever a client sends, no
500, and every answer is what the schema says; no draft ever shows."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Embargoed draft about the ceasefire"


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go straight to the WSGI handler, whose end-of-request hook would close
    the test's own connection (inside its transaction); Django's test Client unhooks
    it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def newsroom(db):
    politics = SectionFactory(name="Politics", slug="politics")
    ann = AuthorFactory(name="Ann", slug="ann")
    wire = SourceFactory(name="Wire", slug="wire")
    ArticleFactory(
        title="Talks resume", section=politics, authors=[ann], tags=["Iran"], source=wire,
        source_url="https://wire.example/talks",
    )  # fmt: skip
    ArticleFactory(persian=True, section=politics, tags=["برجام"])
    ArticleFactory(title=DRAFT_TITLE, draft=True, tags=["Secret plan"])
    ArticleFactory(title=DRAFT_TITLE, in_review=True)
    ArticleFactory(title=DRAFT_TITLE, scheduled=True)


# Read in-process from the app itself (the schema view reads no rows).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_answer_matches_the_schema_and_none_is_a_server_error(case):
    # The in-process client does not decompress; compression has its own tests. A slug
    # no tag, section, author or source has is well-formed yet unknown: answered with a
    # 400 that says so (as /news/ does), which "valid data accepted" would count against.
    response = case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance]
    )

    assert response.status_code < 500
    assert DRAFT_TITLE not in response.text and "Secret plan" not in response.text


def test_the_schema_is_openapi_3_and_names_every_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/articles/",
        "/api/articles/{slug}/",
        "/api/tags/",
        "/api/sections/",
        "/api/authors/",
        "/api/sources/",
    }
    parameters = {p["name"] for p in schema["paths"]["/api/articles/"]["get"]["parameters"]}
    assert {"tag", "section", "author", "source", "language", "updated_after"} <= parameters
    assert {"date_after", "date_before", "page", "page_size"} <= parameters


def test_the_documentation_page_loads_nothing_from_elsewhere(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "https://" not in html and "http://" not in html and "<script>" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    # Its start-up script is a file of its own, which names the schema's address.
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        found = client.get(f"/static/drf_spectacular_sidecar/swagger-ui-dist/{asset}")
        assert found.status_code == 200


def test_the_schema_comes_in_the_format_asked_for_even_with_the_page_cache(client, settings):
    settings.ARTICLES_PAGE_CACHE = True

    as_json = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    as_yaml = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")

    assert as_json["Content-Type"].startswith("application/json")
    assert as_yaml.content.decode().startswith("openapi:")
