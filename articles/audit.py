"""Recording the audit log (articles.models.AuditEntry): one call, wherever something happens.

Services record what people do; where a request is being served, the middleware
below has noted its address, so an entry says from where without every service
having to be handed the request.
"""

import contextvars
import ipaddress
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import AuditEntry

_client_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "audit_client_address", default=None
)


def record(action: str, *, by=None, target: models.Model | None = None, **details) -> AuditEntry:
    """Write down that `by` (a user; None for the system) did `action` to `target`."""
    actor = by if by is not None and getattr(by, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor else details.pop("username", ""),
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        details=details,
        ip_address=_client_address.get(),
    )


def client_address(request: HttpRequest) -> str | None:
    """The reader's address: REMOTE_ADDR, or the address the trusted proxies saw."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.ARTICLES_TRUSTED_PROXIES
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def lock_address(request: HttpRequest) -> str | None:
    """The address sign-in locks fall on: the client's, except that an IPv6 client is
    known by its /64, which one household or server is handed whole (otherwise a
    guesser would take a new address for every guess)."""
    address = client_address(request)
    if address and ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return address


class AuditAddressMiddleware:
    """Notes the request's address for the entries recorded while serving it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)


def prune(*, older_than_days: int | None = None) -> int:
    """Delete entries older than the retention time; returns how many went."""
    days = settings.ARTICLES_AUDIT_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _by_model = AuditEntry.objects.filter(created_at__lt=cutoff).delete()
    return deleted
