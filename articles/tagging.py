"""The controlled vocabulary: tagging articles, proposals, and editors' curation.

One tag per meaning: every name is matched on its folded form (see
articles.text.fold). Reporters' new tags wait as proposals; editors approve,
rename, merge and delete, and every such step is written to the tag log.
"""

import re
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import search
from .models import (
    Article,
    Tag,
    TaggedArticle,
    TagLogEntry,
    TagRedirect,
    clean_tag_name,
    tag_key,
)
from .services import user_is_editor
from .text import fold

User = AbstractBaseUser | AnonymousUser
Action = TagLogEntry.Action

# Tag names are short phrases; longer runs of words in a text cannot match one.
LONGEST_TAG_WORDS = 4
WORD = re.compile(r"\w+")


def user_can_curate(user: User) -> bool:
    return user.has_perm("articles.change_tag")


def _require_curator(user: User) -> None:
    if not user_can_curate(user):
        raise PermissionDenied(_("Only editors can curate tags."))


def _log(action: str, *, by: User, tag: Tag | None, description: str) -> None:
    TagLogEntry.objects.create(
        action=action, tag=tag, description=description, user=by if by.is_authenticated else None
    )


# Tagging an article -----------------------------------------------------------


def article_set_tags(*, article: Article, names: list[str], by: User) -> list[Tag]:
    """Give the article exactly these tags. A reporter's new names become proposals."""
    approved = user_is_editor(by)
    article.tags.set(names, tag_kwargs={"approved": approved})
    return list(article.tags.all())


# Reading the vocabulary ---------------------------------------------------------


def tags_with_usage() -> QuerySet[Tag]:
    return Tag.objects.annotate(article_count=Count("tagged_articles"))


def tag_autocomplete(query: str, *, limit: int = 10) -> list[dict]:
    """Approved tags whose folded name starts with (or contains) the query, most used first."""
    key = tag_key(query)
    tags = tags_with_usage().filter(approved=True)
    if key:
        tags = tags.filter(folded_name__contains=key)
    tags = sorted(
        tags.order_by("-article_count", "name")[: limit * 3],
        key=lambda t: (not t.folded_name.startswith(key), -t.article_count, t.name),
    )
    return [{"name": t.name, "slug": t.slug, "count": t.article_count} for t in tags[:limit]]


def tag_suggestions(text: str, *, exclude: list[str] = (), limit: int = 12) -> list[dict]:
    """Approved tags whose names occur in the text, as whole words, in any spelling."""
    words = WORD.findall(fold(text))
    phrases = {
        " ".join(words[start : start + size])
        for size in range(1, LONGEST_TAG_WORDS + 1)
        for start in range(len(words) - size + 1)
    }
    if not phrases:
        return []
    skip = {fold(name) for name in exclude}
    found = (
        tags_with_usage()
        .filter(approved=True, folded_name__in=phrases)
        .exclude(folded_name__in=skip)
        .order_by("-article_count", "name")[:limit]
    )
    return [{"name": t.name, "slug": t.slug, "count": t.article_count} for t in found]


@dataclass(frozen=True)
class PossibleDuplicate:
    tag: Tag
    other: Tag
    distance: int


def tag_possible_duplicates(*, limit: int = 100) -> list[PossibleDuplicate]:
    """Pairs of tags whose folded names differ by a letter or two ("Valencia"/"Valenica").

    A swap of two letters counts as one edit. Names of four letters or fewer are
    left alone ("Iran"/"Iraq" are different things); one edit is allowed up to
    eight letters, two beyond.
    """
    tags = list(tags_with_usage().order_by("-article_count", "name")[:3000])
    names = [tag.folded_name for tag in tags]
    pairs = []
    for index, tag in enumerate(tags):
        length = len(tag.folded_name)
        if length <= 4:
            continue
        allowed = 1 if length <= 8 else 2
        matches = process.extract(
            tag.folded_name,
            names,
            scorer=OSA.distance,
            score_cutoff=allowed,
            limit=None,
        )
        for _name, distance, other_index in matches:
            if other_index > index and distance > 0 and len(names[other_index]) > 4:
                pairs.append(PossibleDuplicate(tag, tags[other_index], int(distance)))
    pairs.sort(key=lambda pair: (pair.distance, -pair.tag.article_count))
    return pairs[:limit]


# Curation -----------------------------------------------------------------------


def tag_approve(*, tags: list[Tag], by: User) -> int:
    """Make proposals visible to readers."""
    _require_curator(by)
    approved = 0
    for tag in tags:
        if tag.approved:
            continue
        tag.approved = True
        tag.save(update_fields=["approved"])
        reindex_articles_tagged(tag)
        _log(
            Action.APPROVE,
            by=by,
            tag=tag,
            description=_("Approved “%(name)s”") % {"name": tag.name},
        )
        approved += 1
    return approved


def _keep_old_address(old_slug: str, tag: Tag) -> None:
    if old_slug and old_slug != tag.slug:
        TagRedirect.objects.update_or_create(old_slug=old_slug, defaults={"tag": tag})
    # An address the tag has again needs no redirect from it.
    TagRedirect.objects.filter(old_slug=tag.slug).delete()


@transaction.atomic
def tag_rename(*, tag: Tag, name: str, by: User, approve: bool = False) -> Tag:
    """Rename a tag, its address with it; the old address redirects to the new one."""
    _require_curator(by)
    name = clean_tag_name(name)
    if not name:
        raise ValidationError(_("A tag needs a name."))
    clash = Tag.objects.filter(folded_name=tag_key(name)).exclude(pk=tag.pk).first()
    if clash:
        raise ValidationError(
            _("“%(name)s” already exists as a tag; merge the two instead.") % {"name": clash.name}
        )
    old_name, old_slug = tag.name, tag.slug
    tag.name = name
    tag.slug = _free_slug(tag.slugify(name), tag)
    if approve:
        tag.approved = True
    tag.save()
    _keep_old_address(old_slug, tag)
    reindex_articles_tagged(tag)
    _log(
        Action.RENAME,
        by=by,
        tag=tag,
        description=_("Renamed “%(old)s” to “%(new)s”") % {"old": old_name, "new": tag.name},
    )
    return tag


def reindex_articles_tagged(tag: Tag) -> None:
    """Search finds articles by their tags' names: tell the index about new ones."""
    for article in Article.objects.filter(tags=tag).prefetch_related("tags"):
        search.index_article(article)


def _free_slug(slug: str, tag: Tag) -> str:
    taken = set(
        Tag.objects.exclude(pk=tag.pk).filter(slug__startswith=slug).values_list("slug", flat=True)
    )
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


@transaction.atomic
def tag_merge(*, tags: list[Tag], into: Tag, by: User) -> Tag:
    """Fold several tags into one. Each article keeps one copy; old addresses redirect."""
    _require_curator(by)
    sources = [tag for tag in tags if tag.pk != into.pk]
    if not sources:
        raise ValidationError(
            _("Choose at least one other tag to merge into “%(name)s”.") % {"name": into.name}
        )
    for source in sources:
        tagged_with_target = TaggedArticle.objects.filter(tag=into).values("content_object_id")
        TaggedArticle.objects.filter(tag=source, content_object_id__in=tagged_with_target).delete()
        TaggedArticle.objects.filter(tag=source).update(tag=into)
        TagRedirect.objects.filter(tag=source).update(tag=into)
        TagRedirect.objects.update_or_create(old_slug=source.slug, defaults={"tag": into})
        if source.approved and not into.approved:
            into.approved = True
            into.save(update_fields=["approved"])
        if source.description and not into.description:
            into.description = source.description
            into.save(update_fields=["description"])
        source.delete()
    reindex_articles_tagged(into)
    _log(
        Action.MERGE,
        by=by,
        tag=into,
        description=_("Merged %(sources)s into “%(name)s”")
        % {"sources": ", ".join(f"“{s.name}”" for s in sources), "name": into.name},
    )
    return into


@transaction.atomic
def tag_delete_unused(*, tags: list[Tag], by: User) -> tuple[int, list[Tag]]:
    """Delete the tags no article uses; return how many went and which were kept."""
    _require_curator(by)
    used = set(
        TaggedArticle.objects.filter(tag__in=tags).values_list("tag_id", flat=True).distinct()
    )
    deleted, kept = 0, []
    for tag in tags:
        if tag.pk in used:
            kept.append(tag)
            continue
        _log(
            Action.DELETE, by=by, tag=None, description=_("Deleted “%(name)s”") % {"name": tag.name}
        )
        tag.delete()
        deleted += 1
    return deleted, kept


def related_tags(tag: Tag, *, limit: int = 6) -> QuerySet[Tag]:
    """Approved tags that appear most often on the same published articles."""
    together = Article.objects.published().filter(tags=tag).values("pk")
    return (
        Tag.objects.filter(approved=True, tagged_articles__content_object__in=together)
        .exclude(pk=tag.pk)
        .annotate(shared=Count("tagged_articles"))
        .order_by("-shared", "name")[:limit]
    )


def related_articles(article: Article, *, limit: int = 4) -> list[Article]:
    """Published articles sharing the most approved tags with this one, newer first on ties."""
    tag_ids = [tag.pk for tag in article.public_tags()]
    if not tag_ids:
        return []
    return list(
        Article.objects.published()
        .filter(tags__in=tag_ids)
        .exclude(pk=article.pk)
        .annotate(shared=Count("tags"))
        .order_by("-shared", "-publish_at", "-pk")
        .for_listing()[:limit]
    )


def tags_for_readers() -> QuerySet[Tag]:
    """Approved tags that have published articles, with how many."""
    return (
        Tag.objects.filter(
            approved=True, tagged_articles__content_object__in=Article.objects.published()
        )
        .annotate(article_count=Count("tagged_articles"))
        .order_by("-article_count", "name")
    )
