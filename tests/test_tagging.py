import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from articles import selectors, tagging
from articles.models import Article, Tag, TagLogEntry
from articles.text import fold
from tests.factories import ArticleFactory, AuthorFactory, change_url, form_data

pytestmark = pytest.mark.django_db

TAGS = reverse("admin:articles_tag_changelist")


# One tag per meaning -------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ["JCPOA", "jcpoa", "Jcpoa ", " JCPOA"],
        ["ایران", "ايران"],  # Farsi yeh / Arabic yeh
        ["کرمان", "كرمان"],  # keheh / Arabic kaf
        ["برجام ۲۰۱۵", "برجام ٢٠١٥", "برجام 2015"],  # Persian, Arabic and Latin digits
        ["می‌شود", "میشود"],  # with and without ZWNJ
        ["تهران", "تهـــران"],  # tatweel
        ["Sergey Lavrov", "sergey  lavrov"],
    ],
)
def test_spellings_of_one_meaning_are_one_tag(spellings):
    first = ArticleFactory(tags=[spellings[0]])
    second = ArticleFactory()
    second.tags.add(*spellings[1:])

    assert Tag.objects.count() == 1
    assert first.tags.get() == second.tags.get()
    assert Tag.objects.get().name == spellings[0].strip()


def test_the_database_refuses_a_second_spelling():
    Tag.objects.create(name="JCPOA")

    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="jcpoa")


def test_fold_handles_persian_and_arabic_variants():
    assert fold("ايران") == fold("ایران")
    assert fold("كتاب") == fold("کتاب")
    assert fold("۱۴۰۳") == fold("١٤٠٣") == "1403"
    assert fold("نیم\u200cفاصله") == fold("نیمفاصله")
    assert fold("مُحَمَّد") == fold("محمد")


def test_tag_slugs_keep_persian_letters():
    ArticleFactory(tags=["انرژی هسته‌ای"])

    assert Tag.objects.get().slug == "انرژی-هستهای"


def test_tag_typed_with_arabic_letters_in_the_address_redirects(client):
    tag = ArticleFactory(tags=["ایران"]).tags.get()

    response = client.get("/tags/%D8%A7%D9%8A%D8%B1%D8%A7%D9%86/")  # ايران, Arabic yeh

    assert response.status_code == 301
    assert response["Location"] == tag.get_absolute_url()


# Proposals -----------------------------------------------------------------------------


def post_tags(client, article, tags: str):
    return client.post(change_url(article), form_data(article, tags=tags))


def test_reporters_new_tag_is_a_proposal_readers_never_see(client, reporter):
    article = ArticleFactory(in_review=True, created_by=reporter, tags=["Iran"])
    client.force_login(reporter)

    post_tags(client, article, "Iran, Secret Deal")

    proposal = Tag.objects.get(name="Secret Deal")
    assert not proposal.approved
    assert Tag.objects.get(name="Iran").approved
    form = client.get(change_url(article)).content.decode()
    assert "Waiting for an editor to approve:" in form and "Secret Deal" in form

    # Published by an editor, the article still hides the proposal from readers.
    article.status, article.publish_at = "published", article.created_at
    article.save()
    reader = Client()
    page = reader.get(article.get_absolute_url()).content.decode()
    assert ">Iran</a>" in page and "Secret Deal" not in page
    assert reader.get(proposal.get_absolute_url()).status_code == 404
    assert "Secret Deal" not in reader.get(reverse("articles:tag_list")).content.decode()
    assert reader.get("/news/", {"tag": proposal.slug}).status_code == 400


def test_reporter_reusing_an_existing_tag_in_another_spelling_proposes_nothing(client, reporter):
    ArticleFactory(tags=["JCPOA"])
    article = ArticleFactory(draft=True, created_by=reporter)
    client.force_login(reporter)

    post_tags(client, article, "jcpoa")

    assert list(Tag.objects.values_list("name", "approved")) == [("JCPOA", True)]


def test_editors_and_code_add_approved_tags(client, editor):
    article = ArticleFactory(draft=True)
    client.force_login(editor)

    post_tags(client, article, "Oil")
    ArticleFactory(tags=["Gas"])

    assert Tag.objects.get(name="Oil").approved
    assert Tag.objects.get(name="Gas").approved


def test_editor_approves_a_proposal_and_readers_see_it(client, editor, reporter):
    article = ArticleFactory(authors=[AuthorFactory()])
    tagging.article_set_tags(article=article, names=["Caspian"], by=reporter)
    proposal = Tag.objects.get(name="Caspian")
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_proposedtag_changelist"),
        {"action": "approve", "_selected_action": [proposal.pk]},
        follow=True,
    )

    assert "Approved 1 tag." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.approved
    assert Client().get(proposal.get_absolute_url()).status_code == 200
    entry = TagLogEntry.objects.get()
    assert (entry.action, entry.user, entry.tag) == ("approve", editor, proposal)


def test_proposed_tags_view_lists_only_proposals(client, editor, reporter):
    article = ArticleFactory(title="Story with a proposal", tags=["Approved"])
    tagging.article_set_tags(article=article, names=["Approved", "Pending"], by=reporter)
    client.force_login(editor)

    response = client.get(reverse("admin:articles_proposedtag_changelist"))

    assert [t.name for t in response.context["cl"].result_list] == ["Pending"]
    assert "Story with a proposal" in response.content.decode()


def test_reporters_cannot_curate(client, reporter):
    tag = ArticleFactory(tags=["Iran"]).tags.get()
    client.force_login(reporter)

    for url in [
        TAGS,
        reverse("admin:articles_tag_change", args=[tag.pk]),
        reverse("admin:articles_proposedtag_changelist"),
        reverse("admin:articles_tag_duplicates"),
        reverse("admin:articles_articleredirect_changelist"),
        reverse("admin:articles_taglogentry_changelist"),
    ]:
        assert client.get(url).status_code == 403, url
    client.post(TAGS, {"action": "delete_unused", "_selected_action": [tag.pk]})
    client.post(reverse("admin:articles_tag_change", args=[tag.pk]), {"name": "Persia"})
    assert Tag.objects.get().name == "Iran"


# Curation ----------------------------------------------------------------------------


def test_rename_keeps_the_old_address_working(client, editor):
    tag = ArticleFactory(tags=["Valenica"]).tags.get()
    old_url = tag.get_absolute_url()
    client.force_login(editor)

    client.post(
        reverse("admin:articles_tag_change", args=[tag.pk]),
        {"name": "Valencia", "description": "The city.", "approved": "on"},
    )

    tag.refresh_from_db()
    assert (tag.name, tag.slug, tag.description) == ("Valencia", "valencia", "The city.")
    response = Client().get(old_url)
    assert response.status_code == 301 and response["Location"] == "/tags/valencia/"
    assert TagLogEntry.objects.get().description == "Renamed “Valenica” to “Valencia”"


def test_rename_onto_an_existing_meaning_asks_for_a_merge(client, editor):
    ArticleFactory(tags=["JCPOA"])
    other = ArticleFactory(tags=["Nuclear deal"]).tags.get()
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_tag_change", args=[other.pk]),
        {"name": "jcpoa", "description": "", "approved": "on"},
    )

    assert response.status_code == 200
    assert "merge into it instead" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Nuclear deal"


def test_merge_leaves_each_article_one_copy_and_redirects(client, editor):
    both = ArticleFactory(tags=["Nuclear deal", "Iran nuclear deal"])
    one = ArticleFactory(tags=["Iran nuclear deal"])
    keep = Tag.objects.get(name="Nuclear deal")
    gone = Tag.objects.get(name="Iran nuclear deal")
    gone_url = gone.get_absolute_url()
    client.force_login(editor)
    selected = {"action": "merge", "_selected_action": [keep.pk, gone.pk]}

    ask = client.post(TAGS, selected)
    done = client.post(TAGS, {**selected, "apply": "1", "into": keep.pk}, follow=True)

    assert "Keep this tag" in ask.content.decode()
    assert "Merged into “Nuclear deal”" in done.content.decode()
    assert list(both.tags.all()) == [keep]
    assert list(one.tags.all()) == [keep]
    assert not Tag.objects.filter(pk=gone.pk).exists()
    response = Client().get(gone_url)
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()
    assert "Merged “Iran nuclear deal” into “Nuclear deal”" in TagLogEntry.objects.get().description


def test_a_proposal_merges_into_an_existing_tag_by_name(client, editor, reporter):
    article = ArticleFactory(tags=["Iran"])
    tagging.article_set_tags(article=article, names=["Iran", "Persia"], by=reporter)
    proposal = Tag.objects.get(name="Persia")
    client.force_login(editor)

    client.post(
        reverse("admin:articles_proposedtag_changelist"),
        {"action": "merge", "apply": "1", "_selected_action": [proposal.pk], "into_name": "IRAN"},
    )

    assert [t.name for t in article.tags.all()] == ["Iran"]
    assert not Tag.objects.filter(name="Persia").exists()


def test_merge_into_an_unknown_name_says_so(client, editor):
    tag = ArticleFactory(tags=["Iran"]).tags.get()
    client.force_login(editor)

    response = client.post(
        TAGS, {"action": "merge", "apply": "1", "_selected_action": [tag.pk], "into_name": "Nope"}
    )

    assert response.status_code == 200
    assert "There is no tag called “Nope”." in response.content.decode()


def test_delete_unused_keeps_used_tags(client, editor):
    used = ArticleFactory(tags=["Used"]).tags.get()
    unused = Tag.objects.create(name="Unused")
    client.force_login(editor)

    response = client.post(
        TAGS, {"action": "delete_unused", "_selected_action": [used.pk, unused.pk]}, follow=True
    )

    assert list(Tag.objects.all()) == [used]
    assert "Kept “Used”" in response.content.decode()
    assert TagLogEntry.objects.get().description == "Deleted “Unused”"


def test_usage_counts_and_possible_duplicates(client, editor):
    ArticleFactory(tags=["Valencia", "Iran"])
    ArticleFactory(tags=["Valencia", "Iraq"])
    ArticleFactory(tags=["Valenica"])
    client.force_login(editor)

    listing = client.get(TAGS)
    duplicates = client.get(reverse("admin:articles_tag_duplicates"))

    counts = {t.name: t.article_count for t in listing.context["cl"].result_list}
    assert counts == {"Valencia": 2, "Iran": 1, "Iraq": 1, "Valenica": 1}
    pairs = {(p.tag.name, p.other.name) for p in duplicates.context["pairs"]}
    assert pairs == {("Valencia", "Valenica")}  # "Iran"/"Iraq" are short and different


def test_tag_search_finds_any_spelling(client, editor):
    ArticleFactory(tags=["ایران"])
    client.force_login(editor)

    response = client.get(TAGS, {"q": "ايران"})

    assert [t.name for t in response.context["cl"].result_list] == ["ایران"]


# Editing help ------------------------------------------------------------------------


def test_suggestions_find_existing_tags_the_text_mentions(editor):
    ArticleFactory(tags=["Sergey Lavrov", "ایران", "Oil", "Gas"])

    found = selectors.tag_suggestions(
        "Sergey Lavrov met officials in ايران to discuss oil prices.", user=editor, exclude=["Oil"]
    )

    assert [t["name"] for t in found] == ["Sergey Lavrov", "ایران"]


def test_suggestions_skip_proposals(reporter):
    article = ArticleFactory()
    tagging.article_set_tags(article=article, names=["Caspian"], by=reporter)

    assert selectors.tag_suggestions("The Caspian sea", user=reporter) == []


def test_autocomplete_endpoint_is_for_staff_only(client, reporter):
    ArticleFactory(tags=["Iran"])
    ArticleFactory(tags=["Iran", "Iraq"])
    url = reverse("admin:articles_tag_autocomplete")

    anonymous = client.get(url, {"q": "ir"})
    client.force_login(reporter)
    staff = client.get(url, {"q": "IR"})

    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert staff.json() == {
        "results": [
            {"name": "Iran", "slug": "iran", "count": 2},
            {"name": "Iraq", "slug": "iraq", "count": 1},
        ]
    }


def test_autocomplete_leaves_out_proposals_and_takes_any_input(client, editor, reporter):
    tagging.article_set_tags(article=ArticleFactory(), names=["Irrigation"], by=reporter)
    client.force_login(editor)
    url = reverse("admin:articles_tag_autocomplete")

    assert client.get(url, {"q": "irr"}).json() == {"results": []}
    for odd in ["", "%", "'; DROP TABLE x;--", "x" * 5000, "<script>"]:
        assert client.get(url, {"q": odd}).status_code == 200


def test_suggest_endpoint_answers_staff(client, editor):
    ArticleFactory(tags=["JCPOA"])
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_tag_suggest"), {"text": "The jcpoa talks", "tags": ""}
    )

    assert [t["name"] for t in response.json()["results"]] == ["JCPOA"]


# Reading -----------------------------------------------------------------------------


def test_tag_page_shows_description_and_related_tags(client):
    ArticleFactory(tags=["JCPOA", "Iran", "Vienna"])
    ArticleFactory(tags=["JCPOA", "Iran"])
    ArticleFactory(draft=True, tags=["JCPOA", "Embargo"])
    tag = Tag.objects.get(name="JCPOA")
    tag.description = "The 2015 nuclear agreement."
    tag.save()

    response = client.get(tag.get_absolute_url())

    assert "The 2015 nuclear agreement." in response.content.decode()
    assert [t.name for t in response.context["related_tags"]] == ["Iran", "Vienna"]


def test_related_tags_leave_out_proposed_tags(client, reporter):
    article = ArticleFactory(tags=["JCPOA", "Iran"])
    tagging.article_set_tags(article=article, names=["JCPOA", "Iran", "Leaked plan"], by=reporter)

    response = client.get(Tag.objects.get(name="JCPOA").get_absolute_url())

    assert [t.name for t in response.context["related_tags"]] == ["Iran"]
    assert "Leaked plan" not in response.content.decode()


def test_revisions_remember_the_tags_of_their_time(client, editor):
    article = ArticleFactory(tags=["Iran", "Oil"], created_by=editor)
    client.force_login(editor)
    client.post(change_url(article), form_data(article, tags="Iran, Oil"))
    article.refresh_from_db()
    client.post(change_url(article), form_data(article, tags="Iran"))

    newest, older = list(selectors.article_revisions(article))[:2]
    assert selectors.revision_tag_names(newest) == ["Iran"]
    assert selectors.revision_tag_names(older) == ["Iran", "Oil"]
    assert list(Article.objects.get().tags.values_list("name", flat=True)) == ["Iran"]


# Found in review ---------------------------------------------------------------------


def test_a_tag_in_use_cannot_be_deleted_from_its_page(client, editor):
    tag = ArticleFactory(tags=["Iran"]).tags.get()
    unused = Tag.objects.create(name="Nothing yet")
    client.force_login(editor)

    refused = client.post(reverse("admin:articles_tag_delete", args=[tag.pk]), {"post": "yes"})
    client.post(reverse("admin:articles_tag_delete", args=[unused.pk]), {"post": "yes"})

    assert refused.status_code == 403
    assert list(Tag.objects.all()) == [tag]
    assert TagLogEntry.objects.get().description == "Deleted “Nothing yet”"


def test_a_merged_name_added_again_lands_on_the_merged_tag(editor):
    ArticleFactory(tags=["Valencia CF"])
    ArticleFactory(tags=["Valencia"])
    keep, gone = Tag.objects.get(name="Valencia CF"), Tag.objects.get(name="Valencia")
    tagging.tag_merge(tags=[keep, gone], into=keep, by=editor)

    article = ArticleFactory(tags=["valencia"])

    assert list(article.tags.all()) == [keep]
    assert not Tag.objects.filter(name="Valencia").exists()


def test_old_tag_address_in_the_news_filter_redirects(client, editor):
    tag = ArticleFactory(tags=["Valenica"]).tags.get()
    tagging.tag_rename(tag=tag, name="Valencia", by=editor)

    response = client.get("/news/", {"tag": "valenica", "language": "en"})

    assert response.status_code == 301
    assert response["Location"] == "/news/?tag=valencia&language=en"


@pytest.mark.parametrize("name", ["ﷺ" * 10, "x" * 300, "ایران " * 40])
def test_very_long_or_expanding_tag_names_fit_the_columns(name):
    article = ArticleFactory(tags=[name])

    tag = article.tags.get()
    assert len(tag.name) <= 100 and len(tag.slug) <= 100 and len(tag.folded_name) <= 100
    assert Client().get(tag.get_absolute_url()).status_code == 200


def test_withdrawing_approval_takes_the_tag_out_of_search(client, editor):
    tag = ArticleFactory(title="Plain", tags=["Caspian"]).tags.get()
    client.force_login(editor)
    assert [a.title for a in client.get("/search/", {"q": "caspian"}).context["object_list"]] == [
        "Plain"
    ]

    client.post(
        reverse("admin:articles_tag_change", args=[tag.pk]), {"name": "Caspian", "description": ""}
    )

    tag.refresh_from_db()
    assert not tag.approved
    assert list(client.get("/search/", {"q": "caspian"}).context["object_list"]) == []
    assert Client().get(tag.get_absolute_url()).status_code == 404
    entry = TagLogEntry.objects.get()
    assert (entry.action, entry.user, entry.tag) == ("withdraw", editor, tag)


def test_editor_withdraws_approval_in_bulk_and_it_is_logged(client, editor):
    iran, oil = (ArticleFactory(tags=[name]).tags.get() for name in ["Iran", "Oil"])
    client.force_login(editor)

    response = client.post(
        TAGS, {"action": "withdraw_approval", "_selected_action": [iran.pk, oil.pk]}, follow=True
    )

    assert "Hid 2 tags from readers." in response.content.decode()
    assert not Tag.objects.public().exists()
    assert sorted(TagLogEntry.objects.values_list("action", flat=True)) == ["withdraw"] * 2


def test_taggit_still_turns_names_into_tags_through_our_hook(editor):
    """FoldingTaggableManager overrides a private django-taggit method; an upgrade
    that stops calling it, or changes its signature, must fail here."""
    import inspect

    from taggit.managers import _TaggableManager

    from articles.models import FoldingTaggableManager

    base = inspect.signature(_TaggableManager._to_tag_model_instances)
    ours = inspect.signature(FoldingTaggableManager._to_tag_model_instances)
    assert list(base.parameters) == list(ours.parameters) == ["self", "tags", "tag_kwargs"]
    article = ArticleFactory(tags=["JCPOA"])
    article.tags.add("jcpoa")
    article.tags.set(["ＪＣＰＯＡ", "Iran"])
    assert sorted(article.tags.values_list("name", flat=True)) == ["Iran", "JCPOA"]
    assert Tag.objects.count() == 2


# What a reporter may learn of other people's drafts --------------------------------------


@pytest.fixture
def secret_tag(editor):
    """An editor's tag, so approved, that only an embargoed draft carries."""
    draft = ArticleFactory(draft=True, title="Embargoed merger")
    tagging.article_set_tags(article=draft, names=["Secret merger"], by=editor)
    ArticleFactory(tags=["Iran"])
    return Tag.objects.get(name="Secret merger")


def test_reporters_are_not_shown_tags_only_others_drafts_carry(client, reporter, secret_tag):
    own = ArticleFactory(draft=True, created_by=reporter)
    tagging.article_set_tags(article=own, names=["My proposal"], by=reporter)
    client.force_login(reporter)

    autocomplete = client.get(reverse("admin:articles_tag_autocomplete"), {"q": "secret"})
    suggest = client.get(reverse("admin:articles_tag_suggest"), {"text": "A secret merger"})
    desk = client.get(reverse("admin:articles_article_changelist")).content.decode()
    mine = client.get(reverse("admin:articles_tag_autocomplete"), {"q": "my"})
    iran = client.get(reverse("admin:articles_tag_autocomplete"), {"q": "ir"})

    assert autocomplete.json()["results"] == []
    assert suggest.json()["results"] == []
    assert "Secret merger" not in desk and "My proposal" in desk
    assert [t["name"] for t in mine.json()["results"]] == ["My proposal"]
    assert [t["name"] for t in iran.json()["results"]] == ["Iran"]


def test_editors_still_see_every_tag(client, editor, secret_tag):
    client.force_login(editor)

    found = client.get(reverse("admin:articles_tag_autocomplete"), {"q": "secret"}).json()

    assert [t["name"] for t in found["results"]] == ["Secret merger"]


def test_a_tag_only_on_drafts_is_unknown_to_readers_everywhere(client, secret_tag):
    assert client.get(secret_tag.get_absolute_url()).status_code == 404
    assert client.get(f"/feeds/tags/{secret_tag.slug}/").status_code == 404
    known_only_on_drafts = client.get("/news/", {"tag": secret_tag.slug})
    unknown = client.get("/news/", {"tag": "no-such-tag"})
    assert known_only_on_drafts.status_code == unknown.status_code == 400
    assert known_only_on_drafts.content.decode().replace(secret_tag.slug, "no-such-tag") == (
        unknown.content.decode()
    )
