"""Read the store: the queries the browser and the command line make, each a page at a time.

`Store` is safe to use from worker threads (one connection, guarded by a lock). Nothing here loads
the whole corpus: lists are read page by page through indexes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from db.connection import connect
from db.search import fts_query

# Private-use characters mark the matched words in search snippets; article text never holds them.
MARK_START = "\ue000"
MARK_END = "\ue001"


@dataclass(frozen=True)
class DocumentRow:
    """One line of the document list."""

    id: int
    date: str | None
    source: str | None
    title: str
    file: str


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
class RelationRow:
    """Relations aggregated by (source, type, target)."""

    source_id: int
    source: str
    type: str
    target_id: int
    target: str
    events: int
    documents: int
    first_date: str | None
    last_date: str | None


@dataclass(frozen=True)
class SearchHit:
    """A full-text hit; `snippet` marks matched words with MARK_START / MARK_END."""

    id: int
    date: str | None
    source: str | None
    title: str
    file: str
    snippet: str


class Store:
    """A read connection to one store file."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open an existing store; raises StoreError with a one-line message otherwise."""
        path = Path(path).expanduser()
        return cls(connect(path, create=False), path)

    def close(self) -> None:
        self.db.conn.close()

    def _rows(self, sql: str, params: Any = ()) -> list[tuple]:
        with self._lock:
            return self.db.execute(sql, params).fetchall()

    # -- metadata -------------------------------------------------------------------------------
    def metadata(self) -> dict[str, str]:
        return {key: value for key, value in self._rows("SELECT key, value FROM metadata")}

    # -- documents ------------------------------------------------------------------------------
    def document_count(self) -> int:
        return self._rows("SELECT count(*) FROM documents")[0][0]

    def documents(self, offset: int = 0, limit: int = 100) -> list[DocumentRow]:
        """Documents newest first (undated last), `limit` rows from `offset`."""
        rows = self._rows(
            "SELECT id, date, source, title, file FROM documents"
            " ORDER BY date DESC, id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [DocumentRow(*row) for row in rows]

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

    # -- relations ------------------------------------------------------------------------------
    def relation_count(self, document_id: int | None = None) -> int:
        if document_id is None:
            return self._rows("SELECT count(*) FROM relation_summary")[0][0]
        return self._rows(
            "SELECT count(*) FROM (SELECT 1 FROM relations WHERE document_id = ?"
            " GROUP BY source_id, type, target_id)",
            (document_id,),
        )[0][0]

    def relations(
        self, offset: int = 0, limit: int = 100, document_id: int | None = None
    ) -> list[RelationRow]:
        """Aggregated relations, most events first; all of them, or those of one document."""
        if document_id is None:
            sql = (
                "SELECT s.source_id, a.name, s.type, s.target_id, b.name, s.events, s.documents,"
                " s.first_date, s.last_date FROM relation_summary s"
                " JOIN actors a ON a.id = s.source_id JOIN actors b ON b.id = s.target_id"
                " ORDER BY s.events DESC, s.last_date DESC LIMIT ? OFFSET ?"
            )
            params: tuple = (limit, offset)
        else:
            sql = (
                "SELECT r.source_id, a.name, r.type, r.target_id, b.name, count(*), 1,"
                " min(r.date), max(r.date) FROM relations r"
                " JOIN actors a ON a.id = r.source_id JOIN actors b ON b.id = r.target_id"
                " WHERE r.document_id = ? GROUP BY r.source_id, r.type, r.target_id"
                " ORDER BY min(r.start_char) LIMIT ? OFFSET ?"
            )
            params = (document_id, limit, offset)
        return [RelationRow(*row) for row in self._rows(sql, params)]

    # -- search ---------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        """Ranked full-text hits for what a user typed; no words -> no hits. Never raw MATCH."""
        query = fts_query(text)
        if query is None:
            return []
        rows = self._rows(
            "SELECT d.id, d.date, d.source, d.title, d.file,"
            f" snippet(documents_fts, 1, '{MARK_START}', '{MARK_END}', '…', 16)"
            " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
            " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
            (query, limit, offset),
        )
        return [SearchHit(*row) for row in rows]

    def search_count(self, text: str, cap: int = 10_000) -> int:
        """How many documents match, counted up to `cap` (a larger count reads as `cap`)."""
        query = fts_query(text)
        if query is None:
            return 0
        return self._rows(
            "SELECT count(*) FROM (SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT ?)",
            (query, cap),
        )[0][0]

    # -- export ---------------------------------------------------------------------------------
    def iter_rows(self, sql: str, params: Any = (), batch: int = 500) -> Iterator[dict]:
        """Stream the rows of a query as dicts, `batch` at a time (for export; bounded memory)."""
        with self._lock:
            cursor = self.db.conn.execute(sql, params)
            names = [column[0] for column in cursor.description]
        while True:
            with self._lock:
                chunk = cursor.fetchmany(batch)
            if not chunk:
                return
            for row in chunk:
                yield dict(zip(names, row))
