"""The newsroom desk, one module per concern (as Wagtail splits its admin views).

- base: the common ModelAdmin and the base of the desk's own views
- articles: ArticleAdmin, configuration and wiring only
- desk: the article list's columns, filters and paginator
- editing: saving the form, and refusing a stale save without losing the text
- workflow: transition buttons and bulk actions, derived from articles.workflow
- revisions, previews: an article's history, and share links
- tags, pages, users: the vocabulary; sections and authors; people and roles
- pictures: the picture library, its thumbnails, focal points and uses
- frontpage: each edition's front page, arranged by editors
- wire: sources with their feeds and imports, "Poll now", OPML upload, the import log
- trash: deleting moves articles to the trash; editors restore from it
- audit: the audit log, read-only, for administrators

Every permission is checked on the server, in articles.permissions and
articles.workflow; templates only follow what they are given.
"""

from . import articles, audit, frontpage, pages, pictures, tags, trash, users, wire  # noqa: F401 - each module registers its admins
