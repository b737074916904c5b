"""/api/: the read-only JSON API, its OpenAPI schema and its documentation page."""

from django.urls import path, re_path

from . import views
from .errors import not_found

app_name = "api"

urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="articles"),
    path("articles/<str:slug>/", views.ArticleDetail.as_view(), name="article"),
    path("tags/", views.TagList.as_view(), name="tags"),
    path("sections/", views.SectionList.as_view(), name="sections"),
    path("authors/", views.AuthorList.as_view(), name="authors"),
    path("sources/", views.SourceList.as_view(), name="sources"),
    path("schema/", views.Schema.as_view(), name="schema"),
    path("docs/", views.Docs.as_view(), name="docs"),
    re_path(r"^.*$", not_found),
]
