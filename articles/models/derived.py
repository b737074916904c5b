"""What is kept beside each article: the tags of each revision, its search entry."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .articles import Article


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


class SearchEntry(models.Model):
    """An article's entry in PostgreSQL's full-text index (articles.search writes it).

    Kept apart from the article's row so that saving an article never overwrites
    it, and lists never fetch it. SQLite keeps its index in an FTS5 table instead.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    document = SearchVectorField()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        # A GIN index on `document` is made on PostgreSQL by migration 0015.

    def __str__(self) -> str:
        return str(self.article_id)
