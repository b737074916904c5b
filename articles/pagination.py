"""Pages of long lists that cost the same on page 1 and page 500, at 1,000 articles or 100,000.

Two things grow with the archive in a plain Paginator: the exact COUNT(*) on
every request, and OFFSET, which makes the database read (and on PostgreSQL
fetch from the table) every row it skips. Here the count is kept until the
published stream changes or the next scheduled story goes live, and a page is
fetched in two steps: the ids of its rows (an index-only walk), then just
those rows with what they show.
"""

import hashlib
from collections.abc import Sequence

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from . import page_cache

# Rows skipped below which one query is cheaper than two.
SHALLOW = 200


class ReaderPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, count_key: str = "", **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if not (self.count_key and isinstance(self.object_list, QuerySet)):
            return super().count
        version = page_cache.stream_version()
        digest = hashlib.blake2b(f"{self.count_key}|{version}".encode(), digest_size=16)
        key = f"count:{digest.hexdigest()}"
        found = cache.get(key)
        if found is None:
            found = super().count
            cache.set(key, found, page_cache.lifetime())
        return found

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom < SHALLOW:
            return self._get_page(self.object_list[bottom:top], number, self)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.filter(pk__in=ids).in_bulk()
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class KeptOrder(Sequence):
    """A list whose order is known up front (ids, or (id, count) pairs, kept in the
    cache), whose rows are read only for the page shown: what Paginator needs."""

    def __init__(self, order: list):
        self.order = order

    def __len__(self) -> int:
        return len(self.order)

    def count(self) -> int:
        return len(self.order)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        return self.rows(self.order[index])

    def rows(self, page: list) -> list:
        """The rows of one page of `order`, in that order."""
        raise NotImplementedError
