"""What search engines and social networks read: JSON-LD, canonical URLs, cards."""

import json

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .models import Article

# What json_script escapes, so "</script>" in a headline cannot end the script.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def as_jsonld(data: dict) -> SafeString:
    """JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, indent=None, sort_keys=False)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above


def social_image(article: Article, request: HttpRequest) -> dict | None:
    if not article.image:
        return None
    social = (article.image_renditions or {}).get("social")
    if social:
        url = article.image.storage.url(social["name"])
        width, height = social["width"], social["height"]
    else:
        url, width, height = article.image.url, None, None
    return {"url": request.build_absolute_uri(url), "width": width, "height": height}


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
        "datePublished": article.publish_at.isoformat() if article.publish_at else None,
        "dateModified": article.updated_at.isoformat(),
        "inLanguage": article.language,
        "articleSection": article.section.name,
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
            "name": settings.SITE_NAME,
            "url": request.build_absolute_uri(reverse("articles:home")),
        },
    }
    image = social_image(article, request)
    if image:
        data["image"] = [image["url"]]
    if article.source_url:
        data["isBasedOn"] = article.source_url
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def breadcrumbs(request: HttpRequest, trail: list[tuple[str, str]]) -> dict:
    """schema.org BreadcrumbList from (name, path) pairs, home first."""
    items = [(settings.SITE_NAME, reverse("articles:home")), *trail]
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
