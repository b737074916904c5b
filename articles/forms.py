from django import forms
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget

from .models import Article, ArticleRedirect, Tag, tag_key


class TagInput(TagWidget):
    """The tags box: autocompletes approved tags and suggests ones the text mentions.

    Plain comma-separated text without JavaScript; static/js/tag-field.js adds
    the keyboard-driven list of matches and the one-click suggestions.
    """

    template_name = "admin/articles/widgets/tag_input.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "vTextField tag-input", **(attrs or {})})
        self.proposed: list[str] = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            autocomplete_url=reverse("admin:articles_tag_autocomplete"),
            suggest_url=reverse("admin:articles_tag_suggest"),
            proposed=self.proposed,
        )
        return context


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
        if "tags" in self.fields:
            widget = TagInput()
            if self.instance.pk:
                widget.proposed = [t.name for t in self.instance.tags.all() if not t.approved]
            self.fields["tags"].widget = widget

    def _save_m2m(self):
        # Tags are saved by articles.tagging.article_set_tags, which knows who added them.
        tags = self.cleaned_data.pop("tags", None)
        try:
            super()._save_m2m()
        finally:
            if tags is not None:
                self.cleaned_data["tags"] = tags

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if (
            slug
            and ArticleRedirect.objects.filter(old_slug=slug)
            .exclude(article_id=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _(
                    "This address used to belong to another article and still leads readers "
                    "there. Choose another."
                )
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.status == Article.Status.PUBLISHED
            and "publish_at" in self.fields
            and not cleaned.get("publish_at")
        ):
            self.add_error(
                "publish_at",
                _("A published article needs a publication time. To take it down, use Unpublish."),
            )
        if self.instance.pk is None or "edit_version" not in self.fields:
            return cleaned
        # Lock the row: a concurrent save waits here, then sees the new version.
        current = (
            Article.objects.select_for_update(of=("self",))  # lock the article row only
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


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "description", "approved", "featured"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Tag.objects.filter(folded_name=tag_key(name)).exclude(pk=self.instance.pk).first()
        if clash:
            raise forms.ValidationError(
                _("“%(name)s” is already a tag with the same meaning; merge into it instead."),
                params={"name": clash.name},
            )
        return name


class TagMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        required=False,
        label=_("Keep this tag"),
    )
    into_name = forms.CharField(
        required=False,
        max_length=100,
        label=_("…or merge into another existing tag"),
        help_text=_("Type its name in any spelling."),
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = tags

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("into_name"):
            target = Tag.objects.filter(folded_name=tag_key(cleaned["into_name"])).first()
            if target is None:
                raise forms.ValidationError(
                    _("There is no tag called “%(name)s”."), params={"name": cleaned["into_name"]}
                )
            cleaned["into"] = target
        if not cleaned.get("into"):
            raise forms.ValidationError(_("Choose the tag to keep."))
        return cleaned
