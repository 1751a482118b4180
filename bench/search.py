"""Search and filtered counts on a store, per query: the first page of 100 hits (snippets too), page 2
and page 50 (each read from the previous page's key), next to the bare FTS5 query; search with each
filter; filtered document counts (capped). Prints figures; asserts nothing.

    .venv/bin/python -m bench.search /tmp/dprk-bench-1m.db [--repeat 3]

Times are warm: each call is made once before it is timed. The connection's search memo
(`store.search.memo`, db/queries/search_memo.py) is emptied before every timed call, so each is read
from the store, except in the column "page 50, memo", which is a page read from the ranked set the
connection remembered from page 2 (as the browser pages down).
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.browser import SEARCHES, ms, percentile
from bench.capture import Samples


def best(function: Callable[[], Any], repeat: int) -> tuple[float, list[float], Any]:
    """(best seconds, every time, the last result) of `repeat` calls after one warm-up call."""
    result = function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), times, result


def summary(label: str, times: list[float]) -> str:
    if not times:
        return f"  {label:<44}(no such calls)"
    return f"  {label:<44}p50 {ms(percentile(times, .5))} ms  p95 {ms(percentile(times, .95))} ms  max {ms(max(times))} ms"


def cold(store: Any, function: Callable[[], Any]) -> Callable[[], Any]:
    """`function`, called with the store's search memo emptied first."""

    def call() -> Any:
        store.search.memo.clear()
        return function()

    return call


def pages(db: Path, repeat: int) -> None:
    from dprk_tui.db.search import fts_query
    from dprk_tui.db.store import Page, Store

    store = Store.open(db)
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    first_all, second_all, fiftieth_all, memo_all, bare_all, scope_all = [], [], [], [], [], []
    print(f"{'query':<20}{'hits':>9} {'ranked':>8} {'bare FTS5':>10} {'page 1':>8} {'page 2':>8} {'page 50':>8}"
          f" {'50, memo':>9} {'scope':>7}   (ms, best of {repeat})")
    try:
        for text in SEARCHES:
            query = fts_query(text)
            hits = raw.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?", (query,)).fetchone()[0]
            bare, times, _ = best(lambda: raw.execute(
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank LIMIT 100",
                (query,)).fetchall(), repeat)  # noqa: B023
            bare_all += times
            first, times, rows = best(cold(store, lambda: store.search.page(text, Page(100))), repeat)  # noqa: B023
            first_all += times
            scope, times, found = best(cold(store, lambda: store.search.scope(text)), repeat)  # noqa: B023
            scope_all += times
            second = fiftieth = memo = float("nan")
            if len(rows) == 100:
                second, times, _ = best(cold(store, lambda: store.search.page(text, Page(100, after=rows[-1].key))), repeat)  # noqa: B023
                second_all += times
                page = rows
                for _ in range(48):
                    page = store.search.page(text, Page(100, after=page[-1].key))
                    if len(page) < 100:
                        break
                if len(page) == 100:
                    after = Page(100, after=page[-1].key)
                    fiftieth, times, _ = best(cold(store, lambda: store.search.page(text, after)), repeat)  # noqa: B023
                    fiftieth_all += times
                    memo, times, _ = best(lambda: store.search.page(text, after), repeat)  # noqa: B023
                    memo_all += times
            print(f"{text:<20}{hits:>9,} {found.hits:>8,} {ms(bare):>10} {ms(first):>8} {ms(second):>8}"
                  f" {ms(fiftieth):>8} {ms(memo):>9} {ms(scope):>7}")
    finally:
        store.close()
        raw.close()
    print(summary("search.page, first 100 (all timed calls)", first_all))
    print(summary("search.page, page 2", second_all))
    print(summary("search.page, page 50", fiftieth_all))
    print(summary("search.page, page 50 from the memo", memo_all))
    print(summary("bare FTS5 ORDER BY rank LIMIT 100", bare_all))
    print(summary("search.scope / search.count (capped)", scope_all))


def filtered(db: Path, samples: Samples, repeat: int) -> None:
    from dprk_tui.db.store import Page, Store

    store = Store.open(db)
    page_all, count_all = [], []
    try:
        print("\nsearch with filters, first 100 (ms, best of", repeat, "):")
        for filters in samples.filters()[1:]:
            label = " · ".join(filters.describe())
            cells = []
            for text in samples.texts:
                seconds, times, _ = best(cold(store, lambda: store.search.page(text, Page(100), filters)), repeat)  # noqa: B023
                page_all += times
                cells.append(f"{text} {ms(seconds)}")
            print(f"  {label[:60]:<60} {' · '.join(cells)}")
        print("\nfiltered document counts (capped at 10,000; ms, best of", repeat, "):")
        for filters in samples.filters()[1:]:
            seconds, times, value = best(lambda: store.documents.count(filters), repeat)  # noqa: B023
            count_all += times
            shown = f"{10_000:,}+" if store.documents.count_is_capped(filters) and value > 10_000 else f"{value:,}"
            print(f"  {' · '.join(filters.describe())[:60]:<60} {shown:>8} {ms(seconds):>8} ms")
    finally:
        store.close()
    print(summary("search.page with a filter, first 100", page_all))
    print(summary("documents.count with filters", count_all))


PREFIXES = ("talk*", "sanc*", "nucl*", "re*", "Kim Jong talk*", "ch*", "k*")
"""Prefixes standing for one word, two, 24 (`re*`, at 1M) and over MAX_EXPANSION (`ch*`, `k*`)."""


def prefixes(db: Path, repeat: int) -> None:
    """Prefix queries: the first page as searched (the prefix spelled out as its words when they
    are few, db/queries/search_words.py) next to the same page with FTS5's own prefix query (the store
    told not to list words); with several words the two rank differently."""
    from dprk_tui.db.queries.search_words import MAX_EXPANSION
    from dprk_tui.db.search import parse
    from dprk_tui.db.store import Page, Store

    store = Store.open(db)
    try:
        print(f"\nprefixes, first 100 (ms, best of {repeat}): words (or FTS5: over {MAX_EXPANSION}), page 1,"
              " page 1 with FTS5's prefix query")
        for text in PREFIXES:
            span = parse(text).prefix_range()
            words = store.search.prefixes.words(*span) if span else None
            seconds, _, _ = best(cold(store, lambda: store.search.page(text, Page(100))), repeat)  # noqa: B023
            store.search.memo.words_table = False  # FTS5's own prefix query from here on
            fts5, _, _ = best(cold(store, lambda: store.search.page(text, Page(100))), repeat)  # noqa: B023
            store.search.memo.words_table = None
            shown = f"{len(words)}" if words else "FTS5"
            print(f"  {text:<18}{shown:>6} {ms(seconds)} {ms(fts5)}")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-filters", action="store_true")
    parser.add_argument("--prefixes", action="store_true", help="also prefix queries (k* takes seconds at 1M)")
    args = parser.parse_args()
    pages(args.store, args.repeat)
    if args.prefixes:
        prefixes(args.store, args.repeat)
    if not args.no_filters:
        filtered(args.store, Samples.from_store(args.store), args.repeat)


if __name__ == "__main__":
    main()
