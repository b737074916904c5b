"""Workflow in the desk: the form's buttons and the list's bulk actions.

Both are derived from articles.workflow.TRANSITIONS: a registered transition
appears as a button (when it applies to the article) and as a bulk action (for
roles that may apply it), and is checked on the server by its own refusal().
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import ngettext

from .. import editorial
from ..forms import ScheduleForm
from ..workflow import TRANSITIONS, Transition, article_apply_transition
from .base import error_messages


def bulk_action(transition: Transition):
    """The bulk action of one transition; one that needs a time asks for it first."""

    def action(model_admin, request, queryset):
        if not transition.needs_time:
            return model_admin.apply_to_all(request, queryset, transition)
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            return model_admin.apply_to_all(
                request, queryset, transition, at=form.cleaned_data["publish_at"]
            )
        return model_admin.action_page(
            request,
            "admin/articles/article/schedule.html",
            str(transition.label),
            articles=queryset,
            form=form,
            transition=transition,
        )

    action.__name__ = transition.name
    return action


class WorkflowMixin:
    def get_actions(self, request):
        actions = super().get_actions(request)
        for transition in TRANSITIONS.values():
            if transition.offered_to(request.user):
                label = f"{transition.label}…" if transition.needs_time else transition.label
                actions[transition.name] = (bulk_action(transition), transition.name, label)
        return actions

    def apply_to_all(self, request, queryset, transition: Transition, **kwargs) -> None:
        done, refused = 0, []
        for article in queryset.select_related(None).prefetch_related(None):
            try:
                transition.execute(article=article, by=request.user, **kwargs)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                refused.extend(error_messages(error))
        if done:
            self.message_user(
                request,
                ngettext("%(count)d article: %(action)s.", "%(count)d articles: %(action)s.", done)
                % {"count": done, "action": transition.label},
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    # The form's buttons: the edits are saved first, then the transition applies.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        name = request.POST.get("_transition")
        note = request.POST.get("_note", "")
        if not name:
            if note.strip():
                editorial.note_add(article=form.instance, by=request.user, text=note)
            return
        article = form.instance
        try:
            article_apply_transition(
                article=article,
                by=request.user,
                name=name,
                at=form.cleaned_data.get("publish_at") or article.publish_at,
            )
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, " ".join(error_messages(error)), messages.ERROR)
        else:
            # The note goes with the step: why it was submitted, why it came back.
            editorial.note_add(article=article, by=request.user, text=note, occasion=name)
            self.message_user(request, TRANSITIONS[name].done_message(article), messages.SUCCESS)

    def response_add(self, request, obj, post_url_continue=None):
        if "_transition" in request.POST:
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_transition" in request.POST:
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_change(request, obj)
