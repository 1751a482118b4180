"""What one connection remembers of its searches while the store is unchanged (`PRAGMA
data_version` and the connection's own changes): the ranked sets it read whole, the scopes and the
words a prefix stands for. The second page of a search reads the whole ranked set; the pages after
it (and the first, read again) then cost only the snippet statement, and a count after a page
costs nothing (db/queries/search.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlite_utils

from dprk_tui.db.queries.base import QueryBase

if TYPE_CHECKING:
    from dprk_tui.db.queries.search import SearchScope

MEMO_SETS = 4
"""Ranked sets a connection remembers (a set of 10,000 hits takes about 1 MB)."""
MEMO_SMALL = 64
"""Scopes and prefix expansions a connection remembers."""

Order = list[tuple[float, int]]
"""A ranked set: (score, id) of each hit, best first."""


def remember(store: dict, key: Any, value: Any, size: int) -> None:
    """Put `key` in `store`, dropping the oldest entries beyond `size`."""
    store.pop(key, None)
    store[key] = value
    while len(store) > size:
        del store[next(iter(store))]


class SearchMemo:
    """What one connection remembers of its searches, valid for one state of the store: `state`
    is (PRAGMA data_version, the connection's total_changes); another state forgets everything."""

    def __init__(self) -> None:
        self.state: tuple[int, int] | None = None
        self.sets: dict[tuple, Order] = {}
        self.scopes: dict[tuple, SearchScope] = {}
        self.words: dict[str, list[str] | None] = {}
        self.words_table: bool | None = None
        """Whether WORDS_TABLE can list words (None: not tried yet); not a matter of state."""

    def check(self, state: tuple[int, int]) -> None:
        if state != self.state:
            self.clear()
            self.state = state

    def clear(self) -> None:
        self.sets.clear()
        self.scopes.clear()
        self.words.clear()


class MemoQueries(QueryBase):
    """A connection with a SearchMemo."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        super().__init__(db)
        self.search_memo = SearchMemo()

    def _memo(self) -> SearchMemo:
        """The memo, emptied if the store changed since it was filled (call with the lock held)."""
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        self.search_memo.check((version, self.db.conn.total_changes))
        return self.search_memo
