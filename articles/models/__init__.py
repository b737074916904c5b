"""The newsroom's content, one module per concern; import models from here."""

from .articles import Article, ArticleQuerySet, ArticleRedirect, TrashedArticle
from .audit import AuditEntry
from .base import OldAddress, PictureState, unique_slug
from .derived import RevisionTags, SearchEntry
from .desk import ArticleNote, Autosave, BodyPicture, Correction
from .front import FrontPage, FrontPagePin
from .pages import Author, Section, Source
from .people import DeskPreferences
from .pictures import Picture
from .previews import PreviewLink, token_digest
from .tags import (
    FoldingTaggableManager,
    ProposedTag,
    Tag,
    TaggedArticle,
    TagLogEntry,
    TagQuerySet,
    TagRedirect,
    clean_tag_name,
    tag_key,
)
from .wire import ImportRun, SourceFeed, WireItem, WireSchedule

__all__ = [
    "Article",
    "ArticleNote",
    "Autosave",
    "BodyPicture",
    "Correction",
    "FrontPage",
    "FrontPagePin",
    "Picture",
    "AuditEntry",
    "DeskPreferences",
    "ArticleQuerySet",
    "ArticleRedirect",
    "Author",
    "FoldingTaggableManager",
    "ImportRun",
    "OldAddress",
    "PictureState",
    "PreviewLink",
    "ProposedTag",
    "RevisionTags",
    "SearchEntry",
    "Section",
    "Source",
    "SourceFeed",
    "Tag",
    "TagLogEntry",
    "TagQuerySet",
    "TagRedirect",
    "TaggedArticle",
    "TrashedArticle",
    "WireItem",
    "WireSchedule",
    "clean_tag_name",
    "tag_key",
    "token_digest",
    "unique_slug",
]
