"""The front page editors arrange, per edition: the top story, pinned stories in order
(arrows, or dragging with JavaScript), and a breaking-news banner with an end.

Moving, adding and removing stories only changes the form; "Save" puts the
arrangement live (articles.editorial.front_page_arrange checks the rest).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import editions, editorial
from ..models import Article, FrontPage
from .base import NewsroomAdmin


class StorySelect(AutocompleteSelect):
    """The story search box; a value that is no story's id is shown as no choice (the
    form says why) instead of being looked up."""

    def optgroups(self, name, value, attr=None):
        usable = [v for v in value if str(v).isdigit() and int(v) < 2**63]
        return super().optgroups(name, usable, attr)


def _story_field(name: str, label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Article.objects.not_in_trash(),
        required=False,
        label=label,
        widget=StorySelect(FrontPage._meta.get_field(name), admin.site),
    )


class FrontPageForm(forms.Form):
    top_story = _story_field("top_story", gettext_lazy("Top story"))
    add_pin = _story_field("top_story", gettext_lazy("Pin another story"))
    banner_text = forms.CharField(
        label=gettext_lazy("Breaking news"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField article-wide", "dir": "auto"}),
        help_text=FrontPage._meta.get_field("banner_text").help_text,
    )
    banner_link = _story_field("banner_link", gettext_lazy("Banner links to"))
    banner_expires_at = forms.SplitDateTimeField(
        label=gettext_lazy("Banner until"),
        required=False,
        help_text=FrontPage._meta.get_field("banner_expires_at").help_text,
        widget=forms.SplitDateTimeWidget(date_attrs={"type": "date"}, time_attrs={"type": "time"}),
    )


def _pinned_from(request) -> list[Article] | None:
    """The pinned stories as the form lists them, in its order; None if tampered with."""
    ids = request.POST.getlist("pinned")
    if not all(value.isdigit() and int(value) < 2**63 for value in ids):
        return None
    found = Article.objects.not_in_trash().in_bulk([int(value) for value in ids])
    return [found[int(value)] for value in ids if int(value) in found]


def _rearranged(pinned: list[Article], move: str) -> list[Article]:
    """`move` is "up:N", "down:N" or "remove:N", from the row's buttons."""
    action, _sep, index = move.partition(":")
    if not index.isdigit() or int(index) >= len(pinned):
        return pinned
    n, pinned = int(index), list(pinned)
    if action == "up" and n > 0:
        pinned[n - 1], pinned[n] = pinned[n], pinned[n - 1]
    elif action == "down" and n < len(pinned) - 1:
        pinned[n + 1], pinned[n] = pinned[n], pinned[n + 1]
    elif action == "remove":
        del pinned[n]
    return pinned


@admin.register(FrontPage)
class FrontPageAdmin(NewsroomAdmin):
    list_display = ["__str__", "top_story", "banner_text", "updated_at"]
    list_display_links = ["__str__"]
    autocomplete_fields = ["top_story", "banner_link"]

    class Media:
        js = ["js/front-page.js"]
        css = {"all": ["css/admin.css"]}

    def has_add_permission(self, request):
        return False  # one per edition, made by a migration

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not object_id.isdigit():
            raise Http404
        arranged = get_object_or_404(FrontPage, pk=object_id)
        if not self.has_change_permission(request, arranged):
            raise PermissionDenied
        if request.method == "POST":
            return self.post(request, arranged)
        form = FrontPageForm(
            initial={
                "top_story": arranged.top_story,
                "banner_text": arranged.banner_text,
                "banner_link": arranged.banner_link,
                "banner_expires_at": arranged.banner_expires_at,
            }
        )
        pinned = [pin.article for pin in arranged.pins.select_related("article")]
        return self.render(request, arranged, form, pinned)

    def post(self, request, arranged: FrontPage):
        form = FrontPageForm(request.POST)
        pinned = _pinned_from(request)
        if pinned is None:
            form.is_valid()
            form.add_error(
                None, _("The pinned stories sent are not stories of this desk; nothing was saved.")
            )
            return self.render(request, arranged, form, [], status=400)
        if not form.is_valid():
            return self.render(request, arranged, form, pinned, status=400)
        added = form.cleaned_data["add_pin"]
        if added is not None and added not in pinned:
            pinned.append(added)
        move = request.POST.get("move", "")
        if move or "_add" in request.POST:
            # Arranging only: nothing is live until "Save".
            form = FrontPageForm({**request.POST.dict(), "add_pin": ""})
            form.is_valid()
            return self.render(request, arranged, form, _rearranged(pinned, move), unsaved=True)
        try:
            editorial.front_page_arrange(
                edition=arranged.edition,
                by=request.user,
                top_story=form.cleaned_data["top_story"],
                pinned=pinned,
                banner_text=form.cleaned_data["banner_text"],
                banner_link=form.cleaned_data["banner_link"],
                banner_expires_at=form.cleaned_data["banner_expires_at"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.render(request, arranged, form, pinned, status=400)
        messages.success(request, _("The front page is saved; readers see it now."))
        return HttpResponseRedirect(reverse("admin:articles_frontpage_change", args=[arranged.pk]))

    def render(self, request, arranged, form, pinned, *, status=200, unsaved=False):
        return TemplateResponse(
            request,
            "admin/articles/frontpage/arrange.html",
            {
                **self.admin_site.each_context(request),
                "title": str(arranged),
                "opts": FrontPage._meta,
                "original": arranged,
                "form": form,
                "pinned": pinned,
                "full": len(pinned) >= settings.ARTICLES_FRONT_PAGE_PINS,
                "pin_limit": settings.ARTICLES_FRONT_PAGE_PINS,
                "unsaved": unsaved,
                "media": self.media + form.media,
                "home_url": editions.EDITIONS[arranged.edition].home_url(),
            },
            status=status,
        )
