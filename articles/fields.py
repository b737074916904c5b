"""Image fields that judge uploads by their content (see articles.images)."""

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from . import images


class PictureFormField(forms.ImageField):
    """Says in plain words why a file is refused: kind, size or pixel count."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        images.inspect_upload(data)
        checked = super().to_python(data)
        # Decode and clean now: a picture broken past its header is refused here, with
        # the form still on screen, and the model does not clean it a second time.
        cleaned = images.clean_original(checked, name=checked.name)
        upload = SimpleUploadedFile(cleaned.name, cleaned.read(), checked.content_type)
        upload.cleaned_picture = True
        return upload


class PictureField(models.ImageField):
    """An ImageField whose form field checks what the upload really is."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})
