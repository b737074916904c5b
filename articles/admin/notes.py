"""Around the article form: notes between staff, corrections on published stories, and
the private autosave of what is being typed (articles.editorial)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from .. import editorial
from ..dates import format_datetime
from ..models import Correction
from ..selectors import articles_visible_in_desk
from .base import ArticleDeskView, error_messages


def _back(article_pk: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article_pk]))


class NoteView(ArticleDeskView):
    """Leave a note on an article (POST only), shown in its form."""

    def post(self, request, pk: int):
        article = self.get_article(pk)
        try:
            note = editorial.note_add(
                article=article, by=request.user, text=request.POST.get("text", "")
            )
        except PermissionDenied as refusal:
            messages.error(request, " ".join(error_messages(refusal)))
        else:
            if note is None:
                messages.error(request, _("The note was empty; nothing was added."))
            else:
                messages.success(request, _("Your note was added."))
        return _back(article.pk)


class CorrectionView(ArticleDeskView):
    """Append a correction or an update to a published story (editors)."""

    def post(self, request, pk: int):
        article = self.get_article(pk)
        try:
            editorial.correction_add(
                article=article,
                by=request.user,
                text=request.POST.get("text", ""),
                kind=request.POST.get("kind", Correction.Kind.CORRECTION),
            )
        except (PermissionDenied, ValidationError) as refusal:
            for message in error_messages(refusal):
                messages.error(request, message)
            if isinstance(refusal, PermissionDenied):
                raise
        else:
            messages.success(request, _("Readers now see the notice under the story."))
        return _back(article.pk)


class AutosaveView(View):
    """Keep what is typed in the article form, privately (POST, from static/js/autosave.js).

    `pk` absent: a new article. Answers JSON with the time kept; a 403 or 404 when
    the person may not edit the article, a 400 for a form that is not one.
    """

    model_admin = None

    def post(self, request, pk: int | None = None):
        article = None
        if pk is not None:
            article = get_object_or_404(articles_visible_in_desk(request.user), pk=pk)
        elif not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        if "title" not in request.POST:
            return HttpResponseBadRequest(_("This is not the article form."))
        if request.POST.get("discard"):
            editorial.autosave_discard(by=request.user, article=article)
            return JsonResponse({"discarded": True})
        try:
            kept = editorial.autosave_store(by=request.user, article=article, fields=request.POST)
        except PermissionDenied:
            return JsonResponse({"error": _("You can no longer edit this article.")}, status=403)
        return JsonResponse(
            {
                "saved_at": kept.saved_at.isoformat(),
                "message": _("Draft kept %(when)s")
                % {"when": format_datetime(kept.saved_at, "desk")},
            }
        )
