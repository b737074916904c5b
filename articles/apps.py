from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import reversion

        from . import signals  # noqa: F401 - connects the receivers
        from .models import Article

        # Tags are kept by name with each revision (RevisionTags), so a revision still
        # reads right after a tag is renamed or merged away. Derived data (the search
        # vector, the renditions record) is rebuilt from the fields, not kept.
        reversion.register(Article, exclude=["version", "search_vector", "image_renditions"])
