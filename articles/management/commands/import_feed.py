"""Import an RSS or Atom feed, from an address or a file, into the wire desk."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.models import ImportRun, Source
from articles.wire import fetching, importing

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import a feed's items as articles of a source: into review, or published for "
        "a trusted source. Items already imported are recognised and not imported twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("location", help="The feed's http(s) address, or a file.")
        parser.add_argument(
            "--source", required=True, help="The slug of the source the items come from."
        )

    def handle(self, *args, location: str, source: str, **options):
        found = Source.objects.filter(slug=source).first()
        if found is None:
            known = ", ".join(Source.objects.values_list("slug", flat=True)[:20]) or "none yet"
            raise CommandError(f"There is no source “{source}” (sources: {known}).")
        feed = found.feeds.filter(url=location).first()
        content = self.read(found, location, feed)
        self.show_progress = options["verbosity"] > 0
        run = importing.feed_import(
            source=found, content=content, location=location, feed=feed, progress=self.progress
        )
        if run.outcome == ImportRun.Outcome.FAILED:
            raise CommandError(f"Nothing was imported from {location}: {run.error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{location}: {run.new} new, {run.updated} updated, {run.skipped} skipped, "
                f"{run.failed} failed."
            )
        )

    def read(self, source: Source, location: str, feed) -> bytes:
        if "://" in location:
            try:
                fetched = fetching.fetch(location)
            except fetching.FetchError as error:
                importing.run_record_failure(
                    source=source, feed=feed, location=location, error=str(error)
                )
                raise CommandError(f"{location} could not be read: {error}") from error
            return fetched.content
        path = Path(location)
        if not path.is_file():
            raise CommandError(f"There is no file {location}.")
        if path.stat().st_size > settings.ARTICLES_WIRE_MAX_BYTES:
            raise CommandError(
                f"{location} is larger than {settings.ARTICLES_WIRE_MAX_BYTES} bytes "
                "(DJANGO_ARTICLES_WIRE_MAX_BYTES)."
            )
        try:
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"{location} could not be read: {error}") from error

    def progress(self, done: int, total: int) -> None:
        """A bar on the terminal: [#####-----] 250/500."""
        if not self.show_progress or not total:
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending="\n" if done == total else "")
        self.stdout.flush()
