"""Share links: editors hand a draft to someone without an account, for a while."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import editions, selectors, services
from .base import error_messages
from .revisions import HistoryView


class ShareView(HistoryView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        article = self.get_article(pk)
        try:
            hours = int(request.POST.get("hours", 48))
        except ValueError:
            self.model_admin.message_user(
                request, _("Choose how many hours the link should last."), messages.ERROR
            )
            return self.back_to(article)
        try:
            _link, token = services.preview_link_make(article=article, by=request.user, hours=hours)
        except (ValidationError, PermissionDenied) as error:
            self.model_admin.message_user(request, " ".join(error_messages(error)), messages.ERROR)
            return self.back_to(article)
        with editions.serving(article.language):  # shown in the article's own edition
            url = request.build_absolute_uri(reverse("articles:preview", args=[token]))
        self.model_admin.message_user(
            request,
            format_html(
                _("Preview link, valid for {} hours (copy it now: it is shown only once): {}"),
                hours,
                format_html('<a href="{0}" class="preview-link">{0}</a>', url),
            ),
            messages.SUCCESS,
        )
        return self.back_to(article)

    def back_to(self, article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


class RevokeView(ShareView):
    def post(self, request, pk: int, link_id: int):
        article = self.get_article(pk)
        link = get_object_or_404(selectors.article_preview_links(article), pk=link_id)
        services.preview_link_revoke(link=link, by=request.user)
        self.model_admin.message_user(
            request, _("The preview link no longer shows the article."), messages.SUCCESS
        )
        return self.back_to(article)
