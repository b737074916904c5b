"""Writes to the controlled vocabulary: tagging articles, and editors' curation.

One tag per meaning: every name is matched on its folded form (see
articles.text.fold). Reporters' new tags wait as proposals; editors approve
(or withdraw approval), rename, merge and delete, and every such step is
written to the tag log. Reads of the vocabulary are in articles.selectors.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, tasks
from .models import (
    Article,
    Tag,
    TaggedArticle,
    TagLogEntry,
    TagRedirect,
    clean_tag_name,
    unique_slug,
)
from .permissions import User, user_can_curate_tags, user_is_editor
from .selectors import tag_by_meaning

Action = TagLogEntry.Action


def _require_curator(user: User) -> None:
    if not user_can_curate_tags(user):
        raise PermissionDenied(_("Only editors can curate tags."))


def _log(action: str, *, by: User, tag: Tag | None, description: str) -> None:
    """The tag log the desk shows, and the audit log administrators keep."""
    TagLogEntry.objects.create(
        action=action, tag=tag, description=description, user=by if by.is_authenticated else None
    )
    audit.record(f"tag.{action}", by=by, target=tag, description=description)


def reindex_articles_tagged(tag: Tag) -> None:
    """Search finds articles by their public tags' names: tell the index of a change.

    A tag may be on thousands of articles: the worker does it.
    """
    tasks.enqueue_reindex_tagged(tag.pk)


# Tagging an article ---------------------------------------------------------------------


def article_set_tags(
    *, article: Article, names: list[str], by: User | None, propose_new: bool | None = None
) -> list[Tag]:
    """Give the article exactly these tags, each name matched to the tag of its meaning.

    New names are approved when an editor or the system (`by=None`) adds them,
    and wait as proposals when a reporter does; `propose_new` overrides that.
    """
    if propose_new is None:
        propose_new = by is not None and not user_is_editor(by)
    article.tags.set(names, tag_kwargs={"approved": not propose_new})
    return list(article.tags.all())


# Curation -------------------------------------------------------------------------------


def tag_check_name(name: str, *, tag: Tag | None = None) -> str:
    """The cleaned name, or ValidationError when it is empty or another tag's."""
    name = clean_tag_name(name)
    if not name:
        raise ValidationError(_("A tag needs a name."))
    clash = tag_by_meaning(name, excluding=tag)
    if clash:
        raise ValidationError(
            _("“%(name)s” is already a tag with the same meaning; merge into it instead."),
            params={"name": clash.name},
            code="clash",
        )
    return name


@transaction.atomic
def tag_approve(*, tags: list[Tag], by: User) -> int:
    """Make proposals visible to readers; returns how many changed."""
    return _set_approval(tags=tags, approved=True, by=by)


@transaction.atomic
def tag_withdraw_approval(*, tags: list[Tag], by: User) -> int:
    """Hide tags from readers again (their pages, feeds and search); returns how many."""
    return _set_approval(tags=tags, approved=False, by=by)


def _set_approval(*, tags: list[Tag], approved: bool, by: User) -> int:
    _require_curator(by)
    changed = 0
    for tag in tags:
        if tag.approved == approved:
            continue
        tag.approved = approved
        tag.save(update_fields=["approved"])
        reindex_articles_tagged(tag)
        if approved:
            action, description = Action.APPROVE, _("Approved “%(name)s”")
        else:
            action, description = Action.WITHDRAW, _("Withdrew approval of “%(name)s”")
        _log(action, by=by, tag=tag, description=description % {"name": tag.name})
        changed += 1
    return changed


@transaction.atomic
def tag_rename(*, tag: Tag, name: str, by: User) -> Tag:
    """Rename a tag, its address with it; the old address redirects to the new one."""
    _require_curator(by)
    name = tag_check_name(name, tag=tag)
    old_name, old_slug = tag.name, tag.slug
    tag.name = name
    tag.slug = unique_slug(Tag.objects.exclude(pk=tag.pk), tag.slugify(name))
    tag.save()
    TagRedirect.objects.record_move(old_slug=old_slug, target=tag)
    reindex_articles_tagged(tag)
    _log(
        Action.RENAME,
        by=by,
        tag=tag,
        description=_("Renamed “%(old)s” to “%(new)s”") % {"old": old_name, "new": tag.name},
    )
    return tag


@transaction.atomic
def tag_edit(*, tag: Tag, by: User, name: str, description: str, approved: bool) -> Tag:
    """An editor's change on a tag's own page: each part through its curation step."""
    _require_curator(by)
    if name != tag.name:
        tag_rename(tag=tag, name=name, by=by)
    if approved != tag.approved:
        _set_approval(tags=[tag], approved=approved, by=by)
    if description != tag.description:
        tag.description = description
        tag.save(update_fields=["description"])
    return tag


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
        TagRedirect.objects.record_move(old_slug=source.slug, target=into)
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
