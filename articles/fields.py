"""The picture field: stored like any image, checked by content in forms."""

from django.db import models


class PictureField(models.ImageField):
    """An ImageField whose form field judges uploads by what they are (articles.forms)."""

    def formfield(self, **kwargs):
        # Imported when a form is built: models never load the picture pipeline.
        from .forms import PictureFormField

        waiting_room = self.model._meta.get_field(f"{self.name}_upload")
        return super().formfield(
            **{"form_class": PictureFormField, "waiting_room": waiting_room, **kwargs}
        )
