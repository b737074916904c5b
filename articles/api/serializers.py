"""What the API says of each thing. Every article says its `language`; addresses are
absolute, each in the edition it belongs to."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import editions
from ..models import Article, Author, Section, Source, Tag
from ..templatetags.pictures import with_library_pictures


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class EditionUrls(serializers.Serializer):
    en = serializers.URLField(help_text="The page in the English edition.")
    fa = serializers.URLField(help_text="The page in the Persian edition.")


class PageSerializer(serializers.ModelSerializer):
    """A section, tag, author or source: its page in both editions."""

    url_name = ""
    # A plain string: slugs may be Persian, which a \w pattern in the schema would refuse.
    slug = serializers.CharField(read_only=True)
    urls = serializers.SerializerMethodField()

    @extend_schema_field(EditionUrls)
    def get_urls(self, obj) -> dict:
        request = self.context.get("request")
        found = {}
        for code in editions.EDITIONS:
            with editions.serving(code):
                found[code] = absolute(request, reverse(self.url_name, kwargs={"slug": obj.slug}))
        return found


class SectionSerializer(PageSerializer):
    url_name = "articles:section"

    class Meta:
        model = Section
        fields = ["slug", "name", "name_fa", "description", "description_fa", "urls"]


class TagSerializer(PageSerializer):
    url_name = "articles:tag"

    class Meta:
        model = Tag
        fields = ["slug", "name", "urls"]


class AuthorSerializer(PageSerializer):
    url_name = "articles:author"

    class Meta:
        model = Author
        fields = ["slug", "name", "bio", "urls"]


class SourceSerializer(PageSerializer):
    url_name = "articles:source"

    class Meta:
        model = Source
        fields = ["slug", "name", "homepage", "urls"]


class NamedSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SectionRefSerializer(NamedSerializer):
    name_fa = serializers.CharField()


class SourceRefSerializer(NamedSerializer):
    homepage = serializers.CharField()


class PictureSerializer(serializers.Serializer):
    url = serializers.URLField()
    alt = serializers.CharField()
    caption = serializers.CharField()
    credit = serializers.CharField()


class ArticleSerializer(serializers.ModelSerializer):
    """An article as lists show it: everything but the body."""

    slug = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="publish_at")
    modified_at = serializers.DateTimeField(
        source="date_modified",
        help_text="When readers were last told the story changed: its publication, or its "
        "latest correction or update.",
    )
    section = SectionRefSerializer()
    authors = NamedSerializer(many=True)
    tags = serializers.SerializerMethodField()
    source = SourceRefSerializer(allow_null=True)
    source_url = serializers.CharField(help_text="The “Original news” link, or empty.")
    picture = serializers.SerializerMethodField()
    translation = serializers.SerializerMethodField(
        help_text="The slug of the same story in the other language, once readers may see it."
    )

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "summary",
            "language",
            "url",
            "published_at",
            "modified_at",
            "updated_at",
            "section",
            "authors",
            "tags",
            "source",
            "source_url",
            "picture",
            "is_featured",
            "translation",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, article: Article) -> str:
        return absolute(self.context.get("request"), article.get_absolute_url())

    @extend_schema_field(NamedSerializer(many=True))
    def get_tags(self, article: Article) -> list[dict]:
        return [{"slug": tag.slug, "name": tag.name} for tag in article.public_tags()]

    @extend_schema_field(PictureSerializer(allow_null=True))
    def get_picture(self, article: Article) -> dict | None:
        """The lead picture, from the library (selected with the article)."""
        picture = article.picture
        if picture is None or not picture.file:
            return None
        return {
            "url": absolute(self.context.get("request"), picture.file.url),
            "alt": picture.alt,
            "caption": picture.caption,
            "credit": picture.credit,
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_translation(self, article: Article) -> str | None:
        other = article.translation  # selected with the article
        return other.slug if other is not None and other.is_published() else None


class CorrectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["correction", "update"])
    text = serializers.CharField()
    published_at = serializers.DateTimeField(source="created_at")


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.SerializerMethodField(
        help_text="The story, as sanitised HTML; pictures placed in it are responsive "
        "<picture> elements from the picture library."
    )
    corrections = CorrectionSerializer(
        many=True, help_text="Corrections and updates readers see under the story, oldest first."
    )

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "corrections"]

    def get_body(self, article: Article) -> str:
        # As pages show it: the library's pictures, never the address stored in the body.
        return str(with_library_pictures(article.body_html))
