from django.urls import path, register_converter

from . import archives, converters, previews, views

register_converter(converters.YearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "dd")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news/", views.ArticleListView.as_view(), name="article_list"),
    path("news/<str:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("preview/<str:token>/", previews.PreviewView.as_view(), name="preview"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("tags/", views.TagListView.as_view(), name="tag_list"),
    path("tags/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("sections/<str:slug>/", views.SectionView.as_view(), name="section"),
    path("authors/<str:slug>/", views.AuthorView.as_view(), name="author"),
    path("sources/<str:slug>/", views.SourceView.as_view(), name="source"),
    # Gregorian in the English edition, Solar Hijri in the Persian one (articles.archives).
    path("archive/<yyyy:year>/", archives.archive_year, name="archive_year"),
    path("archive/<yyyy:year>/<dd:month>/", archives.archive_month, name="archive_month"),
    path("archive/<yyyy:year>/<dd:month>/<dd:day>/", archives.archive_day, name="archive_day"),
]
