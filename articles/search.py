"""Full-text search over articles, on PostgreSQL or SQLite, behind one interface.

PostgreSQL: a weighted tsvector (title A, summary and tags B, body C) in a
table of its own (SearchEntry) with a GIN index. SQLite: an FTS5 table ranked
with bm25 and the same weights. Both index *folded* text (articles.text.fold),
and queries are folded the same way, so a word typed on an Arabic keyboard
finds Persian text. Queries are reduced to plain words before they reach the
database: operators and garbage in the search box can never be a syntax error.
"""

import bisect
import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from . import page_cache
from .models import Article, SearchEntry
from .pagination import KeptOrder
from .text import fold, html_to_text

WORD = re.compile(r"\w+")
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# On SQLite the best this many matches are ranked and then filtered; readers
# never page that far, and ranking every match of a common word costs seconds.
MAX_RESULTS = 1000
# On PostgreSQL the newest this many matches are ranked (25 pages of results).
PG_RANKED = 500
FTS_TABLE = "articles_search"
# Title outranks summary and tags, which outrank the body.
WEIGHTS = {"title": 10.0, "summary": 4.0, "tags": 4.0, "body": 1.0}


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def query_terms(query: str) -> list[str]:
    """The folded words of a query: what both backends search for."""
    return WORD.findall(fold(query[:MAX_QUERY_CHARS]))[:MAX_TERMS]


# Indexing ---------------------------------------------------------------------------


def _document(article: Article) -> dict[str, str]:
    """The folded text the index holds for an article: only what readers can see."""
    tags = " ".join(tag.name for tag in article.public_tags())
    return {
        "title": fold(article.title),
        "summary": fold(article.summary),
        "tags": fold(tags),
        "body": fold(html_to_text(article.body)),
    }


def index_article(article: Article) -> None:
    """Bring the article's index entry up to date with its text and tags."""
    write = _pg_write if is_postgresql() else _sqlite_write
    write([(article.pk, _document(article))])


def _sqlite_write(entries: list[tuple[int, dict[str, str]]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {FTS_TABLE} WHERE rowid = %s",  # noqa: S608 - a constant
            [(pk,) for pk, _document in entries],
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, summary, tags, body) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            [(pk, d["title"], d["summary"], d["tags"], d["body"]) for pk, d in entries],
        )


# Word for word ("simple"), in every language: queries match by prefix, so
# "negotiat" finds "negotiations" without a stemmer, and Persian needs none.
PG_DOCUMENT = " || ".join(
    f"setweight(to_tsvector('simple', v.{part}), '{weight}')"
    for part, weight in [("title", "A"), ("summary", "B"), ("tags", "B"), ("body", "C")]
)


def _pg_write(entries: list[tuple[int, dict[str, str]]]) -> None:
    """One statement for a whole batch: a row at a time takes minutes at 100k articles."""
    rows = ", ".join(["(%s::bigint, %s::text, %s::text, %s::text, %s::text)"] * len(entries))
    params = [
        value for pk, d in entries for value in (pk, d["title"], d["summary"], d["tags"], d["body"])
    ]
    table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, document) "  # noqa: S608 - constants
            f"SELECT v.id, {PG_DOCUMENT} FROM (VALUES {rows}) AS v(id, title, summary, tags, body) "
            "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document",
            params,
        )


def index_articles(articles: QuerySet, *, batch: int = 500) -> int:
    """Index every article of the queryset again, a batch at a time; returns how many."""
    articles = articles.order_by("pk").prefetch_related("tags")
    count, last = 0, 0
    write = _pg_write if is_postgresql() else _sqlite_write
    while True:
        chunk = list(articles.filter(pk__gt=last)[:batch])
        if not chunk:
            return count
        # One transaction a batch: on SQLite each row would otherwise be its own sync.
        with transaction.atomic():
            write([(article.pk, _document(article)) for article in chunk])
        count += len(chunk)
        last = chunk[-1].pk
        # Results kept by search() (and cached result pages) predate this.
        page_cache.bump("search")


def unindex_article(article_id: int) -> None:
    if not is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])  # noqa: S608


def rebuild_index() -> int:
    """Index every article again; returns how many."""
    return index_articles(Article.objects.all())


def index_missing() -> int:
    """Index the articles the index does not know yet (after a migration or a restore)."""
    if is_postgresql():
        return index_articles(Article.objects.filter(search_entry__isnull=True))
    sql = f"SELECT rowid FROM {FTS_TABLE}"  # noqa: S608 - a constant
    return index_articles(Article.objects.exclude(pk__in=RawSQL(sql, [])))  # noqa: S611


# Searching ------------------------------------------------------------------------


def search(queryset: QuerySet, query: str, *, remember_as: str = "") -> "RankedArticles":
    """The articles of `queryset` that match `query`, best match first.

    `queryset` decides what may be found (the caller passes published() and
    any filters); this only narrows and orders it. With `remember_as` (a key
    naming the query and its filters), the ranked ids are kept until the
    published stream changes, so a popular search is ranked once.
    """
    terms = query_terms(query)
    if not terms:
        return RankedArticles(queryset, [])
    if not remember_as:
        return RankedArticles(queryset, _ranked_ids(queryset, terms))
    versions = page_cache.stream_version() + page_cache.version_of("search")
    digest = hashlib.blake2b(f"{remember_as}|{versions}".encode())
    key = f"search:{digest.hexdigest()[:32]}"
    ids = cache.get(key)
    if ids is None:
        ids = _ranked_ids(queryset, terms)
        cache.set(key, ids, page_cache.lifetime())
    return RankedArticles(queryset, ids)


def _ranked_ids(queryset: QuerySet, terms: list[str]) -> list[int]:
    if is_postgresql():
        return _pg_ranked_ids(terms, within=queryset)
    match = " ".join(f'"{term}"*' for term in terms)  # quoted: no FTS5 syntax gets through
    return _sqlite_ranked_ids(match, within=queryset)


def _pg_ranked_ids(terms: list[str], *, within: QuerySet) -> list[int]:
    """The newest PG_RANKED matches among `within`, best first.

    Ranking reads each match's whole document: ranking every match of a common
    word (a fifth of a large archive) took 225 ms at 100k articles. The newest
    matches are found by walking the newest articles (an index) and asking the
    index of each; then only those are ranked.
    """
    # Prefix matches ("negotiat" finds "negotiations"), all words required.
    raw = " & ".join(f"{term}:*" for term in terms)
    tsquery = SearchQuery(raw, search_type="raw", config="simple")
    matching = SearchEntry.objects.filter(document=tsquery).values("article_id")
    newest = within.filter(pk__in=matching).order_by("-publish_at", "-pk").values("pk")[:PG_RANKED]
    ranked = (
        within.filter(pk__in=newest)
        .annotate(rank=SearchRank(F("search_entry__document"), tsquery))
        .order_by("-rank", "-publish_at", "-pk")
    )
    return list(ranked.values_list("pk", flat=True))


class RankedArticles(KeptOrder):
    """Search results in rank order, fetched a page at a time (what Paginator needs)."""

    def __init__(self, queryset: QuerySet, ids: list[int]):
        super().__init__(ids)
        self.queryset = queryset

    def rows(self, page: list[int]) -> list[Article]:
        found = self.queryset.filter(pk__in=page).in_bulk()
        return [found[pk] for pk in page if pk in found]


def _sqlite_ranked_ids(match: str, *, within: QuerySet) -> list[int]:
    """The best MAX_RESULTS matches among `within` (published, filtered), best first.

    Ranked inside FTS5 in one pass: ranking in a correlated subquery would run
    the match again for every article, which takes minutes on a large archive.
    """
    weights = ", ".join(str(w) for w in WEIGHTS.values())
    allowed_sql, allowed_params = within.order_by().values("pk").query.sql_with_params()
    # Match and score in FTS5 first (materialized), then keep the allowed articles:
    # asked the other way round, SQLite runs the match once per allowed article.
    sql = (
        f"WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25({FTS_TABLE}, {weights}) AS score "  # noqa: S608
        f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
        f"SELECT id FROM hits WHERE id IN ({allowed_sql}) ORDER BY score LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *allowed_params, MAX_RESULTS])
        return [row[0] for row in cursor.fetchall()]


def matching(queryset: QuerySet, query: str, *, headline_only: bool = False) -> QuerySet:
    """Narrow a queryset to matching articles through the index, without ranking.

    `headline_only` looks at titles, summaries and tags (the desk's search), not bodies.
    """
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if is_postgresql():
        suffix = ":*AB" if headline_only else ":*"  # weights A and B: title, summary, tags
        raw = " & ".join(f"{term}{suffix}" for term in terms)
        tsquery = SearchQuery(raw, search_type="raw", config="simple")
        return queryset.filter(search_entry__document=tsquery)
    columns = "{title summary tags}: " if headline_only else ""
    match = " AND ".join(f'{columns}"{term}"*' for term in terms)
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - constant
    return queryset.filter(pk__in=RawSQL(sql, [match]))  # noqa: S611 - words as a parameter


@dataclass(frozen=True)
class _Folded:
    text: str
    # For each folded character, where it came from in the original.
    origin: "Sequence[int] | _AfterRemovals"


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return " " if char.isspace() else fold(char)


def _fold_with_positions(text: str) -> _Folded:
    """The text folded character by character, knowing where each folded one came from.

    One translate() does the folding; positions need work only where a character
    folds to none or several (a zero-width joiner, a diacritic, a ligature).
    """
    table = {ord(char): _fold_char(char) for char in set(text)}
    folded = text.translate(table)
    widths = {chr(code): len(out) for code, out in table.items()}
    if all(width == 1 for width in widths.values()):
        return _Folded(folded, range(len(text)))
    if all(width <= 1 for width in widths.values()):  # only removals: ZWNJ, diacritics
        gone = "".join(char for char, width in widths.items() if not width)
        removed = [found.start() for found in re.finditer(f"[{re.escape(gone)}]", text)]
        return _Folded(folded, _AfterRemovals(removed))
    origin = [index for index, char in enumerate(text) for _ in range(widths[char])]
    return _Folded(folded, origin)


class _AfterRemovals:
    """Where each character of a text came from, once the characters at `removed`
    (indices in the original, in order) were taken out."""

    def __init__(self, removed: list[int]):
        # The folded index at which each removal happened.
        self.cuts = [index - count for count, index in enumerate(removed)]

    def __getitem__(self, position: int) -> int:
        return position + bisect.bisect_right(self.cuts, position)


def highlight(text: str, query: str, *, width: int = 220, is_html: bool = True) -> SafeString:
    """A window of plain text around the first match, matches wrapped in <mark>.

    Matching is on folded text, so "ايران" marks "ایران"; what is shown is the
    original text, escaped.
    """
    if is_html:
        text = html_to_text(text)
    text = " ".join(text.split())
    terms = query_terms(query)
    folded = _fold_with_positions(text)
    spans = []
    for term in terms:
        for found in re.finditer(re.escape(term), folded.text):
            start = folded.origin[found.start()]
            end = folded.origin[found.end() - 1] + 1
            spans.append((start, end))
    if not spans:
        cut = text[:width]
        return mark_safe(html.escape(cut) + ("…" if len(text) > width else ""))  # noqa: S308
    spans.sort()
    first = spans[0][0]
    window_start = max(0, first - width // 3)
    if window_start:
        space = text.find(" ", window_start)
        window_start = space + 1 if 0 <= space < first else window_start
    window_end = min(len(text), window_start + width)
    pieces, cursor = [], window_start
    for start, end in spans:
        if start < cursor or start >= window_end:
            continue
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(html.escape(text[cursor:window_end]))
    prefix = "…" if window_start else ""
    suffix = "…" if window_end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece escaped
