from urllib.parse import urlparse

from articles import services
from tests import images as made
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, picture_from


def test_reader_goes_from_the_front_page_to_an_article_on_a_phone(live_server, phone):
    article = ArticleFactory(title="Negotiators return to Vienna", is_featured=True, tags=["JCPOA"])
    ArticleFactory(title="A second, rather long headline about grain corridors and ports")

    phone.goto(live_server.url + "/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    phone.get_by_role("link", name="Negotiators return to Vienna").first.click()

    assert overflow <= 0, "the front page scrolls sideways on a phone"
    assert phone.url.endswith(article.get_absolute_url())
    assert phone.get_by_role("heading", level=1).inner_text() == article.title
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_persian_article_reads_right_to_left(live_server, page):
    article = ArticleFactory(persian=True, body="<p>متن خبر به فارسی.</p>")

    page.goto(live_server.url + article.get_absolute_url())

    direction = page.eval_on_selector("article.story", "el => getComputedStyle(el).direction")
    assert direction == "rtl"
    font = page.eval_on_selector(".story__body p", "el => getComputedStyle(el).fontFamily")
    assert font.startswith('"Vazirmatn"') or font.startswith("Vazirmatn")


def test_filters_work_without_javascript(browser, live_server):
    SectionFactory(name="Science")
    ArticleFactory(title="Telescope sees a new moon", section__name="Space desk")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(live_server.url + "/news/")
    page.select_option("select[name=section]", label="Science")
    page.get_by_role("button", name="Filter").click()

    assert "section=science" in page.url
    assert "No articles match these filters." in page.content()
    context.close()


def test_pages_fetch_nothing_from_other_hosts(live_server, page):
    article = ArticleFactory(tags=["Iran"])
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))

    for path in ["/", article.get_absolute_url(), "/news/", "/tags/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")

    assert hosts == {urlparse(live_server.url).netloc}
    fonts_loaded = page.evaluate("document.fonts.status")
    assert fonts_loaded == "loaded"


def test_an_authors_photo_is_a_round_portrait_around_its_focal_point(live_server, page):
    wide = picture_from(made.upload(made.cmyk_jpeg(), "sara.jpg"), alt="Sara Lindqvist")
    wide.focal_x = 0.3
    services.picture_save(picture=wide, by=None)
    author = AuthorFactory(name="Sara Lindqvist", photo=wide)
    ArticleFactory(authors=[author])

    page.goto(live_server.url + author.get_absolute_url())

    photo = page.locator(".author-card__photo img")
    style = photo.evaluate(
        "el => { const s = getComputedStyle(el); return [s.width, s.height, s.objectFit, "
        "s.objectPosition, s.borderTopLeftRadius, el.complete && el.naturalWidth > 0]; }"
    )
    assert style == ["96px", "96px", "cover", "30% 50%", "50%", True]
