"""The places articles are listed under: sections, authors and sources."""

from django.conf import settings
from django.core.validators import MinValueValidator
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
    """An outlet original reporting came from; with feeds, the wire desk imports its stories
    (articles.wire)."""

    slug_fallback = "source"
    plain_text_fields = ("name",)

    class ImportPolicy(models.TextChoices):
        REVIEW = "review", _("Into review: an editor publishes")
        PUBLISH = "publish", _("Straight to published (a trusted source)")

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True, blank=True)
    homepage = models.URLField(_("homepage"), blank=True)
    poll_minutes = models.PositiveIntegerField(
        _("polling interval (minutes)"),
        default=30,
        validators=[MinValueValidator(5)],
        help_text=_("How often the worker reads this source's feeds, in minutes (5 at least)."),
    )
    default_section = models.ForeignKey(
        Section,
        verbose_name=_("default section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Imported stories go into this section. Left blank: the first section."),
    )
    default_language = models.CharField(
        _("default language"),
        max_length=2,
        blank=True,
        choices=[("en", _("English")), ("fa", _("Persian"))],
        help_text=_(
            "Used when a feed does not say its language. Left blank, the language is "
            "told from the script of the text."
        ),
    )
    import_policy = models.CharField(
        _("import policy"),
        max_length=10,
        choices=ImportPolicy.choices,
        default=ImportPolicy.REVIEW,
        help_text=_("Imported stories wait in review, or go straight to readers."),
    )
    canonical_to_original = models.BooleanField(
        _("canonical link to the original"),
        default=False,
        help_text=_(
            "Imported stories tell search engines that the original is the canonical "
            "page (rel=canonical), for outlets that require it."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(poll_minutes__gte=5), name="source_poll_minutes_min"
            ),
            models.CheckConstraint(
                condition=models.Q(default_language__in=["", "en", "fa"]),
                name="source_default_language_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(import_policy__in=["review", "publish"]),
                name="source_import_policy_valid",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("articles:source", kwargs={"slug": self.slug})
