from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.views import healthz

admin.site.site_header = admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Newsroom desk"
# The desk needs its width for the article list more than for a second menu.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
]

# Local media for a laptop; production serves media from its storage or CDN.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
