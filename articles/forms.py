"""The desk's forms. Uploads are judged by content; rules are asked of the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField, TagWidget

from . import images, pictures, selectors, services, tagging
from .models import Article, ArticleRedirect, Author, Picture, Tag


class PictureFormField(forms.ImageField):
    """Says in plain words why a file is refused: kind, size or pixel count.

    Only the header is read here, which costs nothing however large the picture;
    decoding and cleaning happen in the background (articles.tasks), and the desk
    shows the outcome. A good upload is set aside in the pending storage while the
    form is checked (articles.pictures.stash): a storage that fails then refuses
    the form, with the typed text kept, instead of failing half-way through a save.
    """

    def __init__(self, *, waiting_room: models.FileField | None = None, **kwargs):
        super().__init__(**kwargs)
        self.waiting_room = waiting_room

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile) and self.waiting_room is not None:
            upload.stashed_name = pictures.stash(upload, self.waiting_room)
        return upload

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)  # name and emptiness checks only
        if upload is None:
            return None
        images.inspect_upload(upload)
        return upload


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
    # Not the model's field: the desk saves tags through articles.services.article_save,
    # which knows who added them (a reporter's new tags are proposals).
    tags = TagField(
        label=_("tags"),
        required=False,
        widget=TagInput,
        help_text=Article._meta.get_field("tags").help_text,
    )
    # A picture uploaded from the article form joins the library and becomes the lead.
    new_picture = PictureFormField(
        label=_("Upload a new picture"),
        required=False,
        waiting_room=Picture._meta.get_field("file_upload"),
        help_text=_(
            "It joins the picture library and becomes this article's picture. A JPEG, PNG, "
            "WebP or GIF picture; location data is removed."
        ),
    )
    new_picture_alt = forms.CharField(
        label=_("Its alt text"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto", "class": "vTextField"}),
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    new_picture_caption = forms.CharField(
        label=_("Its caption"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto", "class": "vTextField"}),
    )
    new_picture_credit = forms.CharField(
        label=_("Its credit"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto", "class": "vTextField"}),
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body", "language", "section", "authors",
            "is_featured", "publish_at", "source", "source_url", "picture",
            "seo_title", "meta_description", "social_picture", "noindex",
        ]  # fmt: skip
        formfield_callback = https_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The whole headline in view while it is typed (a short box cut it).
        for name in ("title", "seo_title", "meta_description"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "vTextField article-wide"
        if "edit_version" in self.fields:
            self.fields["edit_version"].initial = self.instance.version
        if "language" in self.fields and self.instance.pk is None:
            self.fields["language"].help_text = _(
                "Follows the title's script while you type it, until you choose one."
            )
        if "tags" in self.fields and self.instance.pk:
            tags = list(self.instance.tags.all())
            # Tags typed before a crash, offered back with the rest (articles.admin.editing).
            self.initial.setdefault("tags", getattr(self.instance, "_restored_tags", None) or tags)
            self.fields["tags"].widget.proposed = [t.name for t in tags if not t.is_public()]

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
        if cleaned.get("new_picture") and not cleaned.get("new_picture_alt", "").strip():
            self.add_error(
                "new_picture_alt",
                _("Say what the new picture shows, for readers who cannot see it."),
            )
        if self.instance.pk is None or "edit_version" not in self.fields:
            return cleaned
        try:
            services.article_check_version(
                article_id=self.instance.pk, expected_version=cleaned.get("edit_version")
            )
        except services.EditConflict as conflict:
            raise ValidationError(str(conflict), code="edit_conflict") from conflict
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
        fields = ["name", "description", "approved"]

    def clean_name(self):
        return tagging.tag_check_name(
            self.cleaned_data["name"], tag=self.instance if self.instance.pk else None
        )


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
            target = selectors.tag_by_meaning(cleaned["into_name"])
            if target is None:
                raise forms.ValidationError(
                    _("There is no tag called “%(name)s”."), params={"name": cleaned["into_name"]}
                )
            cleaned["into"] = target
        if not cleaned.get("into"):
            raise forms.ValidationError(_("Choose the tag to keep."))
        return cleaned


class AuthorAdminForm(forms.ModelForm):
    # A portrait uploaded from the author's form joins the library and becomes the photo.
    new_picture = PictureFormField(
        label=_("Upload a new photo"),
        required=False,
        waiting_room=Picture._meta.get_field("file_upload"),
        help_text=_(
            "It joins the picture library and becomes this author's photo once it is ready. "
            "A JPEG, PNG, WebP or GIF picture; location data is removed."
        ),
    )
    new_picture_alt = forms.CharField(
        label=_("Its alt text"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto", "class": "vTextField"}),
        help_text=_("What the photo shows, for readers who cannot see it. Left blank, the name."),
    )

    class Meta:
        model = Author
        fields = ["name", "slug", "bio", "user", "photo"]
