import contextlib

from playwright.sync_api import Error as PlaywrightError

from tests.factories import ArticleFactory, AuthorFactory, UserFactory, sign_in


def test_editor_picks_tags_with_the_keyboard_and_from_suggestions(live_server, page):
    # A superuser: the live server's flushed tables no longer hold the migrated roles.
    UserFactory(username="desk-editor", is_staff=True, is_superuser=True)
    ArticleFactory(tags=["Iran", "Iraq", "Sergey Lavrov"])
    ArticleFactory(tags=["Iran"])
    article = ArticleFactory(
        draft=True, title="Sergey Lavrov visits Vienna", authors=[AuthorFactory()]
    )

    sign_in(page, live_server, "desk-editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    tags = page.locator("#id_tags")
    tags.click()
    tags.press_sequentially("ir")
    page.wait_for_selector("#id_tags_listbox [role=option]")
    options = page.locator("#id_tags_listbox [role=option]").all_inner_texts()
    tags.press("ArrowDown")
    tags.press("Enter")

    assert options == ["Iran (2)", "Iraq (1)"]
    assert tags.input_value() == "Iraq, "
    assert tags.get_attribute("aria-expanded") == "false"

    suggestion = page.get_by_role("button", name="Add tag Sergey Lavrov")
    suggestion.click()
    assert tags.input_value() == "Iraq, Sergey Lavrov"

    page.get_by_role("button", name="Save and continue editing").click()
    article.refresh_from_db()
    assert sorted(t.name for t in article.tags.all()) == ["Iraq", "Sergey Lavrov"]
    # All of it under the site's Content-Security-Policy, with nothing refused.
    assert page.csp_violations == []


def test_leaving_an_edited_form_asks_first(live_server, page):
    UserFactory(username="desk-editor-2", is_staff=True, is_superuser=True)
    article = ArticleFactory(draft=True)
    sign_in(page, live_server, "desk-editor-2")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    page.fill("#id_title", "A changed headline")
    # The editor chooses to stay, so the navigation is cancelled.
    with contextlib.suppress(PlaywrightError):
        page.goto(live_server.url + "/admin/")

    assert dialogs == ["beforeunload"]
    assert page.csp_violations == []
    assert page.url.endswith(f"/admin/articles/article/{article.pk}/change/")
    assert page.locator("#id_title").input_value() == "A changed headline"


def test_the_desk_works_under_the_content_security_policy(live_server, page):
    UserFactory(username="desk-editor-3", is_staff=True, is_superuser=True)
    article = ArticleFactory(draft=True, authors=[AuthorFactory()])
    sign_in(page, live_server, "desk-editor-3")

    for path in [
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/article/add/",
        "/admin/articles/tag/",
        "/admin/auth/user/",
    ]:
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
    # The change form's own scripts ran: the prepopulated slug and the filter widget.
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("A fresh headline")
    assert page.locator("#id_slug").input_value() == "a-fresh-headline"
    assert page.locator("#id_authors_from").count() == 1
    assert page.csp_violations == []
