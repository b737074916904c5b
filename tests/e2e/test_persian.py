"""The Persian edition and a desk that writes Persian, in a real browser."""

from articles.models import DeskPreferences
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, UserFactory, sign_in


def test_a_persian_reader_walks_the_persian_edition_on_a_phone(live_server, phone):
    section = SectionFactory(name="Politics", name_fa="سیاست", slug="politics")
    story = ArticleFactory(
        title="نشست وین از سر گرفته شد",
        summary="گفت‌وگوها پس از چند ماه دوباره آغاز شد.",
        body="<p>نمایندگان ایران و اروپا در وین دیدار کردند؛ Josep Borrell هم آمد.</p>",
        persian=True,
        section=section,
        authors=[AuthorFactory(name="نگار رحیمی")],
        tags=["برجام"],
    )
    ArticleFactory(title="Vienna talks resume", section=section)

    def fits_the_screen():
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{phone.url} scrolls sideways: {width}px"

    phone.goto(f"{live_server.url}/fa/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator("html").get_attribute("lang") == "fa"
    assert "Vienna talks resume" not in phone.content()
    fits_the_screen()
    # The navigation and the story's kicker are in Persian, right to left.
    assert phone.get_by_role("link", name="سیاست").first.is_visible()
    assert phone.evaluate("getComputedStyle(document.querySelector('.teaser')).direction") == "rtl"

    phone.get_by_role("link", name=story.title).first.click()
    phone.wait_for_url(f"**{story.get_absolute_url()}")
    assert phone.locator("html").get_attribute("lang") == "fa"
    dateline = phone.locator(".dateline").inner_text()
    assert "انتشار:" in dateline and not any(ch.isascii() and ch.isdigit() for ch in dateline)
    fits_the_screen()

    phone.get_by_role("link", name="برجام").click()
    assert "/fa/tags/" in phone.url
    assert phone.locator("h1").inner_text() == "برجام"
    fits_the_screen()

    # The switcher leads to the English edition, wholly English.
    phone.get_by_role("link", name="English").first.click()
    phone.wait_for_url(f"{live_server.url}/")
    assert phone.locator("html").get_attribute("dir") == "ltr"
    assert "Vienna talks resume" in phone.content()


def test_the_desk_follows_what_is_typed(live_server, page):
    UserFactory(username="desk-writer", is_staff=True, is_superuser=True)
    SectionFactory()

    sign_in(page, live_server, "desk-writer")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    title = page.locator("#id_title")
    assert title.get_attribute("dir") == "auto"
    title.fill("")
    title.press_sequentially("نشست وین")

    assert page.locator("#id_language").input_value() == "fa"
    assert title.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # The body is HTML: it reads in the article's direction, not its first tag's.
    assert page.locator("#id_body").get_attribute("dir") == "rtl"

    # A language picked by hand stays picked.
    page.select_option("#id_language", "en")
    title.press_sequentially(" دوباره")
    assert page.locator("#id_language").input_value() == "en"
    assert page.locator("#id_body").get_attribute("dir") == "ltr"
    assert page.csp_violations == []


def test_a_persian_editor_gets_a_persian_desk_with_solar_hijri_dates(live_server, page):
    user = UserFactory(username="persian-editor", is_staff=True, is_superuser=True)
    DeskPreferences.objects.create(user=user, language="fa")
    SectionFactory()

    sign_in(page, live_server, "persian-editor")
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.locator("input[name=_save]").get_attribute("value") == "ذخیره"
    page.locator("#id_publish_at_0").fill("2024-05-28")
    page.locator("#id_publish_at_0").dispatch_event("input")
    assert page.locator(".solar-hijri-date").inner_text() == "۸ خرداد ۱۴۰۳"
    assert page.csp_violations == []
