"""Store-level timings on a store: search first page (p50/p95) next to the bare FTS5 query in
SQLite, relations first page, and every statement the browser issues (captured while the real app
runs and while every Store method is called, as tests/test_query_plans.py does), slowest first.
Prints figures; asserts nothing.

    .venv/bin/python -m bench.queries /tmp/dprk-bench-1m.db [--top 25] [--cap 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.browser import SEARCHES, ms, percentile
from bench.capture import Samples, SqlCapture, drive_app, explain, full_scans, sweep_store


def clock(function: Callable[[], Any], repeat: int = 3) -> list[float]:
    """Seconds per call, `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def line(label: str, times: list[float]) -> str:
    return (f"  {label:<46}p50 {ms(percentile(times, .5))} ms  p95 {ms(percentile(times, .95))} ms"
            f"  max {ms(max(times))} ms")


def search_figures(db: Path) -> None:
    from dprk_tui.db.search import fts_query
    from dprk_tui.db.store import Page, Store

    store = Store.open(db)
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    page, bare, counted, hits = [], [], [], []
    try:
        for text in SEARCHES:
            query = fts_query(text)
            store.search.page(text, Page(100))  # warm the pages this query reads
            page += clock(lambda: store.search.page(text, Page(100)))  # noqa: B023
            bare += clock(lambda: raw.execute(  # noqa: B023
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank LIMIT 100",
                (query,)).fetchall())
            counted += clock(lambda: store.search.count(text, 10_000), 1)  # noqa: B023
            hits.append(raw.execute(
                "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?", (query,)).fetchone()[0])
    finally:
        store.close()
        raw.close()
    print(f"search ({len(SEARCHES)} queries, {min(hits):,} to {max(hits):,} matching documents):")
    print(line("store.search.page, first 100 (snippets too)", page))
    print(line("bare FTS5: MATCH ... ORDER BY rank LIMIT 100", bare))
    print(line("store.search.count (capped at 10,000)", counted))


def relation_figures(db: Path, samples: Samples) -> None:
    from dprk_tui.db.store import SORTS_BY_NAME, Filters, Page, Store

    store = Store.open(db)
    try:
        print("relations, first page of 100 (warm):")
        for sort in SORTS_BY_NAME:
            print(line(f"all, sorted by {sort}", clock(lambda: store.relations.page(Page(100), sort=sort))))  # noqa: B023
        print(line("one document", clock(lambda: store.relations.page(Page(100), document_id=samples.document_id))))
        actor = Filters(actor_id=samples.actor_id)
        print(line("filtered by the commonest actor", clock(lambda: store.relations.page(Page(100), actor))))
        dated = Filters(date_from=samples.date_from, date_to=samples.date_to)
        print(line("filtered by dates", clock(lambda: store.relations.page(Page(100), dated), 1)))
        relation_filter_figures(store, samples)
        print(line("count, all (relation_summary)", clock(lambda: store.relations.count(), 1)))
        print(line("count, documents (whole corpus)", clock(lambda: store.documents.count(), 1)))
    finally:
        store.close()


DATE_RANGES = (("2019", "2020-06"), ("2019", "2019"), ("2019-06-15", "2019-08-20"), ("2012", "2024"),
               ("2018", None), (None, "2015-03"), ("2010", "2026"))
"""Date filters of the Relations pane: whole years, months, day-precise edges, open ends."""


def relation_filter_figures(store: Any, samples: Samples, repeat: int = 3) -> None:
    """Relations first page with date / actor / type / source filters (every sort), the actor
    timeline and pair evidence, p50/p95 over the cases (each the best of `repeat` warm calls)."""
    from dprk_tui.db.store import SORTS_BY_NAME, Filters, Page

    def best(function: Callable[[], Any]) -> float:
        function()  # warm
        return min(clock(function, repeat))

    groups: dict[str, list[float]] = {}

    def record(group: str, function: Callable[[], Any]) -> None:
        groups.setdefault(group, []).append(best(function))

    sources = [row[0] for row in store.reader.rows(
        "SELECT doc_source FROM relation_sources GROUP BY doc_source ORDER BY sum(events) DESC")]
    picked = dict.fromkeys([sources[0], sources[len(sources) // 2], sources[-1]]) if sources else {}
    for low, high in DATE_RANGES:
        dated = Filters(date_from=low, date_to=high)
        for sort in SORTS_BY_NAME:
            record("dates (7 ranges x 4 sorts)", lambda: store.relations.page(Page(100), dated, sort))  # noqa: B023
            first = store.relations.page(Page(100), dated, sort)
            if first:
                record("dates, page 2 (7 ranges x 4 sorts)", lambda: store.relations.page(  # noqa: B023
                    Page(100, after=first[-1].key), dated, sort))  # noqa: B023
            for source in picked:
                record(f"dates + source ({len(picked)} sources x 7 ranges x 4 sorts)",
                       lambda: store.relations.page(Page(100), Filters(  # noqa: B023
                           source=source, date_from=low, date_to=high), sort))  # noqa: B023
        record("dates, last page (7 ranges)", lambda: store.relations.page(  # noqa: B023
            Page(100, from_end=True), dated))
        record("dates + commonest actor", lambda: store.relations.page(  # noqa: B023
            Page(100), Filters(actor_id=samples.actor_id, date_from=low, date_to=high)))
        record("dates + rare actor", lambda: store.relations.page(  # noqa: B023
            Page(100), Filters(actor_id=samples.rare_actor_id, date_from=low, date_to=high)))
        record("dates + type", lambda: store.relations.page(  # noqa: B023
            Page(100), Filters(type=samples.type, date_from=low, date_to=high)))
        record("count, dates", lambda: store.relations.count(filters=dated))  # noqa: B023
    for sort in SORTS_BY_NAME:
        record("source (4 sorts)", lambda: store.relations.page(Page(100), Filters(source=samples.source), sort))  # noqa: B023
    actors = [row[0] for row in store.reader.rows("SELECT id FROM actors ORDER BY documents DESC LIMIT 5")]
    for actor in actors:
        record("timeline (5 commonest actors)", lambda: store.actors.timeline(actor))  # noqa: B023
        for other in actors:
            if other != actor:
                record("pair evidence page (20 pairs)", lambda: store.evidence.pair_page(actor, other, Page(100)))  # noqa: B023
                record("pair evidence count (20 pairs)", lambda: store.evidence.pair_count(actor, other))  # noqa: B023
    print("relations by filter, first page of 100 (warm, best of 3 per case; p50/p95 over cases):")
    for group, times in groups.items():
        print(line(f"{group}, {len(times)} cases", times))


def statement_figures(db: Path, samples: Samples, top: int, cap: float) -> None:
    """Run every captured statement once cold-ish and once warm; print the slowest."""
    with SqlCapture() as capture:
        asyncio.run(drive_app(db, capture, samples, size=(110, 32)))
        from dprk_tui.db.store import Store

        store = Store.open(db)
        try:
            sweep_store(store, samples, capture)
        finally:
            store.close()
    conn = capture.replay(db)
    timings: list[tuple[float, str, str, bool]] = []
    for sql, step in capture.statements.items():
        deadline = [0.0]
        conn.set_progress_handler(lambda: int(time.perf_counter() > deadline[0]), 10_000)  # noqa: B023
        elapsed = []
        for _ in range(2):
            deadline[0] = time.perf_counter() + cap
            start = time.perf_counter()
            try:
                conn.execute(sql).fetchall()
                elapsed.append(time.perf_counter() - start)
            except sqlite3.OperationalError:
                elapsed.append(float("inf"))
                break
        scans = bool(full_scans(sql, explain(conn, sql)))
        timings.append((min(elapsed), step, sql, scans))
    conn.close()
    timings.sort(reverse=True)
    values = [t for t, *_ in timings]
    print(f"\n{len(timings)} distinct statements; warm time p50 {ms(statistics.median(values))} ms,"
          f" over 100 ms: {sum(v > .1 for v in values)}, over 1 s: {sum(v > 1 for v in values)}")
    print(f"slowest {top} (warm; 'inf' = stopped after {cap:.0f} s; * = plan scans a large table):")
    for elapsed, step, sql, scans in timings[:top]:
        shown = "    inf" if elapsed == float("inf") else ms(elapsed)
        print(f"{shown} ms {'*' if scans else ' '} {step[:110]}\n            {sql[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cap", type=float, default=20.0, help="seconds before a statement is stopped")
    parser.add_argument("--no-statements", action="store_true", help="skip the captured statements")
    args = parser.parse_args()
    samples = Samples.from_store(args.store)
    print(f"{args.store}: {samples}")
    search_figures(args.store)
    relation_figures(args.store, samples)
    if not args.no_statements:
        statement_figures(args.store, samples, args.top, args.cap)


if __name__ == "__main__":
    main()
