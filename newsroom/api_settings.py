"""The JSON API's framework settings (Django REST framework, drf-spectacular), built
from the knobs that newsroom/settings.py reads from the environment."""


def rest_framework_settings(*, throttle_rate: str, trusted_proxies: int) -> dict:
    """REST_FRAMEWORK: JSON only, nothing to sign in to, anonymous clients throttled."""
    return {
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": [],
        # Nothing to sign in to: the API shows what readers see, to everyone alike.
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
        "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        # Per client address, kept in the cache; empty turns throttling off (a CDN does it).
        "DEFAULT_THROTTLE_CLASSES": (
            ["rest_framework.throttling.AnonRateThrottle"] if throttle_rate else []
        ),
        "DEFAULT_THROTTLE_RATES": {"anon": throttle_rate or None},
        "EXCEPTION_HANDLER": "articles.api.errors.exception_handler",
        # The client's address for throttling, behind as many proxies as the audit log trusts.
        "NUM_PROXIES": trusted_proxies,
    }


SPECTACULAR = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": (
        "Read-only JSON API of the published articles of both editions (English and "
        "Persian), with their tags, sections, authors and sources."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page's assets are served from here, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.strict_query_parameters",
    ],
}
