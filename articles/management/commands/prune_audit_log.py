"""Delete audit entries older than ARTICLES_AUDIT_DAYS (run it daily)."""

from django.core.management.base import BaseCommand, CommandError

from articles import audit


class Command(BaseCommand):
    help = "Delete audit log entries older than the retention time (DJANGO_ARTICLES_AUDIT_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Keep this many days instead.")

    def handle(self, *args, days: int | None = None, **options):
        if days is not None and days < 0:
            raise CommandError("--days cannot be negative.")
        deleted = audit.prune(older_than_days=days)
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} audit entries."))
