"""The wire desk's records: the feeds a source publishes, each import's outcome, and what
was imported from where (so nothing comes in twice). The work is in articles.wire."""

from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .articles import Article
from .pages import Source


class SourceFeed(models.Model):
    """An RSS or Atom address of a source, polled by the worker (articles.wire.polling)."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="feeds"
    )
    url = models.URLField(
        _("feed address"),
        max_length=1000,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The address of an RSS or Atom feed (http or https)."),
    )
    is_active = models.BooleanField(
        _("polled"), default=True, help_text=_("Unticked, the worker leaves this feed alone.")
    )
    # Conditional GET: what the feed's server said last time, sent back next time.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    next_poll_at = models.DateTimeField(
        _("next poll"), null=True, blank=True, editable=False, db_index=True
    )
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["source", "url"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        constraints = [models.UniqueConstraint(fields=["url"], name="source_feed_url_unique")]

    def __str__(self) -> str:
        return self.url


class ImportRun(models.Model):
    """One import of one feed or file: what came of it, shown in the desk."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        UNCHANGED = "unchanged", _("Unchanged since the last poll")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="import_runs"
    )
    feed = models.ForeignKey(
        SourceFeed,
        verbose_name=_("feed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
    )
    location = models.CharField(_("address or file"), max_length=1000)
    started_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["imported", "unchanged", "failed"]),
                name="import_run_outcome_valid",
            ),
            # A failed run says why.
            models.CheckConstraint(
                condition=~Q(outcome="failed") | ~Q(error=""), name="import_run_failure_has_error"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} ({self.get_outcome_display()})"


class WireItem(models.Model):
    """An item met in a feed and the article it became.

    It is recognised again by any of three keys (articles.wire.dedup): its GUID
    (within its source), its normalised link (anywhere), or its title and date
    (within its source). The keys are hashes so that long addresses index well.
    The article may be deleted since: the item is still remembered, and not
    imported again.
    """

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="wire_items"
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wire_items",
    )
    guid = models.CharField(_("GUID"), max_length=1000, blank=True)
    link = models.CharField(_("link"), max_length=1000, blank=True)
    # NULL, not "", for "no such key": unique constraints let any number of NULLs by.
    guid_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    link_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    fingerprint = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    # What the item said last time, to tell an update from a repeat.
    content_hash = models.CharField(max_length=64)
    original_published_at = models.DateTimeField(_("original publication time"))
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)

    class Meta:
        ordering = ["-first_seen_at"]
        verbose_name = _("wire item")
        verbose_name_plural = _("wire items")
        constraints = [
            models.UniqueConstraint(fields=["source", "guid_key"], name="wire_item_guid_unique"),
            models.UniqueConstraint(fields=["link_key"], name="wire_item_link_unique"),
            models.UniqueConstraint(
                fields=["source", "fingerprint"], name="wire_item_fingerprint_unique"
            ),
            models.CheckConstraint(
                condition=Q(guid_key__isnull=False)
                | Q(link_key__isnull=False)
                | Q(fingerprint__isnull=False),
                name="wire_item_has_a_key",
            ),
        ]

    def __str__(self) -> str:
        return self.link or self.guid


class WireSchedule(models.Model):
    """The one row that says which chain of polling tasks is the live one and when it
    runs next (articles.wire.polling): a second chain, or a lost one, is told apart."""

    chain = models.CharField(max_length=32, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("polling schedule")
        verbose_name_plural = _("polling schedule")

    def __str__(self) -> str:
        return f"{self.chain} @ {self.next_run_at}"
