"""Share links: editors hand a draft to someone without an account, for a while."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import services
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
            token = services.article_preview_token(article=article, by=request.user, hours=hours)
        except (ValidationError, PermissionDenied) as error:
            self.model_admin.message_user(request, " ".join(error_messages(error)), messages.ERROR)
            return self.back_to(article)
        url = request.build_absolute_uri(reverse("articles:preview", args=[token]))
        self.model_admin.message_user(
            request,
            format_html(
                _("Preview link, valid for {} hours: {}"),
                hours,
                format_html('<a href="{0}" class="preview-link">{0}</a>', url),
            ),
            messages.SUCCESS,
        )
        return self.back_to(article)

    def back_to(self, article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
