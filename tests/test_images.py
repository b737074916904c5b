import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import ProtectedError
from django.urls import reverse
from PIL import Image

from articles import images, services
from articles.models import Article, Picture
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


def opened(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


def stored_files(picture: Picture) -> list[str]:
    renditions = picture.file_renditions
    return [picture.file.name, renditions["social"]["name"]] + [
        source["name"] for source in renditions["sources"]
    ]


def post_image(client, article, data: bytes, name: str):
    return client.post(
        change_url(article),
        {
            **form_data(article),
            "new_picture": made.upload(data, name),
            "new_picture_alt": "A picture",
        },
    )


def picture_before() -> Picture:
    """A library picture already on an article: what a refused upload must not lose."""
    picture = PictureFactory()
    picture.file.save("before.jpg", made.upload(made.cmyk_jpeg(), "before.jpg"))
    return picture


# Refused, with a message, and nothing already saved is lost ----------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (made.TEXT, "photo.jpg", "not a picture we accept"),
        (made.SVG_WITH_SCRIPT, "drawing.svg", "not a picture we accept"),
        (made.PHP_SHELL, "shell.png", "not a picture we accept"),
        (made.png_declaring(20000, 20000), "bomb.png", "too many pixels"),
        (made.png_declaring(10000, 8000), "huge.png", "10000×8000 pixels (80 megapixels)"),
    ],
    ids=["text-as-jpg", "svg-with-script", "php-as-png", "bomb-20000px", "80-megapixels"],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_lost(
    client, editor, data, name, message
):
    before = picture_before()
    article = ArticleFactory(title="Kept title", created_by=editor, picture=before)
    client.force_login(editor)

    response = client.post(
        change_url(article),
        {
            **form_data(article),
            "title": "New title",
            "new_picture": made.upload(data, name),
            "new_picture_alt": "A picture",
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.picture_id) == ("Kept title", before.pk)
    assert list(Picture.objects.all()) == [before]  # nothing joined the library
    assert default_storage.exists(before.file.name)


def test_a_picture_broken_past_its_header_fails_in_the_background_and_says_why(client, editor):
    before = picture_before()
    article = ArticleFactory(title="Kept title", created_by=editor, picture=before)
    client.force_login(editor)

    response = client.post(
        change_url(article),
        {
            **form_data(article),
            "title": "New title",
            "new_picture": made.upload(made.jpeg_with_gps_rotated()[:600], "cut.jpg"),
            "new_picture_alt": "A cut picture",
        },
    )

    # The text is saved; the picture is refused by the worker, and the desk says why.
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "New title"
    new = article.pending_picture
    assert new.pk != before.pk and new.alt == "A cut picture"
    assert (new.file_state, new.file_error) == ("failed", "This image is damaged or incomplete.")
    assert not new.file and not new.file_upload
    # Readers keep the previous picture, files and all.
    assert article.picture == before
    before.refresh_from_db()
    assert default_storage.exists(before.file.name)
    assert before.file.url in client.get(article.get_absolute_url()).content.decode()
    form = client.get(change_url(article)).content.decode()
    assert "This image is damaged or incomplete." in form


def test_files_over_the_size_limit_are_refused(client, editor, settings):
    settings.ARTICLES_IMAGE_MAX_BYTES = 10_000
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)

    response = post_image(client, article, made.transparent_png() + b"\0" * 20_000, "big.png")

    assert "images may be at most 9.8\xa0KB" in response.content.decode()
    assert Article.objects.get().picture is None
    assert not Picture.objects.exists()


def test_other_picture_formats_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")

    with pytest.raises(ValidationError, match="BMP images are not accepted"):
        images.inspect_upload(made.upload(buffer.getvalue(), "picture.jpg"))


# Accepted and cleaned -----------------------------------------------------------------


def test_phone_photo_is_turned_upright_and_loses_its_location(client, editor):
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)

    response = post_image(client, article, made.jpeg_with_gps_rotated(), "IMG_0001.jpg")

    assert response.status_code == 302
    article.refresh_from_db()
    picture = article.picture
    assert (picture.alt, picture.file_state, picture.uploaded_by) == ("A picture", "ready", editor)
    original = opened(picture.file.name)
    assert original.size == (200, 400)  # orientation applied: now portrait
    top = original.getpixel((100, 50))
    assert top[2] > 150 and top[0] < 100  # the blue half is on top, as the phone saw it
    for name in stored_files(picture):
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
        assert b"Exif" not in data and b"PhoneMaker" not in data, name
        assert not Image.open(io.BytesIO(data)).getexif(), name


def test_cmyk_jpeg_becomes_rgb():
    picture = picture_from(made.upload(made.cmyk_jpeg(), "print.jpg"))

    original = opened(picture.file.name)
    assert original.mode == "RGB"
    red, green, blue = original.getpixel((10, 10))
    assert red > 200 and green < 60 and blue < 60


def test_transparent_png_keeps_its_transparency_everywhere():
    picture = picture_from(made.upload(made.transparent_png(), "logo.png"))

    assert picture.file.name.endswith(".png")
    for name in [picture.file.name] + [s["name"] for s in picture.file_renditions["sources"]]:
        stored = opened(name)
        assert stored.mode == "RGBA", name
        assert stored.getpixel((0, 0))[3] == 0, name


def test_animated_gif_keeps_its_frames():
    picture = picture_from(made.upload(made.animated_gif(), "loop.gif"))

    assert opened(picture.file.name).n_frames == 3
    assert {s["type"] for s in picture.file_renditions["sources"]} == {"image/webp", "image/png"}


def test_a_png_named_jpg_is_stored_as_what_it_is():
    picture = picture_from(made.upload(made.transparent_png(), "mislabelled.jpg"))

    assert picture.file.name.endswith(".png")


# Renditions -------------------------------------------------------------------------


def test_renditions_in_webp_and_the_original_format_plus_a_social_card():
    big = io.BytesIO()
    Image.new("RGB", (2000, 1000), (90, 90, 90)).save(big, "JPEG")
    picture = picture_from(made.upload(big.getvalue(), "wide.jpg"))

    renditions = picture.file_renditions
    widths = sorted({s["width"] for s in renditions["sources"]})
    assert widths == [320, 640, 1024, 1600]
    assert {s["type"] for s in renditions["sources"]} == {"image/webp", "image/jpeg"}
    for source in renditions["sources"]:
        assert opened(source["name"]).size == (source["width"], source["height"])
    assert opened(renditions["social"]["name"]).size == (1200, 630)
    assert (renditions["width"], renditions["height"]) == (2000, 1000)
    assert renditions["focal"] == [0.5, 0.5]


def test_small_pictures_are_not_blown_up():
    picture = picture_from(made.upload(made.cmyk_jpeg(), "small.jpg"))  # 300 px wide

    assert {s["width"] for s in picture.file_renditions["sources"]} == {300}


def test_pages_use_srcset_sizes_and_dimensions(client):
    big = io.BytesIO()
    Image.new("RGB", (1600, 900), (90, 90, 90)).save(big, "JPEG")
    picture = picture_from(made.upload(big.getvalue(), "hall.jpg"), alt="Delegates in Vienna")
    article = ArticleFactory(picture=picture)

    page = client.get(article.get_absolute_url()).content.decode()
    listing = client.get(reverse("articles:article_list")).content.decode()

    assert '<picture class="focus-x50 focus-y50"><source type="image/webp" srcset="' in page
    assert " 640w, " in page and 'sizes="(min-width: 46rem) 46rem, 100vw"' in page
    assert 'width="1600" height="900" alt="Delegates in Vienna" fetchpriority="high"' in page
    assert 'loading="lazy"' not in page.split("story__figure")[1].split("</figure>")[0]
    assert 'alt="Delegates in Vienna" fetchpriority="high"' in listing  # first teaser: eager


def test_replacing_a_picture_removes_the_old_renditions(django_capture_on_commit_callbacks):
    picture = picture_from(made.upload(made.transparent_png(), "first.png"))
    old = [s["name"] for s in picture.file_renditions["sources"]]

    with django_capture_on_commit_callbacks(execute=True):
        picture.file = made.upload(made.cmyk_jpeg(), "second.jpg")
        services.picture_save(picture=picture, by=None)
        picture.refresh_from_db()

    assert picture.file.name.endswith(".jpg")
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(s["name"]) for s in picture.file_renditions["sources"])


def test_deleting_a_picture_removes_its_files(django_capture_on_commit_callbacks):
    picture = picture_from(made.upload(made.cmyk_jpeg(), "gone.jpg"))
    names = stored_files(picture)
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        picture.delete()

    assert not any(default_storage.exists(name) for name in names)


def test_deleting_an_article_leaves_its_library_picture(django_capture_on_commit_callbacks):
    picture = picture_from(made.upload(made.cmyk_jpeg(), "shared.jpg"))
    names = stored_files(picture)
    article, other = ArticleFactory(picture=picture), ArticleFactory(picture=picture)

    with django_capture_on_commit_callbacks(execute=True):
        article.delete()

    assert Picture.objects.filter(pk=picture.pk).exists()
    assert all(default_storage.exists(name) for name in names)
    # Still used by the other article: the library will not let it go.
    with pytest.raises(ProtectedError):
        picture.delete()
    assert all(default_storage.exists(name) for name in names)
    assert Article.objects.get(pk=other.pk).picture == picture


def test_a_new_picture_needs_its_alt_text(client, editor):
    article = ArticleFactory(draft=True, authors=[AuthorFactory()], created_by=editor)
    client.force_login(editor)

    response = client.post(
        change_url(article),
        {
            **form_data(article, _transition="publish"),
            "new_picture": made.upload(made.cmyk_jpeg(), "x.jpg"),
            "new_picture_alt": " ",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Say what the new picture shows" in response.content.decode()
    article.refresh_from_db()
    assert article.picture is None and article.status == "draft"
    assert not Picture.objects.exists()


def test_alt_text_is_required_to_publish_with_a_picture(client, editor):
    article = ArticleFactory(draft=True, authors=[AuthorFactory()], created_by=editor)
    without_alt = picture_from(made.upload(made.cmyk_jpeg(), "x.jpg"), alt="")
    client.force_login(editor)

    response = client.post(
        change_url(article),
        form_data(article, picture=without_alt.pk, _transition="publish"),
        follow=True,
    )

    assert "alt text for the picture" in response.content.decode()
    article.refresh_from_db()
    assert article.picture == without_alt and article.status == "draft"


# Author photos ----------------------------------------------------------------------


def test_author_photos_go_through_the_same_path(client, editor):
    author = AuthorFactory(name="Sara Lindqvist")
    url = reverse("admin:articles_author_change", args=[author.pk])
    client.force_login(editor)

    saved = client.post(
        url,
        author_form_data(
            author,
            bio="Covers energy.",
            new_picture=made.upload(made.jpeg_with_gps_rotated(), "sara.jpg"),
        ),
    )
    refused = client.post(
        url, author_form_data(author, bio="", new_picture=made.upload(made.PHP_SHELL, "sara.png"))
    )

    assert saved.status_code == 302
    author.refresh_from_db()
    photo = author.photo
    # A library picture like any other: cleaned, upright, cut, and described by the name.
    assert (photo.alt, photo.uploaded_by, photo.file_state) == ("Sara Lindqvist", editor, "ready")
    stored = opened(photo.file.name)
    assert not stored.getexif() and stored.size == (200, 400)
    assert {(s["width"], s["height"]) for s in photo.file_renditions["sources"]} == {(200, 400)}
    # A refused upload says why and loses nothing already saved.
    assert refused.status_code == 200
    assert "not a picture we accept" in refused.content.decode()
    assert (author.bio, author.pending_picture) == ("Covers energy.", None)
    assert Picture.objects.count() == 1
    ArticleFactory(authors=[author])
    page = client.get(author.get_absolute_url()).content.decode()
    assert '<picture class="author-card__photo focus-x50 focus-y50">' in page
    assert 'width="200" height="400" alt="Sara Lindqvist"' in page


def test_an_author_photo_upload_keeps_the_alt_text_given(client, editor):
    author = AuthorFactory(name="Sara Lindqvist")
    client.force_login(editor)

    client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        author_form_data(
            author,
            new_picture=made.upload(made.cmyk_jpeg(), "sara.jpg"),
            new_picture_alt="Sara Lindqvist in Vienna",
        ),
    )

    author.refresh_from_db()
    assert author.photo.alt == "Sara Lindqvist in Vienna"


def test_the_author_card_crops_the_photo_around_its_focal_point(client):
    """The card is a 96 px circle cut by the browser (object-fit: cover) from the
    library's renditions, centred on the picture's focal point."""
    portrait = picture_from(made.upload(made.cmyk_jpeg(), "sara.jpg"), alt="Sara in Vienna")
    portrait.focal_x, portrait.focal_y = 0.3, 0.2
    services.picture_save(picture=portrait, by=None)
    author = AuthorFactory(name="Sara Lindqvist", photo=portrait)
    ArticleFactory(authors=[author])

    page = client.get(author.get_absolute_url()).content.decode()

    card = page.split('class="author-card"')[1].split("</picture>")[0]
    assert '<picture class="author-card__photo focus-x30 focus-y20">' in card
    assert 'alt="Sara in Vienna"' in card and 'sizes="96px"' in card


# Found in review -------------------------------------------------------------------


def test_comments_and_colour_profiles_do_not_survive():
    from PIL import ImageCms

    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 200, 10)).save(
        buffer, "JPEG", comment=b"shot at 35.68N 51.38E by source X"
    )
    jpeg = picture_from(made.upload(buffer.getvalue(), "commented.jpg"))
    png_buffer = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (300, 200), (10, 10, 200)).save(png_buffer, "PNG", icc_profile=profile)
    png = picture_from(made.upload(png_buffer.getvalue(), "profiled.png"))

    for name in stored_files(jpeg):
        with default_storage.open(name, "rb") as stored:
            assert b"35.68N" not in stored.read(), name
    for name in [png.file.name] + [s["name"] for s in png.file_renditions["sources"]]:
        assert "icc_profile" not in opened(name).info, name


def test_long_animations_are_refused(settings):
    settings.ARTICLES_IMAGE_MAX_PIXELS = 100_000
    frames = [Image.new("RGB", (100, 100), (n * 4, 0, 0)).convert("P") for n in range(60)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])

    with pytest.raises(ValidationError, match="60 frames"):
        images.inspect_upload(made.upload(buffer.getvalue(), "long.gif"))


def test_multi_picture_jpegs_from_phones_are_accepted():
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (400, 300), "red"), Image.new("RGB", (400, 300), "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    picture = picture_from(made.upload(buffer.getvalue(), "hdr.jpg"))

    assert picture.file.name.endswith(".jpg")
    assert opened(picture.file.name).format == "JPEG"


def test_sixteen_bit_greys_keep_their_tones():
    buffer = io.BytesIO()
    Image.new("I;16", (64, 64), 30000).save(buffer, "PNG")
    picture = picture_from(made.upload(buffer.getvalue(), "scan.png"))

    grey = opened(picture.file.name).convert("L").getpixel((5, 5))
    assert 100 < grey < 140  # 30000/65535 of white, not clipped to 255


def test_transparent_pictures_make_white_social_cards():
    picture = picture_from(made.upload(made.transparent_png(), "logo.png"))

    card = opened(picture.file_renditions["social"]["name"])
    assert card.getpixel((5, 5)) == (255, 255, 255) or min(card.getpixel((5, 5))) > 245


def test_originals_are_kept_at_most_the_configured_size(settings):
    settings.ARTICLES_IMAGE_MAX_SIDE = 700
    big = io.BytesIO()
    Image.new("RGBA", (2000, 1000), (90, 90, 90, 255)).save(big, "PNG")
    picture = picture_from(made.upload(big.getvalue(), "wide.png"))

    stored = opened(picture.file.name)
    assert max(stored.size) <= 700 and stored.mode == "RGBA"
    assert (picture.file_renditions["width"], picture.file_renditions["height"]) == stored.size
    assert {s["width"] for s in picture.file_renditions["sources"]} == {320, 640, stored.width}
