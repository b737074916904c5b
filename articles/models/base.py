"""What the newsroom's models share: plain-text fields, unique slugs, old addresses."""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from ..text import slugify_unicode, strip_control


def unique_slug(
    queryset: models.QuerySet, base: str, *, reserved: frozenset[str] | set[str] = frozenset()
) -> str:
    """`base`, or `base-2`, `base-3`…: the first that no row of `queryset` has as its slug.

    The caller excludes the row being saved from `queryset`; `reserved` holds
    addresses that are taken although no row has them (old addresses that redirect).
    """
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= {slug for slug in reserved if slug.startswith(base)}
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def slug_base(value: str, *, max_length: int, fallback: str) -> str:
    """A slug made from `value`, leaving room for a "-NN" suffix within `max_length`."""
    return slugify_unicode(value)[: max_length - 4].strip("-") or fallback


class PictureState(models.TextChoices):
    """Where a newly uploaded picture is on its way to readers (articles.images)."""

    READY = "ready", _("Ready")
    PROCESSING = "processing", _("Processing")
    FAILED = "failed", _("Failed")


class RemembersLoadedPictures:
    """Remembers the picture names a row had when it was read, so a later save can
    tell whether it changes the picture, or only carries it along while the worker
    may have replaced it (articles.pictures.keep_worker_state)."""

    picture_fields: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_pictures = {
            name: getattr(instance.__dict__[name], "name", instance.__dict__[name]) or ""
            for name in cls.picture_fields
            if name in instance.__dict__
        }
        return instance


class PendingStorage(LazyObject):
    """`storages["pending"]`, looked up when first used and again after STORAGES changes.

    A file field keeps the storage it is given for the life of the process; this
    stand-in, like Django's own `default_storage`, follows the setting instead, so
    the field and the picture pipeline always write to the same place.
    """

    def _setup(self):
        self._wrapped = storages["pending"]


pending = PendingStorage()


@receiver(setting_changed)
def _forget_pending_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        pending._wrapped = empty


def pending_storage():
    """Uploads wait here, out of readers' reach, until the picture worker cleans them."""
    return pending


class PlainTextMixin:
    """Strips invisible control characters from the listed text fields on save."""

    plain_text_fields: tuple[str, ...] = ()

    def strip_control_characters(self) -> None:
        for name in self.plain_text_fields:
            setattr(self, name, strip_control(getattr(self, name)))


class NamedPage(PlainTextMixin):
    """A section, author or source: shown by its name, found at a slug made from it."""

    plain_text_fields: tuple[str, ...] = ("name",)
    slug_fallback = "page"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.strip_control_characters()
        if not self.slug:
            max_length = self._meta.get_field("slug").max_length
            others = type(self)._default_manager.exclude(pk=self.pk)
            base = slug_base(self.name, max_length=max_length, fallback=self.slug_fallback)
            self.slug = unique_slug(others, base)
        super().save(*args, **kwargs)


class OldAddressQuerySet(models.QuerySet):
    def record_move(self, *, old_slug: str, target: models.Model) -> None:
        """Remember that `target` was at `old_slug`, so the address keeps working.

        An address in use again needs no redirect from it.
        """
        if old_slug and old_slug != target.slug:
            self.update_or_create(old_slug=old_slug, defaults={self.model.target_field: target})
        self.filter(old_slug=target.slug).delete()

    def target_of(self, slug: str) -> models.Model | None:
        """What used to be at `slug` (one of this queryset's targets), if anything."""
        found = self.filter(old_slug=slug).select_related(self.model.target_field).first()
        return found.target if found else None


class OldAddress(models.Model):
    """An address something had before it moved; the public views answer it with 301."""

    # The name of the foreign key to what moved; concrete subclasses declare it.
    target_field = ""

    old_slug = models.CharField(_("old slug"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OldAddressQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.target.slug}"

    @property
    def target(self) -> models.Model:
        return getattr(self, self.target_field)
