"""Index every article again: after a bulk import, or a change to how text is folded."""

from django.core.management.base import BaseCommand

from articles import search


class Command(BaseCommand):
    help = "Rebuild the full-text search index of all articles."

    def handle(self, *args, **options):
        count = search.rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} articles."))
