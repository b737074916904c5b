"""The picture library: pictures reused by articles and authors, found with thumbnails,
cropped around a focal point, and never deleted while in use."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles.models import Author, Picture
from tests import images as made
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PictureFactory,
    author_form_data,
    change_url,
    form_data,
    picture_from,
)

pytestmark = pytest.mark.django_db


def two_halves() -> bytes:
    """A 2400×600 panorama: its left eighth red, the rest blue."""
    image = Image.new("RGB", (2400, 600), (20, 20, 200))
    image.paste((220, 20, 20), (0, 0, 300, 600))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def pixel(name: str, where: tuple[int, int]) -> tuple[int, int, int]:
    with default_storage.open(name, "rb") as stored:
        return Image.open(io.BytesIO(stored.read())).convert("RGB").getpixel(where)


def test_a_picture_uploaded_in_the_article_form_joins_the_library(client, editor):
    article = ArticleFactory(draft=True)
    client.force_login(editor)
    response = client.post(
        change_url(article),
        {
            **form_data(article),
            "new_picture": made.upload(made.cmyk_jpeg(), "hall.jpg"),
            "new_picture_alt": "Delegates in the hall",
            "new_picture_caption": "The opening session",
            "new_picture_credit": "Agency photo",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    picture = article.picture
    assert (picture.alt, picture.caption, picture.credit) == (
        "Delegates in the hall",
        "The opening session",
        "Agency photo",
    )
    assert picture.uploaded_by == editor
    assert picture.file_state == "ready" and picture.file_renditions["sources"]


def test_an_upload_without_alt_text_is_refused_and_nothing_is_lost(client, editor):
    article = ArticleFactory(draft=True)
    client.force_login(editor)
    response = client.post(
        change_url(article),
        {
            **form_data(article, title="A headline worth keeping"),
            "new_picture": made.upload(made.cmyk_jpeg(), "hall.jpg"),
        },
    )
    assert response.status_code == 200
    assert "Say what the new picture shows" in response.content.decode()
    assert 'value="A headline worth keeping"' in response.content.decode()
    assert not Picture.objects.exists()


def test_one_picture_serves_many_articles(client, editor):
    picture = picture_from(made.upload(two_halves(), "flags.jpg"), alt="Flags", credit="Agency")
    first = ArticleFactory(picture=picture)
    second = ArticleFactory(draft=True)
    client.force_login(editor)
    client.post(change_url(second), form_data(second, picture=picture.pk))
    second.refresh_from_db()
    assert second.picture == picture
    client.logout()
    for article in (first,):
        page = client.get(article.get_absolute_url()).content.decode()
        assert 'alt="Flags"' in page and '<span class="credit">Agency</span>' in page
    assert set(picture.articles.all()) == {first, second}


def test_the_library_is_searchable_with_thumbnails(client, reporter):
    picture_from(made.upload(two_halves(), "flags.jpg"), alt="Flags outside the hall")
    picture_from(made.upload(made.cmyk_jpeg(), "red.jpg"), alt="A red square")
    client.force_login(reporter)
    html = client.get("/admin/articles/picture/?q=flags&_popup=1&_to_field=id").content.decode()
    assert "Flags outside the hall" in html and "A red square" not in html
    thumbs = re.findall(r'<img class="picture-thumb" src="([^"]+)"', html)
    assert len(thumbs) == 1 and "/renditions/" in thumbs[0]


def test_the_article_form_shows_the_chosen_pictures_thumbnail(client, editor):
    picture = picture_from(made.upload(two_halves(), "flags.jpg"), alt="Flags")
    article = ArticleFactory(picture=picture)
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    chooser = re.search(r'<div class="picture-chooser">.*?</div>\s*</div>', html, re.S).group(0)
    assert 'class="picture-thumb"' in chooser and 'alt="Flags"' in chooser
    assert "Choose from the library" in chooser


def test_the_focal_point_steers_every_crop(client, editor, django_capture_on_commit_callbacks):
    picture = picture_from(made.upload(two_halves(), "flags.jpg"), alt="Flags")
    card = picture.file_renditions["social"]["name"]
    # Centred, the 1200×630 card of the panorama shows its blue middle, edge to edge.
    assert pixel(card, (5, 300))[2] > 150

    client.force_login(editor)
    url = f"/admin/articles/picture/{picture.pk}/change/"
    page = client.get(url).content.decode()
    assert 'class="focal-picker"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"alt": "Flags", "caption": "", "credit": "", "focal_x": "0.1", "focal_y": "0.5"},
        )
    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.file_renditions["focal"] == [0.1, 0.5]
    # Cut again around the red left: the card now starts in red.
    assert pixel(picture.file_renditions["social"]["name"], (5, 300))[0] > 150
    assert not default_storage.exists(card)  # the old crops are gone
    # Teasers cropped by the browser keep the same point in view.
    ArticleFactory(picture=picture)
    client.logout()
    assert 'class="focus-x10 focus-y50"' in client.get("/").content.decode()


def test_a_focal_point_outside_the_picture_is_refused(client, editor):
    picture = picture_from(made.upload(two_halves(), "flags.jpg"), alt="Flags")
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/picture/{picture.pk}/change/",
        {"alt": "Flags", "caption": "", "credit": "", "focal_x": "1.5", "focal_y": "0.5"},
    )
    assert response.status_code == 200
    assert "The focal point must lie inside the picture." in response.content.decode()


def test_a_picture_in_use_cannot_be_deleted_and_the_desk_says_where(client, editor):
    picture = picture_from(made.upload(two_halves(), "flags.jpg"), alt="Flags")
    ArticleFactory(picture=picture, title="Talks resume in Vienna")
    client.force_login(editor)
    url = f"/admin/articles/picture/{picture.pk}/delete/"
    page = client.get(url).content.decode()
    assert "Talks resume in Vienna" in page
    assert "protected" in page
    client.post(url, {"post": "yes"})
    assert Picture.objects.filter(pk=picture.pk).exists()
    used = client.get(f"/admin/articles/picture/{picture.pk}/change/").content.decode()
    assert re.search(r'<ul class="picture-usage">.*Talks resume in Vienna', used, re.S)


def test_an_unused_picture_is_deleted_with_its_files(
    client, editor, django_capture_on_commit_callbacks
):
    picture = picture_from(made.upload(two_halves(), "flags.jpg"), alt="Flags")
    names = [picture.file.name] + [s["name"] for s in picture.file_renditions["sources"]]
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/articles/picture/{picture.pk}/delete/", {"post": "yes"})
    assert not Picture.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_reporters_add_pictures_but_do_not_delete_them(client, reporter):
    picture = picture_from(made.upload(two_halves(), "flags.jpg"), alt="Flags")
    client.force_login(reporter)
    assert client.get("/admin/articles/picture/add/").status_code == 200
    assert (
        client.post(f"/admin/articles/picture/{picture.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Picture.objects.filter(pk=picture.pk).exists()


# Authors' photos come from the library too ----------------------------------------------


def author_url(author) -> str:
    return reverse("admin:articles_author_change", args=[author.pk])


def test_the_author_form_chooses_the_photo_from_the_library(client, editor):
    portrait = picture_from(made.upload(two_halves(), "sara.jpg"), alt="Sara in Vienna")
    author = AuthorFactory(name="Sara Lindqvist")
    client.force_login(editor)

    chosen = client.post(author_url(author), author_form_data(author, photo=portrait.pk))

    assert chosen.status_code == 302
    author.refresh_from_db()
    assert author.photo == portrait
    html = client.get(author_url(author)).content.decode()
    chooser = re.search(r'<div class="picture-chooser">.*?</div>\s*</div>', html, re.S).group(0)
    assert 'class="picture-thumb"' in chooser and 'alt="Sara in Vienna"' in chooser
    assert "Choose from the library" in chooser and 'name="new_picture"' in html
    ArticleFactory(authors=[author])
    assert 'alt="Sara in Vienna"' in client.get(author.get_absolute_url()).content.decode()


def test_choosing_a_library_photo_wins_over_an_upload_still_processing(client, editor):
    portrait = picture_from(made.upload(two_halves(), "sara.jpg"), alt="Sara in Vienna")
    on_its_way = PictureFactory(file_upload="pictures/new.jpg", file_state="processing")
    author = AuthorFactory(pending_picture=on_its_way)
    client.force_login(editor)

    client.post(author_url(author), author_form_data(author, photo=portrait.pk))

    author.refresh_from_db()
    assert (author.photo, author.pending_picture) == (portrait, None)


@pytest.mark.parametrize("picture", ["999999", "not-a-number", "1 OR 1=1"])
def test_a_photo_that_is_not_in_the_library_is_refused_and_nothing_is_lost(client, editor, picture):
    portrait = picture_from(made.upload(two_halves(), "sara.jpg"), alt="Sara")
    author = AuthorFactory(name="Sara Lindqvist", bio="Covers energy.", photo=portrait)
    client.force_login(editor)

    response = client.post(
        author_url(author), author_form_data(author, bio="Typed meanwhile", photo=picture)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page and "Typed meanwhile" in page
    author.refresh_from_db()
    assert (author.bio, author.photo) == ("Covers energy.", portrait)


def test_a_picture_used_as_a_photo_cannot_be_deleted_and_the_desk_says_where(client, editor):
    portrait = picture_from(made.upload(two_halves(), "sara.jpg"), alt="Sara")
    author = AuthorFactory(name="Sara Lindqvist", photo=portrait)
    client.force_login(editor)
    url = f"/admin/articles/picture/{portrait.pk}/delete/"

    page = client.get(url).content.decode()
    client.post(url, {"post": "yes"})

    assert "Sara Lindqvist" in page and "protected" in page
    assert Picture.objects.filter(pk=portrait.pk).exists()
    used = client.get(f"/admin/articles/picture/{portrait.pk}/change/").content.decode()
    usage = re.search(r'<ul class="picture-usage">.*?</ul>', used, re.S).group(0)
    assert author_url(author) in usage and "Sara Lindqvist (author’s photo)" in usage
    listed = client.get("/admin/articles/picture/").content.decode()
    assert re.search(r'<td class="field-used">1</td>', listed)


def test_deleting_an_author_leaves_the_photo_in_the_library(
    client, editor, django_capture_on_commit_callbacks
):
    portrait = picture_from(made.upload(two_halves(), "sara.jpg"), alt="Sara")
    author = AuthorFactory(photo=portrait)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:articles_author_delete", args=[author.pk]), {"post": "yes"})

    assert not Author.objects.filter(pk=author.pk).exists()
    assert default_storage.exists(Picture.objects.get(pk=portrait.pk).file.name)


def test_a_new_author_is_created_with_an_uploaded_photo(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_author_add"),
        author_form_data(
            Author(name="Maryam Ahmadi", slug="maryam-ahmadi"),
            new_picture=made.upload(two_halves(), "maryam.jpg"),
        ),
    )

    assert response.status_code == 302
    author = Author.objects.get(slug="maryam-ahmadi")
    assert author.photo.alt == "Maryam Ahmadi" and author.photo.file_state == "ready"


def test_reporters_change_only_their_own_pictures_on_their_own_drafts(client, reporter, editor):
    theirs = picture_from(made.upload(two_halves(), "a.jpg"), alt="Mine", by=reporter)
    draft = ArticleFactory(draft=True, picture=theirs)
    draft.created_by = reporter
    draft.save()
    someone_elses = picture_from(made.upload(two_halves(), "b.jpg"), alt="Editor's", by=editor)
    ArticleFactory(picture=someone_elses, title="A live story by someone else")
    client.force_login(reporter)

    def edit(picture, alt):
        return client.post(
            f"/admin/articles/picture/{picture.pk}/change/",
            {"alt": alt, "caption": "", "credit": "", "focal_x": "0.5", "focal_y": "0.5"},
        )

    assert edit(theirs, "Mine, described better").status_code == 302
    assert edit(someone_elses, "DEFACED").status_code == 403
    someone_elses.refresh_from_db()
    assert someone_elses.alt == "Editor's"
    # Their own picture once on a live story is an editor's to change.
    live = ArticleFactory(picture=theirs)
    assert edit(theirs, "Changed again").status_code == 403
    # What they may read says how much it is used, not whose drafts use it.
    page = client.get(f"/admin/articles/picture/{someone_elses.pk}/change/").content.decode()
    assert "A live story by someone else" not in page and "1 article or byline" in page
    client.force_login(editor)
    assert edit(theirs, "An editor's fix").status_code == 302
    assert (
        draft.title in client.get(f"/admin/articles/picture/{theirs.pk}/change/").content.decode()
    )
    assert live.title in client.get(f"/admin/articles/picture/{theirs.pk}/change/").content.decode()
