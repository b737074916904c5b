"""The site's URLs with two baselines in front (bench.settings; not run by itself).

/_bench/bare/      a fixed 22 KB HTML page: the floor of gunicorn + Django + middleware
/_bench/template/  a plain template looping over 20 items, no database: a list page's shape
"""

from django.urls import path

from bench import baselines
from newsroom.urls import handler500  # noqa: F401 - the site's error pages, here too
from newsroom.urls import urlpatterns as site

urlpatterns = [
    path("_bench/bare/", baselines.bare, name="bench_bare"),
    path("_bench/template/", baselines.template, name="bench_template"),
    *site,
]
