"""The picture library: one record per picture, reused by any number of articles."""

import posixpath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..fields import PictureField
from .base import PictureState, PlainTextMixin, RemembersLoadedPictures, pending_storage

# The focal point is kept on a grid of tenths: crops cannot tell finer steps apart,
# and pages steer `object-position` with one class per step (no inline styles).
FOCAL_STEPS = 10


class PictureQuerySet(models.QuerySet):
    def ready(self) -> "PictureQuerySet":
        """Pictures readers can be shown: cleaned and cut by the worker."""
        return self.exclude(file="")


class Picture(PlainTextMixin, RemembersLoadedPictures, models.Model):
    plain_text_fields = ("alt", "caption", "credit")
    picture_fields = ("file",)

    file = PictureField(
        _("picture"),
        upload_to="pictures/%Y/%m/",
        blank=True,
        help_text=_(
            "A JPEG, PNG, WebP or GIF picture. It is turned upright and location data is "
            "removed on upload; smaller copies are made for phones."
        ),
    )
    file_renditions = models.JSONField(default=dict, blank=True, editable=False)
    # A new upload waits here until the worker has cleaned it into `file`.
    file_upload = models.FileField(
        upload_to="pictures/", storage=pending_storage, blank=True, editable=False
    )
    file_state = models.CharField(
        _("picture state"),
        max_length=10,
        choices=PictureState.choices,
        default=PictureState.READY,
        editable=False,
    )
    file_error = models.CharField(_("picture problem"), max_length=500, blank=True, editable=False)
    alt = models.CharField(
        _("alt text"),
        max_length=255,
        blank=True,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=255, blank=True)
    focal_x = models.FloatField(
        _("focal point, across"),
        default=0.5,
        help_text=_("0 is the left edge, 1 the right. Click the picture to set it."),
    )
    focal_y = models.FloatField(
        _("focal point, down"),
        default=0.5,
        help_text=_("0 is the top edge, 1 the bottom. Every crop keeps this point in view."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)

    objects = PictureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="picture_focal_point_inside",
                violation_error_message=_("The focal point must lie inside the picture."),
            ),
        ]

    def __str__(self) -> str:
        name = posixpath.basename(self.file.name or self.file_upload.name or "")
        return self.alt or self.caption or name or str(_("Picture %(id)s") % {"id": self.pk})

    def save(self, *args, **kwargs):
        self.strip_control_characters()
        super().save(*args, **kwargs)

    @property
    def focal_point(self) -> tuple[float, float]:
        """Where crops centre, as fractions of the width and height."""
        return (self.focal_x, self.focal_y)

    @property
    def focal_class(self) -> str:
        """CSS classes placing the focal point of a picture cropped by the browser
        (`object-fit: cover`): one per tenth across and down."""
        x = round(self.focal_x * FOCAL_STEPS) * 10
        y = round(self.focal_y * FOCAL_STEPS) * 10
        return f"focus-x{x} focus-y{y}"
