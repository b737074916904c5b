"""The wire desk in the admin: sources with their feeds and how their last imports went,
"Poll now", the import log, and adding many sources from an OPML file."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..dates import format_datetime
from ..models import ImportRun, Section, Source, SourceFeed
from ..wire import opml, polling
from .base import NewsroomAdmin, ReadOnlyAdminMixin

RECENT_RUNS = 10


def run_summary(run: ImportRun | None) -> str:
    """ "10 Jun 2025 08:30 — 3 new, 1 updated, 0 skipped, 0 failed", or why it failed."""
    if run is None:
        return _("Not imported yet")
    when = format_datetime(run.started_at, "desk")
    if run.outcome == ImportRun.Outcome.FAILED:
        return format_html('{} — <strong class="errornote">{}</strong>', when, run.error)
    if run.outcome == ImportRun.Outcome.UNCHANGED:
        return format_html("{} — {}", when, _("unchanged"))
    return format_html(
        "{} — {}",
        when,
        _("%(new)d new, %(updated)d updated, %(skipped)d skipped, %(failed)d failed")
        % {"new": run.new, "updated": run.updated, "skipped": run.skipped, "failed": run.failed},
    )


def wire_origin(article) -> str:
    """Where an imported story came from, and when its source first published it."""
    item = article.wire_items.select_related("source").first() if article.pk else None
    if item is None:
        return _("Not imported from a feed")
    return format_html(
        "{}<br><small>{}</small>",
        _("Imported from %(source)s on %(imported)s; first published there at %(original)s.")
        % {
            "source": item.source.name,
            "imported": format_datetime(item.first_seen_at, "desk"),
            "original": format_datetime(item.original_published_at, "desk"),
        },
        item.link or item.guid,
    )


class SourceFeedInline(admin.TabularInline):
    model = SourceFeed
    formfield_overrides = NewsroomAdmin.formfield_overrides
    fields = ["url", "is_active", "last_polled_at", "next_poll_at", "last_run"]
    readonly_fields = ["last_polled_at", "next_poll_at", "last_run"]
    extra = 1

    @admin.display(description=gettext_lazy("last import"))
    def last_run(self, feed: SourceFeed) -> str:
        if feed.pk is None:
            return "—"
        return run_summary(feed.runs.order_by("-started_at", "-pk").first())


class OpmlForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("OPML file"),
        help_text=gettext_lazy("The list of feeds a feed reader exports (at most 1 MB)."),
    )
    section = forms.ModelChoiceField(
        label=gettext_lazy("Default section of new sources"),
        queryset=Section.objects.all(),
        required=False,
    )
    import_policy = forms.ChoiceField(
        label=gettext_lazy("Import policy of new sources"),
        choices=Source.ImportPolicy.choices,
        initial=Source.ImportPolicy.REVIEW,
    )


@admin.register(Source)
class SourceAdmin(NewsroomAdmin):
    change_list_template = "admin/articles/source/change_list.html"
    list_display = ["name", "slug", "import_policy", "poll_minutes", "feed_count", "last_import"]
    list_filter = ["import_policy"]
    search_fields = ["name", "homepage", "feeds__url"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SourceFeedInline]
    readonly_fields = ["recent_imports"]
    actions = ["poll_now"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "homepage"]}),
        (
            gettext_lazy("Wire desk"),
            {
                "fields": [
                    "poll_minutes",
                    "default_section",
                    "default_language",
                    "import_policy",
                    "canonical_to_original",
                    "recent_imports",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        latest = ImportRun.objects.filter(source=OuterRef("pk")).order_by("-started_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                feed_total=Count("feeds", distinct=True),
                last_run_id=Subquery(latest.values("pk")[:1]),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct() if search_term else queryset, False

    @admin.display(description=gettext_lazy("feeds"), ordering="feed_total")
    def feed_count(self, source: Source) -> int:
        return source.feed_total

    @admin.display(description=gettext_lazy("last import"))
    def last_import(self, source: Source) -> str:
        runs = getattr(self, "_runs", {})
        return run_summary(runs.get(source.last_run_id))

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The last runs of the listed sources, in one query.
        ids = [source.last_run_id for source in changelist.result_list if source.last_run_id]
        self._runs = ImportRun.objects.in_bulk(ids)
        return changelist

    @admin.display(description=gettext_lazy("recent imports"))
    def recent_imports(self, source: Source) -> str:
        if source.pk is None:
            return "—"
        runs = source.import_runs.select_related("feed")[:RECENT_RUNS]
        if not runs:
            return _("Not imported yet")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{}<br><small>{}</small></li>", ((run_summary(r), r.location) for r in runs)
            ),
        )

    @admin.action(description=gettext_lazy("Poll the feeds now"), permissions=["change"])
    def poll_now(self, request, queryset):
        feeds = SourceFeed.objects.filter(source__in=queryset, is_active=True)
        count = polling.feeds_poll_now(feeds=feeds)
        self.message_user(
            request,
            ngettext(
                "%(count)d feed is being polled; reload in a minute to see how it went.",
                "%(count)d feeds are being polled; reload in a minute to see how they went.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.opml_view)
        return [path("import-opml/", view, name="articles_source_import_opml"), *super().get_urls()]

    def opml_view(self, request):
        """Upload an OPML file: a source and a feed for each feed it lists."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OpmlForm(request.POST or None, request.FILES or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    result = opml.opml_import(
                        content=upload.read(opml.MAX_BYTES + 1),
                        by=request.user,
                        section=form.cleaned_data["section"],
                        policy=form.cleaned_data["import_policy"],
                    )
                except opml.OpmlError as error:
                    form.add_error("file", error)
                else:
                    self.opml_report(request, result)
                    return HttpResponseRedirect(reverse("admin:articles_source_changelist"))
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import sources from OPML"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(
            request, "admin/articles/source/import_opml.html", context, status=status
        )

    def opml_report(self, request, result: opml.OpmlResult) -> None:
        self.message_user(
            request,
            _("%(sources)d new sources and %(feeds)d new feeds; %(known)d were known already.")
            % {
                "sources": len(result.sources_created),
                "feeds": result.feeds_created,
                "known": result.feeds_known,
            },
            messages.SUCCESS,
        )
        if result.refused:
            self.message_user(
                request,
                _("These are not usable feed addresses and were skipped: %(urls)s")
                % {"urls": ", ".join(result.refused[:10])},
                messages.WARNING,
            )


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, NewsroomAdmin):
    """Every import, newest first: what came in and what went wrong."""

    list_display = ["started_at", "source", "location", "outcome", "new", "updated"]
    list_display += ["skipped", "failed", "error"]
    list_filter = ["outcome", "source"]
    list_select_related = ["source"]
    search_fields = ["location", "error"]
    date_hierarchy = "started_at"
