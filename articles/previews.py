"""A draft shown to whoever holds a share link, and what every preview answers with."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.generic import TemplateView

from . import editions, selectors, structured_data


class PreviewView(TemplateView):
    """A draft shown to whoever holds a signed, unexpired share link."""

    template_name = "articles/article_detail.html"

    def get(self, request, *args, **kwargs):
        found = selectors.article_from_preview_token(kwargs["token"])
        if found is None:
            raise Http404("Unknown or expired preview link")
        self.article, self.expires = found
        if self.article.language != editions.language():
            # Shown in the edition of its language, as it will be once published.
            with editions.serving(self.article.language):
                there = reverse("articles:preview", kwargs={"token": kwargs["token"]})
            return mark_as_preview(HttpResponseRedirect(there))
        return mark_as_preview(super().get(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            article=self.article,
            is_preview=True,
            preview_expires=self.expires,
            article_jsonld=structured_data.news_article(self.article, self.request),
        )
        return context


def mark_as_preview(response: HttpResponse) -> HttpResponse:
    """Previews are never indexed and never cached by anyone."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
