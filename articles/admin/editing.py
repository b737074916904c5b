"""Saving the article form: one service call, one revision, and no lost text.

A save from a stale form, or by someone who can no longer change the
article, is refused with 409 and the typed text shown back.
"""

import reversion
from django.contrib.admin.utils import flatten_fieldsets
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors, services, workflow
from ..models import Article
from ..permissions import user_can_see_history

# The fields shown back when a save is refused.
POSTED_TEXT = [
    ("title", gettext_lazy("Title")),
    ("summary", gettext_lazy("Summary")),
    ("body", gettext_lazy("Body")),
    ("tags", gettext_lazy("Tags")),
]


class EditingMixin:
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
            return self.refused_edit(
                request,
                obj,
                _(
                    "This article was published or moved on while you were editing, and you "
                    "can no longer change it. Your text was not saved; it is below so you can "
                    "send it to an editor."
                ),
            )
        if obj is not None:
            extra_context["transitions"] = workflow.article_transitions(
                article=obj, user=request.user
            )
            extra_context["can_see_history"] = obj.pk and user_can_see_history(
                article=obj, user=request.user
            )
            if extra_context["can_see_history"]:
                extra_context["preview_links"] = selectors.article_preview_links(obj)
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                return super().changeform_view(request, object_id, form_url, extra_context)
        except services.EditConflict:
            # Someone saved between our form check and our write: nothing was saved.
            return self.refused_edit(
                request,
                obj,
                _(
                    "Someone else saved this article at the same moment. Your text was not "
                    "saved; it is below: reload the article and apply your changes again."
                ),
            )

    def refused_edit(self, request, article: Article, message: str) -> TemplateResponse:
        return TemplateResponse(
            request,
            "admin/articles/article/edit_refused.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Your edit was not saved"),
                "opts": self.model._meta,
                "original": article,
                "message": message,
                "posted": [(label, request.POST.get(name, "")) for name, label in POSTED_TEXT],
            },
            status=409,
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Tags are the form's own field, saved by services.article_save (which knows
        # who added them), never by the model form's many-to-many step.
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name != "tags"]
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        reversion.set_comment(
            _("Changed %(fields)s") % {"fields": ", ".join(form.changed_data)}
            if change and form.changed_data
            else (_("Created") if not change else _("Saved without changes"))
        )
        services.article_save(
            article=obj,
            by=request.user,
            tags=form.cleaned_data.get("tags"),
            expected_version=form.cleaned_data.get("edit_version") if change else None,
            previous_slug=form.initial.get("slug", "") if change else "",
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The revision holds the article as saved with its authors and tags.
        reversion.add_to_revision(form.instance)
        services.revision_record_tags(form.instance)
