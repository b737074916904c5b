"""Library pictures placed inside an article's body."""

import re

import pytest
from django.db.models import ProtectedError

from articles import services
from articles.models import BodyPicture
from articles.sanitize import clean_html
from tests import images as made
from tests.factories import ArticleFactory, UserFactory, change_url, form_data, picture_from

pytestmark = pytest.mark.django_db


def placed(picture_id: int, *, alt: str = "Flags in the hall", caption: str = "") -> str:
    figure = f'<figure data-picture="{picture_id}"><img src="/anything.jpg" alt="{alt}">'
    return figure + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>"


@pytest.fixture
def picture():
    return picture_from(
        made.upload(made.cmyk_jpeg(), "hall.jpg"), alt="Library alt", credit="Agency"
    )


def test_the_body_keeps_a_library_figure_and_no_other_image():
    body = (
        "<p>Before.</p>"
        '<figure data-picture="7" class="x" style="y"><img src="/m/a.jpg" alt="Hall" '
        'onerror="alert(1)" width="9"><figcaption>The <em>hall</em></figcaption></figure>'
        '<p><img src="https://tracker.example/pixel.gif" alt=""></p>'
        "<figure><figcaption>Loose caption</figcaption></figure>"
    )
    assert clean_html(body) == (
        '<p>Before.</p><figure data-picture="7"><img src="/m/a.jpg" alt="Hall">'
        "<figcaption>The hall</figcaption></figure><p></p><p>Loose caption</p>"
    )


def test_saving_records_the_pictures_the_body_shows(editor, picture):
    article = ArticleFactory(body="<p>x</p>")
    article.body = "<p>x</p>" + placed(picture.pk) + placed(999_999)
    services.article_save(article=article, by=editor)
    assert list(BodyPicture.objects.values_list("article_id", "picture_id")) == [
        (article.pk, picture.pk)
    ]
    article.body = "<p>No pictures now.</p>"
    services.article_save(article=article, by=editor)
    assert not BodyPicture.objects.exists()


def test_a_picture_shown_in_a_body_cannot_be_deleted(client, editor, picture):
    article = ArticleFactory(title="Vienna diary")
    article.body = placed(picture.pk)
    services.article_save(article=article, by=editor)
    with pytest.raises(ProtectedError):
        picture.delete()
    client.force_login(editor)
    page = client.get(f"/admin/articles/picture/{picture.pk}/delete/").content.decode()
    assert "Vienna diary" in page


def test_readers_see_a_responsive_picture_with_this_places_alt_and_caption(client, editor, picture):
    article = ArticleFactory(body="<p>Before.</p>")
    article.body = "<p>Before.</p>" + placed(picture.pk, alt="Flags in the hall", caption="Day one")
    services.article_save(article=article, by=editor)

    html = client.get(article.get_absolute_url()).content.decode()
    figure = re.search(
        r'<figure class="story__figure story__figure--inline">.*?</figure>', html, re.S
    )
    assert figure, "the body's picture is missing"
    figure = figure.group(0)
    assert "<picture" in figure and 'srcset="' in figure
    assert 'alt="Flags in the hall"' in figure and "Library alt" not in figure
    assert '<span class="caption">Day one</span>' in figure
    assert '<span class="credit">Agency</span>' in figure
    assert "/anything.jpg" not in html  # whatever src was stored, the library's is shown


def test_a_body_picture_gone_or_not_ready_is_left_out(client, editor):
    article = ArticleFactory(body=placed(424242) + "<p>Text stays.</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Text stays." in html and "story__figure--inline" not in html


def test_the_editor_offers_ready_library_pictures(client, reporter, picture):
    picture_from(made.upload(made.cmyk_jpeg(), "red.jpg"), alt="A red square")
    client.force_login(reporter)
    url = "/admin/articles/article/pictures/choose/"
    results = client.get(url, {"q": "library"}).json()["results"]
    assert [r["alt"] for r in results] == ["Library alt"]
    assert "/renditions/" in results[0]["thumbnail"] and results[0]["credit"] == "Agency"
    assert len(client.get(url).json()["results"]) == 2

    nobody = UserFactory(username="no-role", is_staff=True)
    client.force_login(nobody)
    assert client.get(url).status_code == 403


def test_a_desk_save_of_the_form_keeps_the_body_picture(client, editor, picture):
    article = ArticleFactory(draft=True)
    client.force_login(editor)
    client.post(change_url(article), form_data(article, body="<p>x</p>" + placed(picture.pk)))
    article.refresh_from_db()
    assert f'<figure data-picture="{picture.pk}">' in article.body
    assert BodyPicture.objects.filter(article=article, picture=picture).exists()


def test_a_body_picture_never_stores_another_sites_address():
    stored = clean_html(
        '<figure data-picture="3"><img src="https://tracker.example/x.gif" alt="a"></figure>'
        '<figure data-picture="4"><img src="//tracker.example/x.gif" alt="b"></figure>'
        '<figure data-picture="5"><img src="/media/pictures/renditions/p-320w.webp" alt="c">'
        "</figure>"
    )
    assert "tracker" not in stored
    assert 'src="/media/pictures/renditions/p-320w.webp"' in stored
