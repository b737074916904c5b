"""The writing desk in a real browser: the rich-text editor, pasting, embeds, the
picture library and its focal point, autosave, notes, corrections and the front page.

Every test also checks that nothing was refused by the Content-Security-Policy.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from articles.models import Article, ArticleNote, Autosave, FrontPage, Picture
from tests import images as made
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    UserFactory,
    picture_from,
    sign_in,
)

# The live server's tables are flushed between tests: roles are made again here.
REPORTER = [
    "add_article", "change_article", "view_article", "delete_article",
    "view_picture", "add_picture", "change_picture", "view_articlenote", "add_articlenote",
    "view_section", "view_author", "view_source", "view_tag",
]  # fmt: skip


def editor_user(name: str = "desk-editor"):
    return UserFactory(username=name, is_staff=True, is_superuser=True)


def reporter_user(name: str = "desk-reporter"):
    user = UserFactory(username=name, is_staff=True)
    group, _ = Group.objects.get_or_create(name="Reporter")
    group.permissions.set(Permission.objects.filter(codename__in=REPORTER))
    user.groups.add(group)
    return user


def editor_box(page):
    box = page.locator(".prose-editor > .ProseMirror[contenteditable=true]").first
    box.wait_for()
    return box


def save_and_continue(page):
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()


def test_typing_and_formatting_in_the_editor_with_a_word_count(live_server, page):
    editor_user()
    article = ArticleFactory(draft=True, body="", section=SectionFactory())
    sign_in(page, live_server, "desk-editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    box = editor_box(page)
    box.click()
    page.keyboard.type("## The talks\n")  # a heading, as Markdown-minded writers type it
    page.keyboard.type("Negotiators met on Monday. ")
    page.keyboard.press("Control+b")
    page.keyboard.type("It was tense.")
    page.keyboard.press("Control+b")
    page.keyboard.press("Enter")
    page.keyboard.type("> Everyone knows what a deal looks like.")
    page.locator(".body-stats[data-words='16']").wait_for()
    assert "16 words" in page.locator(".body-stats").inner_text()

    save_and_continue(page)
    article.refresh_from_db()
    assert article.body == (
        "<h2>The talks</h2><p>Negotiators met on Monday. <strong>It was tense.</strong></p>"
        "<blockquote><p>Everyone knows what a deal looks like.</p></blockquote>"
    )
    assert page.csp_violations == []


def test_pasting_from_a_word_processor_arrives_clean(live_server, page):
    editor_user()
    article = ArticleFactory(draft=True, body="")
    sign_in(page, live_server, "desk-editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor_box(page).click()
    pasted = (
        '<meta charset="utf-8"><p class="MsoNormal" style="margin:0cm;font-family:Calibri">'
        '<span style="color:red">Sanctions <b>relief</b> is</span> <i>close</i>.</p>'
        "<h1>A pasted title</h1><script>alert(1)</script>"
        '<p><img src="https://tracker.example/pixel.gif"> <a href="javascript:alert(1)">x</a></p>'
    )
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Sanctions relief is close.");
            const paste = new ClipboardEvent(
                "paste", {clipboardData: data, bubbles: true, cancelable: true});
            document.querySelector(".prose-editor > .ProseMirror").dispatchEvent(paste);
        }""",
        pasted,
    )
    save_and_continue(page)
    article.refresh_from_db()
    assert "<strong>relief</strong>" in article.body and "<em>close</em>" in article.body
    assert "<h2>A pasted title</h2>" in article.body
    for unwanted in ("style", "class", "span", "script", "img", "javascript", "h1"):
        assert unwanted not in article.body
    assert page.csp_violations == []


def test_an_embed_loads_only_when_the_reader_asks(live_server, page):
    link = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    article = ArticleFactory(body=f'<p>Watch:</p><p><a href="{link}">{link}</a></p>')
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("iframe").count() == 0
    page.get_by_role("button", name="Load from YouTube").click()
    frame = page.locator("figure.embed iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert page.csp_violations == []


def test_choosing_a_library_picture_and_setting_its_focal_point(live_server, page):
    editor_user()
    picture = picture_from(made.upload(made.cmyk_jpeg(), "red.jpg"), alt="A red square")
    article = ArticleFactory(draft=True)
    sign_in(page, live_server, "desk-editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    with page.expect_popup() as opened:
        page.get_by_role("link", name="Choose from the library").first.click()
    library = opened.value
    library.wait_for_load_state()
    assert library.locator("img.picture-thumb").count() == 1
    library.get_by_role("link", name="A red square").first.click()
    page.wait_for_function("document.querySelector('#id_picture').value !== ''")
    assert page.locator("#id_picture").input_value() == str(picture.pk)
    save_and_continue(page)
    article.refresh_from_db()
    assert article.picture_id == picture.pk

    page.goto(f"{live_server.url}/admin/articles/picture/{picture.pk}/change/")
    image = page.locator(".focal-picker img")
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert page.locator("#id_focal_x").input_value() == "0.25"
    assert page.locator("#id_focal_y").input_value() == "0.75"
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    picture.refresh_from_db()
    assert (picture.focal_x, picture.focal_y) == (0.25, 0.75)
    assert picture.file_renditions["focal"] == [0.25, 0.75]
    assert page.csp_violations == []


def test_placing_a_library_picture_in_the_body(live_server, page):
    editor_user()
    picture = picture_from(made.upload(made.cmyk_jpeg(), "red.jpg"), alt="A red square")
    article = ArticleFactory(draft=True, body="<p>Before the picture.</p>")
    sign_in(page, live_server, "desk-editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor_box(page).click()
    page.keyboard.press("End")
    page.get_by_role("button", name="Picture from the library").click()
    dialog = page.locator("dialog.picture-choice")
    dialog.locator(".picture-choice__option").first.click()
    dialog.get_by_label("Alt text here").fill("A red square, seen from the hall")
    dialog.get_by_label("Caption here").fill("The colour of the day")
    dialog.get_by_role("button", name="Insert").click()
    save_and_continue(page)

    article.refresh_from_db()
    assert f'<figure data-picture="{picture.pk}">' in article.body
    assert 'alt="A red square, seen from the hall"' in article.body
    assert article.body_pictures.get().picture == picture
    article.status, article.publish_at = "published", timezone.now()
    article.save()
    page.goto(live_server.url + article.get_absolute_url())
    figure = page.locator(".story__figure--inline")
    assert figure.locator("img").get_attribute("alt") == "A red square, seen from the hall"
    assert "The colour of the day" in figure.inner_text()
    assert page.csp_violations == []


def test_autosave_and_restore_after_a_reload(live_server, page, settings):
    settings.ARTICLES_AUTOSAVE_SECONDS = 2
    editor_user()
    article = ArticleFactory(draft=True, title="Talks resume")
    sign_in(page, live_server, "desk-editor")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(url)
    page.fill("#id_title", "Talks resume in Vienna after a long pause")
    page.wait_for_selector(".autosave-status:has-text('Draft kept')", timeout=10_000)
    assert Article.objects.get(pk=article.pk).title == "Talks resume"

    page.on("dialog", lambda dialog: dialog.accept())  # the tab "crashes": leave anyway
    page.goto(url)
    page.get_by_text("It was kept for you.").wait_for()
    page.get_by_role("link", name="Restore it").click()
    assert page.locator("#id_title").input_value() == "Talks resume in Vienna after a long pause"
    save_and_continue(page)
    assert Article.objects.get(pk=article.pk).title == "Talks resume in Vienna after a long pause"
    assert not Autosave.objects.exists()
    assert page.csp_violations == []


def test_a_note_goes_back_and_forth_with_the_workflow(live_server, browser, page):
    editor_user()
    reporter = reporter_user()
    article = ArticleFactory(draft=True, authors=[AuthorFactory(user=reporter)])
    change = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    sign_in(page, live_server, "desk-reporter")
    page.goto(change)
    page.fill("#id__note", "Second source confirmed by phone.")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert Article.objects.get(pk=article.pk).status == "review"

    editor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(editor, live_server, "desk-editor")
    editor.goto(change)
    assert "Second source confirmed by phone." in editor.locator(".desk-notes").inner_text()
    editor.fill("#id__note", "Please add the minister's reaction.")
    editor.on("dialog", lambda dialog: dialog.accept())
    editor.get_by_role("button", name="Back to draft").click()
    editor.wait_for_load_state()

    page.goto(live_server.url + "/admin/")
    returned = page.locator(".dashboard__box--returned")
    assert "Please add the minister's reaction." in returned.inner_text()
    page.goto(change)
    assert "Sent back by desk-editor" in page.locator(".note-returned").inner_text()
    assert ArticleNote.objects.count() == 2
    assert page.csp_violations == []


def test_an_editor_appends_a_correction(live_server, page):
    editor_user()
    article = ArticleFactory(title="Minister resigns")
    sign_in(page, live_server, "desk-editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.fill("#id_correction_text", "An earlier version gave the wrong date.")
    page.get_by_role("button", name="Add to the story").click()
    page.wait_for_load_state()
    page.goto(live_server.url + article.get_absolute_url())
    notice = page.locator(".corrections")
    assert "An earlier version gave the wrong date." in notice.inner_text()
    assert "Updated" in page.locator(".dateline").inner_text()
    assert page.csp_violations == []


def test_pinning_a_story_to_the_front_page(live_server, page):
    editor_user()
    front = FrontPage.objects.get_or_create(edition="en")[0]
    now = timezone.now()
    ArticleFactory(title="The newest story", publish_at=now - timedelta(hours=1))
    pinned = ArticleFactory(
        title="An older story worth keeping up", publish_at=now - timedelta(days=2)
    )
    also = ArticleFactory(title="Another story", publish_at=now - timedelta(days=3))
    front.pins.create(article=also, position=0)
    sign_in(page, live_server, "desk-editor")
    page.goto(f"{live_server.url}/admin/articles/frontpage/{front.pk}/change/")

    # Pick the story in the search box, pin it, move it up, save.
    page.locator("#id_add_pin").locator("xpath=..").locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("worth keeping")
    page.locator(".select2-results__option", has_text="An older story worth keeping up").click()
    page.get_by_role("button", name="Pin", exact=True).click()
    page.wait_for_load_state()
    rows = page.locator(".pin-list__title")
    assert rows.all_inner_texts() == ["Another story", "An older story worth keeping up"]
    unsaved = page.locator(".front-arrange__unsaved-js")
    assert not unsaved.is_visible()  # nothing moved yet
    page.locator(".pin-list__row").nth(1).get_by_role("button", name="Move up").click()
    assert rows.all_inner_texts() == ["An older story worth keeping up", "Another story"]
    assert unsaved.is_visible()
    page.get_by_role("button", name="Save the front page").click()
    page.wait_for_load_state()

    page.goto(live_server.url + "/")
    titles = page.locator(".teaser__title").all_inner_texts()
    assert titles[:3] == ["The newest story", "An older story worth keeping up", "Another story"]
    assert [p.article_id for p in front.pins.all()] == [pinned.pk, also.pk]
    assert page.csp_violations == []


@pytest.mark.parametrize("path", ["/admin/", "/admin/articles/article/{pk}/change/"])
def test_screenshots_of_the_desk(live_server, page, path, tmp_path):
    """The dashboard and the article form render whole, without sideways scrolling."""
    editor_user()
    article = ArticleFactory(
        picture=picture_from(made.upload(made.cmyk_jpeg(), "red.jpg"), alt="A red square")
    )
    sign_in(page, live_server, "desk-editor")
    page.goto(live_server.url + path.format(pk=article.pk))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # The dashboard's own styles leave the admin's layout alone (body.dashboard is Django's).
    assert page.locator("#header").bounding_box()["width"] == 1280
    share = page.locator(".share-preview")
    if share.count():
        assert share.bounding_box()["width"] > 600  # no longer squashed into a column
    suggestions = page.locator(".tag-field__suggestions")
    if suggestions.count():
        assert not suggestions.is_visible()  # nothing to suggest: no label either
    page.screenshot(path=str(tmp_path / "desk.png"), full_page=True)
    assert re.search(r"Newsroom", page.title())
    assert Picture.objects.count() == 1
