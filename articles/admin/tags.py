"""The vocabulary in the desk: tags, proposals, curation, the tag log and old addresses.

Every curation step goes through articles.tagging, which checks the editor's
permission and writes the tag log.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import selectors, tagging
from ..forms import TagAdminForm, TagMergeForm
from ..models import ProposedTag, Tag, TagLogEntry, TagRedirect
from ..permissions import user_can_write
from ..text import fold
from .base import CheckedActionsMixin, NewsroomAdmin, ReadOnlyAdminMixin

# The most text the suggestion helper reads (a long article is ~60k characters).
SUGGEST_MAX_CHARS = 200_000


class TagAdminBase(NewsroomAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "article_count", "approved"]
    list_filter = ["approved"]
    search_fields = ["name"]
    readonly_fields = ["slug"]
    fields = ["name", "slug", "description", "approved"]
    actions = ["approve", "withdraw_approval", "merge", "delete_unused"]

    def get_queryset(self, request):
        return selectors.tags_with_usage()

    def get_search_results(self, request, queryset, search_term):
        # Any spelling finds the tag: "ايران" finds "ایران", "JCPOA" finds "jcpoa".
        if search_term:
            return queryset.filter(folded_name__contains=fold(search_term)), False
        return queryset, False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "Delete unused tags" keeps used ones safe
        return actions

    def has_delete_permission(self, request, obj=None):
        # A tag in use is merged, never deleted: articles would lose it, its address 404.
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or not obj.tagged_articles.exists()

    def delete_model(self, request, obj):
        tagging.tag_delete_unused(tags=[obj], by=request.user)

    @admin.display(description=gettext_lazy("articles"), ordering="article_count")
    def article_count(self, tag: Tag) -> int:
        return tag.article_count

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        stored = Tag.objects.get(pk=obj.pk)
        tagging.tag_edit(tag=stored, by=request.user, **form.cleaned_data)
        obj.slug = stored.slug

    @admin.action(description=gettext_lazy("Approve: readers can see them"), permissions=["change"])
    def approve(self, request, queryset):
        count = tagging.tag_approve(tags=list(queryset), by=request.user)
        self.message_user(request, ngettext("Approved %d tag.", "Approved %d tags.", count) % count)

    @admin.action(
        description=gettext_lazy("Withdraw approval: hide them from readers"),
        permissions=["change"],
    )
    def withdraw_approval(self, request, queryset):
        count = tagging.tag_withdraw_approval(tags=list(queryset), by=request.user)
        self.message_user(
            request,
            ngettext("Hid %d tag from readers.", "Hid %d tags from readers.", count) % count,
        )

    @admin.action(description=gettext_lazy("Merge into one tag…"), permissions=["change"])
    def merge(self, request, queryset):
        tags = queryset.order_by("-article_count", "name")
        form = TagMergeForm(request.POST if "apply" in request.POST else None, tags=tags)
        if form.is_bound and form.is_valid():
            try:
                into = tagging.tag_merge(
                    tags=list(tags), into=form.cleaned_data["into"], by=request.user
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                _("Merged into “%(name)s”; the old addresses now lead to it.")
                % {"name": into.name},
                messages.SUCCESS,
            )
            return None
        return self.action_page(
            request, "admin/articles/tag/merge.html", _("Merge tags"), tags=tags, form=form
        )

    @admin.action(description=gettext_lazy("Delete unused tags"), permissions=["delete"])
    def delete_unused(self, request, queryset):
        deleted, kept = tagging.tag_delete_unused(tags=list(queryset), by=request.user)
        if deleted:
            self.message_user(
                request,
                ngettext("Deleted %d unused tag.", "Deleted %d unused tags.", deleted) % deleted,
            )
        if kept:
            self.message_user(
                request,
                _("Kept %(names)s: articles use them. Merge them instead.")
                % {"names": ", ".join(f"“{tag.name}”" for tag in kept)},
                messages.WARNING,
            )


@admin.register(Tag)
class TagAdmin(TagAdminBase):
    change_list_template = "admin/articles/tag/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("autocomplete/", wrap(self.autocomplete_view), name="articles_tag_autocomplete"),
            path("suggest/", wrap(self.suggest_view), name="articles_tag_suggest"),
            path("duplicates/", wrap(self.duplicates_view), name="articles_tag_duplicates"),
            *super().get_urls(),
        ]

    def autocomplete_view(self, request):
        """Public tags matching what is typed, with how often each is used (writers only)."""
        if not user_can_write(request.user):
            raise PermissionDenied
        return JsonResponse(
            {
                "results": selectors.tag_autocomplete(
                    request.GET.get("q", "")[:100], user=request.user
                )
            }
        )

    def suggest_view(self, request):
        """Existing tags the article's text mentions (writers only)."""
        if not user_can_write(request.user):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        text = data.get("text", "")[:SUGGEST_MAX_CHARS]
        present = [name.strip() for name in data.get("tags", "").split(",") if name.strip()]
        suggested = selectors.tag_suggestions(text, user=request.user, exclude=present)
        return JsonResponse({"results": suggested})

    def duplicates_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/articles/tag/duplicates.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Possible duplicate tags"),
                "opts": self.model._meta,
                "pairs": selectors.tag_possible_duplicates(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(ProposedTag)
class ProposedTagAdmin(TagAdminBase):
    """Reporters' new tags, waiting for an editor: approve, rename or merge."""

    list_display = ["name", "article_count", "used_in"]
    list_filter = []

    def get_queryset(self, request):
        return selectors.tags_with_usage(ProposedTag.objects.proposed()).prefetch_related(
            "tagged_articles__content_object"
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("used in"))
    def used_in(self, tag: Tag) -> str:
        titles = [item.content_object.title for item in tag.tagged_articles.all()[:3]]
        return "; ".join(titles)


@admin.register(TagLogEntry)
class TagLogEntryAdmin(ReadOnlyAdminMixin, CheckedActionsMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "description"]
    list_filter = ["action"]
    search_fields = ["description"]
    list_select_related = ["user"]


@admin.register(TagRedirect)
class TagRedirectAdmin(NewsroomAdmin):
    list_display = ["old_slug", "tag", "created_at"]
    search_fields = ["old_slug", "tag__name"]
    list_select_related = ["tag"]
    raw_id_fields = ["tag"]
