"""Documents: the list (newest first, filtered), one document with its mentions.

The list is ordered by `coalesce(date, '')` then id, newest first (undated last), through the
index `idx_documents_sort` (or `idx_documents_source` when a source is chosen). Full-text search
is in `db.queries.search`, which holds this object for its filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dprk_tui.db.queries.filters import NO_FILTERS, Filters
from dprk_tui.db.queries.paging import FIRST_PAGE, Key, Keyset, Page, date_upper, keyset_sql, split_rows
from dprk_tui.db.queries.reader import Reader

DOCUMENT_ORDER = Keyset(("coalesce(d.date, '')", "d.id"), descending=True)
COUNT_CAP = 10_000
"""Filtered document counts stop above this many (see `DocumentQueries.count`)."""
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


class DocumentQueries:
    """Documents and mentions (`store.documents`)."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    def conditions(self, filters: Filters, alias: str = "d") -> tuple[list[str], list[Any]]:
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
            if self.actor_is_rare(filters.actor_id):
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
            if self.actor_is_rare(filters.actor_id):
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

    def actor_is_rare(self, actor_id: int) -> bool:
        """Whether an actor is filtered by listing its documents (see ACTOR_LIST_RATIO)."""
        documents = self.reader.value("SELECT documents FROM actors WHERE id = ?", (actor_id,)) or 0
        newest = self.reader.value("SELECT max(id) FROM documents") or 0
        return documents * ACTOR_LIST_RATIO <= newest

    # -- the list -------------------------------------------------------------------------------
    def page(self, page: Page = FIRST_PAGE, filters: Filters = NO_FILTERS) -> list[DocumentRow]:
        """A page of documents, newest first (undated last), narrowed by `filters`."""
        where, params = self.conditions(filters)
        sql, params, backwards = keyset_sql(
            "d.id, d.date, d.source, d.title, d.file",
            "FROM documents d",
            where,
            params,
            DOCUMENT_ORDER,
            page,
        )
        rows = split_rows(self.reader.rows(sql, params), DOCUMENT_ORDER.width, backwards)
        return [DocumentRow(*values, key=key) for values, key in rows]

    def count(self, filters: Filters = NO_FILTERS, cap: int | None = COUNT_CAP) -> int:
        """How many documents `filters` leave (call it off the UI thread).

        Exact with no filter (a count of the smallest index) and with an actor alone
        (`actors.documents`, kept at ingest). Other filters are counted up to `cap` + 1 documents:
        a result above `cap` means "more than `cap`" (the walk stops there; an exact count of a
        common filter takes seconds at 1M documents). `cap=None` counts exactly."""
        if filters.active and not self.count_is_capped(filters):
            return self.reader.value("SELECT documents FROM actors WHERE id = ?", (filters.actor_id,)) or 0
        where, params = self.conditions(filters)
        clause = " WHERE " + " AND ".join(where) if where else ""
        if not where or cap is None:
            return self.reader.value(f"SELECT count(*) FROM documents d{clause}", params)
        return self.reader.value(
            f"SELECT count(*) FROM (SELECT 1 FROM documents d{clause} LIMIT ?)", [*params, cap + 1]
        )

    def count_is_capped(self, filters: Filters) -> bool:
        """Whether `count(filters)` stops at its cap; False: it is exact (no filter, or an
        actor alone)."""
        actor_only = filters.actor_id is not None and filters.type is None and filters.source is None
        return filters.active and not (actor_only and not filters.dated)

    def slice(self, offset: int = 0, limit: int = 100) -> list[DocumentRow]:
        """`limit` documents from position `offset` (for scripts and tests; read by keyset)."""
        rows = self.page(Page(limit=offset + limit))
        return rows[offset:]

    def sources(self, prefix: str = "", limit: int = 20) -> list[str]:
        """Distinct document sources starting with `prefix`, in order, read by index seeks."""
        rows = self.reader.rows(
            "WITH RECURSIVE s(source) AS ("
            " SELECT min(source) FROM documents WHERE source >= ?"
            " UNION ALL SELECT (SELECT min(source) FROM documents WHERE source > s.source)"
            " FROM s WHERE s.source IS NOT NULL LIMIT ?)"
            " SELECT source FROM s WHERE source IS NOT NULL",
            (prefix, limit + 1),
        )
        return [row[0] for row in rows if row[0].startswith(prefix)][:limit]

    # -- one document ---------------------------------------------------------------------------
    def get(self, document_id: int) -> Document | None:
        """One whole document, or None when there is none of that id."""
        rows = self.reader.rows(
            "SELECT id, file, path, title, date, source, words, text FROM documents WHERE id = ?",
            (document_id,),
        )
        return Document(*rows[0]) if rows else None

    def mentions(self, document_id: int) -> list[Mention]:
        """Every mention in a document, in text order."""
        rows = self.reader.rows(
            "SELECT m.start_char, m.end_char, m.text, m.label, m.actor_id, a.name, a.type"
            " FROM mentions m LEFT JOIN actors a ON a.id = m.actor_id"
            " WHERE m.document_id = ? ORDER BY m.start_char",
            (document_id,),
        )
        return [Mention(*row) for row in rows]
