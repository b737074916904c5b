"""People and roles: only administrators reach these pages."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import audit
from .base import CheckedActionsMixin

ROLE_NAMES = ["Reporter", "Editor"]


admin.site.unregister(User)


class AuditedAdminMixin:
    """Every addition, change and deletion made here goes to the audit log too."""

    audit_noun = ""

    def log_addition(self, request, obj, message):
        audit.record(f"{self.audit_noun}.added", by=request.user, target=obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit.record(f"{self.audit_noun}.changed", by=request.user, target=obj, change=message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit.record(f"{self.audit_noun}.deleted", by=request.user, target=obj)
        return super().log_deletions(request, queryset)


@admin.register(User)
class NewsroomUserAdmin(AuditedAdminMixin, CheckedActionsMixin, UserAdmin):
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
    audit_noun = "user"

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
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        user = form.instance
        after = set(user.groups.values_list("name", flat=True))
        if after != before:
            audit.record("user.roles", by=request.user, target=user, roles=sorted(after))
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
        leaving = list(queryset.exclude(pk=request.user.pk).filter(is_active=True))
        count = queryset.filter(pk__in=[user.pk for user in leaving]).update(is_active=False)
        for user in leaving:
            audit.record("user.deactivated", by=request.user, target=user)
        self.message_user(
            request, ngettext("%d account deactivated.", "%d accounts deactivated.", count) % count
        )

    @admin.action(description=gettext_lazy("Reactivate"))
    def activate(self, request, queryset):
        returning = list(queryset.filter(is_active=False))
        count = queryset.filter(pk__in=[user.pk for user in returning]).update(is_active=True)
        for user in returning:
            audit.record("user.reactivated", by=request.user, target=user)
        self.message_user(
            request, ngettext("%d account reactivated.", "%d accounts reactivated.", count) % count
        )


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(AuditedAdminMixin, CheckedActionsMixin, admin.ModelAdmin):
    search_fields = ["name"]
    audit_noun = "role"
    filter_horizontal = ["permissions"]
