"""The API's documentation page renders in a real browser under the site's strict CSP,
with everything from this site."""

from tests.factories import ArticleFactory


def test_the_api_documentation_renders_without_breaking_the_csp(live_server, page):
    ArticleFactory(title="Talks resume")
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if not request.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )

    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/articles/" in path for path in paths)
    assert page.csp_violations == []
    assert elsewhere == []
