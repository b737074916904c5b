"""People and roles: only administrators reach these pages."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .base import CheckedActionsMixin

ROLE_NAMES = ["Reporter", "Editor"]


admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(CheckedActionsMixin, UserAdmin):
    """Administrators add people, give them roles and switch them off."""

    list_display = [
        "username",
        "full_name",
        "email",
        "roles",
        "is_active",
        "is_superuser",
        "last_login",
    ]
    list_filter = ["groups", "is_active", "is_superuser"]
    actions = ["deactivate", "activate"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["label"] = _("Roles")
            kwargs["help_text"] = _(
                "Reporters write and submit their own articles; editors publish and curate. "
                "Administrators are superusers."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        # A role is only useful with a way into the desk.
        if not user.is_staff and user.groups.filter(name__in=ROLE_NAMES).exists():
            user.is_staff = True
            user.save(update_fields=["is_staff"])

    @admin.display(description=gettext_lazy("name"))
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    @admin.display(description=gettext_lazy("roles"))
    def roles(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all())

    @admin.action(description=gettext_lazy("Deactivate: they can no longer sign in"))
    def deactivate(self, request, queryset):
        count = queryset.exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(
            request, ngettext("%d account deactivated.", "%d accounts deactivated.", count) % count
        )

    @admin.action(description=gettext_lazy("Reactivate"))
    def activate(self, request, queryset):
        count = queryset.update(is_active=True)
        self.message_user(
            request, ngettext("%d account reactivated.", "%d accounts reactivated.", count) % count
        )


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(CheckedActionsMixin, admin.ModelAdmin):
    search_fields = ["name"]
    filter_horizontal = ["permissions"]
