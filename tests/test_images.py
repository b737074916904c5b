import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles import images, services
from articles.models import Article
from tests import images as made
from tests.factories import ArticleFactory, AuthorFactory, change_url, form_data

pytestmark = pytest.mark.django_db


def opened(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


def stored_files(article: Article) -> list[str]:
    renditions = article.image_renditions
    return [article.image.name, renditions["social"]["name"]] + [
        source["name"] for source in renditions["sources"]
    ]


def post_image(client, article, data: bytes, name: str):
    return client.post(
        change_url(article),
        {**form_data(article), "image": made.upload(data, name), "image_alt": "A picture"},
    )


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
    article = ArticleFactory(title="Kept title", created_by=editor)
    article.image.save("before.jpg", made.upload(made.cmyk_jpeg(), "before.jpg"))
    before = article.image.name
    client.force_login(editor)

    response = client.post(
        change_url(article),
        {**form_data(article), "title": "New title", "image": made.upload(data, name)},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.image.name) == ("Kept title", before)
    assert default_storage.exists(before)


def test_a_picture_broken_past_its_header_fails_in_the_background_and_says_why(client, editor):
    article = ArticleFactory(title="Kept title", created_by=editor)
    article.image.save("before.jpg", made.upload(made.cmyk_jpeg(), "before.jpg"))
    before = article.image.name
    client.force_login(editor)

    response = client.post(
        change_url(article),
        {
            **form_data(article),
            "title": "New title",
            "image": made.upload(made.jpeg_with_gps_rotated()[:600], "cut.jpg"),
        },
    )

    # The text is saved; the picture is refused by the worker, and the desk says why.
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.image.name) == ("New title", before)
    assert (article.image_state, article.image_error) == (
        "failed",
        "This image is damaged or incomplete.",
    )
    assert not article.image_upload
    form = client.get(change_url(article)).content.decode()
    assert "This image is damaged or incomplete." in form


def test_files_over_the_size_limit_are_refused(client, editor, settings):
    settings.ARTICLES_IMAGE_MAX_BYTES = 10_000
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)

    response = post_image(client, article, made.transparent_png() + b"\0" * 20_000, "big.png")

    assert "images may be at most 9.8\xa0KB" in response.content.decode()
    assert not Article.objects.get().image


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
    original = opened(article.image.name)
    assert original.size == (200, 400)  # orientation applied: now portrait
    top = original.getpixel((100, 50))
    assert top[2] > 150 and top[0] < 100  # the blue half is on top, as the phone saw it
    for name in stored_files(article):
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
        assert b"Exif" not in data and b"PhoneMaker" not in data, name
        assert not Image.open(io.BytesIO(data)).getexif(), name


def test_cmyk_jpeg_becomes_rgb():
    article = ArticleFactory()
    article.image = made.upload(made.cmyk_jpeg(), "print.jpg")
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    original = opened(article.image.name)
    assert original.mode == "RGB"
    red, green, blue = original.getpixel((10, 10))
    assert red > 200 and green < 60 and blue < 60


def test_transparent_png_keeps_its_transparency_everywhere():
    article = ArticleFactory()
    article.image = made.upload(made.transparent_png(), "logo.png")
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    assert article.image.name.endswith(".png")
    for name in [article.image.name] + [s["name"] for s in article.image_renditions["sources"]]:
        picture = opened(name)
        assert picture.mode == "RGBA", name
        assert picture.getpixel((0, 0))[3] == 0, name


def test_animated_gif_keeps_its_frames():
    article = ArticleFactory()
    article.image = made.upload(made.animated_gif(), "loop.gif")
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    assert opened(article.image.name).n_frames == 3
    assert {s["type"] for s in article.image_renditions["sources"]} == {"image/webp", "image/png"}


def test_a_png_named_jpg_is_stored_as_what_it_is():
    article = ArticleFactory()
    article.image = made.upload(made.transparent_png(), "mislabelled.jpg")
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    assert article.image.name.endswith(".png")


# Renditions -------------------------------------------------------------------------


def test_renditions_in_webp_and_the_original_format_plus_a_social_card():
    article = ArticleFactory()
    big = io.BytesIO()
    Image.new("RGB", (2000, 1000), (90, 90, 90)).save(big, "JPEG")
    article.image = made.upload(big.getvalue(), "wide.jpg")
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    renditions = article.image_renditions
    widths = sorted({s["width"] for s in renditions["sources"]})
    assert widths == [320, 640, 1024, 1600]
    assert {s["type"] for s in renditions["sources"]} == {"image/webp", "image/jpeg"}
    for source in renditions["sources"]:
        assert opened(source["name"]).size == (source["width"], source["height"])
    assert opened(renditions["social"]["name"]).size == (1200, 630)
    assert (renditions["width"], renditions["height"]) == (2000, 1000)


def test_small_pictures_are_not_blown_up():
    article = ArticleFactory()
    article.image = made.upload(made.cmyk_jpeg(), "small.jpg")  # 300 px wide
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    assert {s["width"] for s in article.image_renditions["sources"]} == {300}


def test_pages_use_srcset_sizes_and_dimensions(client):
    article = ArticleFactory(image_alt="Delegates in Vienna")
    big = io.BytesIO()
    Image.new("RGB", (1600, 900), (90, 90, 90)).save(big, "JPEG")
    article.image = made.upload(big.getvalue(), "hall.jpg")
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    page = client.get(article.get_absolute_url()).content.decode()
    listing = client.get(reverse("articles:article_list")).content.decode()

    assert '<source type="image/webp" srcset="' in page
    assert " 640w, " in page and 'sizes="(min-width: 46rem) 46rem, 100vw"' in page
    assert 'width="1600" height="900" alt="Delegates in Vienna" fetchpriority="high"' in page
    assert 'loading="lazy"' not in page.split("story__figure")[1].split("</figure>")[0]
    assert 'alt="Delegates in Vienna" fetchpriority="high"' in listing  # first teaser: eager


def test_replacing_a_picture_removes_the_old_renditions(django_capture_on_commit_callbacks):
    article = ArticleFactory()
    article.image = made.upload(made.transparent_png(), "first.png")
    services.article_save(article=article, by=None)
    article.refresh_from_db()
    old = [s["name"] for s in article.image_renditions["sources"]]

    with django_capture_on_commit_callbacks(execute=True):
        article.image = made.upload(made.cmyk_jpeg(), "second.jpg")
        services.article_save(article=article, by=None)
        article.refresh_from_db()

    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(s["name"]) for s in article.image_renditions["sources"])


def test_deleting_an_article_removes_its_files(django_capture_on_commit_callbacks):
    article = ArticleFactory()
    article.image = made.upload(made.cmyk_jpeg(), "gone.jpg")
    services.article_save(article=article, by=None)
    article.refresh_from_db()
    names = stored_files(article)

    with django_capture_on_commit_callbacks(execute=True):
        article.delete()

    assert not any(default_storage.exists(name) for name in names)


def test_alt_text_is_required_to_publish_with_a_picture(client, editor):
    article = ArticleFactory(draft=True, authors=[AuthorFactory()], created_by=editor)
    client.force_login(editor)

    response = client.post(
        change_url(article),
        {
            **form_data(article, _transition="publish"),
            "image": made.upload(made.cmyk_jpeg(), "x.jpg"),
            "image_alt": "",
        },
        follow=True,
    )

    assert "alt text for the image" in response.content.decode()
    article.refresh_from_db()
    assert article.image and article.status == "draft"


# Author photos ----------------------------------------------------------------------


def test_author_photos_go_through_the_same_path(client, editor):
    author = AuthorFactory(name="Sara Lindqvist")
    client.force_login(editor)

    client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {
            "name": author.name,
            "slug": author.slug,
            "bio": "Covers energy.",
            "photo": made.upload(made.jpeg_with_gps_rotated(), "sara.jpg"),
        },
    )
    refused = client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {
            "name": author.name,
            "slug": author.slug,
            "bio": "",
            "photo": made.upload(made.PHP_SHELL, "sara.png"),
        },
    )

    author.refresh_from_db()
    assert not opened(author.photo.name).getexif()
    assert {(s["width"], s["height"]) for s in author.photo_renditions["sources"]} == {
        (96, 96),
        (192, 192),
        (200, 200),
    }
    assert "not a picture we accept" in refused.content.decode()
    ArticleFactory(authors=[author])
    page = client.get(author.get_absolute_url()).content.decode()
    assert 'width="200" height="200" alt="Sara Lindqvist"' in page


# Found in review -------------------------------------------------------------------


def test_comments_and_colour_profiles_do_not_survive():
    from PIL import ImageCms

    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 200, 10)).save(
        buffer, "JPEG", comment=b"shot at 35.68N 51.38E by source X"
    )
    jpeg = ArticleFactory()
    jpeg.image = made.upload(buffer.getvalue(), "commented.jpg")
    services.article_save(article=jpeg, by=None)
    jpeg.refresh_from_db()
    png_buffer = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (300, 200), (10, 10, 200)).save(png_buffer, "PNG", icc_profile=profile)
    png = ArticleFactory()
    png.image = made.upload(png_buffer.getvalue(), "profiled.png")
    services.article_save(article=png, by=None)
    png.refresh_from_db()

    for name in stored_files(jpeg):
        with default_storage.open(name, "rb") as stored:
            assert b"35.68N" not in stored.read(), name
    for name in [png.image.name] + [s["name"] for s in png.image_renditions["sources"]]:
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
    article = ArticleFactory()
    article.image = made.upload(buffer.getvalue(), "hdr.jpg")
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    assert article.image.name.endswith(".jpg")
    assert opened(article.image.name).format == "JPEG"


def test_sixteen_bit_greys_keep_their_tones():
    buffer = io.BytesIO()
    Image.new("I;16", (64, 64), 30000).save(buffer, "PNG")
    article = ArticleFactory()
    article.image = made.upload(buffer.getvalue(), "scan.png")
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    grey = opened(article.image.name).convert("L").getpixel((5, 5))
    assert 100 < grey < 140  # 30000/65535 of white, not clipped to 255


def test_transparent_pictures_make_white_social_cards():
    article = ArticleFactory()
    article.image = made.upload(made.transparent_png(), "logo.png")
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    card = opened(article.image_renditions["social"]["name"])
    assert card.getpixel((5, 5)) == (255, 255, 255) or min(card.getpixel((5, 5))) > 245


def test_square_renditions_are_sharp_and_not_repeated():
    author = AuthorFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 2250), (120, 60, 30)).save(buffer, "JPEG")
    author.photo = made.upload(buffer.getvalue(), "wide.jpg")
    services.author_save(author=author, by=None)
    author.refresh_from_db()
    panorama = AuthorFactory()
    thin = io.BytesIO()
    Image.new("RGB", (1000, 150), (30, 60, 120)).save(thin, "JPEG")
    panorama.photo = made.upload(thin.getvalue(), "thin.jpg")
    services.author_save(author=panorama, by=None)
    panorama.refresh_from_db()

    assert sorted({s["width"] for s in author.photo_renditions["sources"]}) == [96, 192, 384]
    sides = [s["width"] for s in panorama.photo_renditions["sources"] if s["type"] == "image/webp"]
    assert sorted(sides) == sorted(set(sides)) == [96, 150]


def test_originals_are_kept_at_most_the_configured_size(settings):
    settings.ARTICLES_IMAGE_MAX_SIDE = 700
    article = ArticleFactory()
    big = io.BytesIO()
    Image.new("RGBA", (2000, 1000), (90, 90, 90, 255)).save(big, "PNG")
    article.image = made.upload(big.getvalue(), "wide.png")
    services.article_save(article=article, by=None)
    article.refresh_from_db()

    stored = opened(article.image.name)
    assert max(stored.size) <= 700 and stored.mode == "RGBA"
    assert (article.image_renditions["width"], article.image_renditions["height"]) == stored.size
    assert {s["width"] for s in article.image_renditions["sources"]} == {320, 640, stored.width}
