from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import reversion

        from . import page_invalidation, signals
        from .admin import language
        from .models import Article

        page_invalidation.connect()
        user_logged_in.connect(
            language.remember_desk_language, dispatch_uid="articles.desk_language"
        )
        post_migrate.connect(
            signals.index_after_migrate, sender=self, dispatch_uid="articles.index_after_migrate"
        )
        # Tags are kept by name with each revision (RevisionTags), so a revision still
        # reads right after a tag is renamed or merged away. Derived data (the
        # renditions record) is rebuilt from the fields, not kept.
        reversion.register(
            Article,
            exclude=["version", "revised_at", "pending_picture"],
        )
