import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import factory
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Article, Author, Picture, Section, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(int)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Source {n}")
    homepage = factory.Sequence(lambda n: f"https://source-{n}.example/")


class PictureFactory(factory.django.DjangoModelFactory):
    """A library picture's record; with no file unless given one (`file=` a stored name,
    or use `picture_from` for an upload that goes through the worker)."""

    class Meta:
        model = Picture

    alt = factory.Sequence(lambda n: f"What picture {n} shows")


def picture_from(upload, *, by=None, alt: str = "A picture", **fields) -> Picture:
    """A library picture from an upload, as the desk makes one: set aside, then cleaned
    and cut by the worker (at once in the tests); read back from the database."""
    from articles import services

    picture = services.picture_create(upload=upload, by=by, alt=alt, **fields)
    picture.refresh_from_db()
    return picture


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article from an hour ago unless told otherwise."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Story number {n}")
    summary = "A short summary of the story."
    body = "<p>First paragraph.</p><blockquote><p>A quotation.</p></blockquote>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None)
        in_review = factory.Trait(status=Article.Status.REVIEW, publish_at=None)
        archived = factory.Trait(status=Article.Status.ARCHIVED)
        scheduled = factory.Trait(
            publish_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )
        persian = factory.Trait(
            language=Article.Language.PERSIAN,
            title=factory.Sequence(lambda n: f"خبر شماره {n} دربارهٔ برجام"),
        )

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        # What articles.services.article_save does last; `indexed=False` leaves it out.
        if create and extracted is not False:
            search.index_article(self)


# What the desk's article form posts ------------------------------------------------


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article: Article, **overrides) -> dict:
    """What the change form posts back for this article, with some fields changed."""
    local = timezone.localtime(article.publish_at) if article.publish_at else None
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "language": article.language,
        "edit_version": article.version,
        "section": article.section_id,
        "authors": [a.pk for a in article.authors.all()],
        "tags": ", ".join(t.name for t in article.tags.all()),
        "publish_at_0": local.strftime("%Y-%m-%d") if local else "",
        "publish_at_1": local.strftime("%H:%M:%S") if local else "",
        "source": article.source_id or "",
        "source_url": article.source_url,
        "translation": article.translation_id or "",
        "picture": article.picture_id or "",
        "new_picture_alt": "",
        "new_picture_caption": "",
        "new_picture_credit": "",
        "seo_title": article.seo_title,
        "meta_description": article.meta_description,
        "social_picture": article.social_picture_id or "",
    }
    if article.is_featured:
        data["is_featured"] = "on"
    if article.noindex:
        data["noindex"] = "on"
    data.update(overrides)
    return data


# Many articles at once --------------------------------------------------------------


def bulk_articles(count: int, *, sections, authors, tags, start: int = 0) -> list[Article]:
    """`count` published articles in bulk (no save(), no signals), each with a byline and
    two tags, an hour apart: for tests of what grows with the archive."""
    from articles.models import TaggedArticle

    now = timezone.now()
    rows = [
        Article(
            title=f"Bulk story {start + n}",
            slug=f"bulk-story-{start + n}",
            summary="A summary.",
            body="<p>Body.</p>",
            section=sections[n % len(sections)],
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(hours=start + n + 1),
            is_featured=(start + n) % 50 == 0,
        )
        for n in range(count)
    ]
    created = Article.objects.bulk_create(rows, batch_size=500)
    through = Article.authors.through
    through.objects.bulk_create(
        [
            through(article_id=a.pk, author_id=authors[i % len(authors)].pk)
            for i, a in enumerate(created)
        ],
        batch_size=500,
    )
    TaggedArticle.objects.bulk_create(
        [
            TaggedArticle(content_object_id=a.pk, tag_id=tags[(i + k) % len(tags)].pk)
            for i, a in enumerate(created)
            for k in range(2)
        ],
        batch_size=500,
    )
    return created


def article_form(**overrides) -> dict:
    section = overrides.pop("section", None) or SectionFactory()
    author = AuthorFactory()
    data = {
        "title": "Talks resume in Vienna",
        "slug": "",
        "summary": "Negotiators meet again.",
        "body": "<p>Body</p><script>alert(1)</script>",
        "language": "en",
        "section": section.pk,
        "authors": [author.pk],
        "tags": "JCPOA, Iran",
        "publish_at_0": "",
        "publish_at_1": "",
        "source_url": "",
        "picture": "",
        "new_picture_alt": "",
        "new_picture_caption": "",
        "new_picture_credit": "",
        "seo_title": "",
        "meta_description": "",
        "social_picture": "",
    }
    data.update(overrides)
    return data


def signs_in(client, username: str, password: str) -> bool:
    """Through the desk's sign-in form, as a person would (and as django-axes watches)."""
    client.logout()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    return response.status_code == 302 and client.get("/admin/").status_code == 200


ROOT = Path(__file__).resolve().parent.parent
# The README's production variables, for `manage` below.
PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz-XYZ",
    "DJANGO_ALLOWED_HOSTS": "news.example.com",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "on",
    "DJANGO_SECURE_HSTS_PRELOAD": "on",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`python manage.py …` in a process of its own, with exactly this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        # No .env either: each test states the whole environment it runs in.
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_ENV_FILE": os.devnull,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


# The browser suite ----------------------------------------------------------------------


def sign_in(page, live_server, username: str) -> None:
    """Sign in to the desk in a real browser, as a UserFactory user."""
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")


# What the desk's author form posts ---------------------------------------------------


def author_form_data(author: Author, **overrides) -> dict:
    """What the author's change form posts back, with some fields changed."""
    data = {
        "name": author.name,
        "slug": author.slug,
        "bio": author.bio,
        "user": author.user_id or "",
        "photo": author.photo_id or "",
        "new_picture_alt": "",
    }
    data.update(overrides)
    return data


# The wire desk ------------------------------------------------------------------------

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"


def feed_fixture(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


class FeedServer:
    """A small web server on 127.0.0.1 serving feeds, pictures and redirects, counting
    what it is asked. `routes[path] = (status, headers, body)`; a route with an ETag
    answers 304 to a request that sends it back."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        server = self
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.requests: list[tuple[str, dict]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server name
                server.requests.append((self.path, dict(self.headers)))
                status, headers, body = server.routes.get(self.path, (404, {}, b"not here"))
                etag = headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def serve(self, path: str, body: bytes, *, status: int = 200, **headers: str) -> str:
        headers = {key.replace("_", "-"): value for key, value in headers.items()}
        headers.setdefault("Content-Type", "application/rss+xml")
        self.routes[path] = (status, headers, body)
        return self.url(path)

    def redirect(self, path: str, to: str, *, status: int = 302) -> str:
        self.routes[path] = (status, {"Location": to}, b"")
        return self.url(path)

    def asked(self, path: str) -> int:
        return sum(1 for asked, _headers in self.requests if asked == path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
