"""Reads: what each page, feed and desk view asks of the database.

Writes live in articles.services, articles.workflow and articles.tagging; this
module never changes anything. Reader views, feeds and sitemaps import reads
only: this module, articles.search and the models. The two visibility rules
are the querysets' own: `Article.objects.published()` and `Tag.objects.public()`.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from rapidfuzz import process
from rapidfuzz.distance import OSA
from reversion.models import Version

from .models import Article, Author, RevisionTags, Tag, tag_key
from .permissions import User, user_is_editor
from .text import fold

PREVIEW_SALT = "articles.preview"
# Tag names are short phrases; longer runs of words in a text cannot match one.
LONGEST_TAG_WORDS = 4
WORD = re.compile(r"\w+")


# Articles ------------------------------------------------------------------------------


def articles_visible_in_desk(user: User) -> QuerySet[Article]:
    """What a staff member sees in the desk: editors everything, reporters their own."""
    if user_is_editor(user):
        return Article.objects.all()
    return Article.objects.owned_by(user)


def articles_visible_to(user: User) -> QuerySet[Article]:
    """What a page may show this person: published articles, and staff their desk's too."""
    published = Article.objects.published()
    if not (user.is_staff and user.has_perm("articles.view_article")):
        return published
    desk = articles_visible_in_desk(user)
    return Article.objects.filter(Q(pk__in=published.values("pk")) | Q(pk__in=desk.values("pk")))


def related_articles(article: Article, *, limit: int = 4) -> list[Article]:
    """Published articles sharing the most public tags with this one, newer first on ties."""
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


def news_sitemap_articles() -> QuerySet[Article]:
    """Published articles of the last 48 hours, as Google News wants them."""
    since = timezone.now() - timedelta(hours=48)
    return (
        Article.objects.published()
        .filter(publish_at__gte=since)
        .only("slug", "title", "language", "publish_at")
        .order_by("-publish_at")[:1000]
    )


def authors_with_published_articles() -> QuerySet[Author]:
    writes = Article.objects.published().filter(authors=OuterRef("pk"))
    return Author.objects.filter(Exists(writes))


def article_from_preview_token(token: str) -> tuple[Article, datetime] | None:
    """The article a valid, unexpired share link points to, with its expiry; else None."""
    try:
        payload = signing.loads(token, salt=PREVIEW_SALT)
        expires = datetime.fromtimestamp(int(payload["e"]), tz=UTC)
        article_id = int(payload["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None
    if expires <= timezone.now():
        return None
    article = Article.objects.for_listing().filter(pk=article_id).first()
    return (article, expires) if article else None


# Revisions ------------------------------------------------------------------------------


def article_revisions(article: Article) -> QuerySet[Version]:
    """The article's revisions, newest first, with who made them."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def revision_tag_names(version: Version) -> list[str]:
    """The tag names the article had in this revision."""
    tags = RevisionTags.objects.filter(revision_id=version.revision_id).first()
    return list(tags.names) if tags else []


# Tags -----------------------------------------------------------------------------------


def tags_with_usage(tags: QuerySet[Tag] | None = None) -> QuerySet[Tag]:
    """`tags` (every tag by default), each with how many articles carry it."""
    tags = Tag.objects.all() if tags is None else tags
    return tags.annotate(article_count=Count("tagged_articles"))


def tags_for_readers() -> QuerySet[Tag]:
    """Public tags that have published articles, with how many, most used first."""
    return (
        Tag.objects.public()
        .filter(tagged_articles__content_object__in=Article.objects.published())
        .annotate(article_count=Count("tagged_articles"))
        .order_by("-article_count", "name")
    )


def tag_by_meaning(name: str, *, excluding: Tag | None = None) -> Tag | None:
    """The tag that means `name`, in whatever spelling it was typed."""
    tags = Tag.objects.filter(folded_name=tag_key(name))
    if excluding is not None:
        tags = tags.exclude(pk=excluding.pk)
    return tags.first()


def tag_for_readers(slug: str) -> Tag | None:
    """The public tag at this address, if there is one."""
    return Tag.objects.public().filter(slug=slug).first()


def related_tags(tag: Tag, *, limit: int = 6) -> QuerySet[Tag]:
    """Public tags that appear most often on the same published articles."""
    together = Article.objects.published().filter(tags=tag).values("pk")
    return (
        Tag.objects.public()
        .filter(tagged_articles__content_object__in=together)
        .exclude(pk=tag.pk)
        .annotate(shared=Count("tagged_articles"))
        .order_by("-shared", "name")[:limit]
    )


def desk_most_used_tags(*, limit: int = 25) -> list[tuple[str, str]]:
    """(slug, name) of the most used tags, for the desk's filter; kept a few minutes.

    Counting every tagging is the slowest part of a large desk.
    """

    def most_used():
        tags = tags_with_usage().order_by("-article_count", "name")[:limit]
        return [(tag.slug, tag.name) for tag in tags]

    return cache.get_or_set("articles:desk:most-used-tags", most_used, 300)


def tag_autocomplete(query: str, *, limit: int = 10) -> list[dict]:
    """Public tags whose folded name starts with (or contains) the query, most used first."""
    key = tag_key(query)
    tags = tags_with_usage(Tag.objects.public())
    if key:
        tags = tags.filter(folded_name__contains=key)
    tags = sorted(
        tags.order_by("-article_count", "name")[: limit * 3],
        key=lambda t: (not t.folded_name.startswith(key), -t.article_count, t.name),
    )
    return [{"name": t.name, "slug": t.slug, "count": t.article_count} for t in tags[:limit]]


def tag_suggestions(text: str, *, exclude: list[str] = (), limit: int = 12) -> list[dict]:
    """Public tags whose names occur in the text, as whole words, in any spelling."""
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
        tags_with_usage(Tag.objects.public())
        .filter(folded_name__in=phrases)
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
            tag.folded_name, names, scorer=OSA.distance, score_cutoff=allowed, limit=None
        )
        for _name, distance, other_index in matches:
            if other_index > index and distance > 0 and len(names[other_index]) > 4:
                pairs.append(PossibleDuplicate(tag, tags[other_index], int(distance)))
    pairs.sort(key=lambda pair: (pair.distance, -pair.tag.article_count))
    return pairs[:limit]
