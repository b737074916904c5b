"""Reads about tags: readers' tag pages and counts, the desk's vocabulary and hints."""

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .. import page_cache
from ..models import Article, Tag, TaggedArticle, tag_key
from ..pagination import KeptOrder
from ..permissions import User, user_is_editor
from ..text import fold

# Tag names are short phrases; longer runs of words in a text cannot match one.
LONGEST_TAG_WORDS = 4
WORD = re.compile(r"\w+")
# Related tags are counted on a tag's newest this many articles.
RELATED_TAGS_WINDOW = 1000


# Tags -----------------------------------------------------------------------------------


def tags_with_usage(tags: QuerySet[Tag] | None = None) -> QuerySet[Tag]:
    """`tags` (every tag by default), each with how many articles carry it."""
    tags = Tag.objects.all() if tags is None else tags
    return tags.annotate(article_count=Count("tagged_articles"))


def tag_counts_for_readers(language: str) -> list[tuple[int, int]]:
    """(id, published articles in `language`) of every public tag that has any, most used
    first.

    Counting means reading every tagging of every published article: done once
    per change of the published stream (or a story going live), then kept.
    """
    key = f"tag-counts:{language}:{page_cache.stream_version()}"
    counts = cache.get(key)
    if counts is None:
        published = Article.objects.published().filter(language=language)
        counts = list(
            Tag.objects.public()
            .filter(tagged_articles__content_object__in=published)
            .annotate(article_count=Count("tagged_articles"))
            .order_by("-article_count", "name")
            .values_list("pk", "article_count")
        )
        cache.set(key, counts, page_cache.lifetime())
    return counts


class CountedTags(KeptOrder):
    """Public tags in use, most used first, each with `article_count`; a page at a time."""

    def rows(self, page: list[tuple[int, int]]) -> list[Tag]:
        tags = Tag.objects.in_bulk([pk for pk, _count in page])
        shown = []
        for pk, article_count in page:
            if pk in tags:
                tags[pk].article_count = article_count
                shown.append(tags[pk])
        return shown


def tags_for_readers(language: str) -> CountedTags:
    """Public tags that have published articles in `language` (an edition's), with how
    many, most used first."""
    return CountedTags(tag_counts_for_readers(language))


def tag_by_meaning(name: str, *, excluding: Tag | None = None) -> Tag | None:
    """The tag that means `name`, in whatever spelling it was typed."""
    tags = Tag.objects.filter(folded_name=tag_key(name))
    if excluding is not None:
        tags = tags.exclude(pk=excluding.pk)
    return tags.first()


def tags_in_readers_hands() -> QuerySet[Tag]:
    """Public tags with published articles: the only tags a reader may learn exist."""
    used = TaggedArticle.objects.filter(content_object__in=Article.objects.published())
    return Tag.objects.public().filter(pk__in=used.values("tag_id"))


def tag_for_readers(slug: str) -> Tag | None:
    """The tag at this address, if readers may know it: public, with published articles.

    A tag only on drafts may name an embargoed story: its page, feed and filter
    answer as if it did not exist. Whether it has published articles is kept until
    the stream changes: asking every time was a third of a tag page at 100k.
    """
    tag = Tag.objects.public().filter(slug=slug).first()
    if tag is None:
        return None
    in_hands = page_cache.kept_with_stream(
        f"tag-in-readers-hands:{tag.pk}",
        lambda: TaggedArticle.objects.filter(
            tag=tag, content_object__in=Article.objects.published()
        ).exists(),
    )
    return tag if in_hands else None


def tags_visible_in_desk(user: User) -> QuerySet[Tag]:
    """The tags a staff member may be shown while writing.

    Editors see every tag. A reporter sees the tags readers see, the vocabulary
    no article uses yet, and the tags of their own articles (their proposals
    included), never a tag that only other people's drafts carry.
    """
    if user_is_editor(user):
        return Tag.objects.all()
    unused = Tag.objects.public().exclude(pk__in=TaggedArticle.objects.values("tag_id"))
    mine = TaggedArticle.objects.filter(content_object__in=Article.objects.owned_by(user))
    return Tag.objects.filter(
        Q(pk__in=tags_in_readers_hands().values("pk"))
        | Q(pk__in=unused.values("pk"))
        | Q(pk__in=mine.values("tag_id"))
    )


def related_tags(tag: Tag, *, language: str, limit: int = 6) -> list[Tag]:
    """Public tags that appear most often with this one on its newest published articles
    in `language` (an edition's).

    Kept until the published stream changes: a popular tag's thousands of articles
    took 80 ms to count at 100k articles.
    """
    key = f"related-tags:{tag.pk}:{language}:{page_cache.stream_version()}"
    related = cache.get(key)
    if related is None:
        newest = (
            Article.objects.published()
            .filter(tags=tag, language=language)
            .order_by("-publish_at", "-pk")
            .values("pk")[:RELATED_TAGS_WINDOW]
        )
        counted = (
            Tag.objects.public()
            .filter(tagged_articles__content_object__in=newest)
            .exclude(pk=tag.pk)
            .annotate(shared=Count("tagged_articles"))
            .order_by("-shared", "name")[:limit]
        )
        related = list(counted)
        cache.set(key, related, page_cache.lifetime())
    return related


def desk_most_used_tags(user: User, *, limit: int = 25) -> list[tuple[str, str]]:
    """(slug, name) of the most used tags this person may see, for the desk's filter;
    kept a few minutes (counting every tagging is the slowest part of a large desk)."""

    def most_used():
        tags = tags_with_usage(tags_visible_in_desk(user)).order_by("-article_count", "name")
        return [(tag.slug, tag.name) for tag in tags[:limit]]

    whose = "all" if user_is_editor(user) else f"user-{user.pk}"
    return cache.get_or_set(f"articles:desk:most-used-tags:{whose}", most_used, 300)


def tags_to_offer(user: User) -> QuerySet[Tag]:
    """What the tags box offers while writing: public tags this person may see, and
    the proposals on their own articles (another's proposal waits for an editor)."""
    mine = TaggedArticle.objects.filter(content_object__in=Article.objects.owned_by(user))
    return tags_visible_in_desk(user).filter(
        Q(pk__in=Tag.objects.public().values("pk")) | Q(pk__in=mine.values("tag_id"))
    )


def tag_autocomplete(query: str, *, user: User, limit: int = 10) -> list[dict]:
    """Tags on offer whose folded name starts with (or contains) the query, most used first."""
    key = tag_key(query)
    tags = tags_with_usage(tags_to_offer(user))
    if key:
        tags = tags.filter(folded_name__contains=key)
    tags = sorted(
        tags.order_by("-article_count", "name")[: limit * 3],
        key=lambda t: (not t.folded_name.startswith(key), -t.article_count, t.name),
    )
    return [{"name": t.name, "slug": t.slug, "count": t.article_count} for t in tags[:limit]]


def tag_suggestions(
    text: str, *, user: User | None, exclude: list[str] = (), limit: int = 12
) -> list[dict]:
    """Public tags this person may see whose names occur in the text, as whole words,
    in any spelling. `user=None` is the system (the wire desk): every public tag."""
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
        tags_with_usage(
            Tag.objects.public()
            if user is None
            else tags_visible_in_desk(user).filter(pk__in=Tag.objects.public())
        )
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
