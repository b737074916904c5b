"""What forgets cached pages: the signal receivers that bump page_cache's versions
when articles, tags, names or pictures change (connected in articles.apps).

Signals are for exactly this decoupled side effect; no domain rule lives here.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .models import (
    Article,
    Author,
    Picture,
    ProposedTag,
    Section,
    Source,
    Tag,
    TaggedArticle,
    TagLogEntry,
)
from .page_cache import article_changed, bump, picture_changed


def _picture_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw and instance.pk is not None:
        picture_changed(instance.pk)


def _remember_visibility(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    """Before a save: was the article public, and which translation did it name?"""
    if raw:
        return
    before = None
    if instance.pk is not None:
        before = Article.objects.filter(pk=instance.pk).values("status", "translation").first()
    instance._page_cache_was_public = bool(before) and before["status"] == "published"
    instance._page_cache_translation = before["translation"] if before else None


def _article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if not raw:
        was_public = getattr(instance, "_page_cache_was_public", True)
        article_changed(instance, was_public=was_public)
        # A translation named or unnamed: its page shows (or stops showing) this one.
        linked = {getattr(instance, "_page_cache_translation", None), instance.translation_id}
        if linked - {None}:
            bump(*(f"article:{pk}" for pk in linked - {None}))


def _article_deleted(sender, instance: Article, **kwargs) -> None:
    article_changed(instance, was_public=True)


def _article_relations_changed(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, Article):
        article_changed(instance, was_public=False)
    else:  # an author's or tag's articles changed, from the other side
        bump("published")


def _tag_changed(sender, instance: Tag, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump(f"tag:{instance.pk}", "tags")


def _curated(sender, instance: TagLogEntry, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump("tags", "published", *([f"tag:{instance.tag_id}"] if instance.tag_id else []))


def _named_page_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """Sections, authors and sources appear on teasers everywhere."""
    if raw:
        return
    own = f"{sender._meta.model_name}:{instance.pk}"
    # "names": the teasers (articles.templatetags.teasers) show these names too.
    bump(own, "published", "names", *(["sections"] if isinstance(instance, Section) else []))


def connect() -> None:
    pre_save.connect(_remember_visibility, sender=Article, dispatch_uid="pc.article.before")
    post_save.connect(_article_saved, sender=Article, dispatch_uid="pc.article.saved")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="pc.article.deleted")
    m2m_changed.connect(
        _article_relations_changed, sender=TaggedArticle, dispatch_uid="pc.article.tags"
    )
    m2m_changed.connect(
        _article_relations_changed, sender=Article.authors.through, dispatch_uid="pc.authors"
    )
    for model in (Tag, ProposedTag):
        post_save.connect(_tag_changed, sender=model, dispatch_uid=f"pc.{model.__name__}.saved")
        post_delete.connect(_tag_changed, sender=model, dispatch_uid=f"pc.{model.__name__}.gone")
    # Every curation step is logged with the tag it left: its page lists other articles now.
    post_save.connect(_curated, sender=TagLogEntry, dispatch_uid="pc.tag.curated")
    # A picture edited in the library (alt text, caption, focal point) shows everywhere
    # it is used; the worker's own updates call picture_changed() itself.
    post_save.connect(_picture_saved, sender=Picture, dispatch_uid="pc.picture.saved")
    for model in (Section, Author, Source):
        name = model.__name__
        post_save.connect(_named_page_changed, sender=model, dispatch_uid=f"pc.{name}.saved")
        post_delete.connect(_named_page_changed, sender=model, dispatch_uid=f"pc.{name}.gone")
