"""Browser responsiveness, measured in a pseudo-terminal on real stores: launch to usable screen,
key press to repaint on each pane (p50/p95), search (enter to first hits on screen), and the
browser's peak RSS. Prints figures; asserts nothing.

    .venv/bin/dprk-tui synth --docs 1000 --db /tmp/dprk-bench-1k.db
    .venv/bin/dprk-tui synth --docs 1000000 --db /tmp/dprk-bench-1m.db
    .venv/bin/python -m bench.browser /tmp/dprk-bench-1k.db /tmp/dprk-bench-1m.db

"Usable" is the first row of the Documents pane drawn (the store opened, its first page read and
painted); the totals in the pane titles may still read "…". Each launch is a fresh process.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from bench.terminal import Terminal

SEARCHES = ("Kim Jong Un", "sanctions", "humanitarian aid", "Choe Son Hui", "missile launch",
            "Pyongyang", "talk*", "ambassador", "Lavrov", "reunification")
"""Actors, common and rarer words, a phrase, a prefix (all match in a synthetic store)."""


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile (0..1) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def ms(value: float) -> str:
    return f"{value * 1000:7.1f}"


@dataclass
class Figures:
    """What one store measured."""

    store: str
    documents: int
    launches: list[float] = field(default_factory=list)
    totals: list[float] = field(default_factory=list)
    """Launch to the Documents total drawn (the count over the corpus done)."""
    keys: dict[str, list[float]] = field(default_factory=dict)
    """Per pane: key press to the first repaint written."""
    settled: dict[str, list[float]] = field(default_factory=dict)
    """Per pane: key press to the last frame it causes (the end of a scroll animation)."""
    unchanged: dict[str, int] = field(default_factory=dict)
    searches: list[float] = field(default_factory=list)
    rss_mb: float = 0.0


def first_title(db: Path) -> tuple[str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        title = conn.execute(
            "SELECT title FROM documents ORDER BY coalesce(date, '') DESC, id DESC LIMIT 1"
        ).fetchone()[0]
        count = conn.execute("SELECT max(id) FROM documents").fetchone()[0]
    return title, count


def measure_launch(db: Path, figures: Figures, title: str, runs: int) -> None:
    for _ in range(runs):
        with Terminal(db) as terminal:
            figures.launches.append(terminal.wait_for(title[:12]))
            figures.totals.append(terminal.wait_for(f"Documents ({figures.documents:,})"))


def press_all(terminal: Terminal, figures: Figures, pane: str, keys: list[str]) -> None:
    times = figures.keys.setdefault(pane, [])
    settled = figures.settled.setdefault(pane, [])
    for key in keys:
        elapsed = terminal.press(key)
        if elapsed is None:
            figures.unchanged[pane] = figures.unchanged.get(pane, 0) + 1
        else:
            times.append(elapsed[0])
            settled.append(elapsed[1])


def movement(steps: int, down: str = "j", up: str = "k") -> list[str]:
    """A walk through a list: steps down, pages down and up, to the end and back."""
    return ([down] * steps + ["pagedown"] * (steps // 4) + [up] * (steps // 2)
            + ["pageup"] * (steps // 8) + ["end", "home"] * 3)


def first_hits(db: Path) -> dict[str, str]:
    """The title of the best hit of each search (what appears first when its hits are drawn)."""
    from db.store import Page, Store

    store = Store.open(db)
    try:
        found = {query: store.search_page(query, Page(1)) for query in SEARCHES}
    finally:
        store.close()
    return {query: hits[0].title for query, hits in found.items() if hits}


def measure_session(db: Path, figures: Figures, title: str, steps: int) -> None:
    hits = first_hits(db)
    with Terminal(db) as terminal:
        terminal.wait_for(title[:12])
        terminal.wait_for(f"Documents ({figures.documents:,})")
        terminal.drain(0.5)
        press_all(terminal, figures, "Documents", movement(steps))
        terminal.press("home")
        terminal.press("enter")
        terminal.drain(0.5)
        press_all(terminal, figures, "Document",
                  ["j", "k"] * (steps // 2) + ["pagedown", "pageup"] * (steps // 8))
        terminal.press("3")
        terminal.press("a")  # all relations again (opening a document narrowed them to it)
        terminal.drain(0.5)
        press_all(terminal, figures, "Relations", movement(steps))
        for query in hits:
            terminal.press("escape")  # clear the last search
            terminal.press("1")
            terminal.press("slash")
            terminal.type(query)
            figures.searches.append(terminal.press_until("enter", hits[query][:12]))
            terminal.drain(0.3)
        press_all(terminal, figures, "Search hits", movement(steps // 2))
        figures.rss_mb = terminal.peak_rss_mb()


def report(all_figures: list[Figures]) -> None:
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
    for f in all_figures:
        print(f"\n== {f.store}: {f.documents:,} documents")
        print(f"launch to usable (first rows drawn), {len(f.launches)} launches:"
              f" p50 {ms(statistics.median(f.launches))} ms  max {ms(max(f.launches))} ms")
        print(f"launch to Documents total drawn:            p50 {ms(statistics.median(f.totals))} ms")
        print("key press to repaint        p50 ms   p95 ms   max ms | last frame p50/p95 ms | presses")
        for pane, times in f.keys.items():
            settled = f.settled[pane]
            print(f"  {pane:<22}{ms(percentile(times, .5))}  {ms(percentile(times, .95))}"
                  f"  {ms(max(times))} | {ms(percentile(settled, .5))} {ms(percentile(settled, .95))}"
                  f"       | {len(times)} (+{f.unchanged.get(pane, 0)} no change)")
        print(f"search, enter to first hits drawn: p50 {ms(percentile(f.searches, .5))} ms"
              f"  p95 {ms(percentile(f.searches, .95))} ms  ({len(f.searches)} queries)")
        print(f"browser peak RSS: {f.rss_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+", type=Path)
    parser.add_argument("--launches", type=int, default=7)
    parser.add_argument("--steps", type=int, default=80, help="key presses per list walk")
    args = parser.parse_args()
    stores = []
    for db in args.stores:
        title, count = first_title(db)
        stores.append((db, title, Figures(db.name, count)))
    for _ in range(args.launches):  # interleaved, so that a busy moment hits every store alike
        for db, title, figures in stores:
            measure_launch(db, figures, title, 1)
    for db, title, figures in stores:
        measure_session(db, figures, title, args.steps)
    report([figures for _, _, figures in stores])


if __name__ == "__main__":
    main()
