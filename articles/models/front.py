"""The front page editors arrange, one per edition: a top story, pinned stories in
order, and a breaking-news banner; the rest follows the newest as it always has."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import Article


class FrontPage(models.Model):
    class Edition(models.TextChoices):
        ENGLISH = "en", _("English")
        PERSIAN = "fa", _("Persian")

    edition = models.CharField(_("edition"), max_length=2, choices=Edition.choices, unique=True)
    top_story = models.ForeignKey(
        Article,
        verbose_name=_("top story"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Leads the front page once it is published. Left blank, the newest featured story."
        ),
    )
    banner_text = models.CharField(
        _("breaking news"),
        max_length=200,
        blank=True,
        help_text=_("A line shown above everything else. Left blank, no banner."),
    )
    banner_link = models.ForeignKey(
        Article,
        verbose_name=_("banner links to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    banner_expires_at = models.DateTimeField(
        _("banner until"),
        null=True,
        blank=True,
        help_text=_("The banner disappears by itself at this time. Left blank, it stays."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("front page")
        verbose_name_plural = _("front pages")
        constraints = [
            models.CheckConstraint(
                condition=Q(edition__in=["en", "fa"]), name="front_edition_valid"
            )
        ]

    def __str__(self) -> str:
        return str(_("Front page (%(edition)s)") % {"edition": self.get_edition_display()})

    def banner_is_showing(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(self.banner_text) and (
            self.banner_expires_at is None or self.banner_expires_at > now
        )


class FrontPagePin(models.Model):
    """A story pinned to a place on the front page; shown there once readers may see it."""

    front_page = models.ForeignKey(FrontPage, on_delete=models.CASCADE, related_name="pins")
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pinned story")
        verbose_name_plural = _("pinned stories")
        constraints = [
            models.UniqueConstraint(fields=["front_page", "article"], name="pin_once_per_page")
        ]

    def __str__(self) -> str:
        return str(self.article)
