"""Site-wide template context: the masthead, the edition and the section navigation."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from . import dates, editions
from .models import Section


def site(request: HttpRequest) -> dict:
    page = request.GET.get("page", "")
    # Filters and tracking parameters are not separate pages; later pages of a list are.
    canonical = request.build_absolute_uri(request.path)
    if page.isdigit() and page != "1":
        canonical += f"?page={page}"
    return {
        "canonical_url": canonical,
        **editions.site_names(),
        # Lazy: pages that never show the navigation (feeds, 500) never query it.
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.all())),
        # The edition being served, and the way to the other one.
        "edition": editions.current(),
        "other_edition_home": SimpleLazyObject(lambda: editions.current().other.home_url()),
        "this_year": _this_year(),
    }


def _this_year() -> int:
    """This year in the edition's calendar, for the archive link."""
    today = timezone.localdate()
    return dates.solar_hijri(today).year if editions.language() == "fa" else today.year
