"""Date archives: Gregorian in the English edition, Solar Hijri in the Persian one.

    /archive/2024/05/28/       English: 28 May 2024
    /fa/archive/1403/03/08/    Persian: ۸ خرداد ۱۴۰۳ (the same day)

The addresses have the same shape in both editions; the edition says which
calendar the numbers are in. A Gregorian address under /fa/ (a year from 1700
on, which no Solar Hijri year of news reaches) is an old or mistyped link: it
redirects to the Solar Hijri year, month or day holding its first day.
"""

from datetime import date, datetime, time, timedelta

import jdatetime
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DayArchiveView, ListView, MonthArchiveView, YearArchiveView

from . import editions, structured_data
from .dates import (
    PERSIAN_MONTHS,
    persian_digits,
    solar_hijri,
    solar_hijri_day,
    solar_hijri_month_name,
)
from .views import PublishedArticleMixin

# Solar Hijri years below this are Solar Hijri; from it on, the address is Gregorian.
FIRST_GREGORIAN_YEAR = 1700


class ArchiveMixin(PublishedArticleMixin):
    date_field = "publish_at"
    make_object_list = True
    allow_future = False
    month_format = "%m"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, month, day = (self.kwargs.get(part) for part in ("year", "month", "day"))
        trail = [
            (_("Archive %(year)s") % {"year": year}, reverse("articles:archive_year", args=[year]))
        ]
        if month:
            trail.append((f"{year}-{month}", reverse("articles:archive_month", args=[year, month])))
        if day:
            trail.append((f"{year}-{month}-{day}", self.request.path))
        context["breadcrumb_jsonld"] = structured_data.breadcrumbs(self.request, trail)
        return context


class ArticleYearArchiveView(ArchiveMixin, YearArchiveView):
    template_name = "articles/article_archive_year.html"


class ArticleMonthArchiveView(ArchiveMixin, MonthArchiveView):
    template_name = "articles/article_archive_month.html"


class ArticleDayArchiveView(ArchiveMixin, DayArchiveView):
    template_name = "articles/article_archive_day.html"


# Solar Hijri ----------------------------------------------------------------------------


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _month_length(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


class SolarHijriArchiveView(PublishedArticleMixin, ListView):
    """The published Persian articles of a Solar Hijri year, month or day, newest first."""

    template_name = "articles/archive_solar_hijri.html"
    # A period with nothing published is no page, as in the English archive.
    allow_empty = False

    def get(self, request, *args, **kwargs):
        year = int(kwargs["year"])
        month = int(kwargs["month"]) if kwargs.get("month") else None
        day = int(kwargs["day"]) if kwargs.get("day") else None
        if month is not None and not 1 <= month <= 12:
            raise Http404("No such month")
        if year >= FIRST_GREGORIAN_YEAR:
            return self.from_gregorian(request, year, month, day)
        if day is not None and not 1 <= day <= _month_length(year, month):
            raise Http404("No such day")
        self.year, self.month, self.day = year, month, day
        first = jdatetime.date(year, month or 1, day or 1)
        if day:
            after = first + timedelta(days=1)
        elif month:
            after = first + timedelta(days=_month_length(year, month))
        else:
            after = jdatetime.date(year + 1, 1, 1)
        self.start, self.end = _midnight(first.togregorian()), _midnight(after.togregorian())
        if self.start > timezone.now():
            raise Http404("Nothing is published in the future")
        return super().get(request, *args, **kwargs)

    def from_gregorian(self, request, year: int, month: int | None, day: int | None):
        """An old or mistyped Gregorian address: to the Solar Hijri period of its first day."""
        try:
            first_day = date(year, month or 1, 1 if day is None else day)
        except ValueError as error:
            raise Http404("No such date") from error
        if first_day > timezone.localdate():
            raise Http404("Nothing is published in the future")
        first = solar_hijri(first_day)
        if day:
            args, name = [first.year, first.month, first.day], "archive_day"
        elif month:
            args, name = [first.year, first.month], "archive_month"
        else:
            args, name = [first.year], "archive_year"
        query = request.GET.urlencode()
        url = reverse(f"articles:{name}", args=args) + (f"?{query}" if query else "")
        return HttpResponsePermanentRedirect(url)

    def get_queryset(self):
        in_period = super().get_queryset().filter(publish_at__gte=self.start)
        return in_period.filter(publish_at__lt=self.end).order_by("-publish_at", "-pk")

    def days_with_articles(self) -> list[jdatetime.date]:
        days = (
            super()
            .get_queryset()
            .filter(publish_at__gte=self.start, publish_at__lt=self.end)
            .datetimes("publish_at", "day")
        )
        return [solar_hijri(timezone.localtime(day).date()) for day in days]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, month, day = self.year, self.month, self.day
        year_link = (persian_digits(year), reverse("articles:archive_year", args=[year]))
        if day:
            title = solar_hijri_day(jdatetime.date(year, month, day).togregorian())
            up = (
                solar_hijri_month_name(year, month),
                reverse("articles:archive_month", args=[year, month]),
            )
            links = []
        elif month:
            title = solar_hijri_month_name(year, month)
            up = year_link
            links = [
                (persian_digits(d.day), reverse("articles:archive_day", args=[year, month, d.day]))
                for d in dict.fromkeys(self.days_with_articles())
            ]
        else:
            title = persian_digits(year)
            up = None
            months = dict.fromkeys(d.month for d in self.days_with_articles())
            links = [
                (PERSIAN_MONTHS[m - 1], reverse("articles:archive_month", args=[year, m]))
                for m in sorted(months)
            ]
        trail = [(_("Archive %(year)s") % {"year": persian_digits(year)}, year_link[1])]
        if month:
            trail.append(
                (
                    solar_hijri_month_name(year, month),
                    up[1] if day else self.request.path,
                )
            )
        if day:
            trail.append((title, self.request.path))
        context.update(
            period_title=title,
            period_up=up,
            period_links=links,
            breadcrumb_jsonld=structured_data.breadcrumbs(self.request, trail),
        )
        return context


def by_edition(gregorian, solar_hijri_view):
    """One address, two calendars: the edition being served chooses the view."""
    gregorian_view = gregorian.as_view()
    solar_view = solar_hijri_view.as_view()

    def view(request, *args, **kwargs):
        chosen = solar_view if editions.language() == "fa" else gregorian_view
        return chosen(request, *args, **kwargs)

    return view


archive_year = by_edition(ArticleYearArchiveView, SolarHijriArchiveView)
archive_month = by_edition(ArticleMonthArchiveView, SolarHijriArchiveView)
archive_day = by_edition(ArticleDayArchiveView, SolarHijriArchiveView)
