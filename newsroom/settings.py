"""Newsroom settings: one module, every knob read from the environment.

Defaults serve a laptop. Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
DATABASE_URL and CACHE_URL (see README.md).

One naming scheme: a variable is `DJANGO_` followed by the name of the setting it
sets (DJANGO_TIME_ZONE sets TIME_ZONE, DJANGO_ARTICLES_PAGE_SIZE sets
ARTICLES_PAGE_SIZE). The connection URLs keep the names every host and library
uses: DATABASE_URL and CACHE_URL. Earlier unprefixed names (TIME_ZONE,
SITE_NAME, ARTICLES_PAGE_SIZE, …) are still read; the prefixed name wins.
"""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A checkout's own .env (made by `make`, never committed) fills in what the shell
# does not set, so `python manage.py …` works without exporting anything.
env.read_env(os.environ.get("DJANGO_ENV_FILE", BASE_DIR / ".env"))


def setting(name: str, cast: str, default):
    """The value of DJANGO_<name>, else of the older unprefixed <name>, else `default`."""
    read = getattr(env, cast)
    return read(f"DJANGO_{name}", default=read(name, default=default))


DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Without DEBUG there is no default key: a forgotten secret must stop the server.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    **({"default": "django-insecure-local-development-only"} if DEBUG else {}),
)

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "django_filters",
    "taggit",
    "reversion",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.middleware.StaffNoIndexMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# Widgets may use the project's templates (the admin's tags box does).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = setting("TIME_ZONE", "str", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = env.str("DJANGO_STATIC_URL", default="/static/")
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = setting("MEDIA_URL", "str", "/media/")
MEDIA_ROOT = setting("MEDIA_ROOT", "path", BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 2**20)

# Security. The HTTPS-only switches default to on when DEBUG is off; a site
# served over plain HTTP behind a proxy that terminates TLS keeps them on and
# sets DJANGO_SECURE_PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = env.list("DJANGO_SILENCED_SYSTEM_CHECKS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Newsroom
SITE_NAME = setting("SITE_NAME", "str", "Newsroom")
SITE_TAGLINE = setting("SITE_TAGLINE", "str", "Independent news in English and Persian")
ARTICLES_PAGE_SIZE = setting("ARTICLES_PAGE_SIZE", "int", 20)
ARTICLES_FEED_FULL_TEXT = setting("ARTICLES_FEED_FULL_TEXT", "bool", False)
ARTICLES_IMAGE_MAX_BYTES = setting("ARTICLES_IMAGE_MAX_BYTES", "int", 20 * 1024 * 1024)
ARTICLES_IMAGE_MAX_PIXELS = setting("ARTICLES_IMAGE_MAX_PIXELS", "int", 50_000_000)
# An article edited this long after it went out says "Updated" to readers.
ARTICLES_UPDATED_AFTER_SECONDS = setting("ARTICLES_UPDATED_AFTER_SECONDS", "int", 300)
