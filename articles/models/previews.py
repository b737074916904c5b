"""Share links: a draft shown to someone without an account, for a while, revocably."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import Article


def token_digest(token: str) -> str:
    """What is stored of a link's token: a database leak must not hand out previews."""
    return hashlib.sha256(token.encode()).hexdigest()


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self) -> "PreviewLinkQuerySet":
        """Links that still show their article: not revoked, not expired, made by
        someone who still works here."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), created_by__is_active=True
        )


class PreviewLink(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="preview_links"
    )
    token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="preview_link_expires_after_made",
            )
        ]

    def __str__(self) -> str:
        return f"{self.article} ({self.created_by})"

    def is_usable(self) -> bool:
        """Mirrors PreviewLinkQuerySet.usable() for one link."""
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.created_by.is_active
        )
