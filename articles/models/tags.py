"""The controlled vocabulary: tags, their old addresses and their curation log.

One tag per meaning: names are matched on their folded form (articles.text.fold).
Readers only ever see public tags: `Tag.objects.public()` is that rule.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import _TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from ..text import SPACES, fold, slugify_unicode, strip_control
from .base import OldAddress


def clean_tag_name(name: str) -> str:
    """A tag name as typed, with stray spaces, separators and control characters trimmed."""
    return SPACES.sub(" ", strip_control(name)).strip(" ,;\u060c")[:100]


def tag_key(name: str) -> str:
    """What makes two tag names one tag; capped to the column (folding can lengthen)."""
    return fold(name)[:100]


class TagQuerySet(models.QuerySet):
    def public(self) -> "TagQuerySet":
        """The one rule for tags readers may see: approved by an editor."""
        return self.filter(approved=True)

    def proposed(self) -> "TagQuerySet":
        """Reporters' new tags, waiting for an editor."""
        return self.filter(approved=False)


class Tag(TagBase):
    folded_name = models.CharField(
        _("folded name"),
        max_length=100,
        unique=True,
        editable=False,
        help_text=_("The name with case and Arabic/Persian spelling variants folded."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown to readers at the top of the tag page.")
    )
    approved = models.BooleanField(
        _("approved"), default=True, help_text=_("Readers only see approved tags.")
    )

    # Taggit's manager keeps tags loadable by name (dumpdata, manage.py restore).
    objects = NaturalKeyManager.from_queryset(TagQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def save(self, *args, **kwargs):
        self.name = clean_tag_name(self.name)
        self.folded_name = tag_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})

    def slugify(self, tag: str, i: int | None = None) -> str:
        slug = slugify_unicode(tag)[:90].strip("-") or "tag"  # room for "-NN" in 100
        return f"{slug}-{i}" if i is not None else slug

    def is_public(self) -> bool:
        """Mirrors TagQuerySet.public() for one tag (prefetched tags need no query)."""
        return self.approved


class ProposedTag(Tag):
    """A reporter's new tag, waiting for an editor: the editors' review queue."""

    class Meta:
        proxy = True
        verbose_name = _("proposed tag")
        verbose_name_plural = _("proposed tags")


class TagRedirect(OldAddress):
    """An address a tag had before it was renamed or merged."""

    target_field = "tag"

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        verbose_name = _("tag redirect")
        verbose_name_plural = _("tag redirects")


class TagLogEntry(models.Model):
    """One curation step: who did what to which tags, and when."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        WITHDRAW = "withdraw", _("Approval withdrawn")
        RENAME = "rename", _("Renamed")
        MERGE = "merge", _("Merged")
        DELETE = "delete", _("Deleted")

    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("tag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log_entries",
    )
    description = models.TextField(_("what happened"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tag log entry")
        verbose_name_plural = _("tag log")

    def __str__(self) -> str:
        return self.description


class FoldingTaggableManager(_TaggableManager):
    """Tags named in any spelling resolve to the one tag of that meaning.

    Used by every path that adds tags (the admin form, `article.tags.add()`,
    imports). `tag_kwargs={"approved": False}` makes new tags proposals.

    django-taggit offers no public hook for turning names into tags, so this
    overrides `_to_tag_model_instances(tags, tag_kwargs)`, which `add()` and
    `set()` call. tests/test_tagging.py fails if an upgrade of django-taggit
    stops calling it or changes its signature.
    """

    def _to_tag_model_instances(self, tags, tag_kwargs):
        tag_model = self.through.tag_model()
        approved = (tag_kwargs or {}).get("approved", True)
        names = {tag: clean_tag_name(tag) for tag in tags if isinstance(tag, str)}
        by_fold = {
            tag.folded_name: tag
            for tag in tag_model._default_manager.filter(
                folded_name__in={tag_key(name) for name in names.values() if name}
            )
        }
        result, seen = [], set()
        for tag in tags:
            if isinstance(tag, str):
                name = names[tag]
                if not name:
                    continue
                key = tag_key(name)
                if key not in by_fold:
                    # A name merged or renamed away leads to the tag it became.
                    moved = TagRedirect.objects.target_of(tag_model().slugify(name))
                    by_fold[key] = (
                        moved
                        or tag_model._default_manager.get_or_create(
                            folded_name=key, defaults={"name": name, "approved": approved}
                        )[0]
                    )
                tag = by_fold[key]
            if tag.pk not in seen:
                seen.add(tag.pk)
                result.append(tag)
        return result


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = _("tagged article")
        verbose_name_plural = _("tagged articles")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_once"),
        ]
