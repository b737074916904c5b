"""The audit log: who did what, when, and from where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One thing someone did, kept for ARTICLES_AUDIT_DAYS; never changed afterwards."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The name at the time: accounts are renamed and deleted, the log stays readable.
    actor_name = models.CharField(_("who (name then)"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=40, db_index=True)
    object_type = models.CharField(_("kind"), max_length=60, blank=True)
    object_id = models.CharField(_("id"), max_length=64, blank=True)
    object_repr = models.CharField(_("of what"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("from where"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.actor_name or '—'} {self.action} {self.object_repr}"
