"""Reads: what each page, feed and desk view asks of the database.

Writes live in articles.services, articles.workflow and articles.tagging; this
package never changes anything. Reader views, feeds and sitemaps import reads
only: this package, articles.search and the models. The two visibility rules
are the querysets' own: `Article.objects.published()` and `Tag.objects.public()`.
Callers use `selectors.<name>`; the modules split articles from tags.
"""

from .articles import (
    FrontPage,
    article_from_preview_token,
    article_notes,
    article_preview_links,
    article_revisions,
    articles_visible_in_desk,
    articles_visible_to,
    authors_with_published_articles,
    body_pictures_of,
    front_page,
    latest_published_change,
    news_sitemap_articles,
    related_articles,
    revision_tag_names,
)
from .tags import (
    CountedTags,
    PossibleDuplicate,
    desk_most_used_tags,
    related_tags,
    tag_autocomplete,
    tag_by_meaning,
    tag_counts_for_readers,
    tag_for_readers,
    tag_possible_duplicates,
    tag_suggestions,
    tags_for_readers,
    tags_in_readers_hands,
    tags_to_offer,
    tags_visible_in_desk,
    tags_with_usage,
)

__all__ = [
    "articles_visible_in_desk",
    "articles_visible_to",
    "related_articles",
    "FrontPage",
    "front_page",
    "news_sitemap_articles",
    "latest_published_change",
    "authors_with_published_articles",
    "article_from_preview_token",
    "article_notes",
    "body_pictures_of",
    "article_preview_links",
    "article_revisions",
    "revision_tag_names",
    "tags_with_usage",
    "tag_counts_for_readers",
    "CountedTags",
    "tags_for_readers",
    "tag_by_meaning",
    "tags_in_readers_hands",
    "tag_for_readers",
    "tags_visible_in_desk",
    "related_tags",
    "desk_most_used_tags",
    "tags_to_offer",
    "tag_autocomplete",
    "tag_suggestions",
    "PossibleDuplicate",
    "tag_possible_duplicates",
]
