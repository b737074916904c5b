"""The newsroom desk. Every permission is checked here on the server and again
in articles.services, which hold the rules; templates only follow them."""

import difflib

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reversion.models import Version

from . import search, services, tagging
from .forms import ArticleAdminForm, ScheduleForm, TagAdminForm, TagMergeForm
from .models import (
    Article,
    ArticleRedirect,
    Author,
    ProposedTag,
    Section,
    Source,
    Tag,
    TagLogEntry,
    TagRedirect,
)
from .text import fold


class NewsroomAdmin(admin.ModelAdmin):
    # A bare "example.com" typed in a link field means https, as Django 6 will assume.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def action_page(self, request, template: str, title: str, **context) -> TemplateResponse:
        """The intermediate page of a bulk action that asks one more question."""
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                **context,
            },
        )


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


class TagAdminBase(NewsroomAdmin):
    """Editors curate the vocabulary; every step goes through articles.tagging."""

    form = TagAdminForm
    list_display = ["name", "slug", "article_count", "approved", "featured"]
    list_filter = ["approved", "featured"]
    search_fields = ["name"]
    readonly_fields = ["slug"]
    fields = ["name", "slug", "description", "approved", "featured"]
    actions = ["approve", "merge", "delete_unused"]

    def get_queryset(self, request):
        return tagging.tags_with_usage()

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
        if "name" in form.changed_data:
            tagging.tag_rename(tag=stored, name=obj.name, by=request.user)
        if "approved" in form.changed_data and obj.approved:
            tagging.tag_approve(tags=[stored], by=request.user)
        stored.description, stored.featured = obj.description, obj.featured
        stored.approved = obj.approved
        stored.save(update_fields=["description", "featured", "approved"])
        if "approved" in form.changed_data and not obj.approved:
            tagging.reindex_articles_tagged(stored)  # withdrawn: search must forget it
        obj.slug = stored.slug

    @admin.action(description=gettext_lazy("Approve: readers can see them"), permissions=["change"])
    def approve(self, request, queryset):
        count = tagging.tag_approve(tags=list(queryset), by=request.user)
        self.message_user(request, ngettext("Approved %d tag.", "Approved %d tags.", count) % count)

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

    def _may_tag(self, request) -> bool:
        return request.user.has_perm("articles.change_article") or request.user.has_perm(
            "articles.add_article"
        )

    def autocomplete_view(self, request):
        """Approved tags matching what is typed, with how often each is used (staff only)."""
        if not self._may_tag(request):
            raise PermissionDenied
        return JsonResponse({"results": tagging.tag_autocomplete(request.GET.get("q", "")[:100])})

    def suggest_view(self, request):
        """Existing tags the article's text mentions (staff only)."""
        if not self._may_tag(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        text = data.get("text", "")[:200_000]
        present = [name.strip() for name in data.get("tags", "").split(",") if name.strip()]
        return JsonResponse({"results": tagging.tag_suggestions(text, exclude=present)})

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
                "pairs": tagging.tag_possible_duplicates(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(ProposedTag)
class ProposedTagAdmin(TagAdminBase):
    """Reporters' new tags, waiting for an editor: approve, rename or merge."""

    list_display = ["name", "article_count", "used_in"]
    list_filter = []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(approved=False)
            .prefetch_related("tagged_articles__content_object")
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("used in"))
    def used_in(self, tag: Tag) -> str:
        titles = [item.content_object.title for item in tag.tagged_articles.all()[:3]]
        return "; ".join(titles)


@admin.register(TagLogEntry)
class TagLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "description"]
    list_filter = ["action"]
    search_fields = ["description"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TagRedirect)
class TagRedirectAdmin(NewsroomAdmin):
    list_display = ["old_slug", "tag", "created_at"]
    search_fields = ["old_slug", "tag__name"]
    list_select_related = ["tag"]
    raw_id_fields = ["tag"]


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(NewsroomAdmin):
    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__title"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]


# The desk ----------------------------------------------------------------------


class DeskPaginator(Paginator):
    """Counts exactly, except a whole large table on PostgreSQL, which it estimates.

    COUNT(*) over every article on every load of the desk is what makes other
    CMSs crawl at 100k articles; the planner's estimate is free.
    """

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [Article._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > 10_000:
                return row[0]
        return super().count


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("review", _("In review")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
            ("archived", _("Archived")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
            case "draft" | "review" | "archived":
                return queryset.filter(status=self.value())
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = gettext_lazy("whose")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("Mine"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            user = request.user
            return queryset.filter(
                pk__in=Article.objects.filter(Q(created_by=user) | Q(authors__user=user)).values(
                    "pk"
                )
            )
        return queryset


class TagFilter(admin.SimpleListFilter):
    """The most used tags; any other tag is one click away on its tag page."""

    title = gettext_lazy("tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        # Counting every tagging is the slowest part of a large desk: keep it a few minutes.
        def most_used():
            tags = Tag.objects.annotate(uses=Count("tagged_articles")).order_by("-uses", "name")
            return [(tag.slug, tag.name) for tag in tags[:25]]

        return cache.get_or_set("articles:desk:most-used-tags", most_used, 300)

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(NewsroomAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "title",
        "status_badge",
        "section",
        "byline",
        "language",
        "publish_at",
        "last_edit",
    ]
    list_filter = [
        StatusFilter,
        MineFilter,
        "section",
        "authors",
        "language",
        TagFilter,
    ]
    search_fields = ["title", "summary"]
    date_hierarchy = "publish_at"
    ordering = ["-updated_at", "-pk"]
    list_select_related = ["section", "updated_by"]
    list_per_page = 50
    show_full_result_count = False
    paginator = DeskPaginator
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors"]
    autocomplete_fields = ["source"]
    actions = ["submit_for_review", "publish_now", "schedule", "unpublish", "archive"]

    class Media:
        js = ["js/admin-unsaved-changes.js", "js/tag-field.js"]
        css = {"all": ["css/admin.css"]}

    def get_search_results(self, request, queryset, search_term):
        # Through the full-text index, not LIKE over every row: fast at 100k articles,
        # and any spelling of a Persian word finds it.
        if not search_term.strip():
            return queryset, False
        return search.matching(queryset, search_term, headline_only=True), False

    # Who sees and changes what ------------------------------------------------

    def get_queryset(self, request):
        return (
            services.articles_visible_in_desk(request.user)
            .select_related("section", "updated_by")
            .prefetch_related("authors")
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.user_can_edit(article=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or services.user_can_delete(article=obj, user=request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = ["status_badge", "created_by", "created_at", "updated_by", "updated_at"]
        if not services.user_can_publish(request.user):
            fields += ["publish_at", "is_featured"]
        return fields

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["title", "slug", "summary", "body", "language", "edit_version"]}),
            (_("Placement"), {"fields": ["section", "authors", "tags", "is_featured"]}),
            (_("Publication"), {"fields": ["status_badge", "publish_at"]}),
            (_("Original news"), {"fields": ["source", "source_url"]}),
            (_("Image"), {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
            (
                _("History"),
                {"fields": ["created_by", "created_at", "updated_by", "updated_at"]},
            ),
        ]

    # Change list ----------------------------------------------------------------

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, article: Article) -> str:
        if article.pk is None:
            return format_html(
                '<span class="status-badge status-badge--draft">{}</span>', _("Draft")
            )
        if article.is_scheduled():
            label = _("Scheduled — in %(time)s") % {"time": timeuntil(article.publish_at, depth=1)}
            css = "scheduled"
        else:
            label, css = article.get_status_display(), article.status
        return format_html('<span class="status-badge status-badge--{}">{}</span>', css, label)

    @admin.display(description=gettext_lazy("last edit"), ordering="updated_at")
    def last_edit(self, article: Article) -> str:
        when = _("%(time)s ago") % {"time": timesince(article.updated_at, depth=1)}
        if article.updated_by:
            return format_html("{}<br><small>{}</small>", article.updated_by.get_username(), when)
        return when

    @admin.display(description=gettext_lazy("authors"))
    def byline(self, article: Article) -> str:
        return ", ".join(author.name for author in article.authors.all())

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            # A date drill-down past year 9999, typed into the address bar.
            raise IncorrectLookupParameters(error) from error

    # Saving -----------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id) if object_id else Article(created_by=request.user)
        if (
            request.method == "POST"
            and obj is not None
            and obj.pk
            and not self.has_change_permission(request, obj)
            and self.has_view_permission(request, obj)
        ):
            # The article moved out of this person's reach while they were typing
            # (an editor published it): refuse the save, keep their words.
            return self._refused_edit(
                request,
                obj,
                _(
                    "This article was published or moved on while you were editing, and you "
                    "can no longer change it. Your text was not saved; it is below so you can "
                    "send it to an editor."
                ),
            )
        if obj is not None:
            extra_context["transitions"] = services.article_transitions(
                article=obj, user=request.user
            )
            extra_context["can_share_preview"] = obj.pk and services.user_is_editor(request.user)
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                return super().changeform_view(request, object_id, form_url, extra_context)
        except services.EditConflict:
            # Someone saved between our form check and our write: nothing was saved.
            return self._refused_edit(
                request,
                obj,
                _(
                    "Someone else saved this article at the same moment. Your text was not "
                    "saved; it is below: reload the article and apply your changes again."
                ),
            )

    def _refused_edit(self, request, article: Article, message: str):
        return TemplateResponse(
            request,
            "admin/articles/article/edit_refused.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Your edit was not saved"),
                "opts": self.model._meta,
                "original": article,
                "message": message,
                "posted": [
                    (label, request.POST.get(name, ""))
                    for name, label in [
                        ("title", _("Title")),
                        ("summary", _("Summary")),
                        ("body", _("Body")),
                        ("tags", _("Tags")),
                    ]
                ],
            },
            status=409,
        )

    def save_model(self, request, obj, form, change):
        reversion.set_comment(
            _("Changed %(fields)s") % {"fields": ", ".join(form.changed_data)}
            if change and form.changed_data
            else (_("Created") if not change else _("Saved without changes"))
        )
        services.article_save(
            article=obj,
            by=request.user,
            expected_version=form.cleaned_data.get("edit_version") if change else None,
            previous_slug=form.initial.get("slug", "") if change else "",
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if "tags" in form.cleaned_data:
            tagging.article_set_tags(
                article=article, names=form.cleaned_data["tags"], by=request.user
            )
        name = request.POST.get("_transition")
        if name:
            self._apply_transition(request, form, name)
        # The revision holds the article as saved with its authors and tags.
        reversion.add_to_revision(article)
        services.revision_record_tags(article)

    def _apply_transition(self, request, form, name: str) -> None:
        article = form.instance
        try:
            services.article_apply_transition(
                article=article,
                by=request.user,
                name=name,
                at=form.cleaned_data.get("publish_at") or article.publish_at,
            )
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, " ".join(_messages(error)), messages.ERROR)
        else:
            self.message_user(request, _transition_done(name, article), messages.SUCCESS)

    def response_add(self, request, obj, post_url_continue=None):
        if "_transition" in request.POST:
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_transition" in request.POST:
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_change(request, obj)

    # Bulk actions ----------------------------------------------------------------

    def _bulk(self, request, queryset, name: str, **kwargs) -> None:
        done, refused = 0, []
        for article in queryset.select_related(None).prefetch_related(None):
            try:
                services.article_apply_transition(
                    article=article, by=request.user, name=name, **kwargs
                )
                done += 1
            except (PermissionDenied, ValidationError) as error:
                refused.extend(_messages(error))
        if done:
            self.message_user(
                request,
                ngettext("%(count)d article: %(action)s.", "%(count)d articles: %(action)s.", done)
                % {"count": done, "action": services.TRANSITIONS[name].label},
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(description=gettext_lazy("Submit for review"))
    def submit_for_review(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description=gettext_lazy("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description=gettext_lazy("Schedule…"), permissions=["publish"])
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._bulk(request, queryset, "schedule", at=form.cleaned_data["publish_at"])
            return None
        return self.action_page(
            request,
            "admin/articles/article/schedule.html",
            _("Schedule articles"),
            articles=queryset,
            form=form,
        )

    @admin.action(description=gettext_lazy("Unpublish"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._bulk(request, queryset, "unpublish")

    @admin.action(description=gettext_lazy("Archive"), permissions=["publish"])
    def archive(self, request, queryset):
        self._bulk(request, queryset, "archive")

    def has_publish_permission(self, request) -> bool:
        return services.user_can_publish(request.user)

    # Revisions and preview links ------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/revisions/", wrap(self.revisions_view), name="articles_article_revisions"
            ),
            path(
                "<int:pk>/revisions/compare/",
                wrap(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<int:pk>/revisions/<int:version_id>/restore/",
                wrap(self.restore_view),
                name="articles_article_restore",
            ),
            path("<int:pk>/share/", wrap(self.share_view), name="articles_article_share"),
            *super().get_urls(),
        ]

    def _editor_article(self, request: HttpRequest, pk: int) -> Article:
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not services.user_is_editor(request.user):
            raise PermissionDenied
        return article

    def revisions_view(self, request, pk: int):
        article = self._editor_article(request, pk)
        return TemplateResponse(
            request,
            "admin/articles/article/revisions.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Revisions of “%(title)s”") % {"title": article.title},
                "opts": self.model._meta,
                "original": article,
                "revisions": services.article_revisions(article),
            },
        )

    def compare_view(self, request, pk: int):
        article = self._editor_article(request, pk)
        revisions = services.article_revisions(article)
        try:
            old = revisions.get(pk=int(request.GET["old"]))
            new = revisions.get(pk=int(request.GET["new"]))
        except (KeyError, ValueError, Version.DoesNotExist):
            self.message_user(
                request, _("Choose two revisions of this article to compare."), messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[pk]))
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Changes to “%(title)s”") % {"title": article.title},
                "opts": self.model._meta,
                "original": article,
                "old": old,
                "new": new,
                "changes": revision_changes(old, new),
            },
        )

    def restore_view(self, request, pk: int, version_id: int):
        article = self._editor_article(request, pk)
        version = get_object_or_404(services.article_revisions(article), pk=version_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[pk]))
        try:
            services.article_restore_revision(article=article, version=version, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, " ".join(_messages(error)), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Restored the revision of %(date)s. The restore is itself a new revision.")
                % {
                    "date": timezone.localtime(version.revision.date_created).strftime(
                        "%Y-%m-%d %H:%M"
                    )
                },
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def share_view(self, request, pk: int):
        article = self._editor_article(request, pk)
        if request.method != "POST":
            raise Http404
        try:
            hours = int(request.POST.get("hours", 48))
            token = services.article_preview_token(article=article, by=request.user, hours=hours)
        except (ValueError, ValidationError, PermissionDenied) as error:
            message = (
                " ".join(_messages(error))
                if not isinstance(error, ValueError)
                else _("Choose how many hours the link should last.")
            )
            self.message_user(request, message, messages.ERROR)
        else:
            url = request.build_absolute_uri(reverse("articles:preview", args=[token]))
            self.message_user(
                request,
                format_html(
                    _("Preview link, valid for {} hours: {}"),
                    hours,
                    format_html('<a href="{0}" class="preview-link">{0}</a>', url),
                ),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error) or _("You are not allowed to do that.")]


def _transition_done(name: str, article: Article) -> str:
    if name == "schedule" and article.is_scheduled():
        return _("Scheduled “%(title)s” for %(time)s.") % {
            "title": article.title,
            "time": timezone.localtime(article.publish_at).strftime("%Y-%m-%d %H:%M"),
        }
    return _("%(action)s: “%(title)s”.") % {
        "action": services.TRANSITIONS[name].label,
        "title": article.title,
    }


# Revision diffs ----------------------------------------------------------------

COMPARED_FIELDS = [
    ("title", gettext_lazy("Title")),
    ("slug", gettext_lazy("Slug")),
    ("summary", gettext_lazy("Summary")),
    ("body", gettext_lazy("Body")),
    ("language", gettext_lazy("Language")),
    ("section_id", gettext_lazy("Section")),
    ("authors", gettext_lazy("Authors")),
    ("tags", gettext_lazy("Tags")),
    ("source_id", gettext_lazy("Source")),
    ("source_url", gettext_lazy("Original news link")),
    ("image", gettext_lazy("Image")),
    ("image_alt", gettext_lazy("Image alt text")),
    ("image_caption", gettext_lazy("Image caption")),
    ("image_credit", gettext_lazy("Image credit")),
    ("status", gettext_lazy("Status")),
    ("publish_at", gettext_lazy("Publish at")),
    ("is_featured", gettext_lazy("Featured")),
]


def _readable(name: str, version: Version) -> str:
    """A field of a revision as an editor reads it: names, not ids; text, not HTML."""
    fields = version.field_dict
    if name == "tags":
        return ", ".join(services.revision_tag_names(version))
    value = fields.get(name)
    if name == "section_id":
        return str(Section.objects.filter(pk=value).first() or value or "")
    if name == "source_id":
        return str(Source.objects.filter(pk=value).first() or value or "")
    if name == "authors":
        return ", ".join(Author.objects.filter(pk__in=value or []).values_list("name", flat=True))
    if name == "body":
        return strip_tags((value or "").replace("</p>", "</p>\n\n")).strip()
    if name == "image":
        return getattr(value, "name", value) or ""
    if name == "publish_at" and value:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def _inline_diff(old: str, new: str) -> str:
    """Word-level diff with <del> and <ins>; every piece of text is escaped."""
    from django.utils.html import escape

    old_words, new_words = old.split(" "), new.split(" ")
    pieces = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(escape(" ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            pieces.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(pieces).replace("\n", "<br>"))  # noqa: S308 - escaped above


def revision_changes(old: Version, new: Version) -> list[dict]:
    """The fields that differ between two revisions, each with an inline diff."""
    changes = []
    for name, label in COMPARED_FIELDS:
        before, after = _readable(name, old), _readable(name, new)
        if before != after:
            changes.append({"label": label, "diff": _inline_diff(before, after)})
    return changes


# Users and roles ------------------------------------------------------------------

ROLE_NAMES = ["Reporter", "Editor"]


admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    """Administrators add people, give them roles and switch them off."""

    list_display = [
        "username",
        "full_name",
        "email",
        "roles",
        "is_active",
        "is_superuser",
        "last_login",
    ]
    list_filter = ["groups", "is_active", "is_superuser"]
    actions = ["deactivate", "activate"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["label"] = _("Roles")
            kwargs["help_text"] = _(
                "Reporters write and submit their own articles; editors publish and curate. "
                "Administrators are superusers."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        # A role is only useful with a way into the desk.
        if not user.is_staff and user.groups.filter(name__in=ROLE_NAMES).exists():
            user.is_staff = True
            user.save(update_fields=["is_staff"])

    @admin.display(description=gettext_lazy("name"))
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    @admin.display(description=gettext_lazy("roles"))
    def roles(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all())

    @admin.action(description=gettext_lazy("Deactivate: they can no longer sign in"))
    def deactivate(self, request, queryset):
        count = queryset.exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(
            request, ngettext("%d account deactivated.", "%d accounts deactivated.", count) % count
        )

    @admin.action(description=gettext_lazy("Reactivate"))
    def activate(self, request, queryset):
        count = queryset.update(is_active=True)
        self.message_user(
            request, ngettext("%d account reactivated.", "%d accounts reactivated.", count) % count
        )


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    filter_horizontal = ["permissions"]
