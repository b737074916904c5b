"""Guessing many names from one address ("spraying").

django-axes locks a name at an address after a few wrong passwords, which stops
guessing one editor's password; an attacker who tries a new name every time never
trips it, and every guess costs a web worker a password hash. So an address that
fails NEWSROOM_SIGNIN_FAILURES_PER_ADDRESS times, whatever the names, is paused for
django-axes' cool-off: its sign-ins are refused before any password is hashed.
The count lives in the cache; with the cache down only django-axes' lock remains.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from articles import audit


def _key(request: HttpRequest | None) -> str | None:
    address = audit.lock_address(request) if request is not None else None
    return f"signin:failures:{address}" if address else None


def address_paused(request: HttpRequest) -> bool:
    key = _key(request)
    limit = settings.NEWSROOM_SIGNIN_FAILURES_PER_ADDRESS
    return key is not None and (cache.get(key) or 0) >= limit


def count_failure(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    """user_login_failed: one more failure for this address."""
    key = _key(request)
    if key is None:
        return
    cache.add(key, 0, int(settings.AXES_COOLOFF_TIME.total_seconds()))
    try:
        failures = cache.incr(key)
    except ValueError:  # the cache is down, or forgot the key meanwhile
        return
    if failures >= settings.NEWSROOM_SIGNIN_FAILURES_PER_ADDRESS:
        # Paused for the whole cool-off from now, not from the first failure.
        cache.touch(key, int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if failures == settings.NEWSROOM_SIGNIN_FAILURES_PER_ADDRESS:
        address = audit.client_address(request)
        audit.record("login.lockout", username="", scope="address", ip=address)
