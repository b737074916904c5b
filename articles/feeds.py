"""RSS 2.0 and Atom feeds: latest articles, and per tag and per section, one set per
edition (/feeds/… in English, /fa/feeds/… in Persian, each saying its language)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator

from . import editions, page_cache, selectors
from .dates import format_datetime
from .models import Article, Section, Tag
from .renditions import social_card
from .templatetags.pictures import with_library_pictures
from .text import html_to_text, strip_control

FEED_SIZE = 30


def feed_view(feed_class: type[Feed]):
    """A view making a new feed object per request: feeds keep the request on self."""

    def view(request, *args, **kwargs):
        # Items carry tag names as categories; the feed's own tag or section is in `tags`
        # and `sections`.
        page_cache.depends_on(request, "published", "tags")
        return feed_class()(request, *args, **kwargs)

    return view


class ImageFeedMixin:
    def item_enclosures(self, article: Article) -> list[Enclosure]:
        picture = article.picture
        card = social_card(picture.file, picture.file_renditions) if picture else None
        if card is None:
            return []
        return [Enclosure(self.request.build_absolute_uri(card.url), str(card.bytes), card.type)]


class LatestArticlesFeed(ImageFeedMixin, Feed):
    """The newest published articles of the edition being served."""

    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self, obj=None) -> str:
        return editions.site_name()

    def description(self, obj=None) -> str:
        return editions.site_tagline()

    subtitle = description

    def link(self, obj=None) -> str:
        return reverse("articles:home")

    def feed_url(self, obj=None) -> str:
        return self.request.path

    def articles(self, obj=None):
        return Article.objects.published().filter(language=editions.language()).for_display()

    def items(self, obj=None):
        return self.articles(obj)[:FEED_SIZE]

    def item_title(self, article: Article) -> str:
        return strip_control(article.title)

    def item_description(self, article: Article) -> str:
        """The summary, or the whole cleaned body when ARTICLES_FEED_FULL_TEXT is on."""
        full_text = getattr(settings, "ARTICLES_FEED_FULL_TEXT", False)
        if full_text:
            text = str(with_library_pictures(article.body_html))
        else:
            text = article.summary or Truncator(html_to_text(article.body)).chars(300)
        # Readers of the feed are told of corrections and updates as readers of the page are.
        notices = [
            f"{correction.get_kind_display()} ({format_datetime(correction.created_at, 'date')}): "
            f"{correction.text}"
            for correction in article.corrections.all()
        ]
        if full_text:  # the description is HTML then: the notices are text in it
            return strip_control(text + "".join(f"<p>{escape(notice)}</p>" for notice in notices))
        return strip_control("\n\n".join([text, *notices]))

    def item_pubdate(self, article: Article):
        return article.publish_at

    def item_updateddate(self, article: Article):
        return article.date_modified

    def item_author_name(self, article: Article) -> str:
        return strip_control(", ".join(author.name for author in article.authors.all()))

    def item_categories(self, article: Article) -> list[str]:
        return [strip_control(tag.name) for tag in article.public_tags()]

    def item_guid(self, article: Article) -> str:
        # A tag: URI (RFC 4151) stays the same when a slug changes, so feed readers
        # never show a story twice.
        return f"tag:{self.request.get_host()},{article.created_at:%Y}:article:{article.pk}"

    item_guid_is_permalink = False


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> Tag:
        tag = selectors.tag_for_readers(slug)
        if tag is None:
            raise Http404("No such topic")
        return tag

    def title(self, tag: Tag) -> str:
        return f"{tag.name} · {editions.site_name()}"

    def description(self, tag: Tag) -> str:
        return tag.description or f"{editions.site_name()}: {tag.name}"

    def link(self, tag: Tag) -> str:
        return tag.get_absolute_url()

    def articles(self, tag: Tag):
        return super().articles().filter(tags=tag)


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def title(self, section: Section) -> str:
        return f"{section.display_name} · {editions.site_name()}"

    def description(self, section: Section) -> str:
        return section.display_description or f"{editions.site_name()}: {section.display_name}"

    def link(self, section: Section) -> str:
        return section.get_absolute_url()

    def articles(self, section: Section):
        return super().articles().filter(section=section)
