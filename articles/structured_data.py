"""What search engines and social networks read: JSON-LD, canonical URLs, cards."""

import json

from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from . import editions
from .dates import machine_datetime
from .models import Article
from .renditions import social_card

# What json_script escapes, so "</script>" in a headline cannot end the script.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def as_jsonld(data: dict) -> SafeString:
    """JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, indent=None, sort_keys=False)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above


def social_image(article: Article, request: HttpRequest) -> dict | None:
    """The picture for Open Graph and Twitter cards, as an absolute URL with its size."""
    picture = article.sharing_picture
    card = social_card(picture.file, picture.file_renditions) if picture else None
    if card is None:
        return None
    return {"url": request.build_absolute_uri(card.url), "width": card.width, "height": card.height}


def news_article(article: Article, request: HttpRequest) -> dict:
    """schema.org NewsArticle for one article page."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title[:110],
        "description": article.summary,
        "datePublished": machine_datetime(article.publish_at) if article.publish_at else None,
        "dateModified": machine_datetime(article.date_modified) if article.publish_at else None,
        "inLanguage": article.language,
        "articleSection": article.section.display_name,
        "keywords": [tag.name for tag in article.public_tags()],
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.authors.all()
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": editions.site_name(),
            "url": request.build_absolute_uri(reverse("articles:home")),
        },
    }
    image = social_image(article, request)
    if image:
        data["image"] = [image["url"]]
    if article.source_url:
        data["isBasedOn"] = article.source_url
    data["correction"] = [
        {
            "@type": "CorrectionComment",
            "text": correction.text,
            "datePublished": machine_datetime(correction.created_at),
        }
        for correction in article.corrections.all()
    ]
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def original_canonical(article: Article) -> str | None:
    """The original story's address, for `rel=canonical`, when its source asks that its
    stories we carry name the original as the canonical page; else None (our own)."""
    if article.source_id and article.source_url and article.source.canonical_to_original:
        return article.source_url
    return None


def breadcrumbs(request: HttpRequest, trail: list[tuple[str, str]]) -> dict:
    """schema.org BreadcrumbList from (name, path) pairs, home first."""
    items = [(editions.site_name(), reverse("articles:home")), *trail]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(items, start=1)
        ],
    }
