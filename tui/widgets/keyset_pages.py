"""The rows behind a `PagedTable`: read from a keyset source a page at a time, a few pages cached.

`KeysetPages` knows which rows exist (the total once counted; until then the rows read so far) and
reads page N from a neighbour's key: after the last key of page N-1, before the first key of page
N+1, or — for the last page, once the total is known — from the end. A jump far from every page it
knows walks there page by page from the nearest one. Keys are kept for every page ever read (two
small tuples a page), rows only for the last `cache_pages` pages used. Never OFFSET: a page costs
the same anywhere in the list. A table reads the next page ahead in a worker (`ahead`, then
`accept`), so moving down a list seldom waits on a read.

Not a widget; no Textual import.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from dprk_tui.db.store import Page

Fetch = Callable[[Page], Sequence[Any]]
"""Read the rows a `Page` asks for (the first, those after or before a row's `key`, the last)."""


class KeysetPages:
    """A list of rows read page by page by key."""

    def __init__(
        self,
        fetch: Fetch,
        first_page: Sequence[Any],
        total: int | None = None,
        *,
        page_size: int = 100,
        cache_pages: int = 8,
    ) -> None:
        self.fetch = fetch
        self.page_size = max(1, page_size)
        self.cache_pages = max(1, cache_pages)
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        self._first_keys: dict[int, Any] = {}
        self._last_keys: dict[int, Any] = {}
        first = list(first_page)[: self.page_size]
        self._store(0, first)
        self.total: int | None = total if total is not None or len(first) == self.page_size else len(first)
        """How many rows there are, once known (counted, or the rows ended short of a page)."""
        self.read = len(first)
        """Rows read so far from the top (what can be shown while the total is unknown)."""

    @property
    def row_count(self) -> int:
        """Rows that can be shown: the total once known, else the rows read so far."""
        return self.total if self.total is not None else self.read

    @property
    def more(self) -> bool:
        """The total is unknown and the last page read was full: there may be more rows."""
        return self.total is None

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def set_total(self, total: int) -> None:
        self.total = max(0, total)

    def row(self, index: int) -> Any | None:
        """The row at `index` (reading its page if needed); None when out of range. Read errors
        propagate."""
        if not 0 <= index < self.row_count:
            return None
        number, position = divmod(index, self.page_size)
        page = self._load(number)
        return page[position] if position < len(page) else None

    def read_more(self, until: int) -> None:
        """While the total is unknown, read pages on until row `until` exists or the rows end."""
        while self.total is None and until >= self.read:
            number = self.read // self.page_size
            rows = self._load(number)
            self.read = number * self.page_size + len(rows)
            if len(rows) < self.page_size:
                self.total = self.read

    def locate(self, index: int, wanted: Any, identify: Callable[[Any], Any], window: int | None = None) -> int:
        """Where the row `identify` calls `wanted` is now: looked for at `index` and then ever
        further from it, up to `window` rows either way (a page by default); rows are read on as
        far as that needs. Returns `index` (within the rows) when it is not found. For a list read
        again (a refresh): the cursor stays on its row when rows were added above it."""
        window = self.page_size if window is None else max(0, window)
        if self.more:
            self.read_more(index + window)
        if not self.row_count:
            return 0
        for distance in range(window + 1):
            for candidate in (index + distance, index - distance) if distance else (index,):
                if 0 <= candidate < self.row_count:
                    row = self.row(candidate)
                    if row is not None and identify(row) == wanted:
                        return candidate
        return max(0, min(index, self.row_count - 1))

    # -- reading ahead (the read itself happens in a worker) -------------------------------------
    def ahead(self, number: int) -> Page | None:
        """The `Page` that reads page `number` from the key of the page before it, when that page
        is needed: not cached, within the rows (or past the rows read while uncounted), and its
        neighbour's key known. None otherwise."""
        if number <= 0 or number in self._pages or self._last_keys.get(number - 1) is None:
            return None
        if self.total is not None and number * self.page_size >= self.total:
            return None
        return Page(self.page_size, after=self._last_keys[number - 1])

    def accept(self, number: int, rows: Sequence[Any]) -> None:
        """Rows of page `number` read ahead (by `ahead`'s page) elsewhere: keep them as if read."""
        if number in self._pages:
            return
        rows = list(rows)
        self._store(number, rows)
        if self.total is None and number * self.page_size == self.read:
            self.read += len(rows)
            if len(rows) < self.page_size:
                self.total = self.read

    # -- pages ----------------------------------------------------------------------------------
    def _store(self, number: int, rows: list[Any]) -> None:
        self._pages[number] = rows
        self._pages.move_to_end(number)
        while len(self._pages) > self.cache_pages:
            self._pages.popitem(last=False)
        if rows:
            self._first_keys[number] = getattr(rows[0], "key", None)
            self._last_keys[number] = getattr(rows[-1], "key", None)

    def _load(self, number: int) -> list[Any]:
        """Page `number`, read by keyset from a neighbouring page's key (walking from the nearest
        page whose key is known when there is none)."""
        cached = self._pages.get(number)
        if cached is not None:
            self._pages.move_to_end(number)
            return cached
        size = self.page_size
        last_page = (self.total - 1) // size if self.total else None
        if number == 0:
            page = Page(size)
        elif self._last_keys.get(number - 1) is not None:
            page = Page(size, after=self._last_keys[number - 1])
        elif self._first_keys.get(number + 1) is not None:
            page = Page(size, before=self._first_keys[number + 1])
        elif last_page is not None and number == last_page:
            page = Page(self.total - number * size, from_end=True)
        else:
            below = max((n for n in self._last_keys if n < number), default=-1)
            above = min((n for n in self._first_keys if n > number), default=None)
            if above is None and last_page is not None:
                above = last_page + 1
            steps = range(above - 1, number, -1) if above is not None and above - number < number - below \
                else range(below + 1, number)
            for step in steps:
                self._load(step)
            return self._load(number)
        rows = list(self.fetch(page))
        self._store(number, rows)
        return rows
