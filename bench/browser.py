"""Browser responsiveness, measured in a pseudo-terminal on real stores: launch to usable screen,
key press to repaint on each pane (p50/p95), search (enter to first hits on screen), and the
browser's peak RSS. Prints figures; asserts nothing.

    .venv/bin/dprk-tui synth --docs 1000 --db /tmp/dprk-bench-1k.db
    .venv/bin/dprk-tui synth --docs 1000000 --db /tmp/dprk-bench-1m.db
    .venv/bin/python -m bench.browser /tmp/dprk-bench-1k.db /tmp/dprk-bench-1m.db

"Usable" is the first row of the Documents pane drawn (the store opened, its first page read and
painted); the totals in the pane titles may still read "…". Each launch is a fresh process.

`--trace` times only the searches (`--rounds` times each) and shows where the time between enter
and the first hits on screen goes: the browser runs with timers around the search handler, the
store's reads, layout, style updates, each frame written (`TRACED`) and Python's garbage
collections, logged to a file, and each search prints its timeline from the moment enter was
written to the terminal. `--searches-only` times the same searches without the timers.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import inspect
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.terminal import Terminal

SEARCHES = ("Kim Jong Un", "sanctions", "humanitarian aid", "Choe Son Hui", "missile launch",
            "Pyongyang", "talk*", "ambassador", "Lavrov", "reunification")
"""Actors, common and rarer words, a phrase, a prefix (all match in a synthetic store)."""
MARKER = 24
"""How much of the best hit's snippet a search waits for (`hit_marker`)."""
SNIPPET_WIDTH = 40
"""Cells a snippet is drawn in at 120 columns (the Documents pane, less the indent)."""


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


def hit_marker(snippet: str) -> str:
    """What only the best hit's row shows: the start of its snippet line as the Documents pane
    draws it at 120 columns, after the pane's padding and the snippet's indent (3 spaces; a title
    row starts with its date there, and the pane title and the filter line show the query at
    once). Not the hit's title: the list the search replaces may hold the same title (synthetic
    titles repeat; a snippet usually starts with the title too)."""
    from dprk_tui.tui.widgets.highlight import snippet_text

    return "   " + snippet_text(snippet, "", width=SNIPPET_WIDTH).plain[:MARKER]


def first_hits(db: Path) -> dict[str, str]:
    """For each search with hits: what appears on screen once its hits are drawn (`hit_marker`)."""
    from dprk_tui.db.store import Page, Store

    store = Store.open(db)
    try:
        found = {query: store.search.page(query, Page(1)) for query in SEARCHES}
    finally:
        store.close()
    return {query: hit_marker(hits[0].snippet) for query, hits in found.items() if hits}


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
            figures.searches.append(terminal.press_until("enter", hits[query]))
            terminal.drain(0.3)
        press_all(terminal, figures, "Search hits", movement(steps // 2))
        figures.rss_mb = terminal.peak_rss_mb()


TRACED: tuple[tuple[str, str, str], ...] = (
    ("textual.widgets._input", "Input", "action_submit"),
    ("dprk_tui.tui.screens.main_search", "SearchFlow", "load_documents"),  # run_search is an @on handler: not traceable
    ("dprk_tui.tui.screens.main", "MainScreen", "update_titles"),
    ("dprk_tui.tui.screens.base", "BrowserScreen", "_shown"),
    ("dprk_tui.tui.screens.base", "BrowserScreen", "_counted"),
    ("dprk_tui.db.queries.search", "SearchQueries", "page"),
    ("dprk_tui.db.queries.search", "SearchQueries", "count"),
    ("textual.app", "App", "update_styles"),
    ("textual.screen", "Screen", "_on_timer_update"),
    ("textual.screen", "Screen", "_refresh_layout"),
    ("textual.screen", "Screen", "_compositor_refresh"),
    ("textual.screen", "Screen", "recompose"),
    ("textual.app", "App", "_display"),
)
"""(module, class, method) timed in the browser by `--trace`."""


def install_trace(log: Path) -> None:
    """Log the start and end of every `TRACED` method (perf_counter, thread) to `log`; the clock
    is the machine's monotonic one, so the bench can set it against the key it wrote."""
    out = log.open("a", buffering=1, encoding="utf-8")
    lock = threading.Lock()

    def write(name: str, what: str) -> None:
        thread = "ui" if threading.current_thread() is threading.main_thread() else "worker"
        with lock:
            out.write(f"{time.perf_counter():.6f} {thread} {what} {name}\n")

    def wrap(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(method):

            @functools.wraps(method)
            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                write(name, ">")
                try:
                    return await method(*args, **kwargs)
                finally:
                    write(name, "<")

            return timed_async

        @functools.wraps(method)
        def timed(*args: Any, **kwargs: Any) -> Any:
            write(name, ">")
            try:
                return method(*args, **kwargs)
            finally:
                write(name, "<")

        return timed

    for module_name, class_name, method_name in TRACED:
        owner = getattr(importlib.import_module(module_name), class_name)
        setattr(owner, method_name, wrap(f"{class_name}.{method_name}", getattr(owner, method_name)))

    def collecting(phase: str, info: dict[str, int]) -> None:
        write(f"gc.collect(generation {info['generation']})", ">" if phase == "start" else "<")

    gc.callbacks.append(collecting)


def run_traced(log: Path, args: list[str]) -> None:
    """The browser (`tui.cli` with `args`), traced to `log`."""
    install_trace(log)
    from dprk_tui.tui.cli import main

    sys.argv = ["dprk-tui", *args]
    main()


def timeline(log: Path, sent: float, drawn: float) -> list[str]:
    """The traced calls from `sent` (enter written) on, as lines "start–end ms thread name"; calls
    nested in a traced call are indented."""
    opened: dict[tuple[str, str], list[float]] = {}
    depth = {"ui": 0, "worker": 0}
    lines: list[tuple[float, str]] = []
    for entry in log.read_text(encoding="utf-8").splitlines():
        stamp_text, thread, what, name = entry.split(" ", 3)
        stamp = float(stamp_text)
        if what == ">":
            opened.setdefault((thread, name), []).append(stamp)
            depth[thread] += 1
            continue
        depth[thread] -= 1
        starts = opened.get((thread, name))
        if not starts:
            continue
        start = starts.pop()
        if stamp < sent:
            continue
        indent = "  " * depth[thread]
        text = (f"{(start - sent) * 1000:7.1f} –{(stamp - sent) * 1000:7.1f}"
                f" ({(stamp - start) * 1000:5.1f}) {thread:<6} {indent}{name}")
        lines.append((start, text))
    lines.sort()
    shown = [text for _, text in lines]
    shown.append(f"{(drawn - sent) * 1000:7.1f}  best hit's title on screen")
    return shown


def search_times(db: Path, rounds: int, traced: bool) -> list[float]:
    """Each search `rounds` times in one browser: enter → first hits drawn. `traced`: the browser
    runs with `install_trace`, and each search's timeline is printed."""
    title, documents = first_title(db)
    hits = first_hits(db)
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="dprk-trace-") as folder:
        log = Path(folder) / "trace.log"
        command = [sys.executable, "-m", "bench.browser", "--run-traced", str(log), "--"] if traced else None
        with Terminal(db, command=command) as terminal:
            terminal.wait_for(title[:12])
            terminal.wait_for(f"Documents ({documents:,})")
            terminal.drain(0.5)
            for _ in range(rounds):
                for query in hits:
                    terminal.press("escape")  # clear the last search
                    terminal.press("1")
                    terminal.press("slash")
                    terminal.type(query)
                    elapsed = terminal.press_until("enter", hits[query])
                    times.append(elapsed)
                    terminal.drain(0.3)
                    if traced:
                        print(f"\n-- {query!r}: enter → first hits {elapsed * 1000:.1f} ms"
                              f" (load {os.getloadavg()[0]:.2f})")
                        for line in timeline(log, terminal.sent, terminal.sent + elapsed):
                            print(line)
    print(f"\n{db.name}: search, enter to first hits drawn{' (traced)' if traced else ''}:"
          f" p50 {ms(percentile(times, .5))} ms  p95 {ms(percentile(times, .95))} ms"
          f"  max {ms(max(times))} ms  ({len(times)} searches; load average"
          f" {', '.join(f'{v:.2f}' for v in os.getloadavg())})")
    return times


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
    parser.add_argument("--trace", action="store_true",
                        help="only the searches, each with a timeline of where its time goes")
    parser.add_argument("--searches-only", action="store_true",
                        help="only the searches (untraced): enter → first hits, `--rounds` times each")
    parser.add_argument("--rounds", type=int, default=1, help="times each search runs (--trace, --searches-only)")
    if sys.argv[1:2] == ["--run-traced"]:  # inside the pty: the browser, traced
        run_traced(Path(sys.argv[2]), sys.argv[4:] if sys.argv[3:4] == ["--"] else sys.argv[3:])
        return
    args = parser.parse_args()
    if args.trace or args.searches_only:
        for db in args.stores:
            search_times(db, args.rounds, traced=args.trace)
        return
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
