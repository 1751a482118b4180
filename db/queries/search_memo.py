"""What one connection remembers of its searches while the store is unchanged (`PRAGMA
data_version` and the connection's own changes): the ranked sets it read whole, the scopes and the
words a prefix stands for. The second page of a search reads the whole ranked set; the pages after
it (and the first, read again) then cost only the snippet statement, and a count after a page
costs nothing (db/queries/search.py, whose `SearchQueries` holds one memo). `SearchScope`, which
hits a search ranks, is defined here beside the memo that keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dprk_tui.db.queries.reader import Reader

MEMO_SETS = 4
"""Ranked sets a connection remembers (a set of 10,000 hits takes about 1 MB)."""
MEMO_SMALL = 64
"""Scopes and prefix expansions a connection remembers."""

Order = list[tuple[float, int]]
"""A ranked set: (score, id) of each hit, best first."""


@dataclass(frozen=True)
class SearchScope:
    """Which hits a search ranks: `hits` counted up to the cap; when `limited` (the cap was
    reached) only those with rowid >= `bound` (the `hits` most recently added) are ranked."""

    hits: int
    limited: bool
    bound: int


NO_HITS = SearchScope(0, False, 0)


def remember(store: dict, key: Any, value: Any, size: int) -> None:
    """Put `key` in `store`, dropping the oldest entries beyond `size`."""
    store.pop(key, None)
    store[key] = value
    while len(store) > size:
        del store[next(iter(store))]


class SearchMemo:
    """What one connection (`reader`) remembers of its searches, valid for one state of the store:
    `state` is (PRAGMA data_version, the connection's total_changes); another state forgets
    everything."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
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

    def current(self) -> SearchMemo:
        """This memo, emptied if the store changed since it was filled (call with the reader's
        lock held)."""
        version = self.reader.db.execute("PRAGMA data_version").fetchone()[0]
        self.check((version, self.reader.conn.total_changes))
        return self
