"""Where uploaded pictures live: STORAGES' "default" and "pending", built from the
DJANGO_MEDIA_STORAGE knobs that newsroom/settings.py reads from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured


def media_storages(
    engine: str,
    *,
    pending_root: os.PathLike | str,
    bucket: str = "",
    endpoint_url: str | None = None,
    region: str | None = None,
    custom_domain: str | None = None,
    location: str = "media",
    default_acl: str | None = "public-read",
) -> dict:
    """STORAGES' "default" and "pending" for DJANGO_MEDIA_STORAGE ("local" or "s3").

    A function, so the tests build the very configuration a deployment runs.
    """
    if engine == "local":
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "pending": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": pending_root},
            },
        }
    if engine != "s3":
        raise ImproperlyConfigured(f"DJANGO_MEDIA_STORAGE is {engine!r}: use local or s3.")
    if not bucket:
        raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE=s3 needs DJANGO_AWS_STORAGE_BUCKET_NAME.")
    bucket_options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url,
        "region_name": region,
        # As on disk, a name is never reused for other bytes: a clash gets a new name.
        "file_overwrite": False,
    }
    return {
        "default": {
            # Objects carry the app's Cache-Control: a year for content-hashed names.
            "BACKEND": "newsroom.s3.MediaStorage",
            "OPTIONS": {
                **bucket_options,
                "location": location,
                "default_acl": default_acl,
                "custom_domain": custom_domain,
                # Plain, stable URLs: signed ones change on every page and defeat caches.
                "querystring_auth": False,
            },
        },
        "pending": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **bucket_options,
                "location": "pending",
                "default_acl": "private",
                "custom_domain": None,  # never through the CDN
                "querystring_auth": True,
            },
        },
    }
