"""What crawlers read: sitemaps, the Google News sitemap and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from . import editions, page_cache, selectors
from .models import Article, Section, Tag
from .pagination import ReaderPaginator


class ReaderSitemap(Sitemap):
    """Pages of a thousand addresses, counted once per change of the published stream:
    the index and each child cost the same at 1,000 articles or 100,000."""

    limit = 1000

    @property
    def paginator(self) -> ReaderPaginator:
        return ReaderPaginator(self._items(), self.limit, count_key=f"sitemap:{type(self)}")


class ArticleSitemap(ReaderSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        published = Article.objects.published().only(
            "slug", "language", "updated_at", "translation"
        )
        return published.order_by("-publish_at", "-pk")

    def lastmod(self, article: Article):
        return article.updated_at

    def _urls(self, page, protocol, domain):
        """Each article with its published translation as an hreflang alternate (and
        x-default, the English one), found for the whole page in one query."""
        urls = super()._urls(page, protocol, domain)
        ids = [url["item"].pk for url in urls]
        named = [url["item"].translation_id for url in urls if url["item"].translation_id]
        linked = Q(translation_id__in=ids) | Q(pk__in=named)
        others = {
            a.pk: a
            for a in Article.objects.published()
            .filter(linked)
            .only("slug", "language", "translation")
        }
        naming = {a.translation_id: a for a in others.values() if a.translation_id in ids}
        for url in urls:
            article = url["item"]
            other = others.get(article.translation_id) or naming.get(article.pk)
            if other is None:
                continue
            if other.language == article.language:
                continue
            english, persian = sorted([article, other], key=lambda a: a.language != "en")
            url["alternates"] = [
                {"lang_code": code, "location": f"{protocol}://{domain}{a.get_absolute_url()}"}
                for code, a in [("en", english), ("fa", persian), ("x-default", english)]
            ]
        return urls

    def get_latest_lastmod(self):
        # Asked of the database once per change of the stream (it reads every published
        # row): Django's default reads every article into memory on every request.
        return selectors.latest_published_change()


class EditionSitemap:
    """Addresses in one edition: /sections/… in English, /fa/sections/… in Persian."""

    language = "en"

    def location(self, item) -> str:
        with editions.serving(self.language):
            return item.get_absolute_url()


class SectionSitemap(EditionSitemap, Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Section.objects.all()


class TagSitemap(EditionSitemap, ReaderSitemap):
    """The tags with published articles in the edition's language."""

    changefreq = "daily"
    priority = 0.5

    @property
    def paginator(self) -> ReaderPaginator:
        return ReaderPaginator(
            self._items(), self.limit, count_key=f"sitemap:{type(self)}:{self.language}"
        )

    def items(self):
        in_use = [pk for pk, _count in selectors.tag_counts_for_readers(self.language)]
        return Tag.objects.filter(pk__in=in_use).only("slug").order_by("name")


class AuthorSitemap(EditionSitemap, Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return selectors.authors_with_published_articles(self.language)


def in_edition(sitemap: type, language: str) -> type:
    return type(f"{sitemap.__name__}_{language}", (sitemap,), {"language": language})


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "sections-fa": in_edition(SectionSitemap, "fa"),
    "tags-fa": in_edition(TagSitemap, "fa"),
    "authors-fa": in_edition(AuthorSitemap, "fa"),
}


# What sitemaps list: published articles, public tags, sections (page_cache dependencies).
SITEMAP_DEPENDENCIES = ("published", "tags", "sections")


def sitemap_index(request: HttpRequest, **kwargs) -> HttpResponse:
    """The index of child sitemaps, made once per change of what they list.

    It has a line per thousand articles, so making it grows with the archive
    (2.5 ms at 1k, 9 ms at 100k); kept, it costs the same at any size.
    """
    page_cache.depends_on(request, *SITEMAP_DEPENDENCIES)

    def make() -> tuple[bytes, dict[str, str]]:
        response = sitemap_views.index(request, **kwargs)
        kept = {k: v for k, v in response.items() if k in ("Content-Type", "Last-Modified")}
        return response.render().content, kept

    names = page_cache.version_of("names") + page_cache.version_of("sections")
    origin = f"{request.scheme}://{request.get_host()}"
    content, headers = page_cache.kept_with_stream(f"sitemap-index:{origin}:{names}", make)
    return HttpResponse(content, headers=headers)


def sitemap_section(request: HttpRequest, **kwargs) -> HttpResponse:
    page_cache.depends_on(request, *SITEMAP_DEPENDENCIES)
    return sitemap_views.sitemap(request, **kwargs)


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News sitemap: the last 48 hours, with publication name and language."""
    page_cache.depends_on(request, "published")
    return render(
        request,
        "articles/news_sitemap.xml",
        {
            "articles": selectors.news_sitemap_articles(),
            "base": f"{request.scheme}://{request.get_host()}",
            # The publication's name in each article's own language.
            "SITE_NAME_EN": settings.SITE_NAME,
            "SITE_NAME_FA": settings.SITE_NAME_FA,
        },
        content_type="application/xml; charset=utf-8",
    )


def _in_each_edition(name: str) -> list[str]:
    found = []
    for code in editions.EDITIONS:
        with editions.serving(code):
            found.append(reverse(name))
    return found


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Where the sitemaps are; the desk and search results are no place for crawlers.

    Previews are not listed: their addresses are secret, and they answer with
    `noindex`, which a crawler kept out by robots.txt would never read.
    """
    base = f"{request.scheme}://{request.get_host()}"
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        *(f"Disallow: {search}" for search in _in_each_edition("articles:search")),
        "",
        f"Sitemap: {base}{reverse('sitemap')}",
        f"Sitemap: {base}{reverse('news_sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
