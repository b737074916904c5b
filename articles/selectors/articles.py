"""Reads about articles: pages, the front page, feeds, previews and revisions."""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from reversion.models import Version

from .. import page_cache
from ..body_pictures import ids_in
from ..models import (
    Article,
    Author,
    Picture,
    PreviewLink,
    RevisionTags,
    Section,
    TaggedArticle,
    token_digest,
)
from ..models import (
    FrontPage as Arrangement,
)
from ..permissions import User, user_is_editor

# Articles ------------------------------------------------------------------------------


def articles_visible_in_desk(user: User) -> QuerySet[Article]:
    """What a staff member sees in the desk: editors everything, reporters their own."""
    if user_is_editor(user):
        return Article.objects.not_in_trash()
    return Article.objects.owned_by(user).not_in_trash()


def articles_visible_to(user: User, *, signed_in_to_desk: bool) -> QuerySet[Article]:
    """What a page may show this person: published articles, and staff their desk's too,
    once they are as far into the desk as it requires (a second factor included)."""
    published = Article.objects.published()
    if not (signed_in_to_desk and user.has_perm("articles.view_article")):
        return published
    desk = articles_visible_in_desk(user)
    return Article.objects.filter(Q(pk__in=published.values("pk")) | Q(pk__in=desk.values("pk")))


# Related stories are looked for among this many stories before and after an article.
RELATED_WINDOW = 500


def related_articles(article: Article, *, limit: int = 4) -> list[Article]:
    """Published articles from around the same time sharing the most public tags with
    this one, newer first on ties.

    Counting shared tags over every article with a popular tag grows with the
    archive (22 ms at 100k articles); the stories published around this one,
    found by walking an index both ways, keep it flat (1-2 ms at 100k). The choice
    is kept until the published stream changes (or the article's own tags or time
    do): at any size it was half the time of an uncached article page.
    """
    tag_ids = sorted(tag.pk for tag in article.public_tags())
    if not tag_ids:
        return []
    when = article.publish_at.timestamp() if article.publish_at else "now"
    tags = ",".join(map(str, tag_ids))

    def choose() -> list[Article]:
        ids = _related_ids(article, tag_ids, limit)
        found = Article.objects.published().for_listing().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    # The stories themselves are kept, with what their teasers show: any edit of one
    # (or of its section or authors) moves the stream, so nothing kept goes stale.
    return page_cache.kept_with_stream(f"related:{article.pk}:{when}:{tags}:{limit}", choose)


def _related_ids(article: Article, tag_ids: list[int], limit: int) -> list[int]:
    published = Article.objects.published().filter(language=article.language)
    published = published.exclude(pk=article.pk)
    when = article.publish_at or timezone.now()
    after = published.filter(publish_at__gte=when).order_by("publish_at", "pk")
    before = published.filter(publish_at__lt=when).order_by("-publish_at", "-pk")
    # Ids only, oldest to newest: a story's place in this list is its place in time
    # (publish_at, then pk), so no dates are read, parsed or joined.
    in_time = [
        *list(before.values_list("pk", flat=True)[:RELATED_WINDOW])[::-1],
        *after.values_list("pk", flat=True)[:RELATED_WINDOW],
    ]
    when_of = {pk: place for place, pk in enumerate(in_time)}
    # The tags are counted story by story of the window, not looked up tag by tag: a
    # popular tag has rows in every corner of the archive.
    shared = (
        TaggedArticle.objects.filter(content_object_id__in=in_time)
        .values_list("content_object_id")
        .annotate(shared=Count("tag_id", filter=Q(tag_id__in=tag_ids)))
        .filter(shared__gt=0)
        .order_by()
    )
    best = sorted(shared, key=lambda row: (-row[1], -when_of[row[0]]))
    return [pk for pk, _count in best[:limit]]


@dataclass(frozen=True)
class Banner:
    text: str
    url: str
    expires_at: float | None  # a timestamp; None: until taken down

    def showing(self) -> bool:
        return bool(self.text) and (self.expires_at is None or self.expires_at > time.time())


@dataclass(frozen=True)
class FrontPage:
    top_story: Article | None
    secondary: list[Article]
    latest: list[Article]
    section_blocks: list[tuple[Section, list[Article]]]
    banner: Banner | None = None


def front_page(
    *, language: str = "en", secondary_count: int = 2, latest_count: int = 8, per_section: int = 4
):
    """An edition's front page: the top story, the latest, and the newest few of every
    section, all in the edition's `language`.

    Index look-ups pick the ids: the newest featured story, the newest stories,
    and the newest few of each section not already shown (one small query per
    section, each reading only the rows it shows); one query then fetches every
    article shown with what its teaser needs. The cost depends on the number of
    sections, never on the size of the archive, and the choice is kept until the
    published stream changes (or the next scheduled story goes live).
    """
    arranged = page_cache.version_of("front")
    top_id, newest_ids, section_ids, banner = page_cache.kept_with_stream(
        f"front-page:{language}:{secondary_count}:{latest_count}:{per_section}:{arranged}",
        lambda: _front_page_ids(language, secondary_count, latest_count, per_section),
    )
    on_page = [pk for pk in (top_id, *newest_ids) if pk is not None]
    shown = Article.objects.published().for_listing().in_bulk({*on_page, *section_ids})
    by_section = sorted(
        (shown[pk] for pk in section_ids if pk in shown),
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
        secondary=[shown[pk] for pk in newest_ids[:secondary_count] if pk in shown],
        latest=[shown[pk] for pk in newest_ids[secondary_count:] if pk in shown],
        section_blocks=[
            (section, list(articles))
            for section, articles in groupby(by_section, key=lambda a: a.section)
        ],
        banner=banner if banner and banner.showing() else None,
    )


def _front_page_ids(
    language: str, secondary_count: int, latest_count: int, per_section: int
) -> tuple[int | None, list[int], list[int], Banner | None]:
    """The top story's id, the newest stories' ids (pinned ones first, in the editors'
    order), the section blocks' ids, and the banner.

    What editors arranged (articles.models.FrontPage) counts only for stories readers
    may see: a pinned story still scheduled takes its place when it goes live.
    """
    published = Article.objects.published().filter(language=language)
    arranged = Arrangement.objects.filter(edition=language).first()
    pinned, top_id, banner = [], None, None
    if arranged is not None:
        pins = list(arranged.pins.values_list("article_id", flat=True))
        chosen = [pk for pk in (arranged.top_story_id, *pins) if pk is not None]
        live = (
            set(published.filter(pk__in=chosen).values_list("pk", flat=True)) if chosen else set()
        )
        top_id = arranged.top_story_id if arranged.top_story_id in live else None
        pinned = [pk for pk in pins if pk in live and pk != top_id]
        banner = _banner(arranged, published)
    if top_id is None:
        top_id = published.filter(is_featured=True).values_list("pk", flat=True).first()
    wanted = secondary_count + latest_count + 1
    newest_ids = list(published.values_list("pk", flat=True)[:wanted])
    if top_id is None and newest_ids:
        top_id = newest_ids[0]
    ordered = dict.fromkeys([*pinned, *newest_ids])
    newest_ids = [pk for pk in ordered if pk != top_id][: wanted - 1]
    on_page = [pk for pk in (top_id, *newest_ids) if pk is not None]
    section_ids = []
    for section_id in Section.objects.values_list("pk", flat=True):
        in_section = published.filter(section_id=section_id).exclude(pk__in=on_page)
        section_ids.extend(in_section.values_list("pk", flat=True)[:per_section])
    return top_id, newest_ids, section_ids, banner


def _banner(arranged: Arrangement, published) -> Banner | None:
    if not arranged.banner_text:
        return None
    link = published.filter(pk=arranged.banner_link_id).first() if arranged.banner_link_id else None
    expires = arranged.banner_expires_at
    return Banner(
        text=arranged.banner_text,
        url=link.get_absolute_url() if link else "",
        expires_at=expires.timestamp() if expires else None,
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


def authors_with_published_articles(language: str) -> QuerySet[Author]:
    """Authors with published articles in `language` (an edition's), by name.

    Found from the bylines of that language's published articles, kept until the
    stream changes: asking each author "any article in Persian?" walked all of a
    prolific English author's articles to say no (1.6 s for the sitemap at 100k).
    """
    ids = page_cache.kept_with_stream(
        f"authors-with-articles:{language}",
        lambda: list(
            Article.authors.through.objects.filter(
                article__in=Article.objects.published().filter(language=language)
            )
            .values_list("author_id", flat=True)
            .distinct()
        ),
    )
    return Author.objects.filter(pk__in=ids).order_by("name", "pk")


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


def article_notes(article: Article) -> list:
    """The notes on an article, newest first, with who wrote them."""
    return list(article.notes.select_related("created_by")[:100])


def body_pictures_of(body: str) -> dict:
    """The library pictures a body shows, by id, ready or not (one query, none if none)."""
    ids = ids_in(body)
    return Picture.objects.in_bulk(ids) if ids else {}
