"""`/healthz`: is this app server able to serve?"""

from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from articles.models import Section
from newsroom.reporting import RETRY_AFTER_SECONDS


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 while the database answers with our tables, 503 when it does not.

    A cache that does not answer is reported but is no reason to take the server
    out of rotation: pages are served uncached.
    """
    try:
        # A real table, not SELECT 1: an unmigrated or emptied database is not healthy.
        Section.objects.only("pk").first()
    except DatabaseError:
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    cache.set("healthz", "ok", 30)
    if cache.get("healthz") != "ok":
        return HttpResponse("ok; cache degraded\n", content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
