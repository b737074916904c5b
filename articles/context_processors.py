"""Site-wide template context: the masthead and the section navigation."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Section


def site(request: HttpRequest) -> dict:
    page = request.GET.get("page", "")
    # Filters and tracking parameters are not separate pages; later pages of a list are.
    canonical = request.build_absolute_uri(request.path)
    if page.isdigit() and page != "1":
        canonical += f"?page={page}"
    return {
        "canonical_url": canonical,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        # Lazy: pages that never show the navigation (feeds, 500) never query it.
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.all())),
    }
