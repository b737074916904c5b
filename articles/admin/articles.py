"""ArticleAdmin: the desk's configuration, and where its concerns are wired together.

What a row shows (desk), how a save works (editing), the workflow buttons and
bulk actions (workflow), and an article's history and share links (revisions,
previews) each live in their own module.
"""

from django.contrib import admin
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from .. import richtext
from ..forms import ArticleAdminForm
from ..models import Article, ArticleRedirect
from ..permissions import user_can_delete, user_can_edit, user_can_publish, user_is_editor
from ..selectors import articles_visible_in_desk
from .base import NewsroomAdmin
from .desk import DeskListMixin, DeskPaginator, MineFilter, StatusFilter, TagFilter
from .editing import EditingMixin
from .notes import AutosaveView, CorrectionView, NoteView
from .picture_choice import PictureChoiceView
from .pictures import PictureChooserWidget
from .previews import RevokeView, ShareView
from .revisions import CompareView, RestoreView, RevisionsView
from .trash import TrashOnDeleteMixin
from .wire import wire_origin
from .workflow import WorkflowMixin


@admin.register(Article)
class ArticleAdmin(TrashOnDeleteMixin, EditingMixin, WorkflowMixin, DeskListMixin, NewsroomAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "title",
        "status_badge",
        "section",
        "byline",
        "language",
        "publication",
        "last_edit",
    ]
    list_filter = [StatusFilter, MineFilter, "section", "authors", "source", "language", TagFilter]
    search_fields = ["title", "summary"]
    date_hierarchy = "publish_at"
    ordering = ["-updated_at", "-pk"]
    list_select_related = ["section"]
    # As WordPress's 20: a desk page is what an editor scans, and each row costs render time.
    list_per_page = 25
    show_full_result_count = False
    paginator = DeskPaginator
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors"]
    autocomplete_fields = ["source", "translation"]
    raw_id_fields = ["picture", "social_picture"]

    class Media:
        js = [
            "js/admin-unsaved-changes.js",
            "js/body-stats.js",
            "js/autosave.js",
            "js/search-preview.js",
            "js/tag-field.js",
            "vendor/jalaali-js/jalaali.min.js",
            "js/desk-persian.js",
        ]
        css = {"all": ["css/admin.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            # The rich-text editor; editors also get its source view (articles.richtext).
            return ProseEditorFormField(
                label=capfirst(db_field.verbose_name),
                required=False,
                help_text=_(
                    "Paste from Word, Google Docs or a web page: only paragraphs, headings, "
                    "lists, quotes and links are kept. A YouTube, Vimeo, X or Instagram link "
                    "alone on a line becomes an embedded player."
                ),
                config=richtext.editor_config(source_view=user_is_editor(request.user)),
                # Each paragraph runs in the direction of its own script.
                widget=AdminProseEditorWidget(attrs={"dir": "auto"}),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("picture", "social_picture"):
            kwargs["widget"] = PictureChooserWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        articles = articles_visible_in_desk(request.user)
        match = request.resolver_match
        if match and match.url_name == "articles_article_changelist":
            # The list shows no body, the longest part of every row: with it, SQLite
            # sorted every article's whole row (350 ms at 100k articles).
            return articles.prefetch_related("updated_by", "authors").defer("body")
        return articles.select_related("section", "updated_by", "picture").prefetch_related(
            "authors"
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or user_can_edit(article=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or user_can_delete(article=obj, user=request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = [
            "status_badge",
            "picture_status",
            "created_by",
            "created_at",
            "updated_by",
            "updated_at",
            "wire_origin",
        ]
        if not user_can_publish(request.user):
            fields += ["publish_at", "is_featured"]
        return fields

    def get_fieldsets(self, request, obj=None):
        return [
            (
                None,
                {"fields": ["title", "slug", "summary", "body", "language", "edit_version"]},
            ),
            (_("Translation"), {"fields": ["translation"]}),
            (_("Placement"), {"fields": ["section", "authors", "tags", "is_featured"]}),
            (_("Publication"), {"fields": ["status_badge", "publish_at"]}),
            (_("Original news"), {"fields": ["source", "source_url", "wire_origin"]}),
            (
                _("Picture"),
                {
                    "fields": [
                        "picture",
                        "picture_status",
                        "new_picture",
                        "new_picture_alt",
                        "new_picture_caption",
                        "new_picture_credit",
                    ]
                },
            ),
            (
                _("Search and social"),
                {
                    "fields": ["seo_title", "meta_description", "social_picture", "noindex"],
                    "classes": ["search-and-social"],
                },
            ),
            (_("History"), {"fields": ["created_by", "created_at", "updated_by", "updated_at"]}),
        ]

    @admin.display(description=_("wire desk"))
    def wire_origin(self, article: Article) -> str:
        return wire_origin(article)

    def get_urls(self):
        def view(view_class):
            return self.admin_site.admin_view(view_class.as_view(model_admin=self))

        return [
            path("<int:pk>/revisions/", view(RevisionsView), name="articles_article_revisions"),
            path("<int:pk>/revisions/compare/", view(CompareView), name="articles_article_compare"),
            path(
                "<int:pk>/revisions/<int:version_id>/restore/",
                view(RestoreView),
                name="articles_article_restore",
            ),
            path("<int:pk>/share/", view(ShareView), name="articles_article_share"),
            path("<int:pk>/notes/", view(NoteView), name="articles_article_note"),
            path("<int:pk>/corrections/", view(CorrectionView), name="articles_article_correct"),
            path("<int:pk>/autosave/", view(AutosaveView), name="articles_article_autosave"),
            path("autosave/", view(AutosaveView), name="articles_article_autosave_new"),
            path(
                "pictures/choose/",
                view(PictureChoiceView),
                name="articles_article_picture_choice",
            ),
            path(
                "<int:pk>/share/<int:link_id>/revoke/",
                view(RevokeView),
                name="articles_article_revoke_preview",
            ),
            *super().get_urls(),
        ]


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(NewsroomAdmin):
    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__title"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]
