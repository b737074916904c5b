from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .forms import ArticleAdminForm
from .models import Article, Author, Section, Source, Tag


class NewsroomAdmin(admin.ModelAdmin):
    # A bare "example.com" typed in a link field means https, as Django 6 will assume.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Section)
class SectionAdmin(NewsroomAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(NewsroomAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


@admin.register(Source)
class SourceAdmin(NewsroomAdmin):
    list_display = ["name", "slug", "homepage"]
    search_fields = ["name", "homepage"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(NewsroomAdmin):
    list_display = ["name", "slug", "approved", "featured", "article_count"]
    list_filter = ["approved", "featured"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("tagged_articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, tag: Tag) -> int:
        return tag.article_count


@admin.register(Article)
class ArticleAdmin(NewsroomAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status", "language", "section", "byline", "publish_at", "updated_at"]
    list_filter = ["status", "language", "section", "is_featured", "publish_at"]
    search_fields = ["title", "summary"]
    date_hierarchy = "publish_at"
    ordering = ["-updated_at"]
    list_select_related = ["section"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors"]
    autocomplete_fields = ["source"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "language"]}),
        (_("Placement"), {"fields": ["section", "authors", "tags", "is_featured"]}),
        (_("Publication"), {"fields": ["status", "publish_at"]}),
        (_("Original news"), {"fields": ["source", "source_url"]}),
        (_("Image"), {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        (_("History"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    @admin.display(description=_("authors"))
    def byline(self, article: Article) -> str:
        return ", ".join(author.name for author in article.authors.all())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
