"""The desk's home says what is waiting, for editors and for reporters; and the desk's
small faults, each fixed once."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import editorial
from articles.models import Article, Tag
from tests.factories import ArticleFactory, AuthorFactory, change_url

pytestmark = pytest.mark.django_db


def box(html: str, key: str) -> str:
    found = re.search(
        rf'dashboard__box--{key}\b.*?(?=<div class="dashboard__box|</section>)', html, re.S
    )
    assert found, f"no {key} box"
    return found.group(0)


def count(html: str, key: str) -> int:
    return int(re.search(r'dashboard__count">(\d+)<', box(html, key)).group(1))


def test_editors_see_what_waits_for_them(client, editor):
    ArticleFactory(in_review=True, title="Waiting for review")
    ArticleFactory(title="Going out tonight", publish_at=timezone.now() + timedelta(minutes=30))
    ArticleFactory(title="Going out next week", publish_at=timezone.now() + timedelta(days=7))
    Tag.objects.create(name="Proposed topic", approved=False)
    corrected = ArticleFactory(title="A corrected story")
    editorial.correction_add(article=corrected, by=editor, text="Fixed a date.", kind="correction")

    client.force_login(editor)
    html = client.get("/admin/").content.decode()

    assert count(html, "review") == 1 and "Waiting for review" in box(html, "review")
    assert "Going out tonight" in box(html, "scheduled_today")
    assert "Going out next week" not in box(html, "scheduled_today")
    assert count(html, "proposed_tags") == 1 and "Proposed topic" in box(html, "proposed_tags")
    assert "A corrected story" in box(html, "corrections")
    assert "dashboard__box--drafts" not in html


def test_reporters_see_their_drafts_what_came_back_and_what_went_live(client, reporter, editor):
    byline = AuthorFactory(user=reporter)
    ArticleFactory(draft=True, title="My draft", authors=[byline])
    returned = ArticleFactory(in_review=True, title="Sent back to me", authors=[byline])
    ArticleFactory(title="My published story", authors=[byline])
    ArticleFactory(draft=True, title="Someone else's draft")
    from articles.workflow import article_apply_transition

    article_apply_transition(article=returned, by=editor, name="return_to_draft")
    editorial.note_add(
        article=returned, by=editor, text="Needs a quote", occasion="return_to_draft"
    )

    client.force_login(reporter)
    html = client.get("/admin/").content.decode()

    assert "Sent back to me" in box(html, "returned") and "Needs a quote" in box(html, "returned")
    assert count(html, "drafts") == 2
    assert "Someone else" not in html
    assert "My published story" in box(html, "live")
    assert "dashboard__box--review" not in html


# The desk's small faults --------------------------------------------------------------


def test_a_reporters_own_byline_is_chosen_for_a_new_article(client, reporter):
    byline = AuthorFactory(user=reporter, name="Reza Reporter")
    client.force_login(reporter)
    html = client.get("/admin/articles/article/add/").content.decode()
    assert re.search(rf'<option value="{byline.pk}" selected>Reza Reporter</option>', html)


def test_the_tags_box_shows_names_without_quotes(client, editor):
    article = ArticleFactory(tags=["Sergey Lavrov", "Iran"])
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    assert 'value="Iran, Sergey Lavrov"' in html
    lone = ArticleFactory(tags=["Sergey Lavrov"])
    html = client.get(change_url(lone)).content.decode()
    # One name with a space reads back as one tag.
    assert 'value="Sergey Lavrov, "' in html
    from taggit.utils import parse_tags

    assert parse_tags("Sergey Lavrov, ") == ["Sergey Lavrov"]


def test_the_headline_box_is_wide_enough_for_a_headline(client, editor):
    client.force_login(editor)
    html = client.get("/admin/articles/article/add/").content.decode()
    assert re.search(r'<input type="text" name="title" class="vTextField article-wide"', html)


def test_demo_stories_scheduled_for_later_were_not_edited_in_the_future(db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    scheduled = Article.objects.scheduled()
    assert scheduled.exists()
    assert not Article.objects.filter(updated_at__gt=timezone.now()).exists()


def test_desk_refusals_and_missing_pages_look_like_the_desk(client, reporter):
    client.force_login(reporter)
    refused = client.get("/admin/auth/user/")
    assert refused.status_code == 403
    assert 'id="site-name"' in refused.content.decode()
    assert "You cannot do this" in refused.content.decode()
    missing = client.get("/admin/articles/article/999999/revisions/")
    assert missing.status_code == 404
    assert 'id="site-name"' in missing.content.decode()
    client.logout()
    assert "We could not find that page" in client.get("/no-such-page/").content.decode()
