"""Delete for good the articles in the trash longer than ARTICLES_TRASH_DAYS (run it daily)."""

from django.core.management.base import BaseCommand, CommandError

from articles import services


class Command(BaseCommand):
    help = (
        "Delete for good the articles that have been in the trash "
        "longer than DJANGO_ARTICLES_TRASH_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Purge what is older than this instead.")

    def handle(self, *args, days: int | None = None, **options):
        if days is not None and days < 0:
            raise CommandError("--days cannot be negative.")
        purged = services.trash_purge(older_than_days=days)
        self.stdout.write(self.style.SUCCESS(f"Purged {purged} articles from the trash."))
