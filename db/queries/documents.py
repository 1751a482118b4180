"""Documents: the list (newest first, filtered), one document with its mentions, full-text search.

The list is ordered by `coalesce(date, '')` then id, newest first (undated last), through the
index `idx_documents_sort` (or `idx_documents_source` when a source is chosen). Search hits are
ranked by bm25, best first; their pages are keyed by (score, id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from db.queries.base import QueryBase
from db.queries.filters import NO_FILTERS, Filters
from db.queries.paging import FIRST_PAGE, Key, Keyset, Page, date_upper, keyset_sql, split_rows
from db.search import fts_query

# Private-use characters mark the matched words in search snippets; article text never holds them.
MARK_START = "\ue000"
MARK_END = "\ue001"

DOCUMENT_ORDER = Keyset(("coalesce(d.date, '')", "d.id"), descending=True)
SEARCH_ORDER = Keyset(("h.score", "d.id"), descending=False)
ACTOR_LIST_RATIO = 20
"""An actor in fewer than 1/ACTOR_LIST_RATIO of the documents is filtered by listing its documents
(then sorting them); a commoner one by walking the date index and probing its mentions."""


@dataclass(frozen=True)
class DocumentRow:
    """One line of the document list."""

    id: int
    date: str | None
    source: str | None
    title: str
    file: str
    key: Key = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Document:
    """A whole stored document; every offset in the store refers to `text`."""

    id: int
    file: str
    path: str
    title: str
    date: str | None
    source: str | None
    words: int
    text: str


@dataclass(frozen=True)
class Mention:
    """An entity mention: `text == document.text[start:end]`."""

    start: int
    end: int
    text: str
    label: str
    actor_id: int | None
    actor: str | None
    actor_type: str | None


@dataclass(frozen=True)
class SearchHit:
    """A full-text hit; `snippet` marks matched words with MARK_START / MARK_END."""

    id: int
    date: str | None
    source: str | None
    title: str
    file: str
    snippet: str
    key: Key = field(default=(), compare=False, repr=False)


class DocumentQueries(QueryBase):
    """Documents, mentions and search."""

    def document_conditions(self, filters: Filters, alias: str = "d") -> tuple[list[str], list[Any]]:
        """WHERE terms (and parameters) that apply `filters` to documents aliased `alias`."""
        terms: list[str] = []
        params: list[Any] = []
        date_key = f"coalesce({alias}.date, '')"
        if filters.source is not None:
            terms.append(f"{alias}.source = ?")
            params.append(filters.source)
        if filters.dated:
            terms.append(f"{date_key} >= ?")
            params.append(filters.date_from or "0")
            if filters.date_to is not None:
                terms.append(f"{date_key} <= ?")
                params.append(date_upper(filters.date_to))
        if filters.actor_id is not None and filters.type is not None:
            # Both: documents where this actor has a relation of this type.
            if self._actor_is_rare(filters.actor_id):
                terms.append(
                    f"{alias}.id IN (SELECT r.document_id FROM relations r WHERE r.type = ?"
                    " AND (r.source_id = ? OR r.target_id = ?))"
                )
            else:
                terms.append(
                    "EXISTS (SELECT 1 FROM relations r WHERE r.document_id = "
                    f"{alias}.id AND r.type = ? AND (r.source_id = ? OR r.target_id = ?))"
                )
            params += [filters.type, filters.actor_id, filters.actor_id]
            return terms, params
        if filters.actor_id is not None:
            if self._actor_is_rare(filters.actor_id):
                terms.append(
                    f"{alias}.id IN (SELECT m.document_id FROM mentions m WHERE m.actor_id = ?)"
                )
            else:
                terms.append(
                    "EXISTS (SELECT 1 FROM mentions m"
                    f" WHERE m.actor_id = ? AND m.document_id = {alias}.id)"
                )
            params.append(filters.actor_id)
        if filters.type is not None:
            terms.append(
                "EXISTS (SELECT 1 FROM relations r"
                f" WHERE r.document_id = {alias}.id AND r.type = ?)"
            )
            params.append(filters.type)
        return terms, params

    def _actor_is_rare(self, actor_id: int) -> bool:
        documents = self._value("SELECT documents FROM actors WHERE id = ?", (actor_id,)) or 0
        newest = self._value("SELECT max(id) FROM documents") or 0
        return documents * ACTOR_LIST_RATIO <= newest

    # -- the list -------------------------------------------------------------------------------
    def document_page(self, page: Page = FIRST_PAGE, filters: Filters = NO_FILTERS) -> list[DocumentRow]:
        """A page of documents, newest first (undated last), narrowed by `filters`."""
        where, params = self.document_conditions(filters)
        sql, params, backwards = keyset_sql(
            "d.id, d.date, d.source, d.title, d.file",
            "FROM documents d",
            where,
            params,
            DOCUMENT_ORDER,
            page,
        )
        rows = split_rows(self._rows(sql, params), DOCUMENT_ORDER.width, backwards)
        return [DocumentRow(*values, key=key) for values, key in rows]

    def document_count(self, filters: Filters = NO_FILTERS) -> int:
        """How many documents `filters` leave (a count over the corpus: call it off the UI thread)."""
        where, params = self.document_conditions(filters)
        clause = " WHERE " + " AND ".join(where) if where else ""
        return self._value(f"SELECT count(*) FROM documents d{clause}", params)

    def documents(self, offset: int = 0, limit: int = 100) -> list[DocumentRow]:
        """`limit` documents from position `offset` (for scripts and tests; read by keyset)."""
        rows = self.document_page(Page(limit=offset + limit))
        return rows[offset:]

    def sources(self, prefix: str = "", limit: int = 20) -> list[str]:
        """Distinct document sources starting with `prefix`, in order, read by index seeks."""
        rows = self._rows(
            "WITH RECURSIVE s(source) AS ("
            " SELECT min(source) FROM documents WHERE source >= ?"
            " UNION ALL SELECT (SELECT min(source) FROM documents WHERE source > s.source)"
            " FROM s WHERE s.source IS NOT NULL LIMIT ?)"
            " SELECT source FROM s WHERE source IS NOT NULL",
            (prefix, limit + 1),
        )
        return [row[0] for row in rows if row[0].startswith(prefix)][:limit]

    # -- one document ---------------------------------------------------------------------------
    def document(self, document_id: int) -> Document | None:
        rows = self._rows(
            "SELECT id, file, path, title, date, source, words, text FROM documents WHERE id = ?",
            (document_id,),
        )
        return Document(*rows[0]) if rows else None

    def mentions(self, document_id: int) -> list[Mention]:
        """Every mention in a document, in text order."""
        rows = self._rows(
            "SELECT m.start_char, m.end_char, m.text, m.label, m.actor_id, a.name, a.type"
            " FROM mentions m LEFT JOIN actors a ON a.id = m.actor_id"
            " WHERE m.document_id = ? ORDER BY m.start_char",
            (document_id,),
        )
        return [Mention(*row) for row in rows]

    # -- search ---------------------------------------------------------------------------------
    def search_page(
        self, text: str, page: Page = FIRST_PAGE, filters: Filters = NO_FILTERS
    ) -> list[SearchHit]:
        """Ranked full-text hits for what a user typed, best first; no words -> no hits.

        What the user typed never reaches MATCH raw (`db.search.fts_query` quotes every word).
        """
        query = fts_query(text)
        if query is None:
            return []
        where, params = self.document_conditions(filters)
        ranked = (
            "FROM (SELECT rowid AS id, bm25(documents_fts) AS score FROM documents_fts"
            " WHERE documents_fts MATCH ?) h"
        )
        if where:
            sql, params, backwards = keyset_sql(
                "d.id, d.date, d.source, d.title, d.file",
                f"{ranked} JOIN documents d ON d.id = h.id",
                where,
                [query, *params],
                SEARCH_ORDER,
                page,
            )
            rows = split_rows(self._rows(sql, params), SEARCH_ORDER.width, backwards)
        else:  # rank the matches alone, then read the page's documents (half the work)
            order = Keyset(("h.score", "h.id"), descending=False)
            sql, params, backwards = keyset_sql("h.id", ranked, [], [query], order, page)
            ranked_rows = split_rows(self._rows(sql, params), order.width, backwards)
            found = self._documents_by_id([values[0] for values, _key in ranked_rows])
            rows = [(found[values[0]], key) for values, key in ranked_rows if values[0] in found]
        snippets = self._snippets(query, [values[0] for values, _key in rows])
        return [SearchHit(*values, snippets.get(values[0], ""), key=key) for values, key in rows]

    def _documents_by_id(self, ids: Sequence[int]) -> dict[int, tuple]:
        """(id, date, source, title, file) of each document in `ids`."""
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self._rows(
            f"SELECT id, date, source, title, file FROM documents WHERE id IN ({marks})", ids
        )
        return {row[0]: tuple(row) for row in rows}

    def _snippets(self, query: str, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self._rows(
            f"SELECT rowid, snippet(documents_fts, 1, '{MARK_START}', '{MARK_END}', '…', 16)"
            f" FROM documents_fts WHERE documents_fts MATCH ? AND rowid IN ({marks})",
            (query, *ids),
        )
        return dict(rows)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """The best `limit` hits (for the command line)."""
        return self.search_page(text, Page(limit=limit))

    def search_count(self, text: str, cap: int = 10_000, filters: Filters = NO_FILTERS) -> int:
        """How many documents match, counted up to `cap` (a larger count reads as `cap`)."""
        query = fts_query(text)
        if query is None:
            return 0
        where, params = self.document_conditions(filters)
        clause = "".join(f" AND ({term})" for term in where)
        return self._value(
            "SELECT count(*) FROM (SELECT 1 FROM documents_fts JOIN documents d"
            f" ON d.id = documents_fts.rowid WHERE documents_fts MATCH ?{clause} LIMIT ?)",
            (query, *params, cap),
        )
