from django import forms
from django.db import models
from django.utils import timezone

from .models import Article


def https_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """Form fields as usual, but a bare "example.com" link means https (as in Django 6)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body", "language", "section", "authors", "tags",
            "is_featured", "status", "publish_at", "source", "source_url",
            "image", "image_alt", "image_caption", "image_credit",
        ]  # fmt: skip
        formfield_callback = https_formfield

    def clean(self):
        cleaned = super().clean()
        # Publishing without a time means "now", not an error.
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("publish_at"):
            cleaned["publish_at"] = timezone.now()
        return cleaned
