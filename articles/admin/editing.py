"""Saving the article form: one service call, one revision, and no lost text.

A save from a stale form, or by someone who can no longer change the
article, is refused with 409 and the typed text shown back.
"""

import reversion
from django.conf import settings
from django.contrib.admin.utils import flatten_fieldsets
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import editorial, selectors, services, workflow
from ..models import Article, Correction
from ..permissions import user_can_publish, user_can_see_history

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
            extra_context.update(self.desk_context(request, obj))
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

    def desk_context(self, request, article: Article) -> dict:
        """Notes, corrections and the autosave offered back, around the form."""
        saved = article if article.pk else None
        context = {
            "notes": selectors.article_notes(article) if saved else [],
            "note_steps": [
                str(t.label)
                for t in workflow.article_transitions(article=article, user=request.user)
                if t.asks_for_note
            ],
            "corrections": list(article.corrections.all()) if saved else [],
            "can_correct": bool(saved)
            and article.is_published()
            and user_can_publish(request.user),
            "correction_kinds": Correction.Kind.choices,
            "autosave_url": reverse("admin:articles_article_autosave", args=[article.pk])
            if saved
            else reverse("admin:articles_article_autosave_new"),
            "autosave_seconds": settings.ARTICLES_AUTOSAVE_SECONDS,
        }
        if request.method == "GET" and not request.GET.get("restore"):
            context["autosave"] = editorial.autosave_waiting(by=request.user, article=saved)
        context["restored"] = bool(request.GET.get("restore"))
        return context

    def get_object(self, request, object_id, from_field=None):
        """The article; with `?restore=autosave`, carrying what was last typed in its form
        (the version stays the one the typing started from, so a save over someone
        else's newer one is still refused)."""
        article = super().get_object(request, object_id, from_field)
        if article is not None and request.method == "GET" and request.GET.get("restore"):
            kept = editorial.autosave_waiting(by=request.user, article=article)
            if kept is not None:
                self.restore_autosave(article, kept)
        return article

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # Whoever writes under a byline starts a new article under it.
        byline = getattr(request.user, "author", None)
        if byline is not None and "authors" not in initial:
            initial["authors"] = [byline.pk]
        if request.GET.get("restore"):
            kept = editorial.autosave_waiting(by=request.user, article=None)
            if kept is not None:
                initial.update({k: v for k, v in kept.fields.items() if v})
        return initial

    @staticmethod
    def restore_autosave(article: Article, kept) -> None:
        for name, value in kept.fields.items():
            if name != "tags" and hasattr(article, name):
                setattr(article, name, value)
        if kept.base_version:
            article.version = kept.base_version
        article._restored_tags = kept.fields.get("tags")

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
        upload = form.cleaned_data.get("new_picture")
        if upload:
            services.article_take_picture(
                article=obj,
                picture=services.picture_create(
                    upload=upload,
                    by=request.user,
                    alt=form.cleaned_data.get("new_picture_alt", ""),
                    caption=form.cleaned_data.get("new_picture_caption", ""),
                    credit=form.cleaned_data.get("new_picture_credit", ""),
                ),
            )
        elif "picture" in form.changed_data:
            obj.pending_picture = None  # a library picture chosen instead: it wins
        services.article_save(
            article=obj,
            by=request.user,
            tags=form.cleaned_data.get("tags"),
            expected_version=form.cleaned_data.get("edit_version") if change else None,
            previous_slug=form.initial.get("slug", "") if change else "",
        )
        # Saved for real: the private copy of the typing has served its purpose.
        editorial.autosave_discard(by=request.user, article=obj if change else None)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The revision holds the article as saved with its authors and tags.
        reversion.add_to_revision(form.instance)
        services.revision_record_tags(form.instance)
