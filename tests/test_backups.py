"""The demo newsroom survives `manage.py backup`, a lost database and media, and
`manage.py restore`, with nothing missing."""

import hashlib
import io
import re
import tarfile

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db.models import Model
from reversion.models import Version

from articles import backups, services
from articles.models import (
    Article,
    ArticleRedirect,
    AuditEntry,
    Author,
    Picture,
    PreviewLink,
    Tag,
    TagRedirect,
)
from tests import images as made
from tests.factories import ArticleFactory, picture_from, signs_in

pytestmark = pytest.mark.django_db


def files(storage_name: str) -> dict[str, str]:
    """Every stored file and a digest of its bytes."""
    storage = storages[storage_name]
    found = {}

    def walk(folder: str) -> None:
        folders, names = storage.listdir(folder)
        for name in names:
            path = f"{folder}/{name}" if folder else name
            with storage.open(path, "rb") as stored:
                found[path] = hashlib.sha256(stored.read()).hexdigest()
        for sub in folders:
            walk(f"{folder}/{sub}" if folder else sub)

    walk("")
    return found


def rows(model: type[Model], *fields: str) -> list[tuple]:
    return sorted(model._default_manager.values_list(*fields))


def snapshot() -> dict:
    """What a newsroom holds, as plain values."""
    return {
        "articles": rows(
            Article,
            "pk",
            "title",
            "slug",
            "status",
            "body",
            "summary",
            "language",
            "publish_at",
            "section__slug",
            "source__name",
            "source_url",
            "picture_id",
            "social_picture_id",
            "version",
            "trashed_at",
            "created_by__username",
        ),  # fmt: skip
        "pictures": rows(
            Picture,
            "pk",
            "file",
            "file_renditions",
            "file_state",
            "alt",
            "caption",
            "credit",
            "focal_x",
            "focal_y",
            "uploaded_by__username",
        ),
        "bylines": rows(Article.authors.through, "article_id", "author__slug"),
        "tagging": rows(Article.tags.through, "content_object_id", "tag__name"),
        "tags": rows(Tag, "pk", "name", "slug", "approved", "description"),
        "authors": rows(Author, "slug", "name", "photo_id", "pending_picture_id"),
        "redirects": rows(ArticleRedirect, "old_slug", "article_id"),
        "tag_redirects": rows(TagRedirect, "old_slug", "tag_id"),
        "revisions": rows(
            Version, "object_id", "content_type__model", "serialized_data", "revision__user_id"
        ),
        "users": rows(get_user_model(), "username", "password", "is_staff", "groups__name"),
        "previews": rows(PreviewLink, "token_sha256", "article_id", "expires_at", "revoked_at"),
        "audit": rows(AuditEntry, "action", "actor_id", "object_repr", "created_at"),
        "media": files("default"),
    }


@pytest.fixture
def newsroom(tmp_path):
    """The demo newsroom, after a day's work: a renamed story, a revision, the trash."""
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    logins = dict(re.findall(r"^\s+(editor|reporter)\s+(\S+)$", output.getvalue(), re.M))
    editor = get_user_model().objects.get(username="editor")
    story = Article.objects.published().order_by("pk").first()
    with reversion.create_revision():
        reversion.set_user(editor)
        previous = story.slug
        story.title, story.slug = "Talks resume in Vienna", "talks-resume-in-vienna"
        services.article_save(article=story, by=editor, previous_slug=previous)
    services.article_trash(
        article=Article.objects.filter(status="draft").order_by("pk").first(), by=editor
    )
    return {"logins": logins, "story": story, "old_slug": previous}


@pytest.fixture
def small_newsroom():
    """Two stories, one with its picture: enough for what is not about the demo."""
    ArticleFactory(picture=picture_from(made.upload(made.cmyk_jpeg(), "hall.jpg"), alt="A hall"))
    ArticleFactory()


@pytest.fixture
def forget_content_types():
    """The test's transaction is rolled back, content types made by the restore
    included: this process must not remember their ids."""
    yield
    ContentType.objects.clear_cache()


def lose_everything() -> None:
    backups._flush()  # every row gone, as from a lost database
    for storage_name in ("default", "pending"):
        storage = storages[storage_name]
        for name in files(storage_name):
            storage.delete(name)
    assert not Article.objects.exists() and not files("default")


def test_the_demo_newsroom_survives_a_backup_and_a_restore(
    client, newsroom, tmp_path, forget_content_types
):
    before = snapshot()
    assert before["media"] and before["revisions"] and before["redirects"]
    assert before["tag_redirects"] or before["tags"]

    backup = str(tmp_path / "newsroom.tar.gz")
    call_command("backup", backup, stdout=io.StringIO())
    lose_everything()
    call_command("restore", backup, interactive=False, stdout=io.StringIO())

    assert snapshot() == before
    # And it works as a newsroom: old addresses, pictures, search, sign-in.
    story = Article.objects.get(pk=newsroom["story"].pk)
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200 and "<picture" in page.content.decode()
    assert client.get(f"/news/{newsroom['old_slug']}/").url == story.get_absolute_url()
    found = client.get("/search/", {"q": "Vienna"})
    assert story in found.context["object_list"]
    assert signs_in(client, "editor", newsroom["logins"]["editor"])


def test_a_backup_is_one_file_in_a_named_folder(tmp_path, small_newsroom):
    out = io.StringIO()
    call_command("backup", str(tmp_path), stdout=out)

    [made] = tmp_path.glob("newsroom-*.tar.gz")
    assert f"to {made}" in out.getvalue()
    assert made.stat().st_mode & 0o777 == 0o600  # password hashes and 2FA keys inside
    with tarfile.open(made) as archive:
        names = archive.getnames()
    assert {"manifest.json", "data.json"} <= set(names)
    assert any(name.startswith("media/pictures/") for name in names)
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(made))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a backup at all", "is not a Newsroom backup"),
        (None, "outside its folders"),
    ],
)
def test_a_bad_backup_file_changes_nothing(tmp_path, small_newsroom, content, message):
    bad = tmp_path / "bad.tar.gz"
    if content is not None:
        bad.write_bytes(content)
    else:  # a real backup with a file that climbs out of the media folder
        call_command("backup", str(tmp_path / "good.tar.gz"), stdout=io.StringIO())
        with tarfile.open(tmp_path / "good.tar.gz") as good, tarfile.open(bad, "w:gz") as out:
            for member in good.getmembers():
                out.addfile(member, good.extractfile(member))
            evil = tarfile.TarInfo("media/../../evil.txt")
            evil.size = 4
            out.addfile(evil, io.BytesIO(b"evil"))
    before = snapshot()

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad), interactive=False)

    assert snapshot() == before


def test_restore_asks_before_replacing_anything(tmp_path, small_newsroom, monkeypatch):
    call_command("backup", str(tmp_path / "b.tar.gz"), stdout=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    count = Article.objects.count()

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(tmp_path / "b.tar.gz"))

    assert Article.objects.count() == count


def test_a_newsroom_with_no_upload_waiting_backs_up(tmp_path, small_newsroom, settings):
    """The pending folder is made by the first upload; before that it is not there."""
    settings.STORAGES = {
        **settings.STORAGES,
        "pending": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "never-made"},
        },
    }

    call_command("backup", str(tmp_path / "b.tar.gz"), stdout=io.StringIO())

    assert backups.read_manifest(tmp_path / "b.tar.gz").articles == 2


def test_a_backup_that_fails_half_way_leaves_nothing_behind(tmp_path, small_newsroom, monkeypatch):
    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_add_file", disk_full)

    with pytest.raises(CommandError, match="No space left on device"):
        call_command("backup", str(tmp_path / "b.tar.gz"))

    assert list(tmp_path.iterdir()) == []
