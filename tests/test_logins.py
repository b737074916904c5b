"""Signing in: guessing is stopped before any password is hashed; editors need a second factor."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import AuditEntry
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
DESK = reverse("admin:articles_article_changelist")
PASSWORD = "correct horse battery staple"


def sign_in(client: Client, username: str, password: str, address: str = "192.0.2.1"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": DESK}, REMOTE_ADDR=address
    )


@pytest.fixture
def counted_hashing(monkeypatch, settings):
    """How many times a password is hashed (each guess costs a web worker that much)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    calls = []
    real = PBKDF2PasswordHasher.encode

    def encode(self, password, salt, iterations=None):
        calls.append(password)
        return real(self, password, salt, iterations=3)

    monkeypatch.setattr(PBKDF2PasswordHasher, "encode", encode)
    return calls


def test_five_wrong_passwords_lock_the_name_at_that_address(client, settings, counted_hashing):
    settings.AXES_FAILURE_LIMIT = 5
    user = UserFactory(username="sara", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    counted_hashing.clear()

    statuses = [sign_in(client, "sara", "guess").status_code for _ in range(5)]
    hashed_while_guessing = len(counted_hashing)
    locked = sign_in(client, "sara", PASSWORD)

    # The fifth wrong password locks: its answer already says so.
    assert statuses == [200, 200, 200, 200, 429]

    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    # Refused before the password was looked at: no hashing for a locked-out guess.
    assert len(counted_hashing) == hashed_while_guessing
    assert "_auth_user_id" not in client.session
    # The same name from elsewhere is not locked out by someone else's guesses.
    assert sign_in(Client(), "sara", PASSWORD, address="198.51.100.9").status_code == 302
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("login.failed") >= 5 and "login.lockout" in actions


def test_behind_a_proxy_the_lock_falls_on_the_guessers_address_not_the_proxys(settings):
    """Everyone arrives from the proxy; locking its address would lock the desk out."""
    settings.ARTICLES_TRUSTED_PROXIES = 1
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="sara", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    proxy = "10.0.0.2"

    def through_proxy(client, password, reader):
        return client.post(
            LOGIN,
            {"username": "sara", "password": password, "next": DESK},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=reader,
        )

    guesser = Client()
    statuses = [through_proxy(guesser, "guess", "203.0.113.7").status_code for _ in range(4)]

    assert statuses[-1] == 429
    assert through_proxy(Client(), PASSWORD, "198.51.100.9").status_code == 302
    failed = AuditEntry.objects.filter(action="login.failed")
    assert set(failed.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_an_address_trying_a_new_name_each_time_is_paused_before_hashing(
    client, settings, counted_hashing
):
    settings.NEWSROOM_SIGNIN_FAILURES_PER_ADDRESS = 6
    user = UserFactory(username="sara", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    counted_hashing.clear()

    statuses = [sign_in(client, f"name-{n}", "guess").status_code for n in range(6)]
    hashed = len(counted_hashing)
    paused = sign_in(client, "sara", PASSWORD)

    assert statuses == [200] * 6  # no name was tried twice: django-axes alone never locks
    assert paused.status_code == 429
    assert "Too many wrong passwords from your address" in paused.content.decode()
    assert len(counted_hashing) == hashed
    # Elsewhere, the right password still works.
    assert sign_in(Client(), "sara", PASSWORD, address="198.51.100.9").status_code == 302
    lockouts = AuditEntry.objects.filter(action="login.lockout")
    assert [entry.details["scope"] for entry in lockouts] == ["address"]


def test_a_guesser_with_a_whole_ipv6_network_cannot_take_a_new_address_per_guess(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="sara", is_staff=True)
    user.set_password(PASSWORD)
    user.save()

    for n in range(3):  # three addresses of one /64
        sign_in(client, "sara", "guess", address=f"2001:db8:1:2::{n + 1}")

    assert sign_in(client, "sara", PASSWORD, address="2001:db8:1:2::99").status_code == 429
    assert sign_in(Client(), "sara", PASSWORD, address="2001:db8:1:3::1").status_code == 302


def test_an_administrator_unlocks_and_the_lock_also_cools_off(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="sara", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    for _ in range(3):
        sign_in(client, "sara", "guess")
    assert sign_in(client, "sara", PASSWORD).status_code == 429

    reset(username="sara")
    assert sign_in(client, "sara", PASSWORD).status_code == 302

    client.logout()
    for _ in range(3):
        sign_in(client, "sara", "guess")
    assert sign_in(client, "sara", PASSWORD).status_code == 429
    # The cool-off passes (the attempts age past it).
    long_ago = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=long_ago)
    assert sign_in(client, "sara", PASSWORD).status_code == 302


# The second factor -----------------------------------------------------------------------


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def required(settings):
    settings.NEWSROOM_REQUIRE_2FA = True


@pytest.fixture
def editor_with_password(editor):
    editor.set_password(PASSWORD)
    editor.save()
    return editor


def test_an_editor_must_enrol_before_the_desk_opens(client, required, editor_with_password):
    response = sign_in(client, "an-editor", PASSWORD)

    setup = client.get(response["Location"], follow=True)
    assert setup.request["PATH_INFO"] == reverse("admin:two_factor_setup")
    assert "<svg" in setup.content.decode() and "otpauth" not in setup.content.decode()
    assert client.get(DESK).status_code == 302  # not yet

    device = TOTPDevice.objects.get(user=editor_with_password, confirmed=False)
    done = client.post(reverse("admin:two_factor_setup"), {"code": code_for(device), "next": DESK})

    codes = re.findall(r"<code>(\d{8})</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get(DESK).status_code == 200
    assert AuditEntry.objects.filter(action="2fa.enrolled").exists()


def test_an_enrolled_editor_signs_in_with_a_code_or_a_backup_code(
    client, required, editor_with_password
):
    device = TOTPDevice.objects.create(user=editor_with_password, name="app", confirmed=True)
    from newsroom.two_factor import new_codes

    backup = new_codes(editor_with_password)

    sign_in(client, "an-editor", PASSWORD)
    assert client.get(DESK).status_code == 302
    wrong = client.post(reverse("admin:two_factor_verify"), {"code": "000000", "next": DESK})
    assert "That code is not right" in wrong.content.decode()
    hurried = client.post(reverse("admin:two_factor_verify"), {"code": code_for(device)})
    assert "Too many wrong codes: try again in" in hurried.content.decode()
    a_minute_ago = timezone.now() - timedelta(minutes=1)
    TOTPDevice.objects.update(throttling_failure_timestamp=a_minute_ago)
    StaticDevice.objects.update(throttling_failure_timestamp=a_minute_ago)
    right = client.post(
        reverse("admin:two_factor_verify"), {"code": code_for(device), "next": DESK}
    )
    assert right["Location"] == DESK and client.get(DESK).status_code == 200

    again = Client()
    sign_in(again, "an-editor", PASSWORD)
    again.post(reverse("admin:two_factor_verify"), {"code": backup[0]})
    assert again.get(DESK).status_code == 200
    third = Client()
    sign_in(third, "an-editor", PASSWORD)
    third.post(reverse("admin:two_factor_verify"), {"code": backup[0]})
    assert third.get(DESK).status_code == 302  # a backup code works once


def test_reporters_may_skip_the_second_factor(client, required, reporter):
    reporter.set_password(PASSWORD)
    reporter.save()

    sign_in(client, "a-reporter", PASSWORD)

    assert client.get(DESK).status_code == 200


def test_a_password_alone_cannot_enrol_another_phone(client, required, editor_with_password):
    """Whoever has the password but not the phone must not get past by enrolling theirs."""
    TOTPDevice.objects.create(user=editor_with_password, name="phone", confirmed=True)
    sign_in(client, "an-editor", PASSWORD)

    response = client.get(reverse("admin:two_factor_setup"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:two_factor_verify"))
    assert TOTPDevice.objects.filter(user=editor_with_password).count() == 1
    assert client.get(DESK).status_code == 302


def test_a_password_alone_shows_no_draft_on_the_site_and_can_sign_out(
    client, required, editor_with_password
):

    TOTPDevice.objects.create(user=editor_with_password, name="phone", confirmed=True)
    draft = ArticleFactory(title="Embargoed until Monday", status="draft")
    sign_in(client, "an-editor", PASSWORD)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.post(reverse("admin:logout")).status_code == 200
    assert "_auth_user_id" not in client.session


def test_past_the_second_factor_an_editor_previews_drafts_on_the_site(
    client, required, editor_with_password
):

    device = TOTPDevice.objects.create(user=editor_with_password, name="phone", confirmed=True)
    draft = ArticleFactory(title="Embargoed until Monday", status="draft")
    sign_in(client, "an-editor", PASSWORD)
    client.post(reverse("admin:two_factor_verify"), {"code": code_for(device), "next": DESK})

    assert "Embargoed until Monday" in client.get(draft.get_absolute_url()).content.decode()


def test_reporters_find_the_second_factor_in_the_desk(client, reporter):
    client.force_login(reporter)

    desk = client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse("admin:two_factor_setup")}"' in desk


def test_the_second_factor_is_off_where_the_setting_says(client, settings, editor_with_password):
    settings.NEWSROOM_REQUIRE_2FA = False

    sign_in(client, "an-editor", PASSWORD)

    assert client.get(DESK).status_code == 200


def test_next_never_leads_off_the_site(client, required, editor_with_password):
    device = TOTPDevice.objects.create(user=editor_with_password, name="app", confirmed=True)
    sign_in(client, "an-editor", PASSWORD)

    response = client.post(
        reverse("admin:two_factor_verify"),
        {"code": code_for(device), "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("admin:index")
