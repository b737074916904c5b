from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Article


def https_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """Form fields as usual, but a bare "example.com" link means https (as in Django 6)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ArticleAdminForm(forms.ModelForm):
    # The version this edit started from; a save from an older one is refused.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body", "language", "section", "authors", "tags",
            "is_featured", "publish_at", "source", "source_url",
            "image", "image_alt", "image_caption", "image_credit",
        ]  # fmt: skip
        formfield_callback = https_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "edit_version" in self.fields:
            self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or "edit_version" not in self.fields:
            return cleaned
        # Lock the row: a concurrent save waits here, then sees the new version.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values("version", "updated_at", "updated_by__username")
            .first()
        )
        if current and current["version"] != cleaned.get("edit_version"):
            raise forms.ValidationError(
                _(
                    "%(who)s saved this article at %(when)s, after you opened it. Your text "
                    "was not saved and is shown below: copy what you need, reload the "
                    "article, and apply your changes to the new version."
                ),
                code="edit_conflict",
                params={
                    "who": current["updated_by__username"] or _("Someone"),
                    "when": date_format(
                        timezone.localtime(current["updated_at"]), "DATETIME_FORMAT"
                    ),
                },
            )
        return cleaned


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label=_("Publish at"),
        help_text=_(
            "Readers see the articles from this time on. A time already past publishes now."
        ),
        widget=forms.SplitDateTimeWidget(date_attrs={"type": "date"}, time_attrs={"type": "time"}),
    )
