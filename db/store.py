"""Read the store: the queries the browser and the command line make, each a page at a time.

`Store` owns one read connection (`store.reader`, a `db.queries.reader.Reader`: the connection and
its lock, so a store is safe to use from worker threads) and one query object per subject, each
holding that reader:

    store.documents   the document list, counts, one document and its mentions   (DocumentQueries)
    store.search      full-text search, ranked, with snippets (holds documents)  (SearchQueries)
    store.relations   the Relations pane: aggregates, sorts, counts, types       (RelationQueries)
    store.evidence    the events behind an aggregate or between two actors       (EvidenceQueries)
    store.actors      profiles, counterparts, timelines, look-up (holds relations) (ActorQueries)
    store.comentions  pairs named in one sentence (holds documents)              (ComentionQueries)

Nothing here loads the whole corpus: lists are read page by page with keyset pagination
(`db.queries.paging.Page`) through indexes; counts over the corpus are separate calls, made off the
UI thread.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from dprk_tui.db.connection import connect
from dprk_tui.db.queries.actors import Actor, ActorName, ActorQueries, Counterpart, Role
from dprk_tui.db.queries.comentions import Comention, ComentionQueries
from dprk_tui.db.queries.documents import COUNT_CAP, Document, DocumentQueries, DocumentRow, Mention
from dprk_tui.db.queries.evidence import Evidence, EvidenceQueries
from dprk_tui.db.queries.filters import NO_FILTERS, Filters
from dprk_tui.db.queries.paging import FIRST_PAGE, Key, Page
from dprk_tui.db.queries.reader import Reader
from dprk_tui.db.queries.relations import RELATION_SORTS, SORTS_BY_NAME, RelationQueries, RelationRow, RelationSort
from dprk_tui.db.queries.search import MARK_END, MARK_START, SEARCH_CAP, SearchHit, SearchQueries
from dprk_tui.db.queries.search_memo import SearchScope

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
    "ActorQueries",
    "Comention",
    "ComentionQueries",
    "Counterpart",
    "Document",
    "DocumentQueries",
    "DocumentRow",
    "Evidence",
    "EvidenceQueries",
    "Filters",
    "Key",
    "Mention",
    "Page",
    "Reader",
    "RelationQueries",
    "RelationRow",
    "RelationSort",
    "Role",
    "SearchHit",
    "SearchQueries",
    "SearchScope",
    "Store",
]


class Store:
    """A read connection to one store file and the query objects over it."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.path = path
        self.reader = Reader(db)
        self.documents = DocumentQueries(self.reader)
        self.search = SearchQueries(self.reader, self.documents)
        self.relations = RelationQueries(self.reader)
        self.evidence = EvidenceQueries(self.reader)
        self.actors = ActorQueries(self.reader, self.relations)
        self.comentions = ComentionQueries(self.reader, self.documents)

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open an existing store; raises StoreError with a one-line message otherwise."""
        path = Path(path).expanduser()
        return cls(connect(path, create=False), path)

    def close(self) -> None:
        self.reader.db.conn.close()

    def metadata(self) -> dict[str, str]:
        return {key: value for key, value in self.reader.rows("SELECT key, value FROM metadata")}
