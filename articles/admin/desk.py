"""The desk's article list: columns, filters, and a paginator that stays fast at 100k."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import search, selectors
from ..dates import format_datetime
from ..models import Article
from .base import picture_status

# A desk of more articles than this is counted by the planner's estimate (PostgreSQL).
ESTIMATE_ABOVE = 10_000


class DeskPaginator(Paginator):
    """Counts exactly, except a whole large table on PostgreSQL, which it estimates.

    COUNT(*) over every article on every load of the desk is what makes other
    CMSs crawl at 100k articles; the planner's estimate is free.
    """

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        # The whole desk is every article outside the trash; anything narrower is counted.
        if query is None or query.where != Article.objects.not_in_trash().query.where:
            return super().count
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [Article._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > ESTIMATE_ABOVE:
                return max(0, row[0] - Article.objects.in_trash().count())  # a small index
        # Every article, as an editor sees them: counted once a minute is exact enough.
        return cache.get_or_set("articles:desk:all-count", self.object_list.count, 60)


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("review", _("In review")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
            ("archived", _("Archived")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
            case "draft" | "review" | "archived":
                return queryset.filter(status=self.value())
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = gettext_lazy("whose")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("Mine"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.owned_by(request.user)
        return queryset


class TagFilter(admin.SimpleListFilter):
    """The most used tags; any other tag is one click away on its tag page."""

    title = gettext_lazy("tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return selectors.desk_most_used_tags(request.user)

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


class DeskListMixin:
    """The article list of ArticleAdmin: what each row shows and how it is searched."""

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, article: Article) -> str:
        if article.pk is None:
            return format_html(
                '<span class="status-badge status-badge--draft">{}</span>', _("Draft")
            )
        if article.is_scheduled():
            label = _("Scheduled — in %(time)s") % {"time": timeuntil(article.publish_at, depth=1)}
            css = "scheduled"
        else:
            label, css = article.get_status_display(), article.status
        return format_html('<span class="status-badge status-badge--{}">{}</span>', css, label)

    @admin.display(description=gettext_lazy("publication"), ordering="publish_at")
    def publication(self, article: Article) -> str:
        """When it goes or went out: Solar Hijri on a Persian desk, as the site writes."""
        return format_datetime(article.publish_at, "desk") if article.publish_at else "—"

    @admin.display(description=gettext_lazy("last edit"), ordering="updated_at")
    def last_edit(self, article: Article) -> str:
        when = _("%(time)s ago") % {"time": timesince(article.updated_at, depth=1)}
        if article.updated_by:
            return format_html("{}<br><small>{}</small>", article.updated_by.get_username(), when)
        return when

    @admin.display(description=gettext_lazy("picture state"))
    def picture_status(self, article: Article) -> str:
        shown = article.pending_picture or article.picture
        if shown is None:
            return "—"
        return picture_status(shown.file_state, shown.file_error)

    @admin.display(description=gettext_lazy("authors"))
    def byline(self, article: Article) -> str:
        return ", ".join(author.name for author in article.authors.all())

    def get_search_results(self, request, queryset, search_term):
        # Through the full-text index, not LIKE over every row: fast at 100k articles,
        # and any spelling of a Persian word finds it.
        if not search_term.strip():
            return queryset, False
        return search.matching(queryset, search_term, headline_only=True), False

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            # A date drill-down past year 9999, typed into the address bar.
            raise IncorrectLookupParameters(error) from error
