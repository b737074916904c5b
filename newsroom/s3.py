"""Media on S3-compatible storage, carrying the headers the app would have sent.

S3 (or the CDN in front of it) serves each object with the metadata written
with it, so the caching rule of newsroom.media is applied at upload time.
"""

from storages.backends.s3 import S3Storage

from newsroom.media import cache_control, content_type


class MediaStorage(S3Storage):
    """Public media: a year's caching for content-hashed names, an hour for the rest."""

    def get_object_parameters(self, name: str) -> dict:
        return {
            "CacheControl": cache_control(name),
            "ContentType": content_type(name),
            **super().get_object_parameters(name),
        }
