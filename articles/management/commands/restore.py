"""Replace the newsroom with a backup made by `manage.py backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles import backups


class Command(BaseCommand):
    help = (
        "Replace everything in the database and the media storage with a backup made "
        "by `manage.py backup`. Run `manage.py migrate` first on a new database."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The .tar.gz file `manage.py backup` wrote.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, source: str, interactive: bool = True, **options):
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"There is no backup file {path}.")
        try:
            manifest = backups.read_manifest(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        database = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"This replaces everything in {database} and in the media storage with "
                f"the backup of {manifest.created_at} ({manifest.articles} articles, "
                f"{manifest.files} files). Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was changed.")
        try:
            backups.restore(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {manifest.articles} articles and {manifest.files} files from {path}."
            )
        )
