"""The two index stores: FTS5 on SQLite, tsvector on PostgreSQL.

Both index the same tokens (see `text.py`) with the database's plainest tokenizer, so that
they answer the same query with the same articles. On PostgreSQL the tsvector gets a RUM index
where the `rum` extension is installed (it keeps the tokens' positions, so a phrase is checked
in the index and the best matches come out of it in order), else a GIN index (then every
candidate's tsvector is read to check the phrase: the same results, slower for common words).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.backends.signals import connection_created

from bulletins.models import Article
from bulletins.search.models import SearchDocument
from bulletins.search.text import Term

FTS_TABLE = "bulletins_search_fts"
UNPACK_FUNCTION = "bulletins_search_unpack"
DOCUMENT_TABLE = SearchDocument._meta.db_table
VECTOR_INDEX = "bulletins_search_vector"
OLD_VECTOR_INDEX = "bulletins_search_vector_gin"  # GIN only, before the RUM index (issue 10)
PLACE_INDEX = "search_document_place"

# tsvector positions stop at 16,383: longer articles are indexed in overlapping parts. The
# overlap is longer than the longest query, so every phrase lies whole in some part.
PART_TOKENS = 16_000
PART_OVERLAP = 200


@dataclass(frozen=True)
class Condition:
    """A piece of SQL with its parameters. In searches, `d` is the matching article's index row
    (article_id, issue_id, column_id, position) and `i` its issue."""

    sql: str
    params: tuple


def pack(text: str) -> bytes:
    return zlib.compress(text.encode(), 6)


def unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode()


def _register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give every SQLite connection the function the delete trigger calls."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(UNPACK_FUNCTION, 1, unpack, deterministic=True)


connection_created.connect(_register_sqlite_functions, dispatch_uid="bulletins_search_sqlite_functions")


def _quote_fts(token: str) -> str:
    return token.replace('"', '""')


def _quote_tsquery(token: str) -> str:
    escaped = token.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


class SQLiteBackend:
    vendor = "sqlite"
    # SQLite computes count(*) OVER () more slowly than a count and a page apart.
    window_count = False

    # --- schema (run by the migration) ---
    def create_schema(self, schema_editor) -> None:
        # Contentless: the FTS table keeps only the index. Its rows are removed with FTS5's
        # 'delete' command, which needs the tokens that were indexed: each document row keeps
        # them zlib-packed, a quarter of their size, and the trigger hands them back.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "tokens, content = '', tokenize = 'unicode61 remove_diacritics 0')")
        schema_editor.execute(
            f"CREATE TRIGGER bulletins_search_fts_delete AFTER DELETE ON {DOCUMENT_TABLE} "  # noqa: S608 - constant table names
            f"WHEN old.packed IS NOT NULL BEGIN INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, tokens) "
            f"VALUES ('delete', old.article_id, {UNPACK_FUNCTION}(old.packed)); END")

    def drop_schema(self, schema_editor) -> None:
        schema_editor.execute("DROP TRIGGER IF EXISTS bulletins_search_fts_delete")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    # --- writing ---
    def write(self, documents: Sequence[tuple[Article, list[str]]], *, replace: bool = True) -> None:
        """Replace the index rows of these articles (add them, after `clear()`)."""
        if replace:
            _delete(documents)  # the trigger empties their FTS rows
        rows = [(article, " ".join(tokens)) for article, tokens in documents]
        SearchDocument.objects.bulk_create(_document(article, packed=pack(text)) for article, text in rows)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, tokens) VALUES (%s, %s)",  # noqa: S608
                               [(article.pk, text) for article, text in rows])

    def clear(self) -> None:
        # Empty the index at once rather than token by token through the trigger.
        SearchDocument.objects.update(packed=None)
        SearchDocument.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')")  # noqa: S608

    def begin_rebuild(self) -> None:
        self.clear()

    def end_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608

    def size_bytes(self) -> int:
        """Bytes of the FTS5 tables (needs SQLite's dbstat; 0 where it is missing)."""
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT sum(s.pgsize) FROM dbstat AS s JOIN sqlite_master AS m "
                               "ON m.name = s.name WHERE m.tbl_name LIKE %s", ["bulletins_search%"])
            except DatabaseError:  # dbstat is a compile-time option
                return 0
            return cursor.fetchone()[0] or 0

    # --- querying ---
    @staticmethod
    def fetch(sql: str, params: Sequence) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def fetch_ids(self, sql: str, params: Sequence) -> list[int]:
        """The first column of a query's rows."""
        return [row[0] for row in self.fetch(sql, params)]

    @staticmethod
    def match_expression(terms: Iterable[Term]) -> str:
        phrases = []
        for term in terms:
            phrase = '"' + " ".join(_quote_fts(token) for token in term.tokens) + '"'
            phrases.append(phrase + "*" if term.prefix else phrase)
        return " AND ".join(phrases)

    def from_clause(self, terms: Sequence[Term]) -> Condition:
        """FROM and WHERE joining the matches to `a` (article) and `i` (issue)."""
        # The planner would take the unique index and then read each row (with its packed tokens)
        # for the issue; the covering index answers from the index alone.
        sql = (f"{FTS_TABLE} AS f JOIN {DOCUMENT_TABLE} AS d INDEXED BY {PLACE_INDEX} "
               "ON d.article_id = f.rowid AND d.part = 0 "
               f"JOIN bulletins_issue AS i ON i.id = d.issue_id WHERE {FTS_TABLE} MATCH %s")
        return Condition(sql, (self.match_expression(terms),))

    def rank(self, terms: Sequence[Term]) -> Condition:
        """An expression to sort by, best first (bm25 is smaller for better matches)."""
        return Condition("f.rank", ())


class PostgreSQLBackend:
    vendor = "postgresql"
    window_count = True

    def create_schema(self, schema_editor) -> None:
        self.create_index()

    def drop_schema(self, schema_editor) -> None:
        self._ddl(f"DROP INDEX IF EXISTS {VECTOR_INDEX}")
        self._ddl(f"DROP INDEX IF EXISTS {OLD_VECTOR_INDEX}")
        _index_methods.clear()

    # --- the index on the tsvectors ---
    def create_index(self, *, rum: bool = True) -> str | None:
        """Index the tsvectors with RUM where the extension can be had (and `rum`), else GIN."""
        if rum and self.rum_available():
            self._ddl(f"CREATE INDEX {VECTOR_INDEX} ON {DOCUMENT_TABLE} USING rum (vector rum_tsvector_ops)")
        else:
            self._ddl(f"CREATE INDEX {VECTOR_INDEX} ON {DOCUMENT_TABLE} USING gin (vector)")
        _index_methods.clear()
        return self.index_method()

    def upgrade_index(self) -> str | None:
        """Rebuild the index as RUM if it is GIN and the extension can now be had (or under
        its new name if it is the GIN index of before)."""
        method = self.index_method()
        if method is None or (method != "rum" and self.rum_available()):
            self.drop_schema(None)
            return self.create_index()
        return method

    @staticmethod
    def rum_available() -> bool:
        """Whether the rum extension is there, creating it where the server has the package
        and the user may (it takes a superuser, or a DBA who runs `CREATE EXTENSION rum`)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT installed_version FROM pg_available_extensions WHERE name = 'rum'")
            row = cursor.fetchone()
            if row is None:  # the server has no rum package
                return False
            if row[0] is not None:
                return True
            try:
                with transaction.atomic(), connection.cursor() as inner:
                    inner.execute("CREATE EXTENSION IF NOT EXISTS rum")
            except DatabaseError:  # e.g. a user who may not create extensions
                return False
            return True

    @staticmethod
    def index_method() -> str | None:
        """"rum", "gin" or None (no index): looked up once per process and database (a
        process that started before `reindex` rebuilt a GIN index as RUM ranks as with GIN,
        the same results more slowly, until it restarts)."""
        key = (connection.alias, connection.settings_dict["NAME"])
        if key not in _index_methods:
            with connection.cursor() as cursor:
                cursor.execute("SELECT am.amname FROM pg_class AS c JOIN pg_am AS am ON am.oid = c.relam "
                               "WHERE c.relname = %s AND c.relkind = 'i'", [VECTOR_INDEX])
                row = cursor.fetchone()
            _index_methods[key] = row[0] if row else None
        return _index_methods[key]

    @staticmethod
    def tsvector_literal(tokens: Sequence[str]) -> str:
        """tsvector input (`'lexeme':1,3 ...`): exact lexemes and positions, no parser involved."""
        positions: dict[str, list[int]] = {}
        for offset, token in enumerate(tokens, start=1):
            positions.setdefault(token, []).append(offset)
        return " ".join(f"{_quote_tsquery(token)}:{','.join(map(str, where))}"
                        for token, where in positions.items())

    @staticmethod
    def parts(tokens: list[str]) -> list[list[str]]:
        if len(tokens) <= PART_TOKENS:
            return [tokens]
        step = PART_TOKENS - PART_OVERLAP
        return [tokens[start:start + PART_TOKENS] for start in range(0, len(tokens) - PART_OVERLAP, step)]

    def write(self, documents: Sequence[tuple[Article, list[str]]], *, replace: bool = True) -> None:
        if replace:
            _delete(documents)
        rows = [(article.pk, part, article.issue_id, article.column_id, article.position,
                 self.tsvector_literal(piece))
                for article, tokens in documents
                for part, piece in enumerate(self.parts(tokens))]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {DOCUMENT_TABLE} "  # noqa: S608 - constant table names
                "(article_id, part, issue_id, column_id, position, vector) "
                "VALUES (%s, %s, %s, %s, %s, %s::tsvector)", rows)

    def clear(self) -> None:
        # Not TRUNCATE: it fails in a transaction that has deferred foreign-key checks pending.
        SearchDocument.objects.all().delete()

    def begin_rebuild(self) -> None:
        # Filling a table and then building its index is many times faster than updating the
        # index row by row; both happen in the rebuild's transaction.
        self.clear()
        self.drop_schema(None)

    def end_rebuild(self) -> None:
        self.create_index()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DOCUMENT_TABLE}")

    @staticmethod
    def _ddl(sql: str) -> None:
        # PostgreSQL refuses DDL on a table with deferred foreign-key checks pending: run them
        # now, then defer again as Django's constraints are.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [DOCUMENT_TABLE])
            return cursor.fetchone()[0] or 0

    # --- querying ---
    @staticmethod
    def fetch(sql: str, params: Sequence, *, ordered_by_index: bool = False) -> list[tuple]:
        """Run a search through the tsvector index, never reading the tsvectors row by row.

        For a word in most articles the planner would read every row's tsvector (out of line,
        tens of kilobytes each), in a sequential scan or along a b-tree: 950 ms for 工作 in
        25,000 articles against 37 ms through the GIN index. So sequential scans are off and
        plain index scans too, but for RUM's scan in rank order (`ordered_by_index`), where it
        is bitmap scans that are off: with them the planner would rank a rarer word's hits by
        reading their tsvectors (240 ms for 镇江 against 4 ms in the index). The settings hold
        for this statement only: the statements go in one round trip, in one transaction (an
        error rolls the SETs back with the rest).
        """
        off = "enable_bitmapscan" if ordered_by_index else "enable_indexscan"
        with connection.cursor() as cursor:
            cursor.execute(f"SET enable_seqscan = off; SET {off} = off; {sql}; "
                           f"RESET enable_seqscan; RESET {off}", params)
            while cursor.description is None and cursor.nextset():
                pass
            return cursor.fetchall()

    def fetch_ids(self, sql: str, params: Sequence) -> list[int]:
        """The first column of a query's rows, as one array: tens of thousands of rows would
        be as many tuples for Python's garbage collector, which then paused for 100 ms."""
        return self.fetch(f"SELECT coalesce(array_agg(m.id), '{{}}') FROM ({sql}) AS m(id)", params)[0][0]  # noqa: S608

    @staticmethod
    def tsquery(term: Term) -> str:
        lexemes = [_quote_tsquery(token) for token in term.tokens]
        if term.prefix:
            lexemes[-1] += ":*"
        return " <-> ".join(lexemes)

    def from_clause(self, terms: Sequence[Term]) -> Condition:
        """The matching articles as `d` (article_id, issue_id, column_id, position), with `i`.

        Each term is looked up on its own (two terms may lie in different parts of a long
        article); an article's parts share its place, so INTERSECT (or DISTINCT) leaves one
        row per article.
        """
        lookup = (f"SELECT s.article_id, s.issue_id, s.column_id, s.position FROM {DOCUMENT_TABLE} AS s "  # noqa: S608
                  "WHERE s.vector @@ %s::tsquery")
        hits = " INTERSECT ".join([lookup] * len(terms))
        if len(terms) == 1:
            hits = f"SELECT DISTINCT * FROM ({lookup}) AS h"  # noqa: S608 - constant
        sql = f"({hits}) AS d, bulletins_issue AS i WHERE i.id = d.issue_id"
        return Condition(sql, tuple(self.tsquery(term) for term in terms))

    def rank(self, terms: Sequence[Term]) -> Condition:
        """Without RUM: rank every hit by reading its tsvector (slow for common words)."""
        combined = " & ".join(f"({self.tsquery(term)})" for term in terms)
        return Condition(f"(SELECT -max(ts_rank_cd(s.vector, %s::tsquery)) FROM {DOCUMENT_TABLE} AS s "  # noqa: S608
                         "WHERE s.article_id = d.article_id)", (combined,))

    @staticmethod
    def rank_tokens(terms: Sequence[Term]) -> list[str]:
        """What hits are ranked by: each term's rarest token (as tsquery lexemes).

        A phrase occurs in a text at most as often as its rarest piece (in 主题教育, 题教), so
        that piece ranks it nearly as the phrase would, and RUM finds and ranks the rows of one
        lexeme at a third of the cost of a phrase's. How common each token is comes from the
        statistics ANALYZE keeps of the index's lexemes (tokens it does not list are rarer
        than those it does).
        """
        tokens = sorted({token for term in terms for token in term.tokens})
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.lexeme, e.frequency FROM pg_stats AS p, "
                "unnest(p.most_common_elems::text::text[], p.most_common_elem_freqs) AS e(lexeme, frequency) "
                "WHERE p.schemaname = current_schema() AND p.tablename = %s AND p.attname = 'vector' "
                "AND e.lexeme = ANY(%s)", [DOCUMENT_TABLE, tokens])
            frequency = dict(cursor.fetchall())
        rarest = []
        for term in terms:
            whole = term.tokens[:-1] if term.prefix and len(term.tokens) > 1 else term.tokens
            token = min(whole, key=lambda t: frequency.get(t, 0.0))
            prefix = term.prefix and token == term.tokens[-1]
            rarest.append(_quote_tsquery(token) + (":*" if prefix else ""))
        return rarest

    @staticmethod
    def ranked_parts(rank_tokens: Sequence[str], *, limit: int | None) -> Condition:
        """With RUM: the article ids of the index rows holding any of `rank_tokens`, best first.

        Every hit is there (it holds each term, so each term's rarest token), among rows that
        are no hit: callers keep the hits, and of a long article's several parts the first.
        RUM orders the rows by their distance to all the tokens, from the positions it keeps,
        without reading the rows; ties keep the index's order, the same on every page (a second
        sort key would make PostgreSQL sort every hit after reading its tsvector: 700 ms for
        工作).
        """
        sql = (f"SELECT s.article_id FROM {DOCUMENT_TABLE} AS s WHERE s.vector @@ %s::tsquery "  # noqa: S608
               f"ORDER BY s.vector <=> %s::tsquery")
        params: tuple = (" | ".join(rank_tokens), " & ".join(rank_tokens))
        if limit is not None:
            sql += " LIMIT %s"
            params += (limit,)
        return Condition(sql, params)

    @staticmethod
    def ranked_articles(rank_tokens: Sequence[str], *, article_ids: Sequence[int]) -> Condition:
        """These articles best first, by the distance of `ranked_parts` computed on their rows
        (reading each one's tsvector: for a few hits only)."""
        sql = (f"SELECT s.article_id FROM {DOCUMENT_TABLE} AS s WHERE s.article_id = ANY(%s) "  # noqa: S608
               "GROUP BY s.article_id ORDER BY min(s.vector <=> %s::tsquery), s.article_id DESC")
        return Condition(sql, (list(article_ids), " & ".join(rank_tokens)))


# (connection alias, database name) -> the access method of the tsvector index
_index_methods: dict[tuple[str, str], str | None] = {}


def _document(article: Article, **fields) -> SearchDocument:
    return SearchDocument(article_id=article.pk, issue_id=article.issue_id, column_id=article.column_id,
                          position=article.position, **fields)


def _delete(documents: Sequence[tuple[Article, list[str]]]) -> None:
    SearchDocument.objects.filter(article_id__in=[article.pk for article, _ in documents]).delete()


def backend(vendor: str | None = None) -> SQLiteBackend | PostgreSQLBackend:
    vendor = vendor or connection.vendor
    if vendor == "sqlite":
        return SQLiteBackend()
    if vendor == "postgresql":
        return PostgreSQLBackend()
    raise NotImplementedError(f"No search index for the {vendor} database.")
