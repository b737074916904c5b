"""The API's article filters: those of /news/ (articles.filters), plus what a client
that keeps a copy needs: `updated_after` and an order by last change."""

from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from ..filters import ArticleFilter


class InstantField(IsoDateTimeField):
    """An ISO 8601 date and time that is also a moment UTC can hold: 0001-01-01T00:00+14:00
    is a valid date and time, but before the first instant there is."""

    def to_python(self, value):
        found = super().to_python(value)
        if found is not None:
            try:
                found.astimezone(UTC)
            except OverflowError as error:
                raise ValidationError(
                    _("This date and time is out of range."), code="out_of_range"
                ) from error
        return found


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


class ApiArticleFilter(ArticleFilter):
    updated_after = InstantFilter(
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
