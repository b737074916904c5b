"""An article's history in the desk: its revisions, a comparison of two, and restoring one."""

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Version

from .. import selectors, services
from ..dates import format_datetime
from ..models import Article, Author, Picture, Section, Source
from ..permissions import user_can_see_history
from ..text import html_to_text
from .base import ArticleDeskView, error_messages


class HistoryView(ArticleDeskView):
    """Editors' pages about an article's past."""

    def get_article(self, pk: int) -> Article:
        article = super().get_article(pk)
        if not user_can_see_history(article=article, user=self.request.user):
            raise PermissionDenied
        return article


class RevisionsView(HistoryView):
    template_name = "admin/articles/article/revisions.html"

    def get(self, request, pk: int):
        article = self.get_article(pk)
        return self.render(
            _("Revisions of “%(title)s”") % {"title": article.title},
            original=article,
            revisions=selectors.article_revisions(article),
        )


class CompareView(HistoryView):
    template_name = "admin/articles/article/compare.html"

    def get(self, request, pk: int):
        article = self.get_article(pk)
        revisions = selectors.article_revisions(article)
        try:
            old = revisions.get(pk=int(request.GET["old"]))
            new = revisions.get(pk=int(request.GET["new"]))
        except (KeyError, ValueError, Version.DoesNotExist):
            self.model_admin.message_user(
                request, _("Choose two revisions of this article to compare."), messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[pk]))
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        return self.render(
            _("Changes to “%(title)s”") % {"title": article.title},
            original=article,
            old=old,
            new=new,
            changes=revision_changes(old, new),
        )


class RestoreView(HistoryView):
    def get(self, request, pk: int, version_id: int):
        self.get_article(pk)
        return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[pk]))

    def post(self, request, pk: int, version_id: int):
        article = self.get_article(pk)
        version = get_object_or_404(selectors.article_revisions(article), pk=version_id)
        try:
            services.article_restore_revision(article=article, version=version, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            self.model_admin.message_user(request, " ".join(error_messages(error)), messages.ERROR)
        else:
            self.model_admin.message_user(
                request,
                _("Restored the revision of %(date)s. The restore is itself a new revision.")
                % {"date": format_datetime(version.revision.date_created, "desk")},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))


# Diffs ----------------------------------------------------------------------------------

COMPARED_FIELDS = [
    ("title", gettext_lazy("Title")),
    ("slug", gettext_lazy("Slug")),
    ("summary", gettext_lazy("Summary")),
    ("body", gettext_lazy("Body")),
    ("language", gettext_lazy("Language")),
    ("section_id", gettext_lazy("Section")),
    ("authors", gettext_lazy("Authors")),
    ("tags", gettext_lazy("Tags")),
    ("source_id", gettext_lazy("Source")),
    ("source_url", gettext_lazy("Original news link")),
    ("picture_id", gettext_lazy("Picture")),
    ("status", gettext_lazy("Status")),
    ("publish_at", gettext_lazy("Publish at")),
    ("is_featured", gettext_lazy("Featured")),
]

# How a field of a revision reads to an editor: names, not ids; text, not HTML.
READABLE = {
    "tags": lambda value, version: ", ".join(selectors.revision_tag_names(version)),
    "section_id": lambda value, version: str(Section.objects.filter(pk=value).first() or value),
    "source_id": lambda value, version: str(Source.objects.filter(pk=value).first() or value),
    "authors": lambda value, version: ", ".join(
        Author.objects.filter(pk__in=value or []).values_list("name", flat=True)
    ),
    "body": lambda value, version: html_to_text(value),
    "picture_id": lambda value, version: str(Picture.objects.filter(pk=value).first() or value),
    "publish_at": lambda value, version: format_datetime(value, "desk"),
}


def readable(name: str, version: Version) -> str:
    """A field of a revision as an editor reads it."""
    value = version.field_dict.get(name)
    if name != "tags" and value in (None, ""):
        return ""
    show = READABLE.get(name)
    return (show(value, version) if show else str(value)) or ""


def inline_diff(old: str, new: str) -> SafeString:
    """Word-level diff with <del> and <ins>; every piece of text is escaped."""
    old_words, new_words = old.split(" "), new.split(" ")
    pieces = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(escape(" ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            pieces.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(pieces).replace("\n", "<br>"))  # noqa: S308 - escaped above


def revision_changes(old: Version, new: Version) -> list[dict]:
    """The fields that differ between two revisions, each with an inline diff."""
    changes = []
    for name, label in COMPARED_FIELDS:
        before, after = readable(name, old), readable(name, new)
        if before != after:
            changes.append({"label": label, "diff": inline_diff(before, after)})
    return changes
