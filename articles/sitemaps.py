"""Sitemaps for search engines, and the Google News sitemap of the last two days."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.utils import timezone

from . import tagging
from .models import Article, Author, Section


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 10_000

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-publish_at", "-pk")

    def lastmod(self, article: Article):
        return article.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Section.objects.all()


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5
    limit = 10_000

    def items(self):
        return tagging.tags_for_readers().order_by("name")


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        writes = Article.objects.published().filter(authors=OuterRef("pk"))
        return Author.objects.filter(Exists(writes))


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def news_sitemap_articles():
    """Published articles of the last 48 hours, as Google News wants them."""
    since = timezone.now() - timedelta(hours=48)
    return (
        Article.objects.published()
        .filter(publish_at__gte=since)
        .only("slug", "title", "language", "publish_at")
        .order_by("-publish_at")[:1000]
    )
