"""Reader-facing filters for article lists (/news/?tag=…&section=…)."""

import django_filters
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Article, Author, Section, Source


def _unknown(what: str) -> dict:
    # Lazy: the message is written in the language of the page that shows it.
    message = lazy(lambda: _("There is no %(what)s with that address.") % {"what": what}, str)
    return {"invalid_choice": message()}


class ArticleFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        dates = cleaned.get("date")
        if dates and dates.start and dates.stop and dates.start > dates.stop:
            self.add_error("date", _("The start date is after the end date."))
        return cleaned


class ArticleFilter(django_filters.FilterSet):
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        field_name="tags",
        to_field_name="slug",
        # Only tags readers may know: a tag on drafts alone answers as if unknown.
        queryset=selectors.tags_in_readers_hands(),
        error_messages=_unknown(_("tag")),
    )
    section = django_filters.ModelChoiceFilter(
        label=_("Section"),
        to_field_name="slug",
        queryset=Section.objects.all(),
        empty_label=_("All sections"),
        error_messages=_unknown(_("section")),
    )
    author = django_filters.ModelChoiceFilter(
        label=_("Author"),
        field_name="authors",
        to_field_name="slug",
        queryset=Author.objects.all(),
        error_messages=_unknown(_("author")),
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"),
        to_field_name="slug",
        queryset=Source.objects.all(),
        error_messages=_unknown(_("source")),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Article.Language.choices, empty_label=_("All languages")
    )
    # Named "date" so the query string reads ?date_after=…&date_before=….
    date = django_filters.DateFromToRangeFilter(
        label=_("Published between"),
        field_name="publish_at",
    )

    class Meta:
        model = Article
        form = ArticleFilterForm
        fields = ["tag", "section", "author", "source", "language", "date"]
