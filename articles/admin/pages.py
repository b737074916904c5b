"""Sections and authors: the pages articles are listed under (sources: admin.wire)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from .. import services
from ..forms import AuthorAdminForm
from ..models import Author, Section
from .base import NewsroomAdmin, picture_status
from .pictures import PictureChooserWidget


@admin.register(Section)
class SectionAdmin(NewsroomAdmin):
    list_display = ["name", "name_fa", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_fa", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(NewsroomAdmin):
    form = AuthorAdminForm
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    raw_id_fields = ["photo"]
    list_select_related = ["user"]
    readonly_fields = ["photo_status"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "bio", "user"]}),
        (
            gettext_lazy("Photo"),
            {"fields": ["photo", "photo_status", "new_picture", "new_picture_alt"]},
        ),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "photo":
            kwargs["widget"] = PictureChooserWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("photo state"))
    def photo_status(self, author: Author) -> str:
        shown = author.pending_picture or author.photo
        if shown is None:
            return "—"
        return picture_status(shown.file_state, shown.file_error)

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("new_picture")
        if upload:
            services.author_take_picture(
                author=obj,
                picture=services.picture_create(
                    upload=upload,
                    by=request.user,
                    alt=form.cleaned_data.get("new_picture_alt", "").strip() or obj.name,
                ),
            )
        elif "photo" in form.changed_data:
            obj.pending_picture = None  # a library picture chosen instead: it wins
        services.author_save(author=obj, by=request.user)
