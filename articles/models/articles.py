"""Articles: the one publication rule, and the old addresses articles leave behind."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .. import editions
from ..embeds import has_embeds, with_embeds
from ..sanitize import clean_html
from .base import OldAddress, PlainTextMixin, slug_base, unique_slug
from .pages import Author, Section, Source
from .tags import FoldingTaggableManager, Tag
from .translations import Translatable


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """The one publication rule: what readers may see, right now."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self) -> "ArticleQuerySet":
        """Published articles whose time has not come: readers see them later."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def in_trash(self) -> "ArticleQuerySet":
        return self.filter(trashed_at__isnull=False)

    def not_in_trash(self) -> "ArticleQuerySet":
        return self.filter(trashed_at__isnull=True)

    def owned_by(self, user: AbstractBaseUser | AnonymousUser) -> "ArticleQuerySet":
        """A reporter's own articles: started by them, or under one of their bylines."""
        if not user.is_authenticated:
            return self.none()
        own = Article.objects.filter(Q(created_by=user) | Q(authors__user=user)).values("pk")
        return self.filter(pk__in=own)

    def for_listing(self) -> "ArticleQuerySet":
        """What a teaser shows (section, byline) in fixed queries; not the body, most of a
        row, which no list shows."""
        return self.select_related("section", "picture").prefetch_related("authors").defer("body")

    def for_display(self) -> "ArticleQuerySet":
        """Everything an article page, a search result or a feed item shows."""
        return self.select_related(
            "section", "source", "picture", "social_picture"
        ).prefetch_related("authors", "tags", "corrections")


class Article(PlainTextMixin, Translatable, models.Model):
    plain_text_fields = ("title", "summary", "seo_title", "meta_description")

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
    translation = models.OneToOneField(
        "self", models.SET_NULL, null=True, blank=True, related_name="translated_by",
        verbose_name=_("translation"),
        help_text=_("The same story in the other language: each page leads to the other."),
    )  # fmt: skip
    picture = models.ForeignKey(
        "Picture",
        verbose_name=_("picture"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text=_(
            "The lead picture, from the library; its alt text, caption and credit go with it."
        ),
    )
    # A new upload on its way: it becomes `picture` once the worker has made it ready, so
    # readers keep the previous picture meanwhile (and if the new one is refused).
    pending_picture = models.ForeignKey(
        "Picture",
        verbose_name=_("new picture in processing"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    seo_title = models.CharField(
        _("search title"),
        max_length=255,
        blank=True,
        help_text=_("The title search engines show. Left blank, it is the headline."),
    )
    meta_description = models.CharField(
        _("meta description"),
        max_length=320,
        blank=True,
        help_text=_("What search engines show under the title. Left blank, it is the summary."),
    )
    social_picture = models.ForeignKey(
        "Picture",
        verbose_name=_("social picture"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_articles",
        help_text=_("The picture shown when the article is shared. Left blank, the lead picture."),
    )
    noindex = models.BooleanField(
        _("hide from search engines"),
        default=False,
        help_text=_("Readers still see the article; search engines are asked not to list it."),
    )
    # Moved only by a correction or an update readers are told of, never by a plain edit.
    revised_at = models.DateTimeField(
        _("last corrected or updated"), null=True, blank=True, editable=False
    )
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
    # Optimistic locking: a save must name the version it started from.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # In the trash: a draft nobody sees, kept whole until it is purged.
    trashed_at = models.DateTimeField(
        _("moved to the trash"), null=True, blank=True, editable=False
    )
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved to the trash by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

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
            # A section's readers' list and its count, from the index alone.
            models.Index(
                fields=["section", "status", "-publish_at", "-id"],
                name="article_section_stream_idx",
            ),
            # The desk lists the most recently edited first and drills down by date.
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # The trash is small: counted and listed without reading every article.
            models.Index(
                fields=["trashed_at"],
                condition=Q(trashed_at__isnull=False),
                name="article_trash_idx",
            ),
            models.Index(fields=["publish_at"], name="article_publish_idx"),
            # Readers' lists walk the newest published first, ids and all (pagination):
            # every language (sitemaps), and one edition's.
            models.Index(fields=["status", "-publish_at", "-id"], name="article_stream_idx"),
            models.Index(
                fields=["language", "status", "-publish_at", "-id"], name="article_edition_idx"
            ),
            # The front page's top story: the newest featured one, without a scan.
            models.Index(
                fields=["-publish_at"],
                condition=Q(is_featured=True, status="published"),
                name="article_featured_idx",
            ),
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
            # Whatever happens to the trash, nothing in it is ever live.
            models.CheckConstraint(
                condition=Q(trashed_at__isnull=True) | Q(status="draft"),
                name="article_trashed_is_draft",
                violation_error_message=_("An article in the trash is a draft."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Derived fields only; pictures and the search index are services' steps.
        self.strip_control_characters()
        if not self.slug:
            base = slug_base(self.title, max_length=100, fallback="article")
            # An old address of another article still leads there: never reuse it.
            redirects = ArticleRedirect.objects.exclude(article_id=self.pk)
            self.slug = unique_slug(
                Article.objects.exclude(pk=self.pk),
                base,
                reserved=set(
                    redirects.filter(old_slug__startswith=base).values_list("old_slug", flat=True)
                ),
            )
        # The safety net for every path that writes a body: admin, imports, code.
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The article's address in its own edition: /news/… or /fa/news/…."""
        with editions.serving(self.language):
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

    def public_tags(self) -> list[Tag]:
        """The tags readers see (Tag.is_public), from the prefetched tags when there are."""
        return [tag for tag in self.tags.all() if tag.is_public()]

    @property
    def is_rtl(self) -> bool:
        return self.language == self.Language.PERSIAN

    @property
    def direction(self) -> str:
        """The writing direction of the article's language, for `dir` attributes."""
        return "rtl" if self.is_rtl else "ltr"

    @cached_property
    def body_html(self) -> SafeString:
        """The body, cleaned again so that only sanitised HTML is ever marked safe, with
        provider links alone on a line as click-to-load embeds (articles.embeds)."""
        return with_embeds(clean_html(self.body))

    @property
    def has_embeds(self) -> bool:
        """Whether the page needs the script that loads embedded players on request."""
        return has_embeds(self.body_html)

    @property
    def was_updated(self) -> bool:
        """Corrected or updated after it went out (a notice under the story says how);
        plain edits do not count."""
        return self.revised_at is not None

    @property
    def date_modified(self):
        """When readers were last told the story changed: its publication, or its
        latest correction or update."""
        return self.revised_at or self.publish_at

    @property
    def search_description(self) -> str:
        return self.meta_description or self.summary

    @property
    def sharing_picture(self):
        """The picture shown where the article is shared: its own, else the lead."""
        return self.social_picture or self.picture


class TrashedArticle(Article):
    """Articles in the trash: the editors' list to restore from."""

    class Meta:
        proxy = True
        verbose_name = _("article in the trash")
        verbose_name_plural = _("trash")


class ArticleRedirect(OldAddress):
    """An address an article had before its slug changed."""

    target_field = "article"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        verbose_name = _("article redirect")
        verbose_name_plural = _("article redirects")
