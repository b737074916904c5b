"""Two-factor sign-in for the desk (django-otp): an authenticator app, and backup codes.

After the password, anyone with a confirmed device enters a code from it (or a
backup code). Editors and administrators must have one when NEWSROOM_REQUIRE_2FA
is on (the default outside DEBUG); reporters may add one. Enrolment shows a QR
code drawn on this server: the secret never leaves for a chart service.
"""

import secrets
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles import audit
from articles.permissions import user_is_editor

BACKUP_CODES = 10


def two_factor_required(user) -> bool:
    """Editors and administrators sign in with a second factor (when the setting is on)."""
    return settings.NEWSROOM_REQUIRE_2FA and (user.is_superuser or user_is_editor(user))


def second_factor_satisfied(request: HttpRequest) -> bool:
    """Signed in as far as the desk needs: verified if they have a device, or must."""
    user = request.user
    if user.is_verified():  # signed in with a code this session: no query needed
        return True
    if not hasattr(request, "_second_factor_satisfied"):  # asked several times a page
        request._second_factor_satisfied = not (user_has_device(user) or two_factor_required(user))
    return request._second_factor_satisfied


def next_step(request: HttpRequest) -> str | None:
    """Where a signed-in staff member goes before the desk: verify, or enrol."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if second_factor_satisfied(request):
        return None
    name = "admin:two_factor_verify" if user_has_device(user) else "admin:two_factor_setup"
    return f"{reverse(name)}?{urlencode({'next': safe_next(request)})}"


def safe_next(request: HttpRequest) -> str:
    wanted = request.GET.get("next") or request.POST.get("next") or reverse("admin:index")
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("admin:index")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy("The six digits your app shows now, or one of your backup codes."),
    )


def staff_only(view):
    """Signed in with a password, staff, and not yet past the second factor is fine here."""

    @login_required
    def guarded(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            return HttpResponseRedirect(reverse("admin:login"))
        return view(request, *args, **kwargs)

    return guarded


def page(request, template: str, title: str, **context) -> HttpResponse:
    from django.contrib import admin

    return render(
        request,
        template,
        {**admin.site.each_context(request), "title": title, "next": safe_next(request), **context},
    )


@staff_only
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a backup code."""
    form = CodeForm(request.POST or None)
    wait = seconds_to_wait(request.user)
    if form.is_valid() and wait:
        form.add_error(
            "code", _("Too many wrong codes: try again in %(seconds)d seconds.") % {"seconds": wait}
        )
    elif form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            audit.record("login.second_factor", by=request.user, target=request.user)
            return HttpResponseRedirect(safe_next(request))
        audit.record("login.second_factor_failed", by=request.user, target=request.user)
        form.add_error("code", _("That code is not right, or has been used. Try the next one."))
    return page(request, "admin/two_factor/verify.html", _("Enter your code"), form=form)


def seconds_to_wait(user) -> int:
    """How long codes are refused after wrong ones (django-otp doubles it each time):
    0 while any of the person's devices (the app, the backup codes) takes one."""
    waits = []
    for device in devices_for_user(user, confirmed=True):
        allowed, info = device.verify_is_allowed()
        if allowed:
            return 0
        if info and info.get("locked_until"):
            waits.append((info["locked_until"] - timezone.now()).total_seconds())
    return max(1, round(min(waits))) if waits else 0


@staff_only
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan, then prove it works with one code."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        # A stolen password must not enrol the thief's own phone: the existing
        # second factor comes first.
        return HttpResponseRedirect(next_step(request) or reverse("admin:two_factor_verify"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.record("2fa.enrolled", by=user, target=user)
            return backup_codes_page(request, new_codes(user))
        form.add_error("code", _("That code is not right. Check the time on your phone."))
    return page(
        request,
        "admin/two_factor/setup.html",
        _("Set up sign-in codes"),
        form=form,
        qr_svg=qr_svg(device.config_url),
        secret=device.key,
        required=two_factor_required(user),
        has_device=user_has_device(user),
    )


@staff_only
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old ones stop working), for someone past the second factor."""
    if request.method != "POST" or not user_has_device(request.user):
        return HttpResponseRedirect(reverse("admin:two_factor_setup"))
    if not request.user.is_verified():
        return HttpResponseRedirect(next_step(request) or reverse("admin:index"))
    audit.record("2fa.backup_codes", by=request.user, target=request.user)
    return backup_codes_page(request, new_codes(request.user))


def new_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    response = page(
        request, "admin/two_factor/backup_codes.html", _("Your backup codes"), codes=codes
    )
    response["Cache-Control"] = "no-store"
    return response


def qr_svg(url: str):
    """The enrolment address as an SVG QR code, made here."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - our own drawing
