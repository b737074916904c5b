"""Test settings: the real settings, with test-only secrets and fast hashing."""

import os
import tempfile

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789"
)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "off")

from newsroom.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsroom-test-media-")
STORAGES = {
    **STORAGES,  # noqa: F405
    "pending": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="newsroom-test-uploads-")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Background tasks run at once, in the test's own transaction; tests of the worker
# itself switch to the database engine.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Serve static files straight from static/ without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Each test sees what its views do; tests/test_page_cache.py turns the cache on.
ARTICLES_PAGE_CACHE = False
# The desk's tests sign in with a password; tests/test_logins.py turns the second factor on.
NEWSROOM_REQUIRE_2FA = False
