"""The API's views: lists and one article, published content only, cached for
anonymous readers like the reading site's pages (articles.page_cache)."""

import functools
import re

import django_filters
from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from .. import page_cache, selectors
from ..models import Article, Author, Section, Source
from ..pagination import ReaderPaginator
from . import serializers as api
from .filters import ApiArticleFilter

ERROR = inline_serializer(
    "Error",
    fields={
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)
ERRORS = {
    400: OpenApiResponse(ERROR, description=_("A parameter is not valid; `errors` says which.")),
    404: OpenApiResponse(ERROR, description=_("No such page of results, or no such article.")),
    429: OpenApiResponse(ERROR, description=_("Too many requests; try again shortly.")),
}


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def page_size(self) -> int:
        return settings.ARTICLES_API_PAGE_SIZE

    @property
    def max_page_size(self) -> int:
        return settings.ARTICLES_API_MAX_PAGE_SIZE


class ArticlePagination(Pagination):
    """As /news/ counts: the number of matching articles is kept per filter until the
    published stream changes (articles.pagination.ReaderPaginator), so a page of the
    API never counts the whole archive, and deep pages read ids from the index."""

    @property
    def django_paginator_class(self):
        query = self.request.GET.copy()
        query.pop("page", None)
        return functools.partial(
            ReaderPaginator, count_key=f"{self.request.path}?{query.urlencode()}"
        )


POSITIVE_INTEGER = re.compile(r"[1-9][0-9]{0,8}")


class CachedForReaders:
    """Answers are kept in the page cache and forgotten when what they show changes;
    anyone may revalidate them with their ETag (304).

    The parameters a view knows are checked strictly: each given once, not empty,
    page numbers and sizes whole numbers; otherwise a 400 says which is wrong
    (a program that sends `page_size=null` should hear so, not get 20 results).
    """

    page_dependencies = ("published", "tags", "names", "sections")
    paged = True

    def known_parameters(self) -> list[str]:
        return ["page", "page_size"] if self.paged else []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        errors = {}
        for name in self.known_parameters():
            values = request.query_params.getlist(name)
            if len(values) > 1:
                errors[name] = [_("Give this parameter once.")]
            elif values and not values[0].strip():
                errors[name] = [_("This parameter is empty; leave it out instead.")]
            elif (
                values
                and name in ("page", "page_size")
                and not POSITIVE_INTEGER.fullmatch(values[0])
            ):
                errors[name] = [_("A whole number from 1 up is expected.")]
            elif values and name == "page_size" and int(values[0]) > Pagination().max_page_size:
                errors[name] = [
                    _("At most %(count)d results fit on a page.")
                    % {"count": Pagination().max_page_size}
                ]
        if errors:
            raise ValidationError(errors)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            page_cache.depends_on(request._request, *self.page_dependencies)
        return response


class ArticleList(CachedForReaders, generics.ListAPIView):
    """Published articles of both editions, newest first; the filters of /news/, plus
    `updated_after` and `ordering` for clients that keep a copy."""

    serializer_class = api.ArticleSerializer
    pagination_class = ArticlePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiArticleFilter

    def known_parameters(self) -> list[str]:
        names = []
        for name, declared in ApiArticleFilter.base_filters.items():
            if isinstance(declared, django_filters.DateFromToRangeFilter):
                names += [f"{name}_after", f"{name}_before"]
            else:
                names.append(name)
        return [*super().known_parameters(), *names]

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("section", "source", "translation", "picture")
            .prefetch_related("authors", "tags")
            .defer("body", "translation__body")
        )

    @extend_schema(responses={200: api.ArticleSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ArticleDetail(CachedForReaders, generics.RetrieveAPIView):
    """One published article, with its body, by slug (Persian slugs too)."""

    serializer_class = api.ArticleDetailSerializer
    lookup_field = "slug"
    paged = False

    def get_object(self):
        queryset = (
            Article.objects.published()
            .select_related("section", "source", "translation", "picture")
            .prefetch_related("authors", "tags", "corrections")
        )
        return get_object_or_404(queryset, slug=self.kwargs["slug"])

    @extend_schema(responses={200: api.ArticleDetailSerializer, **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PagedList(CachedForReaders, generics.ListAPIView):
    pagination_class = Pagination


class TagList(PagedList):
    """Tags readers may see (approved, with published articles), by name."""

    serializer_class = api.TagSerializer

    def get_queryset(self):
        return selectors.tags_in_readers_hands().order_by("name", "pk")

    @extend_schema(responses={200: api.TagSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SectionList(PagedList):
    """Sections, in the order the navigation lists them."""

    serializer_class = api.SectionSerializer
    queryset = Section.objects.order_by("position", "name", "pk")

    @extend_schema(responses={200: api.SectionSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AuthorList(PagedList):
    """Authors with published articles in either edition, by name."""

    serializer_class = api.AuthorSerializer

    def get_queryset(self):
        bylines = Article.authors.through.objects.filter(article__in=Article.objects.published())
        return Author.objects.filter(pk__in=bylines.values("author_id")).order_by("name", "pk")

    @extend_schema(responses={200: api.AuthorSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SourceList(PagedList):
    """The outlets original reporting came from, by name."""

    serializer_class = api.SourceSerializer
    queryset = Source.objects.order_by("name", "pk")

    @extend_schema(responses={200: api.SourceSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Schema(SpectacularAPIView):
    """The OpenAPI 3 schema of this API, in YAML or JSON as the client's Accept header
    asks. Not in the page cache, which keeps one answer per address whatever the
    Accept header; ETags still let a client revalidate it."""


class Docs(SpectacularSwaggerSplitView):
    """The documentation page: Swagger UI from this site's own static files (no CDN),
    its start-up script a file of its own, so the strict CSP holds."""

    template_name = "api/docs.html"
    url_name = "api:schema"
