"""Read the store: the queries the browser and the command line make, each a page at a time.

`Store` composes the query modules under `db/queries/` (documents, search, relations, evidence,
actors, co-mentions) over one connection guarded by a lock, so it is safe to use from worker threads.
Nothing here loads the whole corpus: lists are read page by page with keyset pagination
(`db.queries.paging.Page`) through indexes; counts over the corpus are separate calls, made off the
UI thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from dprk_tui.db.connection import connect
from dprk_tui.db.queries.actors import Actor, ActorName, ActorQueries, Counterpart, Role
from dprk_tui.db.queries.comentions import Comention, ComentionQueries
from dprk_tui.db.queries.documents import COUNT_CAP, Document, DocumentQueries, DocumentRow, Mention
from dprk_tui.db.queries.filters import NO_FILTERS, Filters
from dprk_tui.db.queries.paging import FIRST_PAGE, Key, Page
from dprk_tui.db.queries.evidence import Evidence, EvidenceQueries
from dprk_tui.db.queries.relations import (
    RELATION_SORTS,
    SORTS_BY_NAME,
    RelationQueries,
    RelationRow,
    RelationSort,
)
from dprk_tui.db.queries.search import MARK_END, MARK_START, SEARCH_CAP, SearchHit, SearchQueries, SearchScope

__all__ = [
    "COUNT_CAP",
    "FIRST_PAGE",
    "MARK_END",
    "MARK_START",
    "NO_FILTERS",
    "RELATION_SORTS",
    "SEARCH_CAP",
    "SORTS_BY_NAME",
    "Actor",
    "ActorName",
    "Comention",
    "Counterpart",
    "Document",
    "DocumentRow",
    "Evidence",
    "Filters",
    "Key",
    "Mention",
    "Page",
    "RelationRow",
    "RelationSort",
    "Role",
    "SearchHit",
    "SearchScope",
    "Store",
]


class Store(DocumentQueries, SearchQueries, RelationQueries, EvidenceQueries, ActorQueries, ComentionQueries):
    """A read connection to one store file."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        super().__init__(db)
        self.path = path

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open an existing store; raises StoreError with a one-line message otherwise."""
        path = Path(path).expanduser()
        return cls(connect(path, create=False), path)

    def close(self) -> None:
        self.db.conn.close()

    def metadata(self) -> dict[str, str]:
        return {key: value for key, value in self._rows("SELECT key, value FROM metadata")}

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
