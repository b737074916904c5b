"""The language the desk speaks to each member of staff, chosen by themselves.

Read once a session by articles.middleware.DeskLanguageMiddleware; in Persian the
desk is Django's right-to-left admin in Persian, with Solar Hijri dates.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import DeskPreferences

SESSION_KEY = "desk_language"


def desk_language(request: HttpRequest) -> str:
    """The signed-in person's desk language: put in the session at sign-in."""
    language = request.session.get(SESSION_KEY)
    if language not in dict(settings.LANGUAGES):  # a session from before the choice existed
        language = remember_desk_language(sender=None, request=request, user=request.user)
    return language


def remember_desk_language(sender, request: HttpRequest, user, **kwargs) -> str:
    """At sign-in (the session is written then anyway): the person's desk language."""
    chosen = DeskPreferences.objects.filter(user=user).values_list("language")
    language = (chosen.first() or (settings.LANGUAGE_CODE,))[0]
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = language
    return language


class DeskLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Desk language"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )


def choose_language(request: HttpRequest) -> HttpResponse:
    """GET: the choice; POST: keep it, for this session and the next ones."""
    form = DeskLanguageForm(request.POST or None, initial={"language": desk_language(request)})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        DeskPreferences.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_KEY] = language
        with translation.override(language):  # said in the language chosen
            messages.success(request, _("The desk speaks your language now."))
        wanted = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
            wanted = "../"
        return HttpResponseRedirect(wanted)
    context = {
        **admin.site.each_context(request),
        "title": _("Desk language"),
        "form": form,
        "next": request.GET.get("next", ""),
    }
    return render(request, "admin/desk_language.html", context)
