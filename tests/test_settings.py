"""Settings come from the environment; production settings pass `check --deploy`."""

import pytest

from tests.factories import PRODUCTION, manage


def test_documented_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_debug_a_secret_key_is_required():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_runs_without_any_configuration():
    result = manage("check", env={"DJANGO_DEBUG": "on"})

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "expression", "expected"),
    [
        ("SITE_NAME", "The Courier", "settings.SITE_NAME", "The Courier"),
        ("TIME_ZONE", "Asia/Tehran", "settings.TIME_ZONE", "Asia/Tehran"),
        (
            "CACHE_URL",
            "redis://127.0.0.1:6379/1",
            "settings.CACHES['default']['BACKEND']",
            "newsroom.cache.ResilientRedisCache",
        ),
        (
            "DATABASE_URL",
            "postgres://u@db.example:5432/news",
            "settings.DATABASES['default']['ENGINE']",
            "django.db.backends.postgresql",
        ),
        (
            "MEDIA_URL",
            "https://media.example.com/",
            "settings.MEDIA_URL",
            "https://media.example.com/",
        ),
        ("DJANGO_SESSION_COOKIE_SECURE", "off", "settings.SESSION_COOKIE_SECURE", "False"),
    ],
)
def test_settings_are_read_from_the_environment(variable, value, expression, expected):
    code = f"from django.conf import settings; print({expression})"

    result = manage("shell", "-c", code, env={**PRODUCTION, variable: value})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_secure_defaults_without_debug():
    code = (
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS > 0)"
    )

    result = manage("shell", "-c", code, env={"DJANGO_SECRET_KEY": PRODUCTION["DJANGO_SECRET_KEY"]})

    assert result.stdout.strip().splitlines()[-1] == "False True True True True"


def test_variables_are_django_prefixed_and_older_names_still_work():
    show = (
        "from django.conf import settings; print(settings.SITE_NAME, settings.ARTICLES_PAGE_SIZE)"
    )
    debug = {"DJANGO_DEBUG": "on"}

    older = manage(
        "shell", "-c", show, env={**debug, "SITE_NAME": "Old", "ARTICLES_PAGE_SIZE": "7"}
    )
    both = manage(
        "shell",
        "-c",
        show,
        env={
            **debug,
            "SITE_NAME": "Old",
            "DJANGO_SITE_NAME": "New",
            "DJANGO_ARTICLES_PAGE_SIZE": "9",
        },
    )

    assert older.stdout.splitlines()[-1] == "Old 7", older.stderr
    assert both.stdout.splitlines()[-1] == "New 9", both.stderr
