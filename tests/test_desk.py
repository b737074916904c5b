"""The desk as editors use it: list, revisions, conflicts, previews, redirects."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import selectors, services, workflow
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, UserFactory, change_url, form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def test_desk_shows_status_badges(client, editor):
    ArticleFactory(title="Soon", publish_at=timezone.now() + timedelta(hours=3, minutes=5))
    ArticleFactory(title="Waiting", in_review=True)
    client.force_login(editor)

    content = client.get(CHANGELIST).content.decode()

    assert "Scheduled — in 3\xa0hours" in content
    assert 'status-badge--review">In review' in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "scheduled"}, {"Soon"}),
        ({"status": "published"}, {"Live"}),
        ({"status": "review"}, {"Waiting"}),
        ({"q": "waiting"}, {"Waiting"}),
        ({"language": "fa"}, set()),
        ({"tag": "iran"}, {"Live"}),
    ],
)
def test_desk_filters(client, editor, query, expected):
    ArticleFactory(title="Soon", scheduled=True)
    ArticleFactory(title="Live", tags=["Iran"])
    ArticleFactory(title="Waiting", in_review=True)
    client.force_login(editor)

    response = client.get(CHANGELIST, query)

    assert {a.title for a in response.context["cl"].result_list} == expected


def test_mine_shows_a_reporters_own_articles(client, reporter):
    author = AuthorFactory(user=reporter)
    ArticleFactory(title="Started by me", draft=True, created_by=reporter)
    ArticleFactory(title="My byline", authors=[author])
    ArticleFactory(title="Someone else's")
    client.force_login(reporter)

    everything = client.get(CHANGELIST)
    mine = client.get(CHANGELIST, {"mine": "1"})

    expected = {"Started by me", "My byline"}
    assert {a.title for a in everything.context["cl"].result_list} == expected
    assert {a.title for a in mine.context["cl"].result_list} == expected


def test_mine_shows_only_an_editors_own_articles(client, editor):
    author = AuthorFactory(user=editor)
    ArticleFactory(title="Started by me", draft=True, created_by=editor)
    ArticleFactory(title="My byline", authors=[author])
    ArticleFactory(title="A reporter's story", created_by=UserFactory())
    client.force_login(editor)

    everything = client.get(CHANGELIST)
    mine = client.get(CHANGELIST, {"mine": "1"})

    assert len(everything.context["cl"].result_list) == 3
    assert {a.title for a in mine.context["cl"].result_list} == {"Started by me", "My byline"}


@pytest.mark.parametrize("count", [1, 20])
def test_desk_runs_a_fixed_number_of_queries(client, editor, django_assert_num_queries, count):
    editor_author = AuthorFactory()
    for _ in range(count):
        ArticleFactory(authors=[editor_author], tags=["Iran"], updated_by=editor)
    client.force_login(editor)

    # session, user, 2 x second-factor devices (none: an editor without one, where
    # 2FA is not required), 2 x permissions, section/author/source/tag filter choices,
    # count, page with its sections, then its editors and authors, first date, last
    # date (two index look-ups); on PostgreSQL the planner's row estimate is asked
    # first, so a huge desk is never counted row by row
    from django.db import connection

    with django_assert_num_queries(16 + (connection.vendor == "postgresql")):
        response = client.get(CHANGELIST)
    assert response.status_code == 200


def test_a_huge_desk_is_estimated_without_the_trash(client, editor, monkeypatch):
    from django.db import connection

    from articles.admin import desk

    if connection.vendor != "postgresql":
        pytest.skip("the planner's estimate is PostgreSQL's")
    monkeypatch.setattr(desk, "ESTIMATE_ABOVE", 3)
    for _ in range(5):
        ArticleFactory()
    services.article_trash(article=ArticleFactory(status="draft"), by=editor)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    client.force_login(editor)

    response = client.get(CHANGELIST)

    assert response.context["cl"].result_count == 5


# Revisions --------------------------------------------------------------------------


def test_editor_compares_two_revisions_and_restores_one(client, editor):
    article = ArticleFactory(body="<p>The minister arrived on Monday.</p>", created_by=editor)
    client.force_login(editor)
    client.post(change_url(article), form_data(article, summary="First"))
    article.refresh_from_db()
    client.post(
        change_url(article),
        form_data(article, body="<p>The minister arrived on Tuesday.</p>", tags="Iran"),
    )
    article.refresh_from_db()

    page = client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    versions = list(page.context["revisions"])
    assert len(versions) == 2
    assert f"{editor.username}" in page.content.decode()

    diff = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"old": versions[1].pk, "new": versions[0].pk},
    ).content.decode()
    assert "<del>Monday.</del>" in diff and "<ins>Tuesday.</ins>" in diff
    assert "<ins>Iran</ins>" in diff

    client.post(reverse("admin:articles_article_restore", args=[article.pk, versions[1].pk]))
    article.refresh_from_db()
    assert article.body == "<p>The minister arrived on Monday.</p>"
    assert list(article.tags.all()) == []
    assert len(selectors.article_revisions(article)) == 3


def test_compare_with_bad_revision_ids_explains(client, editor):
    article = ArticleFactory()
    client.force_login(editor)

    response = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]), {"old": "x", "new": "999"}
    )

    assert response.status_code == 302
    assert "Choose two revisions" in client.get(response["Location"]).content.decode()


def test_reporters_cannot_see_or_restore_revisions(client, reporter):
    article = ArticleFactory(draft=True, created_by=reporter)
    client.force_login(reporter)

    assert (
        client.get(reverse("admin:articles_article_revisions", args=[article.pk])).status_code
        == 403
    )


def test_revision_diff_escapes_markup(client, editor):
    article = ArticleFactory(title="Plain", created_by=editor)
    client.force_login(editor)
    client.post(change_url(article), form_data(article, summary="x"))
    article.refresh_from_db()
    client.post(change_url(article), form_data(article, title="<script>alert(1)</script>"))
    versions = list(selectors.article_revisions(article))

    diff = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"old": versions[1].pk, "new": versions[0].pk},
    ).content.decode()

    assert "<script>alert(1)" not in diff
    assert "&lt;script&gt;" in diff


# Nothing lost ------------------------------------------------------------------------


def test_second_of_two_concurrent_saves_is_refused_with_its_text_shown_back(client, editor):
    article = ArticleFactory(title="Original", created_by=editor)
    other_editor = UserFactory(username="other-editor", is_staff=True)
    other_editor.groups.add(*editor.groups.all())
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(other_editor)
    opened_by_both = form_data(article)

    saved = first.post(change_url(article), {**opened_by_both, "title": "First editor's title"})
    refused = second.post(change_url(article), {**opened_by_both, "title": "Second editor's title"})

    assert saved.status_code == 302
    assert refused.status_code == 200
    content = refused.content.decode()
    assert "an-editor saved this article at" in content
    assert 'value="Second editor&#x27;s title"' in content
    article.refresh_from_db()
    assert article.title == "First editor's title"


# Preview ----------------------------------------------------------------------------


def test_staff_preview_a_draft_in_the_public_template(client, editor):
    article = ArticleFactory(draft=True, title="Embargoed story")
    client.force_login(editor)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "Preview" in content and "Embargoed story" in content
    assert '<meta name="robots" content="noindex, nofollow">' in content
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_reporter_previews_own_draft_but_not_anothers(client, reporter):
    own = ArticleFactory(draft=True, created_by=reporter)
    other = ArticleFactory(draft=True)
    client.force_login(reporter)

    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_published_article_seen_by_staff_is_not_a_preview(client, editor):
    article = ArticleFactory()
    client.force_login(editor)

    response = client.get(article.get_absolute_url())

    assert "readers cannot see this article yet" not in response.content.decode()
    assert "X-Robots-Tag" not in response


def test_editor_shares_a_preview_link_that_works_without_an_account(client, editor):
    article = ArticleFactory(draft=True, title="Shared draft")
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_share", args=[article.pk]), {"hours": "24"}, follow=True
    )
    link = re.search(r'class="preview-link">([^<]+)<', response.content.decode()).group(1)
    anonymous = Client().get(link)

    assert anonymous.status_code == 200
    assert "Shared draft" in anonymous.content.decode()
    assert "This link expires" in anonymous.content.decode()
    assert anonymous["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in anonymous["Cache-Control"]


@pytest.mark.parametrize("hours", ["0", "abc", "100000", "169", "720"])
def test_share_link_with_bad_duration_says_so(client, editor, hours):
    article = ArticleFactory(draft=True)
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_share", args=[article.pk]), {"hours": hours}, follow=True
    )

    assert response.status_code == 200
    assert "preview-link" not in response.content.decode()


def test_tampered_and_expired_preview_links_are_404(client, editor, monkeypatch):
    article = ArticleFactory(draft=True)
    token = services.preview_link_make(article=article, by=editor, hours=1)[1]
    url = reverse("articles:preview", args=[token])

    assert client.get(url).status_code == 200
    assert client.get(url[:-3] + "xx/").status_code == 404
    later = timezone.now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert client.get(url).status_code == 404


def test_a_revoked_link_shows_nothing_and_the_form_lists_it(client, editor):
    article = ArticleFactory(draft=True, title="Shared draft")
    link, token = services.preview_link_make(article=article, by=editor, hours=24)
    url = reverse("articles:preview", args=[token])
    client.force_login(editor)
    form = client.get(change_url(article)).content.decode()
    assert "Preview links of this article" in form and "Works" in form

    client.post(reverse("admin:articles_article_revoke_preview", args=[article.pk, link.pk]))

    assert Client().get(url).status_code == 404
    assert "Revoked by an-editor" in client.get(change_url(article)).content.decode()


def test_a_link_stops_working_when_its_maker_is_deactivated(editor):
    article = ArticleFactory(draft=True)
    _link, token = services.preview_link_make(article=article, by=editor, hours=24)
    assert Client().get(reverse("articles:preview", args=[token])).status_code == 200

    editor.is_active = False
    editor.save()

    assert Client().get(reverse("articles:preview", args=[token])).status_code == 404


def test_tokens_are_stored_only_as_digests(editor):
    from articles.models import PreviewLink

    link, token = services.preview_link_make(article=ArticleFactory(draft=True), by=editor, hours=2)

    assert token not in PreviewLink.objects.values_list("token_sha256", flat=True)
    assert len(link.token_sha256) == 64


def test_reporter_cannot_create_share_links(client, reporter):
    article = ArticleFactory(draft=True, created_by=reporter)
    client.force_login(reporter)

    response = client.post(reverse("admin:articles_article_share", args=[article.pk]))

    assert response.status_code == 403


def test_unknown_workflow_button_is_refused_politely(client, editor):
    article = ArticleFactory(draft=True, authors=[AuthorFactory()])
    client.force_login(editor)

    response = client.post(
        change_url(article), form_data(article, _transition="explode"), follow=True
    )

    assert response.status_code == 200
    assert "Unknown action." in response.content.decode()


# Public consequences -------------------------------------------------------------------


def test_editing_a_published_article_alone_does_not_say_updated(client, editor):
    article = ArticleFactory(publish_at=timezone.now() - timedelta(days=1))
    Article.objects.filter(pk=article.pk).update(updated_at=article.publish_at)
    article.refresh_from_db()
    client.force_login(editor)
    response = client.post(change_url(article), form_data(article, summary="Edited."))
    client.logout()

    assert response.status_code == 302
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Edited." in page and "Updated" not in page
    article.refresh_from_db()
    assert article.revised_at is None
    # A correction or an update readers are told of is what says "Updated".
    Article.objects.filter(pk=article.pk).update(revised_at=timezone.now())
    assert "Updated" in client.get(article.get_absolute_url()).content.decode()


def test_changing_a_published_slug_keeps_the_old_address(client, editor):
    article = ArticleFactory(title="Old headline")
    old_url = article.get_absolute_url()
    client.force_login(editor)
    client.post(change_url(article), form_data(article, slug="new-headline"))
    client.logout()

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == "/news/new-headline/"
    assert client.get("/news/new-headline/").status_code == 200


def test_old_address_of_an_unpublished_article_is_404(client, editor):
    article = ArticleFactory(title="Old headline")
    client.force_login(editor)
    client.post(change_url(article), form_data(article, slug="new-headline"))
    article.refresh_from_db()
    workflow.article_unpublish(article=article, by=editor)
    client.logout()

    assert client.get("/news/old-headline/").status_code == 404


def test_clearing_the_time_of_a_published_article_is_refused_politely(client, editor):
    article = ArticleFactory(authors=[AuthorFactory()])
    client.force_login(editor)

    response = client.post(
        change_url(article), form_data(article, publish_at_0="", publish_at_1="")
    )

    assert response.status_code == 200
    assert "A published article needs a publication time" in response.content.decode()
    article.refresh_from_db()
    assert article.is_published()


@pytest.mark.parametrize(
    "query",
    [
        {"publish_at__year": "9999", "publish_at__month": "12"},
        {"publish_at__year": "abc"},
        {"publish_at__year": "2026", "publish_at__month": "13"},
    ],
)
def test_desk_sends_impossible_dates_to_the_error_page(client, editor, query):
    ArticleFactory()
    client.force_login(editor)

    response = client.get(CHANGELIST, query)

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?e=1"


@pytest.mark.parametrize("query", [{"status": "<script>"}, {"p": "-5"}])
def test_desk_ignores_unknown_filter_values(client, editor, query):
    ArticleFactory(title="Still listed")
    client.force_login(editor)

    response = client.get(CHANGELIST, query)

    assert response.status_code == 200
    assert [a.title for a in response.context["cl"].result_list] == ["Still listed"]
    assert "<script>" not in response.content.decode()


def test_desk_date_drill_down_goes_year_month_day(client, editor):
    ArticleFactory(publish_at=timezone.make_aware(timezone.datetime(2025, 3, 9, 12)))
    ArticleFactory(publish_at=timezone.make_aware(timezone.datetime(2026, 1, 2, 12)))
    client.force_login(editor)

    years = client.get(CHANGELIST).content.decode()
    months = client.get(CHANGELIST, {"publish_at__year": "2025"}).content.decode()

    assert "?publish_at__year=2025" in years and "?publish_at__year=2026" in years
    assert "publish_at__month=3" in months and "March 2025" in months


def test_a_save_lost_in_a_race_hands_the_text_back(client, editor, monkeypatch):
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)

    def someone_saved_first(**kwargs):
        raise services.EditConflict(who="someone", when=None)

    monkeypatch.setattr(services, "article_save", someone_saved_first)
    response = client.post(change_url(article), form_data(article, body="<p>My careful edit</p>"))

    assert response.status_code == 409
    assert "My careful edit" in response.content.decode()
    assert "Someone else saved this article at the same moment" in response.content.decode()


def test_desk_search_uses_the_index_over_headlines(client, editor):
    ArticleFactory(title="Vienna talks", summary="Negotiators meet.", draft=True)
    ArticleFactory(title="نشست تهران", persian=True, in_review=True)
    ArticleFactory(title="Other", body="<p>Vienna is only in the body here.</p>")
    client.force_login(editor)

    english = client.get(CHANGELIST, {"q": "negotiat"})
    persian = client.get(CHANGELIST, {"q": "تهـران"})  # with a tatweel
    symbols = client.get(CHANGELIST, {"q": "%%%"})

    assert [a.title for a in english.context["cl"].result_list] == ["Vienna talks"]
    assert [a.title for a in persian.context["cl"].result_list] == ["نشست تهران"]
    assert list(symbols.context["cl"].result_list) == []
    assert [a.title for a in client.get(CHANGELIST, {"q": "vienna"}).context["cl"].result_list] == [
        "Vienna talks"
    ]
