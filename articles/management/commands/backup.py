"""Write the whole newsroom (database rows, pictures, waiting uploads) to one file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles import backups


class Command(BaseCommand):
    help = (
        "Back up the database and the media storage to one .tar.gz file, which "
        "`manage.py restore` loads into SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            nargs="?",
            help="A file, or a folder to put newsroom-YYYYmmdd-HHMMSS.tar.gz in "
            "(default: the current folder).",
        )

    def handle(self, *args, destination: str | None = None, **options):
        target = Path(destination or ".")
        if target.is_dir():
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            target = target / f"newsroom-{stamp}.tar.gz"
        if not target.parent.is_dir():
            raise CommandError(f"There is no folder {target.parent} to write the backup in.")
        if target.exists():
            raise CommandError(f"{target} exists already; name another file.")
        try:
            manifest = backups.create(target)
        except OSError as error:
            raise CommandError(f"The backup could not be written: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {manifest.articles} articles and {manifest.files} files to {target}."
            )
        )
