from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import reversion

        from . import signals  # noqa: F401 - connects the receivers
        from .models import Article, Tag, TaggedArticle

        # A revision holds the article with its tags, and the tags' names at the time,
        # so a revision still reads right after a tag is renamed or merged away.
        reversion.register(Article, follow=["tagged_items"], exclude=["version"])
        reversion.register(TaggedArticle, follow=["tag"])
        reversion.register(Tag)
