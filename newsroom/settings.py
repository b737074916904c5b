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
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from newsroom.api_settings import SPECTACULAR, rest_framework_settings
from newsroom.media_storages import media_storages

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
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "django_filters",
    "django_prose_editor",
    "js_asset",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taggit",
    "reversion",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "articles.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "articles.middleware.RejectControlCharactersMiddleware",
    "articles.middleware.EditionMiddleware",
    "articles.middleware.CompressionMiddleware",
    "articles.middleware.PageCacheMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "articles.middleware.DeskLanguageMiddleware",
    "articles.audit.AuditAddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.middleware.StaffNoIndexMiddleware",
    # Answers a locked-out sign-in with the lockout page (last, as django-axes asks).
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# The body's rich-text editor (articles.richtext): the newsroom's own extensions and
# the tags each makes.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/prose-newsroom.js")],
        "extensions": {
            "Citation": html_tags(["cite"]),
            "PastedHeadings": html_tags([]),
            # A library picture in the body (articles.body_pictures keeps its one shape).
            "BodyPicture": html_tags(
                ["figure", "img", "figcaption"],
                {"figure": ["data-picture"], "img": ["src", "alt"]},
            ),
        },
    }
]

# The tags box shows "Iran, Sergey Lavrov", not taggit's quoted names.
TAGGIT_STRING_FROM_TAGS = "articles.text.tags_as_text"

# Widgets may use the project's templates (the admin's tags box does).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis outage leaves pages uncached, never broken (newsroom/cache.py).
    CACHES["default"]["BACKEND"] = "newsroom.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=0.25, socket_timeout=0.5
    )

# Sign-ins: django-axes refuses a locked-out name and address before any password is
# hashed (it is first here); then Django checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = setting("AXES_ENABLED", "bool", True)
AXES_FAILURE_LIMIT = setting("AXES_FAILURE_LIMIT", "int", 5)
AXES_COOLOFF_TIME = timedelta(minutes=setting("AXES_COOLOFF_MINUTES", "int", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The one rule for a client's address (behind ARTICLES_TRUSTED_PROXIES), as the audit
# log records it: locked out is that address, not the proxy everyone comes through.
AXES_CLIENT_IP_CALLABLE = "articles.audit.lock_address"
# An address that fails this often, whatever the names, is paused too (newsroom.signin).
NEWSROOM_SIGNIN_FAILURES_PER_ADDRESS = setting("NEWSROOM_SIGNIN_FAILURES_PER_ADDRESS", "int", 20)
# Staff who may publish (editors and administrators) sign in with a second factor.
NEWSROOM_REQUIRE_2FA = setting("NEWSROOM_REQUIRE_2FA", "bool", not DEBUG)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The two editions (articles.editions): English at /…, Persian at /fa/….
LANGUAGES = [("en", _("English")), ("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = setting("TIME_ZONE", "str", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = env.str("DJANGO_STATIC_URL", default="/static/")
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Media: uploaded pictures and their renditions, written through Django's storage API.
# DJANGO_MEDIA_STORAGE says where they live:
# "local": MEDIA_ROOT on this machine, served by the app at MEDIA_URL (newsroom/media.py)
#   unless DJANGO_SERVE_MEDIA is off because a proxy or CDN serves MEDIA_ROOT itself.
# "s3": an S3-compatible bucket through django-storages, public objects under
#   AWS_LOCATION read from the bucket or from AWS_S3_CUSTOM_DOMAIN (a CDN).
# Beside "default", "pending" holds uploads the picture worker has not cleaned yet and
# is never served: a folder web and worker processes share, or the bucket's private
# pending/ prefix, read through signed URLs only.
MEDIA_URL = setting("MEDIA_URL", "str", "/media/")
MEDIA_ROOT = setting("MEDIA_ROOT", "path", BASE_DIR / "media")
MEDIA_STORAGE = setting("MEDIA_STORAGE", "str", "local")
SERVE_MEDIA = setting("SERVE_MEDIA", "bool", True)
PENDING_UPLOADS_ROOT = setting("PENDING_UPLOADS_ROOT", "path", BASE_DIR / "uploads")
AWS_STORAGE_BUCKET_NAME = setting("AWS_STORAGE_BUCKET_NAME", "str", "")
AWS_S3_ENDPOINT_URL = setting("AWS_S3_ENDPOINT_URL", "str", None)  # unset: AWS itself
AWS_S3_REGION_NAME = setting("AWS_S3_REGION_NAME", "str", None)
AWS_S3_CUSTOM_DOMAIN = setting("AWS_S3_CUSTOM_DOMAIN", "str", None)
AWS_LOCATION = setting("AWS_LOCATION", "str", "media")
# Readers fetching from the bucket itself need public objects; a CDN reads the bucket
# with its own access, so behind one (or in a bucket without ACLs) none is sent.
AWS_DEFAULT_ACL = (
    setting("AWS_DEFAULT_ACL", "str", None if AWS_S3_CUSTOM_DOMAIN else "public-read") or None
)
# Unset, boto3 finds credentials itself: AWS_ACCESS_KEY_ID, ~/.aws, an instance role.
AWS_ACCESS_KEY_ID = setting("AWS_ACCESS_KEY_ID", "str", None)
AWS_SECRET_ACCESS_KEY = setting("AWS_SECRET_ACCESS_KEY", "str", None)


STORAGES = {
    **media_storages(
        MEDIA_STORAGE,
        pending_root=PENDING_UPLOADS_ROOT,
        bucket=AWS_STORAGE_BUCKET_NAME,
        endpoint_url=AWS_S3_ENDPOINT_URL,
        region=AWS_S3_REGION_NAME,
        custom_domain=AWS_S3_CUSTOM_DOMAIN,
        location=AWS_LOCATION,
        default_acl=AWS_DEFAULT_ACL,
    ),
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
# Load balancers ask over plain HTTP: the health check answers them, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Content-Security-Policy (django-csp): nothing inline runs; everything comes from here
# (articles.middleware adds the media host and the desk's inline styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Embedded players, loaded only when a reader asks (articles.embeds).
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://platform.twitter.com",
            "https://www.instagram.com",
        ],
    }
}
# Permissions-Policy: a news site uses none of these.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    ]
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = env.list("DJANGO_SILENCED_SYSTEM_CHECKS", default=[])

# Error reports. Mail goes to DJANGO_ADMINS ("Ana <ana@example.com>, ops@example.com")
# through DJANGO_EMAIL_URL (smtp://user:password@host:587, or consolemail:// to print);
# Sentry gets them when SENTRY_DSN is set. The 500 page promises a report only when
# one of them is configured.
ADMINS = [parseaddr(address) for address in env.list("DJANGO_ADMINS", default=[])]
EMAIL_URL = env.email_url(
    "DJANGO_EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
globals().update(EMAIL_URL)  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, …
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default="newsroom@localhost")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default=SERVER_EMAIL)
EMAIL_SUBJECT_PREFIX = f"[{setting('SITE_NAME', 'str', 'Newsroom')}] "
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from newsroom.reporting import start_sentry

    start_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        # A database outage answers every request with a 503: one mail each would flood
        # ADMINS and hold every request on the mail server. /healthz tells of it.
        "worth_mailing": {
            "()": "django.utils.log.CallbackFilter",
            "callback": "ext://newsroom.reporting.worth_mailing",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false", "worth_mailing"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "INFO"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Background work (pictures, re-indexing, imports) runs on Django's Tasks API.
# "database": a `manage.py worker` process reads tasks from the database (one machine).
# "rq": RQ workers on Redis (DJANGO_TASKS_REDIS_URL), on as many machines as needed.
# "immediate": run in the request, for tests and debugging only.
TASKS_ENGINE = setting("TASKS_ENGINE", "str", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_ENGINE],
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {"default": {"URL": setting("TASKS_REDIS_URL", "str", "redis://127.0.0.1:6379/2")}}
# A task claimed this long ago by a worker that never finished it is run again.
TASKS_STALE_AFTER_SECONDS = setting("TASKS_STALE_AFTER_SECONDS", "int", 600)

# Whole pages for anonymous readers, forgotten exactly when what they show changes
# (articles.page_cache); kept at most this long.
ARTICLES_PAGE_CACHE = setting("ARTICLES_PAGE_CACHE", "bool", True)
ARTICLES_PAGE_CACHE_SECONDS = setting("ARTICLES_PAGE_CACHE_SECONDS", "int", 600)
# How long a CDN in front may keep a reader page (browsers revalidate each time).
ARTICLES_CDN_MAX_AGE = setting("ARTICLES_CDN_MAX_AGE", "int", 60)

# Newsroom
SITE_NAME = setting("SITE_NAME", "str", "Newsroom")
SITE_TAGLINE = setting("SITE_TAGLINE", "str", "Independent news in English and Persian")
# The Persian edition's own: the name may stay the brand, the tagline is a sentence.
SITE_NAME_FA = setting("SITE_NAME_FA", "str", SITE_NAME)
SITE_TAGLINE_FA = setting("SITE_TAGLINE_FA", "str", "خبرهای مستقل به فارسی و انگلیسی")
# The name authenticator apps show beside the desk's codes.
OTP_TOTP_ISSUER = SITE_NAME
ARTICLES_PAGE_SIZE = setting("ARTICLES_PAGE_SIZE", "int", 20)
ARTICLES_FEED_FULL_TEXT = setting("ARTICLES_FEED_FULL_TEXT", "bool", False)
ARTICLES_FRONT_PAGE_PINS = setting("ARTICLES_FRONT_PAGE_PINS", "int", 6)
ARTICLES_AUTOSAVE_SECONDS = setting("ARTICLES_AUTOSAVE_SECONDS", "int", 5)
ARTICLES_IMAGE_MAX_BYTES = setting("ARTICLES_IMAGE_MAX_BYTES", "int", 20 * 1024 * 1024)
ARTICLES_IMAGE_MAX_PIXELS = setting("ARTICLES_IMAGE_MAX_PIXELS", "int", 50_000_000)
# Originals are kept at most this many pixels on their longer side.
ARTICLES_IMAGE_MAX_SIDE = setting("ARTICLES_IMAGE_MAX_SIDE", "int", 3200)
# Deleted articles wait in the trash this many days (manage.py purge_trash).
ARTICLES_TRASH_DAYS = setting("ARTICLES_TRASH_DAYS", "int", 30)
# The audit log keeps entries this many days (manage.py prune_audit_log).
ARTICLES_AUDIT_DAYS = setting("ARTICLES_AUDIT_DAYS", "int", 365)
# How many proxies in front add to X-Forwarded-For (0: the address is REMOTE_ADDR).
ARTICLES_TRUSTED_PROXIES = setting("ARTICLES_TRUSTED_PROXIES", "int", 0)
# The wire desk (articles.wire): feeds are fetched with these limits. Addresses on this
# machine or the private network are refused unless allowed (tests, a feed on the LAN).
ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES = setting(
    "ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES", "bool", False
)
ARTICLES_WIRE_TIMEOUT_SECONDS = setting("ARTICLES_WIRE_TIMEOUT_SECONDS", "float", 10.0)
ARTICLES_WIRE_MAX_BYTES = setting("ARTICLES_WIRE_MAX_BYTES", "int", 5 * 1024 * 1024)
ARTICLES_WIRE_MAX_REDIRECTS = setting("ARTICLES_WIRE_MAX_REDIRECTS", "int", 5)
ARTICLES_WIRE_MAX_ITEMS = setting("ARTICLES_WIRE_MAX_ITEMS", "int", 1000)
# Import records (the desk's "last runs") are kept this many days.
ARTICLES_WIRE_RUNS_KEEP_DAYS = setting("ARTICLES_WIRE_RUNS_KEEP_DAYS", "int", 30)

# The read-only JSON API at /api/ (articles.api): public, published articles only.
ARTICLES_API_THROTTLE_RATE = setting("ARTICLES_API_THROTTLE_RATE", "str", "600/minute")
REST_FRAMEWORK = rest_framework_settings(
    throttle_rate=ARTICLES_API_THROTTLE_RATE, trusted_proxies=ARTICLES_TRUSTED_PROXIES
)
ARTICLES_API_PAGE_SIZE = setting("ARTICLES_API_PAGE_SIZE", "int", 20)
ARTICLES_API_MAX_PAGE_SIZE = setting("ARTICLES_API_MAX_PAGE_SIZE", "int", 100)
SPECTACULAR_SETTINGS = SPECTACULAR
