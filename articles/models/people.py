"""What a member of staff chooses for themselves: the language the desk speaks to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeskPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_preferences",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("desk language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("In Persian, the desk is right to left and shows Solar Hijri dates."),
    )

    class Meta:
        verbose_name = _("desk preferences")
        verbose_name_plural = _("desk preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
