"""Error reporting and the pages readers see when something fails.

`server_error` is the site's handler500: a database that does not answer is a
503 with Retry-After (the site is down for a moment, not broken), anything else
a 500. Both pages are rendered from a file, with nothing but the template engine:
no database, no cache, no static files, no request context, no traceback.
"""

import base64
import hashlib
import re
import sys

from django.conf import settings
from django.contrib import admin
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

# Seconds a reader (or a crawler) is asked to wait while the database is away.
RETRY_AFTER_SECONDS = 60
DATABASE_DOWN = (OperationalError, InterfaceError)


def start_sentry(dsn: str, *, environment: str, traces_sample_rate: float, **options) -> None:
    """Send unhandled errors to Sentry; no reader's or editor's personal data."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        # send_default_pii is left at its default, off: no users, cookies or addresses.
        # Nor form bodies or a frame's variables: they hold passwords, codes and drafts.
        max_request_body_size="never",
        include_local_variables=False,
        **options,
    )


def errors_are_reported() -> bool:
    """True when someone will hear of a 500: Sentry or mail to ADMINS is configured."""
    if settings.ADMINS:
        return True
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - a dependency, but reporting must never fail
        return False
    return sentry_sdk.get_client().is_active()


def worth_mailing(record) -> bool:
    """Logging filter for mail to ADMINS: every error but the 503s of a database outage."""
    return getattr(record, "status_code", None) != 503


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: 503 while the database is away, else 500; each a standalone page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        response = _page("503.html", {}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _page(template_name, {"reported": errors_are_reported()}, status=500)


def _page(template_name: str, context: dict, *, status: int) -> HttpResponse:
    html = loader.get_template(template_name).render(context)
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    # The page's own <style>, allowed by its hash: the policy stays free of unsafe-inline.
    hashes = [_style_hash(style) for style in re.findall(r"<style>(.*?)</style>", html, re.S)]
    if hashes:
        response._csp_update = {"style-src": hashes}
    return response


def _style_hash(css: str) -> str:
    digest = hashlib.sha256(css.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """403: in the desk, a desk page that says what happened; elsewhere, the site's."""
    return _refusal(request, 403, exception)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """404: in the desk, a desk page with its links; elsewhere, the site's own."""
    return _refusal(request, 404, exception)


def _refusal(request: HttpRequest, status: int, exception) -> HttpResponse:
    in_desk = request.path_info.startswith("/admin/") and request.user.is_authenticated
    name = f"admin/{status}.html" if in_desk else f"{status}.html"
    context = {"title": "", "request_path": request.path}
    if in_desk:
        context.update(admin.site.each_context(request))
    html = loader.render_to_string(name, context, request=request)
    return HttpResponse(html, status=status)
