"""Load the demo newsroom. Safe to run again: what exists is left as it is."""

import hashlib
import json
import secrets
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles import services
from articles.demo.images import demo_picture, demo_portrait
from articles.models import Article, Author, Section, Source

STORIES = Path(__file__).resolve().parents[2] / "demo" / "stories.json"
DEMO_ACCOUNTS = [("editor", "Editor"), ("reporter", "Reporter")]


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: sections, authors, sources, articles in English and "
        "Persian with pictures, and the accounts 'editor' and 'reporter'. Running it "
        "again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo accounts new passwords and print them.",
        )

    def handle(self, *args, reset_passwords: bool = False, **options):
        try:
            stories = json.loads(STORIES.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the demo stories in {STORIES}: {error}") from error

        with transaction.atomic():
            sections = {item["slug"]: self.load_section(item) for item in stories["sections"]}
            authors = {item["slug"]: self.load_author(item) for item in stories["authors"]}
            sources = {
                item["slug"]: Source.objects.get_or_create(slug=item["slug"], defaults=item)[0]
                for item in stories["sources"]
            }
            created = sum(
                self.load_article(item, sections, authors, sources) for item in stories["articles"]
            )
            logins = self.load_accounts(reset_passwords=reset_passwords, authors=authors)

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom: {len(sections)} sections, {len(authors)} authors, "
                f"{len(sources)} sources, {len(stories['articles'])} articles "
                f"({created} new)."
            )
        )
        self.print_logins(logins)

    def load_section(self, item: dict) -> Section:
        """The section, made once; a section made before it had a Persian name gets one."""
        section, created = Section.objects.get_or_create(slug=item["slug"], defaults=item)
        if not created and not section.name_fa:
            section.name_fa, section.description_fa = item["name_fa"], item["description_fa"]
            section.save(update_fields=["name_fa", "description_fa"])
        return section

    def load_author(self, item: dict) -> Author:
        """The byline, made once, with a portrait from the picture library; a byline
        made before demo authors had photos gets one."""
        author, _created = Author.objects.get_or_create(slug=item["slug"], defaults=item)
        if author.photo_id is None and author.pending_picture_id is None:
            author.photo = services.picture_create(
                upload=ContentFile(demo_portrait(author.name), name=f"demo-{author.slug}.jpg"),
                by=None,
                alt=author.name,
            )
            services.author_save(author=author, by=None)
        return author

    def load_article(self, item: dict, sections: dict, authors: dict, sources: dict) -> bool:
        """Create one demo article unless it exists already; True when created."""
        if Article.objects.filter(title=item["title"], language=item["language"]).exists():
            return False
        status = item["status"]
        publish_at = None
        if status == Article.Status.PUBLISHED:
            publish_at = timezone.now() - timedelta(days=item["days_ago"])
        article = Article(
            title=item["title"],
            summary=item["summary"],
            body=item["body"],
            language=item["language"],
            section=sections[item["section"]],
            source=sources.get(item.get("source") or ""),
            source_url=item.get("source_url", ""),
            is_featured=item.get("is_featured", False),
            status=status,
            publish_at=publish_at,
        )
        article.picture = services.picture_create(
            upload=ContentFile(
                demo_picture(item["title"]),
                name=f"demo-{hashlib.sha256(item['title'].encode()).hexdigest()[:10]}.jpg",
            ),
            by=None,
            alt=item.get("image_alt", ""),
            caption=item.get("image_caption", ""),
            credit=item.get("image_credit", ""),
        )
        services.article_save(article=article, by=None, tags=item["tags"])
        # The demo says when things happened; auto_now would make every story "updated".
        # A scheduled story was last edited now, not at its future publication time.
        when = min(publish_at or timezone.now(), timezone.now())
        Article.objects.filter(pk=article.pk).update(created_at=when, updated_at=when)
        article.authors.set([authors[slug] for slug in item["authors"]])
        return True

    def load_accounts(
        self, *, reset_passwords: bool, authors: dict
    ) -> list[tuple[str, str | None]]:
        """Make the demo accounts; a password is returned only when one was set now."""
        User = get_user_model()
        logins = []
        for username, role in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"is_staff": True, "first_name": role, "email": f"{username}@example.com"},
            )
            password = None
            if created or reset_passwords:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            logins.append((username, password))
        # The reporter writes under the first byline, so "my articles" means something.
        reporter = User.objects.get(username="reporter")
        first_author = next(iter(authors.values()), None)
        if first_author and first_author.user_id is None and not hasattr(reporter, "author"):
            first_author.user = reporter
            first_author.save(update_fields=["user"])
        return logins

    def print_logins(self, logins: list[tuple[str, str | None]]) -> None:
        self.stdout.write("\nDemo logins for /admin/:")
        for username, password in logins:
            if password:
                self.stdout.write(f"  {username:<10} {password}")
            else:
                self.stdout.write(f"  {username:<10} (password unchanged since the first load)")
        if not all(password for _, password in logins):
            self.stdout.write("  New passwords: python manage.py load_demo --reset-passwords")
