"""Every API error is JSON with a `detail` that says what was wrong."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's answer; a filter's field errors keep their names, under `errors`."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": _("Some parameters are not valid."), "errors": response.data}
    return response


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other address under /api/: a JSON 404, like the API's own."""
    return JsonResponse({"detail": _("There is nothing at this address.")}, status=404)
