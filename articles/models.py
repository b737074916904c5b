"""The newsroom's content: sections, authors, sources, tags and articles."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import TagBase, TaggedItemBase

from . import images
from .fields import PictureField
from .sanitize import clean_html
from .text import SPACES, fold, slugify_unicode, strip_control


def unique_slug(
    instance: models.Model, value: str, *, fallback: str, reserved: set[str] = frozenset()
) -> str:
    """A slug made from value that no other row of instance's model has yet.

    `reserved` holds addresses that are taken although no row has them (redirects).
    """
    field = instance._meta.get_field("slug")
    base = slugify_unicode(value)[: field.max_length - 4].strip("-") or fallback
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= {slug for slug in reserved if slug.startswith(base)}
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class PlainTextMixin:
    """Strips invisible control characters from the listed text fields on save."""

    plain_text_fields: tuple[str, ...] = ()

    def strip_control_characters(self) -> None:
        for name in self.plain_text_fields:
            setattr(self, name, strip_control(getattr(self, name)))


class NamedPage(PlainTextMixin):
    """A section, author or source: shown by its name, found at a slug made from it."""

    plain_text_fields: tuple[str, ...] = ("name",)
    slug_fallback = "page"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.strip_control_characters()
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback=self.slug_fallback)
        super().save(*args, **kwargs)


class Section(NamedPage, models.Model):
    slug_fallback = "section"
    plain_text_fields = ("name", "description")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Part of the section's address. Left blank, it is made from the name."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Sections are listed in the navigation and on the front page in this order."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})


class Author(NamedPage, models.Model):
    slug_fallback = "author"
    plain_text_fields = ("name", "bio")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Part of the author's page address. Left blank, it is made from the name."),
    )
    bio = models.TextField(_("bio"), blank=True)
    photo = PictureField(
        _("photo"),
        upload_to="authors/",
        blank=True,
        help_text=_("A JPEG, PNG, WebP or GIF portrait; location data is removed on upload."),
    )
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text=_("The staff account that writes under this byline, if any."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def save(self, *args, **kwargs):
        images.clean_upload_in_place(self.photo)
        super().save(*args, **kwargs)
        images.refresh_renditions(
            self, "photo", "photo_renditions", widths=images.AUTHOR_WIDTHS, square=True
        )

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.slug})


class Source(NamedPage, models.Model):
    slug_fallback = "source"
    plain_text_fields = ("name",)

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True, blank=True)
    homepage = models.URLField(_("homepage"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def get_absolute_url(self) -> str:
        return reverse("articles:source", kwargs={"slug": self.slug})


def clean_tag_name(name: str) -> str:
    """A tag name as typed, with stray spaces, separators and control characters trimmed."""
    return SPACES.sub(" ", strip_control(name)).strip(" ,;\u060c")[:100]


def tag_key(name: str) -> str:
    """What makes two tag names one tag; capped to the column (folding can lengthen)."""
    return fold(name)[:100]


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
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Featured tags are offered in the navigation.")
    )

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


class ProposedTag(Tag):
    """A reporter's new tag, waiting for an editor: the editors' review queue."""

    class Meta:
        proxy = True
        verbose_name = _("proposed tag")
        verbose_name_plural = _("proposed tags")


class OldAddress(models.Model):
    """An address something had before it moved; the public views answer it with 301."""

    old_slug = models.CharField(_("old slug"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.target.slug}"


class TagRedirect(OldAddress):
    """An address a tag had before it was renamed or merged."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        verbose_name = _("tag redirect")
        verbose_name_plural = _("tag redirects")

    @property
    def target(self) -> Tag:
        return self.tag


class TagLogEntry(models.Model):
    """One curation step: who did what to which tags, and when."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
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
                    moved = (
                        TagRedirect.objects.filter(old_slug=tag_model().slugify(name))
                        .select_related("tag")
                        .first()
                    )
                    by_fold[key] = (
                        moved.tag
                        if moved
                        else tag_model._default_manager.get_or_create(
                            folded_name=key, defaults={"name": name, "approved": approved}
                        )[0]
                    )
                tag = by_fold[key]
            if tag.pk not in seen:
                seen.add(tag.pk)
                result.append(tag)
        return result


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """The one publication rule: what readers may see, right now."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self) -> "ArticleQuerySet":
        """Published articles whose time has not come: readers see them later."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def for_listing(self) -> "ArticleQuerySet":
        """Everything a teaser shows, fetched in a fixed number of queries."""
        return self.select_related("section", "source").prefetch_related("authors", "tags")


class Article(PlainTextMixin, models.Model):
    plain_text_fields = ("title", "summary", "image_alt", "image_caption", "image_credit")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        PERSIAN = "fa", _("Persian")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_(
            "The article's address. Left blank, it is made from the title; "
            "Persian letters are kept."
        ),
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences, shown under the headline.")
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("Scripts, styles and unsafe links are removed when the article is saved."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("authors"), related_name="articles", blank=True
    )
    tags = TaggableManager(
        through="TaggedArticle",
        manager=FoldingTaggableManager,
        blank=True,
        verbose_name=_("tags"),
        help_text=_(
            "Separate tags with commas. Spelling variants (JCPOA/jcpoa, ي/ی) "
            "are one tag; an existing tag is reused."
        ),
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text=_("The outlet the original reporting came from."),
    )
    source_url = models.URLField(
        _("original news link"),
        max_length=500,
        blank=True,
        help_text=_("Shown to readers as “Original news”."),
    )
    image = PictureField(
        _("image"),
        upload_to="articles/%Y/%m/",
        blank=True,
        help_text=_(
            "A JPEG, PNG, WebP or GIF picture. It is turned upright and location data is "
            "removed on upload; smaller copies are made for phones."
        ),
    )
    image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    image_alt = models.CharField(
        _("image alt text"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    image_caption = models.CharField(_("image caption"), max_length=500, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=255, blank=True)
    is_featured = models.BooleanField(
        _("featured"),
        default=False,
        help_text=_("The newest featured article leads the front page."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "Readers see a published article from this time on; a time in the future schedules it."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # PostgreSQL's full-text index (see articles.search); SQLite keeps an FTS5 table.
    search_vector = SearchVectorField(null=True, editable=False)
    # Optimistic locking: a save must name the version it started from.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish, schedule, unpublish and archive articles")),
            ("change_any_article", _("Can edit and delete any reporter's articles")),
        ]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="article_status_publish_idx"),
            models.Index(fields=["section", "-publish_at"], name="article_section_publish_idx"),
            # The desk lists the most recently edited first and drills down by date.
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            models.Index(fields=["publish_at"], name="article_publish_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
                violation_error_message=_("A published article needs a publication time."),
            ),
            models.CheckConstraint(
                condition=Q(language__in=["en", "fa"]), name="article_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published", "archived"]),
                name="article_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.strip_control_characters()
        if not self.slug:
            # An old address of another article still leads there: never reuse it.
            redirects = ArticleRedirect.objects.exclude(article_id=self.pk)
            self.slug = unique_slug(
                self,
                self.title,
                fallback="article",
                reserved=set(redirects.values_list("old_slug", flat=True)),
            )
        self.body = clean_html(self.body)
        images.clean_upload_in_place(self.image)
        super().save(*args, **kwargs)
        images.refresh_renditions(
            self, "image", "image_renditions", widths=images.ARTICLE_WIDTHS, social=True
        )

    def get_absolute_url(self) -> str:
        return reverse("articles:article", kwargs={"slug": self.slug})

    def is_scheduled(self) -> bool:
        """Mirrors ArticleQuerySet.scheduled() for one article."""
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    def is_published(self) -> bool:
        """Mirrors ArticleQuerySet.published() for one article."""
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    def public_tags(self) -> list["Tag"]:
        """The tags readers see: approved ones, from the prefetched tags when there are."""
        return [tag for tag in self.tags.all() if tag.approved]

    @property
    def is_rtl(self) -> bool:
        return self.language == self.Language.PERSIAN

    @cached_property
    def body_html(self) -> SafeString:
        """The body, cleaned again so that only sanitised HTML is ever marked safe."""
        return mark_safe(clean_html(self.body))  # noqa: S308 - cleaned by nh3 just now

    @property
    def was_updated(self) -> bool:
        """Edited noticeably after it went out, so readers are told "Updated"."""
        if self.publish_at is None:
            return False
        grace = timedelta(seconds=getattr(settings, "ARTICLES_UPDATED_AFTER_SECONDS", 300))
        return self.updated_at - self.publish_at > grace


class ArticleRedirect(OldAddress):
    """An address an article had before its slug changed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        verbose_name = _("article redirect")
        verbose_name_plural = _("article redirects")

    @property
    def target(self) -> "Article":
        return self.article


class RevisionTags(models.Model):
    """The tag names an article had in one revision: tags may be renamed or merged later."""

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="article_tags"
    )
    names = models.JSONField(_("tag names"), default=list)

    class Meta:
        verbose_name = _("revision tags")
        verbose_name_plural = _("revision tags")

    def __str__(self) -> str:
        return ", ".join(self.names)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = _("tagged article")
        verbose_name_plural = _("tagged articles")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_once"),
        ]
