"""Many sources at once from an OPML file (the list feed readers export).

Each outline with an `xmlUrl` is a feed; its `title` (or `text`) names the
source, matched to an existing source of that name, and its `htmlUrl` is the
source's homepage. Feeds already known are left as they are.
"""

from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..models import Section, Source, SourceFeed
from ..permissions import User

MAX_BYTES = 1024 * 1024
URL = URLValidator(schemes=["http", "https"])


class OpmlError(ValidationError):
    """The file is not an OPML list we can read."""


@dataclass(frozen=True)
class OpmlFeed:
    title: str
    xml_url: str
    html_url: str


@dataclass
class OpmlResult:
    sources_created: list[str] = field(default_factory=list)
    feeds_created: int = 0
    feeds_known: int = 0
    refused: list[str] = field(default_factory=list)


def _valid_url(value: str) -> bool:
    try:
        URL(value)
    except ValidationError:
        return False
    return len(value) <= 1000


def opml_parse(content: bytes) -> list[OpmlFeed]:
    """The feeds an OPML file lists; OpmlError when it cannot be read."""
    if len(content) > MAX_BYTES:
        raise OpmlError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(MAX_BYTES)}
        )
    # No document types: entity tricks (billion laughs, external files) are refused whole.
    if b"<!DOCTYPE" in content.upper() or b"<!ENTITY" in content.upper():
        raise OpmlError(_("OPML files with a document type declaration are not accepted."))
    try:
        root = ElementTree.fromstring(content)  # noqa: S314 - no DTD, checked above
    except ElementTree.ParseError as error:
        raise OpmlError(
            _("This is not a well-formed OPML file (%(problem)s).") % {"problem": error}
        ) from error
    if root.tag != "opml" or root.find("body") is None:
        raise OpmlError(_("This is not an OPML file: it has no <opml> and <body>."))
    feeds = []
    for outline in root.iter("outline"):
        xml_url = (outline.get("xmlUrl") or "").strip()
        if not xml_url:
            continue
        title = (outline.get("title") or outline.get("text") or "").strip()[:150]
        feeds.append(
            OpmlFeed(title=title, xml_url=xml_url, html_url=(outline.get("htmlUrl") or "").strip())
        )
    if not feeds:
        raise OpmlError(_("The file lists no feeds (outlines with an xmlUrl)."))
    return feeds


@transaction.atomic
def opml_import(
    *,
    content: bytes,
    by: User | None,
    section: Section | None = None,
    policy: str = Source.ImportPolicy.REVIEW,
) -> OpmlResult:
    """Create the sources and feeds an OPML file lists (`by=None`: the system)."""
    if by is not None and not (
        by.has_perm("articles.add_source") and by.has_perm("articles.change_source")
    ):
        raise PermissionDenied(_("Only editors can add sources."))
    result = OpmlResult()
    for entry in opml_parse(content):
        if not _valid_url(entry.xml_url):
            result.refused.append(entry.xml_url[:200])
            continue
        if SourceFeed.objects.filter(url=entry.xml_url).exists():
            result.feeds_known += 1
            continue
        name = entry.title or entry.xml_url[:150]
        source = Source.objects.filter(name__iexact=name).first()
        if source is None:
            homepage = entry.html_url if _valid_url(entry.html_url) else ""
            source = Source.objects.create(
                name=name, homepage=homepage[:200], default_section=section, import_policy=policy
            )
            result.sources_created.append(source.name)
        SourceFeed.objects.create(source=source, url=entry.xml_url)
        result.feeds_created += 1
    return result
