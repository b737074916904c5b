"""The two editions: English at /…, Persian at /fa/…, each whole in its language."""

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html as lxml_html

from articles.dates import format_datetime, solar_hijri_day
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")
PERSIAN_DIGIT = re.compile(r"[۰-۹]")


@pytest.fixture
def newsroom():
    politics = SectionFactory(name="Politics", name_fa="سیاست", slug="politics")
    author = AuthorFactory(name="Sara Hughes", slug="sara-hughes")
    source = SourceFactory(name="Caspian Wire", slug="caspian-wire")
    english = ArticleFactory(
        title="Vienna talks resume",
        section=politics,
        authors=[author],
        source=source,
        tags=["Iran", "JCPOA"],
        indexed=True,
    )
    persian = ArticleFactory(
        title="نشست وین از سر گرفته شد",
        summary="گفت‌وگوها پس از چند ماه دوباره آغاز شد.",
        body="<p>نمایندگان دوباره در وین دیدار کردند.</p>",
        persian=True,
        section=politics,
        authors=[author],
        source=source,
        tags=["Iran", "برجام"],
        indexed=True,
    )
    return {"en": english, "fa": persian, "section": politics}


def page_paths(edition: str) -> list[str]:
    prefix = "/fa" if edition == "fa" else ""
    return [
        f"{prefix}/",
        f"{prefix}/news/",
        f"{prefix}/tags/",
        f"{prefix}/tags/iran/",
        f"{prefix}/sections/politics/",
        f"{prefix}/authors/sara-hughes/",
        f"{prefix}/sources/caspian-wire/",
        f"{prefix}/search/?q=vienna" if edition == "en" else f"{prefix}/search/?q=وین",
        f"{prefix}/archive/{timezone.now():%Y}/" if edition == "en" else None,
    ]


@pytest.mark.parametrize("edition", ["en", "fa"])
def test_every_page_of_an_edition_is_in_its_language_and_lists_its_articles(
    client, newsroom, edition
):
    ours, theirs = (newsroom["en"], newsroom["fa"])[:: 1 if edition == "en" else -1]
    direction = "rtl" if edition == "fa" else "ltr"
    for path in filter(None, page_paths(edition)):
        response = client.get(path)
        assert response.status_code == 200, path
        content = unescape(response.content.decode())
        assert content.startswith(f'<!doctype html>\n<html lang="{edition}" dir="{direction}">')
        assert response["Content-Language"] == edition, path
        assert "Accept-Language" not in response.get("Vary", ""), path
        if "search" in path:  # the words found are marked in the titles
            assert [a.title for a in response.context["object_list"]] == [ours.title]
        elif path[-6:] != "/tags/" and "archive" not in path:
            assert ours.title in content, path
        assert theirs.title not in content, path


def test_the_persian_archive_lists_persian_articles(client, newsroom):
    today = timezone.localdate()
    year = solar_hijri_day(today)  # the Solar Hijri date of today, in Persian digits
    from articles.dates import solar_hijri

    response = client.get(f"/fa/archive/{solar_hijri(today).year}/")

    assert response.status_code == 200
    content = unescape(response.content.decode())
    assert newsroom["fa"].title in content and newsroom["en"].title not in content
    assert year.split()[-1] in content  # the year, in Persian digits


def test_an_article_is_served_in_its_own_edition_wherever_it_is_reached(client, newsroom):
    persian, english = newsroom["fa"], newsroom["en"]

    assert persian.get_absolute_url().startswith("/fa/news/")
    assert english.get_absolute_url().startswith("/news/")
    moved = client.get(f"/news/{persian.slug}/")
    assert moved.status_code == 301 and moved["Location"] == persian.get_absolute_url()
    moved = client.get(f"/fa/news/{english.slug}/")
    assert moved.status_code == 301 and moved["Location"] == english.get_absolute_url()

    page = client.get(persian.get_absolute_url())
    assert page["Content-Language"] == "fa"
    tree = lxml_html.fromstring(page.content)
    for script in tree.xpath("//script"):
        script.drop_tree()
    text = " ".join(tree.itertext())
    assert "انتشار:" in text and "نوشتهٔ" in text and "خبر اصلی:" in text
    # Names (of people, the outlet, the site) keep their own script; no interface word is
    # left in English.
    for name in ("Sara Hughes", "Caspian Wire", "Newsroom", "English", "RSS", "Iran"):
        text = text.replace(name, "")
    assert not re.search("[A-Za-z]{3,}", text), re.findall("[A-Za-z]{3,}", text)


def test_a_browser_preferring_persian_gets_a_wholly_english_english_page(client, newsroom):
    for path in filter(None, page_paths("en")):
        response = client.get(path, headers={"accept-language": "fa-IR,fa;q=0.9"})
        tree = lxml_html.fromstring(response.content)
        # Only what is marked as Persian (the switcher's own name) may be in Persian.
        for marked in tree.xpath('//*[@lang="fa"]'):
            marked.drop_tree()
        text = " ".join(tree.itertext())
        assert not ARABIC_SCRIPT.search(text), (path, ARABIC_SCRIPT.findall(text)[:10])
        assert not PERSIAN_DIGIT.search(text), path
        assert response["Content-Language"] == "en"


def test_the_persian_edition_speaks_persian_with_persian_digits(client, newsroom, settings):
    settings.ARTICLES_PAGE_SIZE = 1
    ArticleFactory(title="خبر دوم", persian=True, section=newsroom["section"])

    content = unescape(client.get("/fa/news/").content.decode())

    assert "همهٔ خبرها" in content and "All news" not in content
    assert "صفحهٔ ۱ از ۲" in content and "Page 1" not in content
    tree = lxml_html.fromstring(content)
    dates = [time.text for time in tree.xpath("//main//time")]
    assert dates and all(PERSIAN_DIGIT.search(d) and not re.search("[0-9]", d) for d in dates)
    # …while the instant stays machine-readable.
    assert all(re.match(r"\d{4}-\d\d-\d\dT", t) for t in tree.xpath("//main//time/@datetime"))


def test_the_language_switcher_leads_to_the_other_edition(client, newsroom):
    english = lxml_html.fromstring(client.get("/news/").content)
    persian = lxml_html.fromstring(client.get("/fa/news/").content)

    to_persian = english.xpath('//header//a[@hreflang="fa"]')
    to_english = persian.xpath('//header//a[@hreflang="en"]')
    assert to_persian[0].get("href") == "/fa/" and to_persian[0].get("lang") == "fa"
    assert to_english[0].get("href") == "/" and to_english[0].get("lang") == "en"


def test_section_names_follow_the_edition(client, newsroom):
    english = unescape(client.get("/").content.decode())
    persian = unescape(client.get("/fa/").content.decode())

    assert ">Politics</a>" in english and "سیاست" not in english
    assert ">سیاست</a>" in persian


# Solar Hijri dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (date(2024, 5, 28), "۸ خرداد ۱۴۰۳"),
        (date(2025, 3, 20), "۳۰ اسفند ۱۴۰۳"),  # 1403 is a leap year: Esfand has 30 days
        (date(2025, 3, 21), "۱ فروردین ۱۴۰۴"),  # Nowruz
        (date(2026, 3, 20), "۲۹ اسفند ۱۴۰۴"),  # 1404 is not: its last day is the 29th
        (date(2026, 3, 21), "۱ فروردین ۱۴۰۵"),
    ],
)
def test_solar_hijri_days(day, written):
    assert solar_hijri_day(day) == written


def test_dates_follow_the_edition():
    instant = datetime(2024, 5, 28, 7, 9, tzinfo=UTC)

    assert format_datetime(instant, "date") == "28 May 2024"
    with translation.override("fa"):
        assert format_datetime(instant, "date") == "۸ خرداد ۱۴۰۳"
        assert format_datetime(instant) == "۸ خرداد ۱۴۰۳، ساعت ۰۷:۰۹ به وقت گرینویچ"


def test_persian_archives_are_solar_hijri_around_nowruz(client):
    last_of_1403 = ArticleFactory(
        title="آخرین روز سال", persian=True, publish_at=datetime(2025, 3, 20, 23, 0, tzinfo=UTC)
    )
    nowruz = ArticleFactory(
        title="نوروز", persian=True, publish_at=datetime(2025, 3, 21, 0, 30, tzinfo=UTC)
    )

    def titles(path):
        response = client.get(path)
        assert response.status_code == 200, path
        return {a.title for a in response.context["object_list"]}

    assert titles("/fa/archive/1403/12/30/") == {last_of_1403.title}
    assert titles("/fa/archive/1403/12/") == {last_of_1403.title}
    assert titles("/fa/archive/1403/") == {last_of_1403.title}
    assert titles("/fa/archive/1404/01/01/") == {nowruz.title}
    assert titles("/fa/archive/1404/") == {nowruz.title}
    # 1404 is not a leap year; months have 31, 30 or 29 days.
    assert client.get("/fa/archive/1404/12/30/").status_code == 404
    assert client.get("/fa/archive/1403/07/31/").status_code == 404
    assert client.get("/fa/archive/1403/13/").status_code == 404
    # The month's page links its days in Persian digits.
    month = unescape(client.get("/fa/archive/1403/12/").content.decode())
    assert 'href="/fa/archive/1403/12/30/">۳۰</a>' in month
    assert "<h1>اسفند ۱۴۰۳</h1>" in month


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/fa/archive/2025/", "/fa/archive/1403/"),  # 1 January 2025 is in 1403
        ("/fa/archive/2025/03/", "/fa/archive/1403/12/"),
        ("/fa/archive/2025/03/21/", "/fa/archive/1404/01/01/"),
    ],
)
def test_gregorian_addresses_in_the_persian_edition_redirect(client, old, new):
    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new


def test_a_gregorian_address_that_is_no_date_is_a_404(client):
    assert client.get("/fa/archive/2025/02/30/").status_code == 404


def test_the_english_archive_stays_gregorian(client):
    ArticleFactory(title="Nowruz", publish_at=datetime(2025, 3, 21, 0, 30, tzinfo=UTC))

    response = client.get("/archive/2025/03/21/")

    assert response.status_code == 200
    assert [a.title for a in response.context["object_list"]] == ["Nowruz"]
    assert "21 March 2025" in response.content.decode()


def test_future_solar_hijri_periods_are_not_found(client):
    from articles.dates import solar_hijri

    next_year = solar_hijri(timezone.localdate() + timedelta(days=400)).year
    assert client.get(f"/fa/archive/{next_year}/").status_code == 404


# Translations ---------------------------------------------------------------------------


@pytest.fixture
def linked(newsroom):
    english, persian = newsroom["en"], newsroom["fa"]
    persian.translation = english
    persian.save()
    return english, persian


def alternates(client, path) -> dict[str, str]:
    tree = lxml_html.fromstring(client.get(path).content)
    return {link.get("hreflang"): link.get("href") for link in tree.xpath("//link[@hreflang]")}


def test_linked_translations_lead_to_each_other_both_ways(client, linked):
    english, persian = linked
    expected = {
        "en": f"http://testserver{english.get_absolute_url()}",
        "fa": f"http://testserver{persian.get_absolute_url()}",
        "x-default": f"http://testserver{english.get_absolute_url()}",
    }

    # The link is held by the Persian article; the English page knows it too.
    assert alternates(client, english.get_absolute_url()) == expected
    assert alternates(client, persian.get_absolute_url()) == expected
    english_page = lxml_html.fromstring(client.get(english.get_absolute_url()).content)
    switch = english_page.xpath('//header//a[@hreflang="fa"]')[0]
    assert switch.get("href") == persian.get_absolute_url()
    assert switch.text == "این خبر به فارسی"
    persian_page = lxml_html.fromstring(client.get(persian.get_absolute_url()).content)
    assert persian_page.xpath('//header//a[@hreflang="en"]')[0].text == "Read this story in English"


def test_an_unlinked_article_has_no_alternates_and_switches_to_the_other_front_page(
    client, newsroom
):
    english = newsroom["en"]

    assert alternates(client, english.get_absolute_url()) == {}
    page = lxml_html.fromstring(client.get(english.get_absolute_url()).content)
    assert page.xpath('//header//a[@hreflang="fa"]')[0].get("href") == "/fa/"


def test_a_translation_readers_cannot_see_is_not_linked(client, newsroom):
    draft = ArticleFactory(title="پیش‌نویس", persian=True, draft=True, translation=newsroom["en"])

    assert alternates(client, newsroom["en"].get_absolute_url()) == {}
    assert draft.title not in client.get(newsroom["en"].get_absolute_url()).content.decode()


def test_the_front_pages_are_alternates_of_each_other(client, newsroom):
    both = {
        "en": "http://testserver/",
        "fa": "http://testserver/fa/",
        "x-default": "http://testserver/",
    }
    assert alternates(client, "/") == both
    assert alternates(client, "/fa/") == both


def test_the_sitemap_lists_translations_as_alternates(client, linked):
    english, persian = linked
    ArticleFactory(title="Alone")

    xml = client.get("/sitemap-articles.xml").content.decode()
    tree = lxml_html.etree.fromstring(xml.encode())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    found = {
        url.findtext("s:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in tree.findall("s:url", ns)
    }
    pair = {
        "en": f"http://testserver{english.get_absolute_url()}",
        "fa": f"http://testserver{persian.get_absolute_url()}",
        "x-default": f"http://testserver{english.get_absolute_url()}",
    }
    assert found[pair["en"]] == pair and found[pair["fa"]] == pair
    alone = [loc for loc in found if loc.endswith("/news/alone/")]
    assert found[alone[0]] == {}


def test_the_desk_links_a_translation_and_refuses_one_in_the_same_language(
    client, editor, newsroom
):
    from tests.factories import change_url, form_data

    english, persian = newsroom["en"], newsroom["fa"]
    other_english = ArticleFactory(title="Another English story")
    client.force_login(editor)

    refused = client.post(change_url(english), form_data(english, translation=other_english.pk))
    assert refused.status_code == 200
    assert "A translation is the story in the other language." in unescape(refused.content.decode())

    saved = client.post(change_url(english), form_data(english, translation=persian.pk))
    assert saved.status_code == 302
    english.refresh_from_db()
    assert english.translation == persian and persian.counterpart() == english

    # A third article cannot take a story that is already linked.
    third = ArticleFactory(title="سومی", persian=True)
    refused = client.post(
        change_url(other_english), form_data(other_english, translation=persian.pk)
    )
    assert refused.status_code == 200
    assert "is already linked to" in unescape(refused.content.decode())
    assert (
        client.post(
            change_url(other_english), form_data(other_english, translation=third.pk)
        ).status_code
        == 302
    )


# The catalogue and the desk -------------------------------------------------------------


def test_the_persian_catalogue_is_complete_and_its_placeholders_match():
    import polib
    from django.conf import settings

    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/fa/LC_MESSAGES/django.po"))
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\}")

    assert catalogue.percent_translated() == 100
    assert not catalogue.fuzzy_entries()
    for entry in catalogue:
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translated in translations:
            assert sorted(placeholder.findall(translated)) == sorted(
                placeholder.findall(entry.msgid)
            ), entry.msgid


def test_a_member_of_staff_chooses_a_persian_desk(client, editor, newsroom):
    client.force_login(editor)
    assert client.get("/admin/")["Content-Language"] == "en"

    response = client.post("/admin/language/", {"language": "fa", "next": "/admin/"})

    assert response.status_code == 302 and response["Location"] == "/admin/"
    desk = client.get("/admin/articles/article/")
    content = unescape(desk.content.decode())
    assert desk["Content-Language"] == "fa"
    assert '<html lang="fa" dir="rtl">' in content
    assert "زبان میز خبر" in content  # our own desk strings
    assert "را برای تغییر انتخاب کنید" in content  # and Django's own ("Select … to change")
    # Publication times in the list are Solar Hijri, with Persian digits.
    with translation.override("fa"):
        shown = format_datetime(newsroom["en"].publish_at, "desk")
    assert re.fullmatch(r"۱۴\d\d/\d\d/\d\d \d\d:\d\d".replace(r"\d", "[۰-۹]"), shown)
    assert shown in content
    # The reading site stays as its address says.
    assert client.get("/")["Content-Language"] == "en"


def test_an_unknown_desk_language_is_refused(client, editor):
    client.force_login(editor)

    response = client.post("/admin/language/", {"language": "de"})

    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_the_desks_text_boxes_follow_what_is_typed(client, editor, newsroom):
    from tests.factories import change_url

    client.force_login(editor)
    form = lxml_html.fromstring(client.get(change_url(newsroom["fa"])).content)

    for name in ("title", "summary", "body", "new_picture_alt", "new_picture_caption"):
        assert form.xpath(f'//*[@name="{name}"]/@dir') == ["auto"], name
    assert form.xpath('//*[@name="source_url"]/@dir') == ["ltr"]
    # The picture library's own form too: alt text, captions and credits come in both.
    library = lxml_html.fromstring(client.get(reverse("admin:articles_picture_add")).content)
    for name in ("alt", "caption", "credit"):
        assert library.xpath(f'//*[@name="{name}"]/@dir') == ["auto"], name


def test_a_persian_draft_is_previewed_in_the_persian_edition(client):
    from articles import services
    from tests.factories import UserFactory

    editor = UserFactory(is_staff=True, is_superuser=True)
    draft = ArticleFactory(title="پیش‌نویس خبر", persian=True, draft=True)
    _link, token = services.preview_link_make(article=draft, by=editor, hours=2)

    moved = client.get(f"/preview/{token}/")
    assert moved.status_code == 302 and moved["Location"] == f"/fa/preview/{token}/"
    assert "no-store" in moved["Cache-Control"]
    page = client.get(moved["Location"])
    assert page.status_code == 200 and page["Content-Language"] == "fa"
    assert "پیش‌نمایش" in unescape(page.content.decode())


def test_robots_keep_crawlers_out_of_both_searches(client):
    robots = client.get("/robots.txt").content.decode()

    assert "Disallow: /search/" in robots and "Disallow: /fa/search/" in robots


# Found in review ------------------------------------------------------------------------


def test_each_edition_ranks_its_own_search(client):
    ArticleFactory(title="Iran and the IAEA", indexed=True)
    ArticleFactory(title="IAEA در تهران", persian=True, indexed=True)

    english = client.get("/search/", {"q": "IAEA"})
    persian = client.get("/fa/search/", {"q": "IAEA"})

    assert [a.title for a in english.context["object_list"]] == ["Iran and the IAEA"]
    assert [a.title for a in persian.context["object_list"]] == ["IAEA در تهران"]
    assert english.context["paginator"].count == persian.context["paginator"].count == 1


def test_a_pair_left_in_one_language_is_no_pair_and_breaks_nothing(client, linked):
    from django.core.exceptions import ValidationError

    english, persian = linked  # the Persian article names the English one
    english.language = "fa"
    with pytest.raises(ValidationError, match="must stay in the other language"):
        english.full_clean()

    # Made so anyway (in bulk, by hand): both pages still answer, with no alternates.
    type(english).objects.filter(pk=english.pk).update(language="fa")
    english.refresh_from_db()
    for article in (english, persian):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert alternates(client, article.get_absolute_url()) == {}
    assert client.get("/sitemap-articles.xml").status_code == 200


def test_linking_a_translation_refreshes_both_cached_pages(client, newsroom, settings):
    settings.ARTICLES_PAGE_CACHE = True
    english, persian = newsroom["en"], newsroom["fa"]
    assert alternates(client, english.get_absolute_url()) == {}  # cached now
    assert alternates(client, persian.get_absolute_url()) == {}

    persian.translation = english
    persian.save()

    assert set(alternates(client, english.get_absolute_url())) == {"en", "fa", "x-default"}
    assert set(alternates(client, persian.get_absolute_url())) == {"en", "fa", "x-default"}

    persian.translation = None
    persian.save()
    assert alternates(client, english.get_absolute_url()) == {}


@pytest.mark.parametrize(
    "path",
    [
        "/fa/archive/1000/",  # nothing was published then
        "/fa/archive/1399/07/",
        "/fa/archive/2024/00/",
        "/fa/archive/2024/05/00/",
        "/fa/archive/2999/",  # a Gregorian year still to come
        "/fa/archive/2999/12/31/",
    ],
)
def test_solar_hijri_periods_with_nothing_or_no_such_date_are_not_found(client, newsroom, path):
    assert client.get(path).status_code == 404


def test_a_gregorian_address_keeps_its_page_number(client):
    response = client.get("/fa/archive/2025/03/", {"page": "2"})

    assert response.status_code == 301
    assert response["Location"] == "/fa/archive/1403/12/?page=2"


def test_an_article_in_the_other_edition_keeps_its_query_and_drafts_redirect_for_now(
    client, editor, newsroom
):
    persian = newsroom["fa"]
    moved = client.get(f"/news/{persian.slug}/", {"utm_source": "x"})
    assert moved.status_code == 301
    assert moved["Location"] == f"{persian.get_absolute_url()}?utm_source=x"

    draft = ArticleFactory(title="پیش‌نویس", persian=True, draft=True)
    client.force_login(editor)
    moved = client.get(f"/news/{draft.slug}/")
    assert moved.status_code == 302 and "no-store" in moved["Cache-Control"]


def test_filter_errors_speak_the_language_of_the_page(client, newsroom):
    persian = unescape(client.get("/fa/news/", {"tag": "nope"}).content.decode())
    english = unescape(client.get("/news/", {"tag": "nope"}).content.decode())

    assert "برچسب با این نشانی پیدا نشد." in persian
    assert "There is no tag with that address." in english
    assert "پیدا نشد" not in english


def test_the_active_filter_is_one_sentence_in_each_language(client, newsroom):
    persian = unescape(client.get("/fa/news/", {"tag": "iran"}).content.decode())

    assert '<p class="active-filters">' in persian
    assert 'نمایش خبرهای دارای برچسب <a href="/fa/tags/iran/"><bdi>Iran</bdi></a>' in persian


def test_view_on_site_from_a_persian_desk_leads_to_the_readers_address(client, editor, newsroom):
    from django.contrib.contenttypes.models import ContentType

    from articles.models import DeskPreferences, Section

    DeskPreferences.objects.create(user=editor, language="fa")
    client.force_login(editor)
    section = newsroom["section"]
    kind = ContentType.objects.get_for_model(Section).pk

    response = client.get(f"/admin/r/{kind}/{section.pk}/")

    assert response.status_code == 302
    assert response["Location"].endswith("/sections/politics/")
    assert "/fa/" not in response["Location"]
