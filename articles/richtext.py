"""The article body's rich text: one list of what the editor can make.

The desk's editor (django-prose-editor: ProseMirror/Tiptap, shipped with the
package) is configured from BODY_EXTENSIONS, and the server-side sanitiser
(articles.sanitize) derives its allow-list from the same list, so what the
toolbar can make is exactly what survives a save, whatever is posted.
"""

from django_prose_editor.config import allowlist_from_extensions

# The toolbar: paragraphs, headings h2–h4, bold, italic, links, lists, block quotes
# with a citation line, a horizontal rule, line breaks, and pictures from the library.
# "Citation", "PastedHeadings" and "BodyPicture" are the newsroom's own
# (static/js/prose-newsroom.js, declared in settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
BODY_EXTENSIONS: dict = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Citation": True,
    "PastedHeadings": True,
    "BodyPicture": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "History": True,
    "NoSpellCheck": False,
}
# Editors also get the source view (it makes nothing the list above does not allow).
SOURCE_VIEW = {"HTML": True}


def body_allowlist() -> dict:
    """nh3's tags and attributes for article bodies, from BODY_EXTENSIONS."""
    allowed = allowlist_from_extensions(BODY_EXTENSIONS)
    return {
        "tags": set(allowed["tags"]),
        "attributes": {tag: set(names) for tag, names in allowed["attributes"].items()},
        "url_schemes": set(allowed.get("url_schemes", {"http", "https", "mailto"})),
    }


def editor_config(*, source_view: bool) -> dict:
    """What the desk's body widget is configured with."""
    extensions = {**BODY_EXTENSIONS, **(SOURCE_VIEW if source_view else {})}
    return {"extensions": extensions}
