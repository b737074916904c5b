"""Image fields that judge uploads by their content (see articles.images)."""

from django import forms
from django.db import models

from . import images


class PictureFormField(forms.ImageField):
    """Says in plain words why a file is refused: kind, size or pixel count."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        images.inspect_upload(data)
        return super().to_python(data)


class PictureField(models.ImageField):
    """An ImageField whose form field checks what the upload really is."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})
