"""The API's article filters: those of /news/ (articles.filters), plus what a client
that keeps a copy needs: `updated_after` and an order by last change."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..filters import ArticleFilter


class ApiArticleFilter(ArticleFilter):
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label=_("Changed after (ISO 8601 date and time, e.g. 2025-06-10T08:30:00Z)"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("publish_at", "published"), ("updated_at", "updated")),
        label=_("Order: -published (default), published, updated or -updated"),
    )

    class Meta(ArticleFilter.Meta):
        fields = [*ArticleFilter.Meta.fields, "updated_after"]
