"""Settings for `make bench`: the production settings, plus the two baseline pages.

    DJANGO_SETTINGS_MODULE=bench.settings gunicorn newsroom.wsgi …   (bench/run.py does this)

The only difference from newsroom.settings is ROOT_URLCONF: bench.urls serves
/_bench/bare/ and /_bench/template/ in front of every URL of newsroom.urls.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
