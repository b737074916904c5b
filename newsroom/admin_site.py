"""The desk's admin site: Django's, with a second factor at sign-in and a view-on-site
link that cannot be used to probe."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from newsroom import signin, two_factor


class NewsroomAdminSite(admin.AdminSite):
    index_title = _("Newsroom desk")
    # The desk needs its width for the article list more than for a second menu.
    enable_nav_sidebar = False

    @property
    def site_header(self) -> str:
        return settings.SITE_NAME

    site_title = site_header

    def has_permission(self, request) -> bool:
        # Past the password is not enough for whoever has (or must have) a second factor.
        return super().has_permission(request) and two_factor.second_factor_satisfied(request)

    def login(self, request, extra_context=None):
        step = two_factor.next_step(request)
        if step:
            return HttpResponseRedirect(step)
        if request.method == "POST" and signin.address_paused(request):
            # Before the form is checked, so no password is hashed.
            context = {**self.each_context(request), "scope": "address"}
            return render(request, "admin/locked_out.html", context, status=429)
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        """The desk's home: what is waiting for this person, above the list of models."""
        from articles.selectors.dashboard import dashboard_for

        extra_context = {**(extra_context or {}), "dashboard": dashboard_for(request.user)}
        return super().index(request, extra_context)

    def get_urls(self):
        from articles.admin.language import choose_language  # the site is made before the app

        urls = super().get_urls()
        guarded = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [
            # Signing out needs no second factor: someone stopped at the code page
            # must be able to leave (Django's own route would send them back to it).
            path("logout/", self.logout, name="logout"),
            path("two-factor/", two_factor.setup, name="two_factor_setup"),
            path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
            path("two-factor/backup-codes/", two_factor.backup_codes, name="two_factor_backup"),
            path("language/", self.admin_view(choose_language), name="desk_language"),
            *(guarded if getattr(url, "name", "") == "view_on_site" else url for url in urls),
        ]

    def view_on_site(self, request, content_type_id: str, object_id: str):
        """Where an object lives on the site, only for someone who may change it.

        Django's own redirect answers for any object of any model, and the address
        it gives away (a slug, so a headline) is what an embargo keeps secret.
        """
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, OverflowError, ContentType.DoesNotExist) as missing:
            raise Http404 from missing
        model_admin = self._registry.get(model)
        if model_admin is None:
            raise Http404
        found = model_admin.get_object(request, unquote(object_id))
        if found is None or not model_admin.has_change_permission(request, found):
            raise Http404
        # The reader's address, not the desk's language's: the English edition's, and an
        # article's own edition (Article.get_absolute_url).
        with translation.override(settings.LANGUAGE_CODE):
            return contenttype_views.shortcut(request, content_type_id, object_id)
