"""The picture library in the desk: searchable with thumbnails, a focal point set by
clicking the picture, and a list of where each picture is used (articles, authors' photos).
A picture in use cannot be deleted (the foreign keys protect it); the desk says where."""

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import services
from ..models import Picture
from ..permissions import articles_showing_picture, user_can_change_picture, user_is_editor
from ..renditions import thumbnail_url
from .base import NewsroomAdmin, picture_status


def thumbnail(picture: Picture | None, *, css_class: str = "picture-thumb") -> str:
    if picture is None or not (picture.file or picture.file_upload):
        return ""
    if not picture.file:  # the worker has not cleaned it yet, or could not
        failed = picture.file_state == "failed"
        return format_html(
            '<span class="{}">{}</span>', css_class, _("Refused") if failed else _("Processing…")
        )
    return format_html(
        '<img class="{}" src="{}" alt="{}" width="120" loading="lazy">',
        css_class,
        thumbnail_url(picture.file, picture.file_renditions),
        picture.alt,
    )


class PictureChooserWidget(ForeignKeyRawIdWidget):
    """The picture box of the article and author forms: the chosen picture's thumbnail,
    "choose from the library" (its list, searchable, in a pop-up) and the id for keyboards."""

    template_name = "admin/articles/widgets/picture_chooser.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        picture = Picture.objects.filter(pk=value).first() if str(value or "").isdigit() else None
        context["picture_thumbnail"] = thumbnail(picture)
        context["upload_url"] = reverse("admin:articles_picture_add")
        return context


@admin.register(Picture)
class PictureAdmin(NewsroomAdmin):
    list_display = ["thumb", "description", "credit", "uploaded_by", "created_at", "used"]
    list_display_links = ["thumb", "description"]
    search_fields = ["alt", "caption", "credit"]
    list_filter = ["file_state"]
    list_select_related = ["uploaded_by"]
    list_per_page = 40
    readonly_fields = [
        "picture_status", "focal_picker", "uploaded_by", "created_at", "usage", "usage_count",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["file", "picture_status", "alt", "caption", "credit"]}),
        (
            gettext_lazy("Focal point"),
            {
                "fields": ["focal_picker", "focal_x", "focal_y"],
                "description": gettext_lazy(
                    "Click the part of the picture that must stay in view: renditions, "
                    "the social card and teasers are cropped around it."
                ),
            },
        ),
        (gettext_lazy("Where it is used"), {"fields": ["usage", "uploaded_by", "created_at"]}),
    ]

    class Media:
        js = ["js/focal-point.js"]
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        uses = (
            Count("articles", distinct=True)
            + Count("social_articles", distinct=True)
            + Count("body_uses", distinct=True)
            + Count("authors", distinct=True)
        )
        return super().get_queryset(request).annotate(use_count=uses)

    @admin.display(description=gettext_lazy("picture"))
    def thumb(self, picture: Picture) -> str:
        return thumbnail(picture)

    @admin.display(description=gettext_lazy("description"), ordering="alt")
    def description(self, picture: Picture) -> str:
        return str(picture)

    @admin.display(description=gettext_lazy("uses"), ordering="use_count")
    def used(self, picture: Picture) -> int:
        return picture.use_count

    @admin.display(description=gettext_lazy("state"))
    def picture_status(self, picture: Picture) -> str:
        return picture_status(picture.file_state, picture.file_error)

    @admin.display(description=gettext_lazy("focal point"))
    def focal_picker(self, picture: Picture) -> str:
        if not picture.file:
            return _("Set the focal point once the picture is ready.")
        return format_html(
            '<div class="focal-picker" data-x="focal_x" data-y="focal_y" '
            'data-focal-x="{}" data-focal-y="{}">'
            '<img src="{}" alt="{}"><span class="focal-picker__mark" aria-hidden="true"></span>'
            "</div>",
            picture.focal_x,
            picture.focal_y,
            thumbnail_url(picture.file, picture.file_renditions),
            picture.alt,
        )

    @admin.display(description=gettext_lazy("used in"))
    def usage(self, picture: Picture) -> str:
        """Every article and byline showing the picture (editors see them all)."""
        if picture.pk is None:
            return "—"
        uses = [
            (reverse("admin:articles_article_change", args=[a.pk]), a.title)
            for a in articles_showing_picture(picture).order_by("-updated_at")[:50]
        ] + [
            (
                reverse("admin:articles_author_change", args=[a.pk]),
                _("%(name)s (author’s photo)") % {"name": a.name},
            )
            for a in picture.authors.order_by("name")[:50]
        ]
        if not uses:
            return _("No article or author uses this picture.")
        return format_html(
            '<ul class="picture-usage">{}</ul>',
            format_html_join("", '<li><a href="{}">{}</a></li>', uses),
        )

    @admin.display(description=gettext_lazy("used in"))
    def usage_count(self, picture: Picture) -> str:
        """How many use it, for reporters: other people's drafts stay out of sight."""
        count = articles_showing_picture(picture).count() + picture.authors.count()
        return ngettext("%(count)d article or byline", "%(count)d articles or bylines", count) % {
            "count": count
        }

    def get_fieldsets(self, request, obj=None):
        shown = "usage" if user_is_editor(request.user) else "usage_count"
        return [
            (name, {**options, "fields": [shown if f == "usage" else f for f in options["fields"]]})
            for name, options in self.fieldsets
        ]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or user_can_change_picture(picture=obj, user=request.user)

    def save_model(self, request, obj, form, change):
        services.picture_save(picture=obj, by=request.user)
