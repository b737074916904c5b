"""Reads: what each page, feed and desk view asks of the database.

Writes live in articles.services, articles.workflow and articles.tagging; this
module never changes anything. Reader views, feeds and sitemaps import reads
only: this module, articles.search and the models. The two visibility rules
are the querysets' own: `Article.objects.published()` and `Tag.objects.public()`.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from rapidfuzz import process
from rapidfuzz.distance import OSA
from reversion.models import Version

from . import page_cache
from .models import (
    Article,
    Author,
    PreviewLink,
    RevisionTags,
    Section,
    Tag,
    TaggedArticle,
    tag_key,
    token_digest,
)
from .permissions import User, user_is_editor
from .text import fold

# Tag names are short phrases; longer runs of words in a text cannot match one.
LONGEST_TAG_WORDS = 4
WORD = re.compile(r"\w+")


# Articles ------------------------------------------------------------------------------


def articles_visible_in_desk(user: User) -> QuerySet[Article]:
    """What a staff member sees in the desk: editors everything, reporters their own."""
    if user_is_editor(user):
        return Article.objects.not_in_trash()
    return Article.objects.owned_by(user).not_in_trash()


def articles_visible_to(user: User) -> QuerySet[Article]:
    """What a page may show this person: published articles, and staff their desk's too."""
    published = Article.objects.published()
    if not (user.is_staff and user.has_perm("articles.view_article")):
        return published
    desk = articles_visible_in_desk(user)
    return Article.objects.filter(Q(pk__in=published.values("pk")) | Q(pk__in=desk.values("pk")))


# Related stories are looked for among this many stories before and after an article.
RELATED_WINDOW = 500
# Related tags are counted on a tag's newest this many articles.
RELATED_TAGS_WINDOW = 1000


def related_articles(article: Article, *, limit: int = 4) -> list[Article]:
    """Published articles from around the same time sharing the most public tags with
    this one, newer first on ties.

    Counting shared tags over every article with a popular tag grows with the
    archive (22 ms at 100k articles); the stories published around this one,
    found by walking an index both ways, keep it flat.
    """
    tag_ids = [tag.pk for tag in article.public_tags()]
    if not tag_ids:
        return []
    published = Article.objects.published().exclude(pk=article.pk)
    when = article.publish_at or timezone.now()
    after = published.filter(publish_at__gte=when).order_by("publish_at", "pk")
    before = published.filter(publish_at__lt=when).order_by("-publish_at", "-pk")
    around = {
        pk: published_at
        for query in (after, before)
        for pk, published_at in query.values_list("pk", "publish_at")[:RELATED_WINDOW]
    }
    shared = (
        TaggedArticle.objects.filter(content_object_id__in=around, tag_id__in=tag_ids)
        .values_list("content_object_id")
        .annotate(shared=Count("tag_id"))
    )
    best = sorted(shared, key=lambda row: (-row[1], -around[row[0]].timestamp(), -row[0]))
    ids = [pk for pk, _count in best[:limit]]
    found = Article.objects.for_listing().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class FrontPage:
    top_story: Article | None
    secondary: list[Article]
    latest: list[Article]
    section_blocks: list[tuple[Section, list[Article]]]


def front_page(*, secondary_count: int = 2, latest_count: int = 8, per_section: int = 4):
    """The front page: the top story, the latest, and the newest few of every section.

    Index look-ups pick the ids: the newest featured story, the newest stories,
    and the newest few of each section not already shown (one small query per
    section, each reading only the rows it shows); one query then fetches every
    article shown with what its teaser needs. The cost depends on the number of
    sections, never on the size of the archive.
    """
    published = Article.objects.published()
    top_id = published.filter(is_featured=True).values_list("pk", flat=True).first()
    wanted = secondary_count + latest_count + 1
    newest_ids = list(published.values_list("pk", flat=True)[:wanted])
    if top_id is None and newest_ids:
        top_id = newest_ids[0]
    newest_ids = [pk for pk in newest_ids if pk != top_id][: wanted - 1]
    on_page = [pk for pk in (top_id, *newest_ids) if pk is not None]
    section_ids = []
    for section_id in Section.objects.values_list("pk", flat=True):
        in_section = published.filter(section_id=section_id).exclude(pk__in=on_page)
        section_ids.extend(in_section.values_list("pk", flat=True)[:per_section])
    shown = published.for_listing().in_bulk({*on_page, *section_ids})
    by_section = sorted(
        (shown[pk] for pk in section_ids),
        key=lambda a: (
            a.section.position,
            a.section.name,
            a.section.pk,
            -a.publish_at.timestamp(),
            -a.pk,
        ),
    )
    return FrontPage(
        top_story=shown.get(top_id),
        secondary=[shown[pk] for pk in newest_ids[:secondary_count]],
        latest=[shown[pk] for pk in newest_ids[secondary_count:]],
        section_blocks=[
            (section, list(articles))
            for section, articles in groupby(by_section, key=lambda a: a.section)
        ],
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


def latest_published_change():
    """When a published article last changed, kept until the published stream changes."""
    key = f"latest-change:{page_cache.stream_version()}"
    latest = cache.get(key)
    if latest is None:
        latest = Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        cache.set(key, latest, page_cache.lifetime())
    return latest


def authors_with_published_articles() -> QuerySet[Author]:
    writes = Article.objects.published().filter(authors=OuterRef("pk"))
    return Author.objects.filter(Exists(writes))


def article_from_preview_token(token: str) -> tuple[Article, datetime] | None:
    """The article a usable share link points to, with its expiry; else None."""
    link = (
        PreviewLink.objects.usable()
        .filter(token_sha256=token_digest(token))
        .only("article_id", "expires_at")
        .first()
    )
    if link is None:
        return None
    article = Article.objects.for_display().filter(pk=link.article_id).first()
    return (article, link.expires_at) if article else None


def article_preview_links(article: Article) -> QuerySet[PreviewLink]:
    """An article's share links, newest first, with who made and revoked them."""
    return article.preview_links.select_related("created_by", "revoked_by")


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


def tag_counts_for_readers() -> list[tuple[int, int]]:
    """(id, published articles) of every public tag that has any, most used first.

    Counting means reading every tagging of every published article: done once
    per change of the published stream (or a story going live), then kept.
    """
    key = f"tag-counts:{page_cache.stream_version()}"
    counts = cache.get(key)
    if counts is None:
        counts = list(
            Tag.objects.public()
            .filter(tagged_articles__content_object__in=Article.objects.published())
            .annotate(article_count=Count("tagged_articles"))
            .order_by("-article_count", "name")
            .values_list("pk", "article_count")
        )
        cache.set(key, counts, page_cache.lifetime())
    return counts


class CountedTags(Sequence):
    """Public tags in use, most used first, each with `article_count`; a page at a time."""

    def __init__(self, counts: list[tuple[int, int]]):
        self.counts = counts

    def __len__(self) -> int:
        return len(self.counts)

    def count(self) -> int:
        return len(self.counts)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        page = self.counts[index]
        tags = Tag.objects.in_bulk([pk for pk, _count in page])
        shown = []
        for pk, article_count in page:
            if pk in tags:
                tags[pk].article_count = article_count
                shown.append(tags[pk])
        return shown


def tags_for_readers() -> CountedTags:
    """Public tags that have published articles, with how many, most used first."""
    return CountedTags(tag_counts_for_readers())


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
    answer as if it did not exist.
    """
    return tags_in_readers_hands().filter(slug=slug).first()


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


def related_tags(tag: Tag, *, limit: int = 6) -> list[Tag]:
    """Public tags that appear most often with this one on its newest published articles.

    Kept until the published stream changes: a popular tag's thousands of articles
    took 80 ms to count at 100k articles.
    """
    key = f"related-tags:{tag.pk}:{page_cache.stream_version()}"
    related = cache.get(key)
    if related is None:
        newest = (
            Article.objects.published()
            .filter(tags=tag)
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
    text: str, *, user: User, exclude: list[str] = (), limit: int = 12
) -> list[dict]:
    """Public tags this person may see whose names occur in the text, as whole words,
    in any spelling."""
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
        tags_with_usage(tags_visible_in_desk(user).filter(pk__in=Tag.objects.public()))
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
