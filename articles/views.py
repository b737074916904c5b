"""The reading site. Every list starts from Article.objects.published(); views only read
(articles.selectors, articles.search and the models)."""

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import (
    DetailView,
    ListView,
    TemplateView,
)

from . import editions, page_cache, search, selectors, structured_data
from .filters import ArticleFilter
from .models import Article, ArticleRedirect, Author, Section, Source, Tag, TagRedirect
from .pagination import ReaderPaginator
from .previews import mark_as_preview
from .templatetags.teasers import teasers_signature
from .text import slugify_unicode


class ReaderPageMixin:
    """A page anonymous readers may be served from the page cache (articles.page_cache).

    `page_dependencies` names what the page shows, so it is forgotten exactly
    when any of that changes.
    """

    page_dependencies_always: tuple[str, ...] = ("published",)

    def page_dependencies(self, context: dict) -> list[str]:
        return list(self.page_dependencies_always)

    def render_to_response(self, context, **response_kwargs):
        if response_kwargs.get("status", 200) == 200:
            page_cache.depends_on(self.request, *self.page_dependencies(context))
        return super().render_to_response(context, **response_kwargs)


class PublishedArticleMixin(ReaderPageMixin):
    """Published articles only, with what a teaser needs, 20 to a page."""

    paginator_class = ReaderPaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        # The count is kept per list and filter (not per page) until the stream changes.
        query = self.request.GET.copy()
        query.pop("page", None)
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_key=f"{self.request.path}?{query.urlencode()}",
            **kw,
        )

    def get_queryset(self):
        # Each edition lists the articles written in its language.
        return Article.objects.published().filter(language=editions.language()).for_listing()

    def get_paginate_by(self, queryset) -> int:
        return settings.ARTICLES_PAGE_SIZE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["teasers_signature"] = teasers_signature(self.request, context["object_list"])
        return context


class HomeView(ReaderPageMixin, TemplateView):
    """Top story, the latest articles and the newest few of every section."""

    template_name = "articles/home.html"
    # What editors arranged (top story, pins, banner) is the "front" dependency.
    page_dependencies_always = ("published", "front")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        front = selectors.front_page(language=editions.language())
        if front.banner and front.banner.expires_at:
            # The stored page goes when the banner does.
            self.request.page_expires_at = front.banner.expires_at
        context.update(
            banner=front.banner,
            alternates=editions.alternates(
                self.request, [(code, e.home_url()) for code, e in editions.EDITIONS.items()]
            ),
            top_story=front.top_story,
            secondary=front.secondary,
            latest=front.latest,
            section_blocks=front.section_blocks,
            teasers_signature=teasers_signature(
                self.request,
                [front.top_story],
                front.secondary,
                front.latest,
                *(articles for _section, articles in front.section_blocks),
            ),
        )
        return context


class ArticleListView(PublishedArticleMixin, ListView):
    """All articles, filterable; an unusable filter value is a 400 that says why."""

    # The active filter names its tag, author or source.
    page_dependencies_always = ("published", "tags")

    template_name = "articles/article_list.html"

    def get(self, request, *args, **kwargs):
        elsewhere = self.other_edition(request)
        if elsewhere:
            return elsewhere
        self.filterset = ArticleFilter(
            request.GET, queryset=super().get_queryset(), request=request
        )
        if not self.filterset.is_valid():
            moved = self.moved_tag(request)
            if moved:
                return moved
            self.object_list = Article.objects.none()
            context = self.get_context_data()
            return self.render_to_response(context, status=400)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.filterset.qs

    def other_edition(self, request) -> HttpResponse | None:
        """`?language=` naming the other edition's language leads to that edition's list
        (the other filters kept): /news/?language=fa is /fa/news/."""
        wanted = request.GET.get("language", "")
        if wanted not in editions.EDITIONS or wanted == editions.language():
            return None
        query = request.GET.copy()
        query.pop("language")
        query.pop("page", None)
        with editions.serving(wanted):
            url = reverse(request.resolver_match.view_name)
        return HttpResponsePermanentRedirect(f"{url}?{query.urlencode()}" if query else url)

    def moved_tag(self, request) -> HttpResponse | None:
        """A tag filter naming a renamed or merged tag leads to the tag it became."""
        if "tag" not in self.filterset.errors:
            return None
        public_redirects = TagRedirect.objects.filter(tag__in=Tag.objects.public())
        tag = public_redirects.target_of(request.GET.get("tag", ""))
        if tag is None:
            return None
        query = request.GET.copy()
        query["tag"] = tag.slug
        return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        # Pagination links keep the filters but not the page number.
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        context["breadcrumb_jsonld"] = structured_data.breadcrumbs(
            self.request, [(_("All news"), self.request.path)]
        )
        return context


class SearchView(ArticleListView):
    """Full-text search of published articles; the /news/ filters narrow it further."""

    template_name = "articles/search.html"
    page_dependencies_always = ("published", "tags", "search")

    def get(self, request, *args, **kwargs):
        self.query = request.GET.get("q", "")[: search.MAX_QUERY_CHARS]
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Results quote the body around the words found: fetch it with them.
        query = self.request.GET.copy()
        query.pop("page", None)
        # The ranking is kept per edition: each searches the articles of its language.
        return search.search(
            self.filterset.qs.defer(None),
            self.query,
            remember_as=f"{editions.language()}|{query.urlencode()}",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(query=self.query, terms=search.query_terms(self.query))
        return context


class ElsewhereInEdition(Exception):
    """The article asked for belongs to the other edition."""

    def __init__(self, article: Article):
        self.article = article


class ArticleDetailView(ReaderPageMixin, DetailView):
    """An article; staff who may edit it also see it before it is published."""

    def page_dependencies(self, context: dict) -> list[str]:
        article = context["article"]
        if not article.is_published():
            return []  # a preview is never cached
        related = [f"article:{story.pk}" for story in context["related"]]
        other = article.counterpart()  # its translation: the switcher and hreflang show it
        translation = [f"article:{other.pk}"] if other else []
        return [*page_cache.article_dependencies(article), *related, *translation]

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        # Staff preview what they may edit; everyone else sees published articles. A
        # password without the second factor the desk asks for is not "staff" here.
        return (
            selectors.articles_visible_to(
                self.request.user, signed_in_to_desk=admin.site.has_permission(self.request)
            )
            .for_display()
            .select_related("translation", "translated_by")
            .defer("translation__body", "translated_by__body")
        )

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except ElsewhereInEdition as elsewhere:
            # An article lives in the edition of its language; the other's address leads
            # there (for good once it is public; a draft's language may still change).
            article, query = elsewhere.article, request.GET.urlencode()
            url = article.get_absolute_url() + (f"?{query}" if query else "")
            if article.is_published():
                return HttpResponsePermanentRedirect(url)
            return mark_as_preview(HttpResponseRedirect(url))
        except Http404:
            # An address the article had before its slug changed.
            visible = ArticleRedirect.objects.filter(article__in=self.get_queryset())
            article = visible.target_of(kwargs["slug"])
            if article is None:
                raise
            return HttpResponsePermanentRedirect(article.get_absolute_url())
        if not self.object.is_published():
            mark_as_preview(response)
        return response

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if article.language != editions.language():
            raise ElsewhereInEdition(article)
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        versions = article.language_versions()
        context.update(
            translated=next((a for a in versions if a.pk != article.pk), None),
            alternates=editions.alternates(
                self.request, [(a.language, a.get_absolute_url()) for a in versions]
            ),
            is_preview=not article.is_published(),
            related=selectors.related_articles(article),
            article_jsonld=structured_data.news_article(article, self.request),
            social_image=structured_data.social_image(article, self.request),
        )
        original = structured_data.original_canonical(article)
        if original:  # some outlets require it of the stories we carry from them
            context["canonical_url"] = original
        return context


class OwnerArticleListView(PublishedArticleMixin, ListView):
    """Published articles of one section, author, source or tag, found by slug."""

    owner_model = None
    owner_lookup = ""

    def get_owner(self):
        return get_object_or_404(self.owner_model, slug=self.kwargs["slug"])

    def get_queryset(self):
        self.owner = self.get_owner()
        return super().get_queryset().filter(**{self.owner_lookup: self.owner})

    def page_dependencies(self, context: dict) -> list[str]:
        owner = f"{self.owner_model._meta.model_name}:{self.owner.pk}"
        return [*super().page_dependencies(context), owner]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["owner"] = context[self.owner_model._meta.model_name] = self.owner
        context["breadcrumb_jsonld"] = structured_data.breadcrumbs(
            self.request, self.breadcrumb_trail()
        )
        return context

    def breadcrumb_trail(self) -> list[tuple[str, str]]:
        name = getattr(self.owner, "display_name", str(self.owner))
        return [(name, self.owner.get_absolute_url())]


class SectionView(OwnerArticleListView):
    owner_model = Section
    owner_lookup = "section"
    template_name = "articles/section_detail.html"


class AuthorView(OwnerArticleListView):
    owner_model = Author
    owner_lookup = "authors"
    template_name = "articles/author_detail.html"

    def get_owner(self):
        # The card shows the photo: read with the author, in the same query.
        return get_object_or_404(Author.objects.select_related("photo"), slug=self.kwargs["slug"])


class SourceView(OwnerArticleListView):
    owner_model = Source
    owner_lookup = "source"
    template_name = "articles/source_detail.html"


class TagView(OwnerArticleListView):
    owner_model = Tag
    owner_lookup = "tags"
    template_name = "articles/tag_detail.html"
    page_dependencies_always = ("published", "tags")
    # A tag only on drafts stays unknown to readers: it may name an embargoed story.
    allow_empty = False

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            tag = self.tag_moved_to(kwargs["slug"])
            if tag is None:
                raise
            return HttpResponsePermanentRedirect(tag.get_absolute_url())

    def get_owner(self):
        tag = selectors.tag_for_readers(self.kwargs["slug"])
        if tag is None:
            raise Http404("No such topic")
        return tag

    def breadcrumb_trail(self) -> list[tuple[str, str]]:
        return [(_("Topics"), reverse("articles:tag_list")), *super().breadcrumb_trail()]

    def tag_moved_to(self, slug: str) -> Tag | None:
        """Where an old address (renamed, merged, or typed with Arabic letters) points now."""
        public = Tag.objects.public()
        tag = (
            TagRedirect.objects.filter(tag__in=public).target_of(slug)
            or public.filter(slug=slugify_unicode(slug)).first()
        )
        if tag is None or tag.slug == slug:
            return None
        return tag

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_tags"] = selectors.related_tags(self.owner, language=editions.language())
        return context


class TagListView(ReaderPageMixin, ListView):
    template_name = "articles/tag_list.html"
    page_dependencies_always = ("published", "tags")
    context_object_name = "tags"
    paginate_by = 100

    def get_queryset(self):
        return selectors.tags_for_readers(editions.language())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumb_jsonld"] = structured_data.breadcrumbs(
            self.request, [(_("Topics"), reverse("articles:tag_list"))]
        )
        return context
