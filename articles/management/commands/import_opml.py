"""Create sources and their feeds from an OPML file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Section, Source
from articles.wire import opml


class Command(BaseCommand):
    help = "Create a source for each feed an OPML file lists (feeds already known are kept)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The OPML file.")
        parser.add_argument("--section", help="The slug of the new sources' default section.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Trust the new sources: their stories are published without review.",
        )

    def handle(self, *args, file: str, section: str | None, publish: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        default_section = None
        if section:
            default_section = Section.objects.filter(slug=section).first()
            if default_section is None:
                raise CommandError(f"There is no section “{section}”.")
        policy = Source.ImportPolicy.PUBLISH if publish else Source.ImportPolicy.REVIEW
        try:
            result = opml.opml_import(
                content=path.read_bytes(), by=None, section=default_section, policy=policy
            )
        except opml.OpmlError as error:
            raise CommandError(" ".join(error.messages)) from error
        except OSError as error:
            raise CommandError(f"{file} could not be read: {error}") from error
        for refused in result.refused:
            self.stderr.write(f"Not a usable feed address, skipped: {refused}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.sources_created)} new sources, {result.feeds_created} new feeds, "
                f"{result.feeds_known} feeds already known."
            )
        )
