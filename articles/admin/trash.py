"""The trash: deleting an article in the desk moves it here; editors restore from here."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import services
from ..models import TrashedArticle
from ..permissions import user_can_delete, user_is_editor
from .base import NewsroomAdmin


class TrashOnDeleteMixin:
    """ArticleAdmin's delete: to the trash, whole; never a cascade of deletions."""

    delete_confirmation_template = "admin/articles/article/trash_confirmation.html"

    def get_deleted_objects(self, objs, request):
        # Nothing else goes: the article keeps its tags, bylines, revisions, pictures.
        perms_needed = {
            str(obj) for obj in objs if not user_can_delete(article=obj, user=request.user)
        }
        return [str(obj) for obj in objs], {}, perms_needed, []

    def delete_model(self, request, obj):
        services.article_trash(article=obj, by=request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            _("“%(title)s” is in the trash; editors can restore it from there.")
            % {"title": obj_display},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if self.has_delete_permission(request):
            actions["move_to_trash"] = (
                move_to_trash,
                "move_to_trash",
                gettext_lazy("Move to the trash"),
            )
        return actions


def move_to_trash(model_admin, request, queryset) -> None:
    moved, refused = 0, 0
    for article in queryset.select_related(None).prefetch_related(None):
        try:
            services.article_trash(article=article, by=request.user)
            moved += 1
        except PermissionDenied:
            refused += 1
    if moved:
        model_admin.message_user(
            request,
            ngettext("Moved %d article to the trash.", "Moved %d articles to the trash.", moved)
            % moved,
            messages.SUCCESS,
        )
    if refused:
        model_admin.message_user(
            request,
            ngettext(
                "%d article was not yours to delete.",
                "%d articles were not yours to delete.",
                refused,
            )
            % refused,
            messages.ERROR,
        )


@admin.register(TrashedArticle)
class TrashedArticleAdmin(NewsroomAdmin):
    """What was deleted, newest first; restoring brings an article back as a draft."""

    list_display = ["title", "section", "trashed_at", "trashed_by"]
    list_select_related = ["section", "trashed_by"]
    search_fields = ["title"]
    ordering = ["-trashed_at", "-pk"]
    actions = ["restore"]
    fields = ["title", "summary", "section", "language", "trashed_at", "trashed_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return TrashedArticle.objects.in_trash().select_related("section", "trashed_by")

    def has_module_permission(self, request):
        return user_is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return user_is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        # The list's action restores; the article itself is read here, edited once back.
        return user_is_editor(request.user) and obj is None

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Restore as drafts"))
    def restore(self, request, queryset):
        for article in queryset:
            services.article_untrash(article=article, by=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Restored %d article; it is a draft again.",
                "Restored %d articles; they are drafts again.",
                count,
            )
            % count,
            messages.SUCCESS,
        )
