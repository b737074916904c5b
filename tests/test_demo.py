import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Author, Picture, Section, Source, Tag
from tests.factories import signs_in

pytestmark = pytest.mark.django_db


def load_demo(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "articles": sorted(
            Article.objects.values_list(
                "slug", "status", "publish_at", "updated_at", "picture_id", "picture__file"
            )
        ),
        "pictures": sorted(Picture.objects.values_list("pk", "file", "alt", "credit")),
        "sections": Section.objects.count(),
        "authors": sorted(Author.objects.values_list("slug", "photo_id", "photo__file")),
        "sources": Source.objects.count(),
        "tags": sorted(Tag.objects.values_list("name", flat=True)),
        "tagged": sorted(Article.tags.through.objects.values_list("content_object_id", "tag_id")),
        "passwords": sorted(get_user_model().objects.values_list("username", "password")),
    }


def test_demo_newsroom_is_loaded_once_and_left_alone_after(client):
    first_output = load_demo()
    first = snapshot()

    articles = Article.objects.all()
    assert articles.count() >= 40
    assert articles.filter(language="en").count() >= 15
    assert articles.filter(language="fa").count() >= 15
    assert articles.filter(status="draft").exists()
    scheduled = articles.filter(status="published", publish_at__gt=timezone.now())
    assert scheduled.exists()
    assert not any(a in Article.objects.published() for a in scheduled)
    assert first["sections"] >= 4 and len(first["authors"]) >= 4 and first["sources"] >= 2
    assert len(first["tags"]) >= 10
    assert articles.exclude(source=None).exclude(source_url="").exists()
    assert all(
        article.picture and article.picture.file and article.picture.alt for article in articles
    )
    assert all(article.authors.exists() for article in articles)
    # Every byline has a portrait from the library, described by the name.
    authors = Author.objects.select_related("photo")
    assert all(a.photo and a.photo.file and a.photo.alt == a.name for a in authors)

    # The printed logins work.
    logins = dict(re.findall(r"^\s+(editor|reporter)\s+(\S+)$", first_output, re.MULTILINE))
    assert set(logins) == {"editor", "reporter"}
    for username, password in logins.items():
        assert signs_in(client, username, password)
    user = get_user_model().objects.get(username="editor")
    assert user.groups.filter(name="Editor").exists()
    assert get_user_model().objects.get(username="reporter").groups.filter(name="Reporter").exists()

    second_output = load_demo()

    assert snapshot() == first
    assert "(0 new)" in second_output
    assert "password unchanged" in second_output

    # Pictures were cut into renditions for phones and for social cards.
    assert all(
        a.picture.file_renditions.get("sources") and a.picture.file_renditions.get("social")
        for a in articles
    )

    # The demo's pages are served, Persian ones included.
    published = Article.objects.published()
    assert client.get("/").status_code == 200
    for article in published.filter(language="fa")[:3]:
        assert client.get(article.get_absolute_url()).status_code == 200
    author = Author.objects.filter(articles__in=published).first()
    assert 'class="author-card__photo' in client.get(author.get_absolute_url()).content.decode()
    for tag in Tag.objects.filter(tagged_articles__content_object__in=published)[:3]:
        assert client.get(tag.get_absolute_url()).status_code == 200

    # Forgotten passwords can be replaced.
    reset = load_demo("--reset-passwords")
    logins = dict(re.findall(r"^\s+(editor|reporter)\s+(\S+)$", reset, re.MULTILINE))
    assert signs_in(client, "editor", logins["editor"])
