"""Keep the desk out of search engines."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class StaffNoIndexMiddleware:
    """Every admin page answers with `X-Robots-Tag: noindex, nofollow`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response
