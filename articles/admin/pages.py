"""Sections and authors: the pages articles are listed under (sources: admin.wire)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from .. import services
from ..models import Author, Section
from .base import NewsroomAdmin, picture_status


@admin.register(Section)
class SectionAdmin(NewsroomAdmin):
    list_display = ["name", "name_fa", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_fa", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(NewsroomAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    readonly_fields = ["photo_status"]

    @admin.display(description=gettext_lazy("photo"))
    def photo_status(self, author: Author) -> str:
        return picture_status(author.photo_state, author.photo_error)

    def save_model(self, request, obj, form, change):
        services.author_save(author=obj, by=request.user)
