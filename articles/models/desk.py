"""What the desk keeps around an article: notes between staff, corrections readers
see, and the private draft of what someone is typing (autosave)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .articles import Article


class ArticleNote(models.Model):
    """A note between reporters and editors: never published."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="notes", verbose_name=_("article")
    )
    text = models.TextField(_("note"))
    # The step the note went with ("submit", "return"…), blank for a plain note.
    occasion = models.CharField(_("occasion"), max_length=30, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [models.Index(fields=["article", "-created_at"], name="note_article_idx")]

    def __str__(self) -> str:
        return self.text[:60]


class Correction(models.Model):
    """A dated correction or update, appended under a published story."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("article")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        _("text"), help_text=_("What was wrong and what is right now, as readers will read it.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["correction", "update"]), name="correction_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Autosave(models.Model):
    """What someone was typing in an article form, kept privately every few seconds.

    Never a revision, never the live article: only offered back to the same person
    when they open the form again. `article` is empty for a new article.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article"),
    )
    # The version of the article the typing started from.
    base_version = models.PositiveIntegerField(null=True, blank=True)
    fields = models.JSONField(default=dict)
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("autosaved draft")
        verbose_name_plural = _("autosaved drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="autosave_one_per_article",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article__isnull=True), name="autosave_one_new"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.article or _('new article')}"


class BodyPicture(models.Model):
    """A library picture placed inside an article's body (articles.body_pictures).

    Kept in step with the body on every save; it is what stops a picture shown in
    a story from being deleted, and what the library lists as its uses.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="body_pictures")
    picture = models.ForeignKey(
        "Picture", on_delete=models.PROTECT, related_name="body_uses", verbose_name=_("picture")
    )

    class Meta:
        verbose_name = _("picture in an article's body")
        verbose_name_plural = _("pictures in articles' bodies")
        constraints = [
            models.UniqueConstraint(fields=["article", "picture"], name="body_picture_once")
        ]

    def __str__(self) -> str:
        return str(self.article)
