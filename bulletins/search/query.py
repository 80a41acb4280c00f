"""Searching the index: `search_articles` and the sliceable result it returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import overload

from django.db import connection
from django.db.models.expressions import RawSQL

from bulletins.models import Article, Column, Issue, Publication
from bulletins.search.backends import Condition, backend
from bulletins.search.text import ParsedQuery, parse_query

ORDERS = {"newest": "最新在前", "best": "最相关在前"}
NEWEST = "i.date DESC, i.number DESC, d.position ASC, d.article_id ASC"
# PostgreSQL with RUM: up to this many hits are ranked on their own rows rather than by
# reading the index's ranked scan of every row that holds a term (see `_ranked_ids`).
RANK_ROWS_DIRECTLY = 1_000


def _id(value) -> int | None:
    return value.pk if hasattr(value, "pk") else value


@dataclass
class SearchResults(Sequence):
    """The matching articles, ordered; slicing runs one query for the ids and one for the rows.

    Works with Django's Paginator (`count()` and slices). `articles[a:b]` gives a list of
    Article with issue, publication and column loaded.
    """

    query: ParsedQuery
    publication: Publication | int | None = None
    years: tuple[int | None, int | None] = (None, None)
    column: Column | str | None = None
    order: str = "newest"
    published_only: bool = True
    reader_id: int | None = None  # a reader who is not staff: restricted issues only where delivered
    _count: int | None = field(default=None, init=False, repr=False)
    _window: tuple[int, int, list[int]] | None = field(default=None, init=False, repr=False)

    def where(self) -> Condition:
        index = backend()
        base = index.from_clause(self.query.terms)
        sql, params = [base.sql], list(base.params)
        if self.published_only:
            sql.append("i.status = %s")
            params.append(Issue.Status.PUBLISHED.value)
        if self.publication is not None:
            sql.append("i.publication_id = %s")
            params.append(_id(self.publication))
        if self.reader_id is not None:
            sql.append("(i.publication_id IN (SELECT p.id FROM bulletins_publication AS p"
                       " WHERE p.restricted_to_recipients = %s)"
                       " OR i.id IN (SELECT dl.issue_id FROM bulletins_delivery AS dl"
                       " JOIN bulletins_unitreader AS ur ON ur.unit_id = dl.unit_id WHERE ur.user_id = %s))")
            params += [False, self.reader_id]
        first, last = self.years
        if first is not None:
            sql.append("i.year >= %s")
            params.append(first)
        if last is not None:
            sql.append("i.year <= %s")
            params.append(last)
        if isinstance(self.column, str):
            sql.append("d.column_id IN (SELECT c.id FROM bulletins_column AS c WHERE c.name = %s)")
            params.append(self.column)
        elif self.column is not None:
            sql.append("d.column_id = %s")
            params.append(_id(self.column))
        return Condition(" AND ".join(sql), tuple(params))

    def ids_sql(self) -> Condition:
        """SELECT of the matching article ids, unordered."""
        where = self.where()
        return Condition(f"SELECT d.article_id FROM {where.sql}", where.params)  # noqa: S608

    def matching_ids(self) -> list[int]:
        """The matching article ids, unordered, found as a search finds them."""
        ids = self.ids_sql()
        return backend().fetch_ids(ids.sql, ids.params)

    def pk_filter(self) -> RawSQL:
        """For `Article.objects.filter(pk__in=...)`, e.g. in the admin.

        On PostgreSQL the ids are found first, with the search's own planner settings, and
        handed over as one array: inside a larger ORM query the planner may read every row's
        tsvector instead of using the index.
        """
        if connection.vendor == "postgresql":
            return RawSQL("SELECT unnest(%s::bigint[])", (self.matching_ids(),))  # noqa: S611 - bound
        ids = self.ids_sql()
        return RawSQL(ids.sql, ids.params)  # noqa: S611 - parameters bound

    def count(self) -> int:
        if self._count is None:
            where = self.where()
            self._count = backend().fetch(f"SELECT count(*) FROM {where.sql}", where.params)[0][0]  # noqa: S608
        return self._count

    def _ranked_in_index(self) -> bool:
        """Best match from PostgreSQL's RUM index rather than by ranking every hit."""
        index = backend()
        return self.order == "best" and index.vendor == "postgresql" and index.index_method() == "rum"

    def _ranked_ids(self, *, offset: int, limit: int | None) -> list[int]:
        """Best match first by RUM's distance, kept to the hits of this search.

        The matching ids come first (they also give the count). A few hits (a narrow filter)
        are ranked on their own rows; many, by reading RUM's scan of the rows that hold a
        ranking token, in rank order, until the page is full: first enough rows for it four
        times over (some are no hit, or another part of a long article), then eight times more.
        """
        index = backend()
        matching = self.matching_ids()
        self._count = len(matching)
        stop = None if limit is None else offset + limit
        if not matching:
            return []
        tokens = index.rank_tokens(self.query.terms)
        if len(matching) <= RANK_ROWS_DIRECTLY:
            ranked = index.ranked_articles(tokens, article_ids=matching)
            return [row[0] for row in index.fetch(ranked.sql, ranked.params)][offset:stop]
        hits = set(matching)
        batch = None if stop is None else 4 * stop
        while True:
            ranked = index.ranked_parts(tokens, limit=batch)
            rows = index.fetch(ranked.sql, ranked.params, ordered_by_index=True)
            ordered = list(dict.fromkeys(row[0] for row in rows if row[0] in hits))
            if batch is None or stop is None or len(rows) < batch or len(ordered) >= stop:
                return ordered[offset:stop]
            batch *= 8

    def __len__(self) -> int:
        return self.count()

    def _order(self) -> Condition:
        if self.order == "best":
            rank = backend().rank(self.query.terms)
            return Condition(f"{rank.sql}, {NEWEST}", rank.params)
        return Condition(NEWEST, ())

    def fetch_window(self, *, offset: int, limit: int) -> None:
        """Find one page's ids and the total count, where the database can in a single pass.

        The Paginator's `count()` and the page's slice are then answered from it.
        """
        if self._ranked_in_index():
            self._window = (offset, limit, self._ranked_ids(offset=offset, limit=limit))
            return
        if not backend().window_count:
            self._count = None
            self.count()
            self._window = (offset, limit, self._ids(offset=offset, limit=limit))
            return
        where, order = self.where(), self._order()
        sql = (f"SELECT d.article_id, count(*) OVER () FROM {where.sql} "  # noqa: S608
               f"ORDER BY {order.sql} LIMIT %s OFFSET %s")
        rows = backend().fetch(sql, [*where.params, *order.params, limit, offset])
        if rows:
            self._count = rows[0][1]
        self._window = (offset, limit, [row[0] for row in rows])

    def ids(self, *, offset: int = 0, limit: int | None = None) -> list[int]:
        if self._window is not None and limit is not None:
            start, length, ids = self._window
            if start <= offset and offset + limit <= start + length:
                return ids[offset - start:offset - start + limit]
        return self._ids(offset=offset, limit=limit)

    def _ids(self, *, offset: int, limit: int | None) -> list[int]:
        if self._ranked_in_index():
            return self._ranked_ids(offset=offset, limit=limit)
        where, order = self.where(), self._order()
        sql = f"SELECT d.article_id FROM {where.sql} ORDER BY {order.sql}"  # noqa: S608
        params = [*where.params, *order.params]
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        elif offset:
            sql += " LIMIT -1 OFFSET %s" if connection.vendor == "sqlite" else " OFFSET %s"
            params.append(offset)
        return [row[0] for row in backend().fetch(sql, params)]

    @overload
    def __getitem__(self, index: int) -> Article: ...

    @overload
    def __getitem__(self, index: slice) -> list[Article]: ...

    def __getitem__(self, index):
        if isinstance(index, int):
            if index < 0:
                index += self.count()
            found = self[index:index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.start or 0, index.stop, index.step
        if step not in (None, 1) or start < 0 or (stop is not None and stop < 0):
            raise ValueError("Search results take only forward slices.")
        limit = None if stop is None else max(stop - start, 0)
        if limit == 0:
            return []
        ids = self.ids(offset=start, limit=limit)
        rows = Article.objects.select_related("issue__publication", "column").in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


def _years(years) -> tuple[int | None, int | None]:
    if years is None:
        return (None, None)
    if isinstance(years, int):
        return (years, years)
    if isinstance(years, range):
        return (years.start, years.stop - 1)
    first, last = years
    return (first, last)


def search_articles(
    query: str | ParsedQuery,
    *,
    publication: Publication | int | None = None,
    years: int | tuple[int | None, int | None] | range | None = None,
    column: Column | str | None = None,
    order: str = "newest",
    published_only: bool = True,
    reader_id: int | None = None,
) -> SearchResults:
    """The articles of printed issues that contain every term of `query`.

    `years` is one year, a (first, last) pair (either may be None) or a range; `column` a
    Column or a column name (in any publication); `order` "newest" (issue date, then place in
    the issue) or "best" (relevance first); `reader_id` (a reader who is not staff) leaves out the
    issues of publications restricted to their recipients not delivered to that reader's units.
    An empty, over-long or word-less query raises
    ValidationError with the message to show.
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}")
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    return SearchResults(query=parsed, publication=publication, years=_years(years), column=column,
                         order=order, published_only=published_only, reader_id=reader_id)
