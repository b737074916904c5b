"""The places articles are listed under: sections, authors and sources."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import editions
from ..fields import PictureField
from .base import NamedPage, PictureState, RemembersLoadedPictures, pending_storage


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


class Author(NamedPage, RemembersLoadedPictures, models.Model):  # noqa: DJ008 - NamedPage.__str__
    slug_fallback = "author"
    plain_text_fields = ("name", "bio")
    picture_fields = ("photo",)

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
    photo = PictureField(
        _("photo"),
        upload_to="authors/",
        blank=True,
        help_text=_("A JPEG, PNG, WebP or GIF portrait; location data is removed on upload."),
    )
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    photo_upload = models.FileField(
        upload_to="authors/", storage=pending_storage, blank=True, editable=False
    )
    photo_state = models.CharField(
        _("photo state"),
        max_length=10,
        choices=PictureState.choices,
        default=PictureState.READY,
        editable=False,
    )
    photo_error = models.CharField(_("photo problem"), max_length=500, blank=True, editable=False)
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
