from datetime import timedelta

import pytest
import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import selectors, services, workflow
from articles.models import Article, ArticleRedirect, Author, Picture
from tests.factories import ArticleFactory, AuthorFactory, PictureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(reporter):
    return ArticleFactory(draft=True, created_by=reporter, authors=[AuthorFactory()])


def test_reporter_submits_own_draft_for_review(draft, reporter):
    workflow.article_submit(article=draft, by=reporter)

    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW


def test_reporter_cannot_submit_someone_elses_draft(reporter):
    other = ArticleFactory(draft=True)

    with pytest.raises(PermissionDenied):
        workflow.article_submit(article=other, by=reporter)


@pytest.mark.parametrize("name", ["publish", "unpublish", "archive"])
def test_reporter_cannot_publish_unpublish_or_archive(reporter, name):
    article = ArticleFactory(
        created_by=reporter,
        authors=[AuthorFactory()],
        **({"draft": True} if name == "publish" else {}),
    )
    before = (article.status, article.publish_at)

    with pytest.raises(PermissionDenied):
        workflow.article_apply_transition(article=article, by=reporter, name=name)

    article.refresh_from_db()
    assert (article.status, article.publish_at) == before


def test_reporter_cannot_schedule(draft, reporter):
    with pytest.raises(PermissionDenied):
        workflow.article_schedule(article=draft, by=reporter, at=timezone.now() + timedelta(days=1))
    assert not Article.objects.filter(status="published").exists()


def test_editor_publishes_now(draft, editor):
    workflow.article_publish(article=draft, by=editor)

    assert draft in Article.objects.published()
    assert draft.updated_by == editor


def test_editor_schedules_for_later_and_it_appears_by_itself(draft, editor, monkeypatch):
    at = timezone.now() + timedelta(hours=3)
    workflow.article_schedule(article=draft, by=editor, at=at)

    assert draft.is_scheduled()
    assert draft not in Article.objects.published()
    monkeypatch.setattr("django.utils.timezone.now", lambda: at + timedelta(seconds=1))
    assert draft in Article.objects.published()


def test_a_schedule_time_in_the_past_publishes_now(draft, editor):
    workflow.article_schedule(article=draft, by=editor, at=timezone.now() - timedelta(days=2))

    assert draft in Article.objects.published()
    assert timezone.now() - draft.publish_at < timedelta(minutes=1)


def test_editor_unpublishes_and_archives(editor):
    live = ArticleFactory()
    other = ArticleFactory()

    workflow.article_unpublish(article=live, by=editor)
    workflow.article_archive(article=other, by=editor)

    assert live.status == Article.Status.DRAFT and live.publish_at is None
    assert other.status == Article.Status.ARCHIVED
    assert not Article.objects.published().exists()


def test_archived_article_goes_back_to_draft(editor):
    article = ArticleFactory(archived=True)

    workflow.article_return_to_draft(article=article, by=editor)

    assert article.status == Article.Status.DRAFT


@pytest.mark.parametrize(
    ("name", "status"),
    [("submit", "review"), ("unpublish", "draft"), ("archive", "draft"), ("archive", "review")],
)
def test_transitions_from_the_wrong_state_are_refused(editor, name, status):
    article = ArticleFactory(status=status, publish_at=None)

    with pytest.raises(PermissionDenied, match="cannot be changed that way"):
        workflow.article_apply_transition(article=article, by=editor, name=name)


def test_publishing_says_what_is_missing(editor):
    article = ArticleFactory(
        draft=True, body="", picture=PictureFactory(file="pictures/photo.jpg", alt=" ")
    )

    with pytest.raises(ValidationError) as error:
        workflow.article_publish(article=article, by=editor)

    message = " ".join(error.value.messages)
    assert "a body" in message and "an author" in message and "alt text for the picture" in message
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_complete_article_with_image_and_alt_text_publishes(editor):
    article = ArticleFactory(
        draft=True,
        authors=[AuthorFactory()],
        picture=PictureFactory(file="pictures/photo.jpg", alt="A harbour"),
    )

    workflow.article_publish(article=article, by=editor)

    assert article.is_published()


def test_transitions_offered_follow_the_roles(draft, reporter, editor):
    assert [t.name for t in workflow.article_transitions(article=draft, user=reporter)] == [
        "submit"
    ]
    assert [t.name for t in workflow.article_transitions(article=draft, user=editor)] == [
        "submit",
        "publish",
        "schedule",
    ]
    live = ArticleFactory(created_by=reporter)
    assert workflow.article_transitions(article=live, user=reporter) == []
    assert [t.name for t in workflow.article_transitions(article=live, user=editor)] == [
        "schedule",
        "unpublish",
        "archive",
    ]


def test_every_transition_is_a_revision(draft, reporter, editor):
    workflow.article_submit(article=draft, by=reporter)
    workflow.article_publish(article=draft, by=editor)

    revisions = list(selectors.article_revisions(draft))
    assert [(v.revision.user, v.revision.get_comment()) for v in revisions] == [
        (editor, "Publish now"),
        (reporter, "Submit for review"),
    ]


def test_save_from_an_old_version_is_refused(editor):
    article = ArticleFactory()
    services.article_save(article=article, by=editor, expected_version=1)

    stale = Article.objects.get(pk=article.pk)
    stale.version = 1
    with pytest.raises(services.EditConflict):
        services.article_save(article=stale, by=editor, expected_version=1)


def test_slug_change_of_a_published_article_keeps_the_old_address(editor):
    article = ArticleFactory(title="Old headline")
    article.slug = "new-headline"

    services.article_save(article=article, by=editor, previous_slug="old-headline")

    assert ArticleRedirect.objects.get(old_slug="old-headline").article == article


def test_slug_changed_while_unpublished_still_redirects_once_published(client, editor):
    article = ArticleFactory(title="Working title", authors=[AuthorFactory()])
    workflow.article_unpublish(article=article, by=editor)
    article.slug = "final-title"
    services.article_save(article=article, by=editor, previous_slug="working-title")

    assert client.get("/news/working-title/").status_code == 404  # not public yet
    workflow.article_publish(article=article, by=editor)
    response = client.get("/news/working-title/")
    assert response.status_code == 301 and response["Location"] == "/news/final-title/"


def test_an_old_address_is_never_given_to_another_article(editor):
    moved = ArticleFactory(title="Same headline")
    moved.slug = "same-headline-moved"
    services.article_save(article=moved, by=editor, previous_slug="same-headline")

    newcomer = ArticleFactory(title="Same headline")
    services.article_save(article=newcomer, by=editor)

    assert newcomer.slug == "same-headline-2"
    assert ArticleRedirect.objects.get(old_slug="same-headline").article == moved


def _edit(article, by, **changes):
    with reversion.create_revision():
        reversion.set_user(by)
        for name, value in changes.items():
            setattr(article, name, value)
        services.article_save(article=article, by=by)
        services.revision_record_tags(article)


def test_restore_brings_back_text_and_tags_as_a_new_revision(editor):
    article = ArticleFactory(body="<p>First text.</p>", tags=["Iran"])
    _edit(article, editor, summary=article.summary)
    first = selectors.article_revisions(article).first()
    article.tags.set(["Russia"])
    _edit(article, editor, body="<p>Second text.</p>")

    services.article_restore_revision(article=article, version=first, by=editor)

    article.refresh_from_db()
    assert article.body == "<p>First text.</p>"
    assert [t.name for t in article.tags.all()] == ["Iran"]
    assert article.is_published()
    assert selectors.article_revisions(article).count() == 3
    assert "Restored" in selectors.article_revisions(article).first().revision.get_comment()


def test_restore_never_publishes(editor):
    article = ArticleFactory()
    _edit(article, editor, summary="Published text")
    published_version = selectors.article_revisions(article).first()
    workflow.article_unpublish(article=article, by=editor)

    services.article_restore_revision(article=article, version=published_version, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_reporter_cannot_restore(reporter, editor):
    article = ArticleFactory(draft=True, created_by=reporter)
    _edit(article, editor, summary="x")

    with pytest.raises(PermissionDenied):
        services.article_restore_revision(
            article=article, version=selectors.article_revisions(article).first(), by=reporter
        )


def test_preview_token_shows_the_article_until_it_expires(editor, monkeypatch):
    article = ArticleFactory(draft=True)
    token = services.preview_link_make(article=article, by=editor, hours=2)[1]

    found, expires = selectors.article_from_preview_token(token)
    assert found == article

    later = timezone.now() + timedelta(hours=2, seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert selectors.article_from_preview_token(token) is None


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "", lambda t: "a:b:c"]
)
def test_tampered_preview_tokens_show_nothing(editor, mangle):
    _link, token = services.preview_link_make(
        article=ArticleFactory(draft=True), by=editor, hours=2
    )

    assert selectors.article_from_preview_token(mangle(token)) is None


def test_reporters_cannot_share_previews(reporter):
    with pytest.raises(PermissionDenied):
        services.preview_link_make(
            article=ArticleFactory(draft=True, created_by=reporter), by=reporter, hours=2
        )


# Saving is one explicit step: the row, tags, pictures and the index -----------------------


@pytest.fixture
def index_calls(monkeypatch):
    """Every article the search index is asked to (re)write, in order."""
    from articles import search

    calls = []
    real_one, real_many = search.index_article, search.index_articles

    def index_article(article):
        calls.append(article.pk)
        real_one(article)

    def index_articles(articles, **kwargs):
        calls.extend(articles.values_list("pk", flat=True))
        return real_many(articles, **kwargs)

    monkeypatch.setattr(search, "index_article", index_article)
    monkeypatch.setattr(search, "index_articles", index_articles)
    return calls


def test_one_desk_save_indexes_the_article_once(client, editor, index_calls):
    from tests.factories import change_url, form_data

    article = ArticleFactory(draft=True, authors=[AuthorFactory()], tags=["Iran"])
    index_calls.clear()
    client.force_login(editor)

    response = client.post(
        change_url(article),
        form_data(article, title="New headline", tags="Iran, Oil", _transition="publish"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published() and article.title == "New headline"
    assert index_calls == [article.pk]
    assert client.get("/search/", {"q": "oil"}).context["object_list"][0] == article


def test_saving_with_tags_indexes_once_and_code_tags_are_approved(index_calls):
    article = ArticleFactory(tags=["Iran"])
    index_calls.clear()

    services.article_save(article=article, by=None, tags=["Iran", "Oil", "Vienna"])

    assert index_calls == [article.pk]
    assert {tag.name for tag in article.public_tags()} == {"Iran", "Oil", "Vienna"}


def test_a_transition_does_not_touch_the_index(editor, index_calls):
    article = ArticleFactory(draft=True, authors=[AuthorFactory()])
    index_calls.clear()

    workflow.article_publish(article=article, by=editor)

    assert index_calls == []


def test_saving_a_model_directly_does_no_picture_or_index_work(index_calls):
    from articles.models import Picture
    from tests import images as made

    picture = Picture(file=made.upload(made.cmyk_jpeg(), "direct.jpg"), alt="Direct")
    picture.save()
    article = ArticleFactory(indexed=False)
    article.picture = picture
    article.save()

    picture.refresh_from_db()
    assert picture.file_renditions == {} and not picture.file_upload
    assert index_calls == []


# Authors' photos are library pictures ----------------------------------------------------


def test_an_author_edit_read_before_the_new_photo_was_ready_does_not_undo_it():
    old = PictureFactory(file="pictures/old.jpg")
    new = PictureFactory(file="", file_state="processing")
    author = AuthorFactory(photo=old, pending_picture=new)
    opened = Author.objects.get(pk=author.pk)  # the desk's form, as it was read
    Picture.objects.filter(pk=new.pk).update(file="pictures/new.jpg", file_state="ready")
    assert services.picture_promote(picture_id=new.pk) == 1  # the worker, meanwhile

    opened.bio = "Only the bio changed"
    services.author_save(author=opened, by=None)

    saved = Author.objects.get(pk=author.pk)
    assert (saved.bio, saved.photo, saved.pending_picture) == ("Only the bio changed", new, None)


def test_an_author_waiting_on_a_photo_keeps_the_old_one_until_it_is_ready():
    old = PictureFactory(file="pictures/old.jpg")
    author = AuthorFactory(photo=old)
    on_its_way = PictureFactory(file="", file_upload="pictures/new.jpg", file_state="processing")

    services.author_take_picture(author=author, picture=on_its_way)
    services.author_save(author=author, by=None)

    author.refresh_from_db()
    assert (author.photo, author.pending_picture) == (old, on_its_way)
    ready = PictureFactory(file="pictures/ready.jpg")
    services.author_take_picture(author=author, picture=ready)
    assert (author.photo, author.pending_picture) == (ready, None)


def test_an_article_and_an_author_waiting_on_one_picture_both_take_it():
    picture = PictureFactory(file="pictures/hall.jpg")
    article = ArticleFactory(pending_picture=picture)
    author = AuthorFactory(pending_picture=picture)

    assert services.picture_promote(picture_id=picture.pk) == 2

    article.refresh_from_db()
    author.refresh_from_db()
    assert (article.picture, article.pending_picture) == (picture, None)
    assert (author.photo, author.pending_picture) == (picture, None)
