"""The places articles are listed under: sections, authors and sources."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import editions
from .base import NamedPage


class Section(NamedPage, models.Model):  # noqa: DJ008 - NamedPage.__str__
    slug_fallback = "section"
    plain_text_fields = ("name", "name_fa", "description", "description_fa")

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_fa = models.CharField(
        _("Persian name"),
        max_length=100,
        blank=True,
        help_text=_("The name the Persian edition shows. Left blank, it shows the name."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Part of the section's address. Left blank, it is made from the name."),
    )
    description = models.TextField(_("description"), blank=True)
    description_fa = models.TextField(
        _("Persian description"),
        blank=True,
        help_text=_("What the Persian edition says of the section. Left blank, it says nothing."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Sections are listed in the navigation and on the front page in this order."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        """The name in the edition being served."""
        return (self.name_fa or self.name) if editions.language() == "fa" else self.name

    @property
    def display_description(self) -> str:
        """The description in the edition being served (none rather than another language)."""
        return self.description_fa if editions.language() == "fa" else self.description


class Author(NamedPage, models.Model):  # noqa: DJ008 - NamedPage.__str__
    slug_fallback = "author"
    plain_text_fields = ("name", "bio")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Part of the author's page address. Left blank, it is made from the name."),
    )
    bio = models.TextField(_("bio"), blank=True)
    photo = models.ForeignKey(
        "Picture",
        verbose_name=_("photo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authors",
        help_text=_(
            "A portrait from the picture library; the author's page crops it to a circle "
            "around its focal point."
        ),
    )
    # A new upload on its way: it becomes `photo` once the worker has made it ready, so
    # readers keep the previous photo meanwhile (and if the new one is refused).
    pending_picture = models.ForeignKey(
        "Picture",
        verbose_name=_("new photo in processing"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text=_("The staff account that writes under this byline, if any."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.slug})


class Source(NamedPage, models.Model):  # noqa: DJ008 - NamedPage.__str__
    slug_fallback = "source"
    plain_text_fields = ("name",)

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True, blank=True)
    homepage = models.URLField(_("homepage"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def get_absolute_url(self) -> str:
        return reverse("articles:source", kwargs={"slug": self.slug})
