"""Who may do what: the roles table of DESIGN.md, in one policy.

| action                                   | Reporter                 | Editor | Administrator |
|------------------------------------------|--------------------------|--------|---------------|
| write drafts, submit for review          | own                      | any    | any           |
| edit an article                          | own, while draft/review  | any    | any           |
| publish, schedule, unpublish, archive    | no                       | yes    | yes           |
| delete                                   | own drafts               | yes    | yes           |
| manage tags, sections, authors, sources  | no                       | yes    | yes           |

The roles are Django groups holding model permissions (migrations 0002 on);
this module turns them into answers about one article. Admin views, services
and the workflow ask here and never repeat a rule.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from .models import Article

User = AbstractBaseUser | AnonymousUser
Status = Article.Status

# What a reporter may still change: once an editor has it live, it is theirs.
REPORTER_EDITABLE = frozenset({Status.DRAFT, Status.REVIEW})


def user_is_editor(user: User) -> bool:
    """Editors and administrators may act on any article."""
    return user.has_perm("articles.change_any_article")


def user_can_publish(user: User) -> bool:
    """Publish, schedule, unpublish and archive."""
    return user.has_perm("articles.publish_article")


def user_can_write(user: User) -> bool:
    """May write articles at all (and so tag them, and use the tag helpers)."""
    return user.has_perm("articles.add_article") or user.has_perm("articles.change_article")


def user_can_curate_tags(user: User) -> bool:
    """Approve, rename, merge and delete tags."""
    return user.has_perm("articles.change_tag")


def article_is_own(*, article: Article, user: User) -> bool:
    """The user started the article or writes under one of its bylines."""
    if not user.is_authenticated:
        return False
    if article.created_by_id == user.pk:
        return True
    return article.pk is not None and Article.objects.owned_by(user).filter(pk=article.pk).exists()


def user_can_edit(*, article: Article, user: User) -> bool:
    if not user.has_perm("articles.change_article"):
        return False
    if user_is_editor(user):
        return True
    return article.status in REPORTER_EDITABLE and article_is_own(article=article, user=user)


def user_can_delete(*, article: Article, user: User) -> bool:
    if not user.has_perm("articles.delete_article"):
        return False
    if user_is_editor(user):
        return True
    return article.status == Status.DRAFT and article_is_own(article=article, user=user)


def user_can_see_history(*, article: Article, user: User) -> bool:
    """Revisions, comparisons, restores and share links are editors' tools."""
    return user_is_editor(user) and user_can_edit(article=article, user=user)


def user_can_see_article(*, article: Article, user: User) -> bool:
    """In the desk: editors see every article, reporters their own (and leave notes there)."""
    if not user.has_perm("articles.view_article"):
        return False
    return user_is_editor(user) or article_is_own(article=article, user=user)


def articles_showing_picture(picture) -> QuerySet[Article]:
    """Articles that show a library picture: as their lead, their social picture, a new
    lead on its way, or inside their body."""
    return Article.objects.filter(
        Q(picture=picture)
        | Q(social_picture=picture)
        | Q(pending_picture=picture)
        | Q(body_pictures__picture=picture)
    ).distinct()


def user_can_change_picture(*, picture, user: User) -> bool:
    """Editors change any library picture. A reporter changes only pictures they
    uploaded, and only while every article showing one is theirs to edit and no byline
    uses it: a picture on someone else's story, or a live one, is an editor's."""
    if not user.has_perm("articles.change_picture"):
        return False
    if user_is_editor(user) or picture.pk is None:
        return True
    if picture.uploaded_by_id != user.pk or picture.authors.exists():
        return False
    return all(
        user_can_edit(article=article, user=user) for article in articles_showing_picture(picture)
    )
