from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from articles import feeds, sitemaps
from articles.sitemaps import SITEMAPS, news_sitemap, robots_txt
from newsroom import media
from newsroom.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemaps.sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap_section,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("news-sitemap.xml", news_sitemap, name="news_sitemap"),
    # The read-only JSON API, one for both editions (each article says its language).
    path("api/", include("articles.api.urls")),
]

# The reading site, twice: the English edition at /…, the Persian edition at /fa/…
# (articles.editions; the middleware activates the edition of the address).
urlpatterns += i18n_patterns(
    path("feeds/latest/", feeds.feed_view(feeds.LatestArticlesFeed), name="feed_latest"),
    path(
        "feeds/latest/atom/", feeds.feed_view(feeds.LatestArticlesAtomFeed), name="feed_latest_atom"
    ),
    path("feeds/tags/<str:slug>/", feeds.feed_view(feeds.TagFeed), name="feed_tag"),
    path("feeds/sections/<str:slug>/", feeds.feed_view(feeds.SectionFeed), name="feed_section"),
    path("", include("articles.urls")),
    prefix_default_language=False,
)

# Media on this machine's disk is served by the app, DEBUG or not; S3 or a proxy
# serving MEDIA_ROOT (DJANGO_SERVE_MEDIA=off) mounts nothing here.
urlpatterns += media.urlpatterns()
handler500 = "newsroom.reporting.server_error"
handler403 = "newsroom.reporting.permission_denied"
handler404 = "newsroom.reporting.page_not_found"
