"""What every page of the desk shares."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views import View

from ..models import Article, PictureState
from ..selectors import articles_visible_in_desk


class CheckedActionsMixin:
    """Bulk actions only ever see ids of rows: a hand-made post of anything else is a 400."""

    def response_action(self, request, queryset):
        # Django filters by whatever ids were posted; garbage would be a database
        # error (a 500) instead of a refusal.
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        if not all(_is_row_id(value) for value in selected):
            return HttpResponseBadRequest(_("These are not rows of this list."))
        return super().response_action(request, queryset)


class ReadOnlyAdminMixin:
    """A log in the desk: it is read there, never added to, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NewsroomAdmin(CheckedActionsMixin, admin.ModelAdmin):
    # A bare "example.com" typed in a link field means https, as Django 6 will assume.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Text boxes follow the direction of what is typed in them (Persian or English);
        links and addresses stay left to right."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, (models.CharField, models.TextField)):
            ltr = isinstance(db_field, (models.URLField, models.EmailField))
            field.widget.attrs.setdefault("dir", "ltr" if ltr else "auto")
        return field

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        # Django's renders a form widget through the template engine on every row:
        # a fifth of a 50-row desk page. The same markup, written directly.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            admin.helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), obj),
        )

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


def _is_row_id(value: str) -> bool:
    """An id the database can look up: a whole number of at most 63 bits."""
    return value.isascii() and value.isdigit() and int(value) < 2**63


def picture_status(state: str, error: str) -> SafeString | str:
    """Where a new picture is on its way to readers, in the desk's words."""
    if state == PictureState.PROCESSING:
        return format_html(
            '<span class="picture-status picture-status--processing">{}</span>',
            _(
                "Processing: the new picture appears on the site when it is ready "
                "(usually within a minute). Until then readers see the previous one."
            ),
        )
    if state == PictureState.FAILED:
        return format_html(
            '<span class="picture-status picture-status--failed"><strong>{}</strong> {}</span>',
            _("The new picture could not be used:"),
            error,
        )
    return _("Ready")


def error_messages(error: Exception) -> list[str]:
    """What to tell the person about a refused step, in their words."""
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error) or _("You are not allowed to do that.")]


class ArticleDeskView(View):
    """A page of the desk about one article, wired up by ArticleAdmin.get_urls()."""

    model_admin: admin.ModelAdmin = None
    template_name = ""

    def get_article(self, pk: int) -> Article:
        """The article, if this person may see it in the desk (404 otherwise)."""
        return get_object_or_404(articles_visible_in_desk(self.request.user), pk=pk)

    def render(self, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                **self.model_admin.admin_site.each_context(self.request),
                "title": title,
                "opts": Article._meta,
                **context,
            },
        )
