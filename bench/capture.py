"""Capture the SQL the browser really issues, and judge its query plans.

Used by tests/test_query_plans.py (no full scans of large tables) and bench/queries.py (how long
each captured statement takes on a big store). Nothing here lists the browser's queries: they are
recorded while the browser runs.

- `SqlCapture` wraps `sqlite3.connect`, so every connection opened inside it (the Store's, the
  app's counting connection, any other) gets a trace callback; each distinct statement is kept with
  the step that first issued it.
- `drive_app` runs the real `DprkApp` under `run_test`: a scripted tour (open, move, open a document,
  search, all relations, filters), then a crawl that presses every key bound on each focusable
  widget of the main screen and of the screens those keys open (inputs are filled from samples).
- `sweep_store` calls every public method of `Store` and of its query objects (`store.documents`,
  `store.search` ...) with sample arguments: each filter, sort order and page direction.
- `full_scans` reads an EXPLAIN QUERY PLAN and names the steps that scan a large table whole.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LARGE_TABLES = frozenset(
    {"documents", "mentions", "relations", "relation_summary", "actors", "aliases", "documents_fts",
     "relation_periods", "actor_months"}
)
"""Tables that grow with the corpus (actors and aliases too: ingest discovers actors)."""

SKIPPED_METHODS = {
    "open": "opens a connection; no query of its own",
    "close": "closes the connection",
}
"""Public Store methods the sweep does not call, and why."""
SKIPPED_OBJECTS = {
    "reader": "the connection holder runs any SQL given (export streams whole tables by design);"
              " the query objects' statements are what the sweep checks",
}
"""Store attributes the sweep does not walk, and why."""

SKIPPED_ACTIONS = ("quit", "exit", "help", "command_palette", "copy", "suspend", "screenshot", "cycle_pane",
                   "focus_next", "focus_previous")
"""Actions the crawl never runs (they leave the app, touch the clipboard, or only move focus)."""
MOVEMENT_ACTIONS = frozenset({
    "cursor_up", "cursor_down", "page_up", "page_down", "first_row", "last_row", "scroll_up",
    "scroll_down", "scroll_home", "scroll_end", "scroll('up')", "scroll('down')",
})
"""Actions the tour exercises on the big lists; the crawl skips them (paging reads the same
queries with another key, and the Store sweep reads every page direction)."""

_STATEMENT = re.compile(r"^\s*(SELECT|WITH|INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
_TEMP_TABLE = re.compile(r"^\s*CREATE VIRTUAL TABLE IF NOT EXISTS temp\.", re.IGNORECASE)
"""A temporary table a connection makes for itself (db/queries/search_words.py: the words of a prefix)."""


# -- capture ------------------------------------------------------------------------------------
class SqlCapture:
    """Record every distinct statement run on connections opened while this is active."""

    def __init__(self) -> None:
        self.statements: dict[str, str] = {}
        """SQL (as run, parameters inlined) -> the step that first ran it."""
        self.step = "setup"
        self.temp_tables: list[str] = []
        """CREATE statements of the temporary tables the statements read (see `replay`)."""
        self._connect: Callable[..., sqlite3.Connection] | None = None

    def __enter__(self) -> SqlCapture:
        self._connect = sqlite3.connect
        original = self._connect

        def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            conn = original(*args, **kwargs)
            conn.set_trace_callback(self._trace)
            return conn

        sqlite3.connect = connect  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        if self._connect is not None:
            sqlite3.connect = self._connect  # type: ignore[assignment]

    def replay(self, path: Path | str) -> sqlite3.Connection:
        """A read-only connection to `path` with the temporary tables the statements read."""
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        for sql in self.temp_tables:
            conn.execute(sql)
        return conn

    def _trace(self, sql: str) -> None:
        if _TEMP_TABLE.match(sql):
            if sql not in self.temp_tables:
                self.temp_tables.append(sql)
        elif _STATEMENT.match(sql):
            self.statements.setdefault(" ".join(sql.split()), self.step)


# -- samples ------------------------------------------------------------------------------------
@dataclass
class Samples:
    """Argument values drawn from the store itself (common and rare actors, a busy triple ...)."""

    document_id: int
    actor_id: int
    actor_name: str
    rare_actor_id: int
    other_id: int
    triple: tuple[int, str, int]
    source: str
    type: str
    texts: tuple[str, ...] = ("Kim Jong Un", "sanctions", "talk*")
    date_from: str = "2019"
    date_to: str = "2020-06"
    extra: dict[str, list[Any]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, path: Path | str) -> Samples:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            one = lambda sql: conn.execute(sql).fetchone()  # noqa: E731
            actor_id, actor_name = one("SELECT id, name FROM actors ORDER BY mentions DESC LIMIT 1")
            rare = one("SELECT id FROM actors WHERE documents > 0 ORDER BY documents LIMIT 1")[0]
            source_id, kind, target_id = one(
                "SELECT source_id, type, target_id FROM relation_summary ORDER BY events DESC LIMIT 1")
            other = target_id if source_id == actor_id else source_id
            document_id = one(
                "SELECT document_id FROM relations GROUP BY document_id ORDER BY count(*) DESC LIMIT 1")[0]
            source = one("SELECT source FROM documents WHERE source IS NOT NULL LIMIT 1")[0]
        finally:
            conn.close()
        return cls(document_id, actor_id, actor_name, rare, other, (source_id, kind, target_id),
                   source, kind)

    def filters(self) -> list[Any]:
        """Every filter alone, and a few together."""
        from dprk_tui.db.queries.filters import NO_FILTERS, Filters

        actor = {"actor_id": self.actor_id, "actor": self.actor_name}
        dates = {"date_from": self.date_from, "date_to": self.date_to}
        return [
            NO_FILTERS,
            Filters(**actor),
            Filters(actor_id=self.rare_actor_id),
            Filters(type=self.type),
            Filters(**dates),
            Filters(date_from=self.date_from),
            Filters(source=self.source),
            Filters(**actor, type=self.type),
            Filters(**actor, **dates),
            Filters(type=self.type, **dates),
            Filters(source=self.source, **dates),
            Filters(**actor, type=self.type, source=self.source, **dates),
        ]

    def values(self, name: str, parameter: inspect.Parameter) -> list[Any] | None:
        """Sample values for a parameter of a Store (or query object) method, by name; None when
        unknown."""
        from dprk_tui.db.store import SORTS_BY_NAME

        source_id, kind, target_id = self.triple
        known: dict[str, list[Any]] = {
            "filters": self.filters(),
            "sort": list(SORTS_BY_NAME),
            "document_id": [self.document_id],
            "actor_id": [self.actor_id, self.rare_actor_id],
            "other_id": [self.other_id],
            "source_id": [source_id],
            "type": [kind],
            "target_id": [target_id],
            "text": list(self.texts),
            "prefix": ["Kim", "c", ""],
            "offset": [0, 150],
            "limit": [100],
            "cap": [10_000],
            "alias": ["d"],
            **self.extra,
        }
        if name in known:
            values = list(known[name])
            if parameter.default is None:
                values.append(None)
            return values
        if parameter.default is not inspect.Parameter.empty:
            return [parameter.default]
        return None


# -- the Store sweep ----------------------------------------------------------------------------
def _public_methods(owner: Any, skipped: Any = ()) -> Iterator[tuple[str, Callable[..., Any]]]:
    for name in sorted(dir(type(owner))):
        if name.startswith("_") or name in skipped:
            continue
        method = getattr(owner, name)
        if callable(method) and not isinstance(method, type):
            yield name, method


def store_methods(store: Any) -> Iterator[tuple[str, Callable[..., Any]]]:
    """("metadata", method), then ("documents.page", method) ... for each query object the store
    holds (an attribute whose class lives in dprk_tui.db.queries)."""
    yield from _public_methods(store, SKIPPED_METHODS)
    for attribute, held in sorted(vars(store).items()):
        if attribute in SKIPPED_OBJECTS or not type(held).__module__.startswith("dprk_tui.db.queries."):
            continue
        for name, method in _public_methods(held):
            yield f"{attribute}.{name}", method


def sweep_store(store: Any, samples: Samples, capture: SqlCapture | None = None) -> list[str]:
    """Call every public method of the Store and of its query objects with every sample of each
    argument (one argument varied at a time; every page direction for paged methods). Returns
    "method(parameter)" for required parameters without samples (add them to `Samples.values`)."""
    from dprk_tui.db.store import Page

    unknown: list[str] = []
    for name, method in store_methods(store):
        parameters = {
            key: p for key, p in inspect.signature(method).parameters.items()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and key != "page"
        }
        paged = "page" in inspect.signature(method).parameters
        choices: dict[str, list[Any]] = {}
        for key, parameter in parameters.items():
            values = samples.values(key, parameter)
            if values is None:
                unknown.append(f"{name}({key})")
            else:
                choices[key] = values
        if len(choices) != len(parameters):
            continue
        base = {key: values[0] for key, values in choices.items()}
        calls = [base] + [
            {**base, key: value} for key, values in choices.items() for value in values[1:]
        ]
        for kwargs in calls:
            if capture is not None:
                capture.step = f"Store.{name}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
            if not paged:
                method(**kwargs)
                continue
            rows = method(page=Page(), **kwargs)
            keyed = [row for row in rows if getattr(row, "key", ())]
            pages = [Page(from_end=True)]
            if keyed:
                pages += [Page(after=keyed[-1].key), Page(before=keyed[-1].key)]
            for page in pages:
                method(page=page, **kwargs)
    return unknown


# -- driving the app ----------------------------------------------------------------------------
async def settle(pilot: Any) -> None:
    """Wait until no worker is pending or running and the screen has caught up."""
    from textual.worker import WorkerState

    from textual.worker import WorkerCancelled, WorkerError

    app = pilot.app
    # Pilot._wait_for_screen: every pending message handled, without pause()'s forced repaint.
    wait = getattr(pilot, "_wait_for_screen", pilot.pause)
    for _ in range(1000):
        await wait()
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            await wait()
            return
        for worker in busy:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerError):  # superseded (exclusive), or not started yet
                await asyncio.sleep(0.001)
    raise TimeoutError("workers did not finish")


def input_value(widget_id: str, samples: Samples) -> str | None:
    """What to type into an input, chosen by its id ("filter-actor", "search" ...)."""
    table = {
        "actor": samples.actor_name, "type": samples.type, "from": samples.date_from,
        "to": samples.date_to, "source": samples.source, "search": samples.texts[0],
    }
    for word, value in table.items():
        if word in widget_id:
            return value
    return None


async def fill_inputs(pilot: Any, samples: Samples) -> bool:
    """Fill the inputs of the current screen that have a sample; True if any was filled."""
    from textual.widgets import Input

    filled = False
    for field_ in pilot.app.screen.query(Input):
        value = input_value(field_.id or "", samples)
        if value is not None and field_.display:
            field_.value = value
            filled = True
    return filled


async def back_to(pilot: Any, screen: Any, limit: int = 6) -> None:
    """Leave whatever opened (screens, inputs) until `screen` is on top again."""
    app = pilot.app
    for _ in range(limit):
        if app.screen is screen:
            return
        await pilot.press("escape")
        await settle(pilot)
    while app.screen is not screen and len(app.screen_stack) > 1:
        app.pop_screen()
        await settle(pilot)


async def crawl(pilot: Any, capture: SqlCapture, samples: Samples, depth: int = 2,
                seen: set[tuple[str, str, str]] | None = None) -> None:
    """Run every action bound on each focusable widget of the current screen (once per screen,
    widget and action kind); follow the screens those keys open, `depth` levels down."""
    from textual.widgets import Input

    app = pilot.app
    seen = seen if seen is not None else set()
    screen = app.screen
    for widget in [w for w in screen.focus_chain if not isinstance(w, Input)]:
        if app.screen is not screen:
            await back_to(pilot, screen)
        if not widget.is_attached:
            continue
        widget.focus()
        await settle(pilot)
        for key, active in dict(screen.active_bindings).items():
            action = active.binding.action
            done = (type(screen).__name__, type(widget).__name__, action)
            if (key in ("escape", "tab", "shift+tab") or done in seen or action in MOVEMENT_ACTIONS
                    or any(skip in action for skip in SKIPPED_ACTIONS)):
                continue
            seen.add(done)
            if app.screen is not screen:
                await back_to(pilot, screen)
            if widget.is_attached:
                widget.focus()
            capture.step = f"{done[0]} / {done[1]}: {key} ({action})"
            await pilot.press(key)
            await settle(pilot)
            if isinstance(app.focused, Input) and await fill_inputs(pilot, samples):
                await pilot.press("enter")
                await settle(pilot)
            if app.screen is not screen and depth > 1:
                await crawl(pilot, capture, samples, depth - 1, seen)
            await back_to(pilot, screen)


async def tour(pilot: Any, capture: SqlCapture, samples: Samples) -> None:
    """The paths a reader takes: open, move, open a document, search, all relations, filters."""

    async def keys(step: str, *pressed: str) -> None:
        capture.step = f"tour: {step}"
        await pilot.press(*pressed)
        await settle(pilot)

    await keys("move in the document list", "j", "j", "pagedown", "pagedown", "end", "pageup", "home")
    await keys("open a document", "j", "enter")
    await keys("scroll the document", "pagedown", "end")
    await keys("move in the relations", "3", "j", "pagedown", "end", "home")
    await keys("all relations", "a")
    await keys("search", "slash", *samples.texts[0], "enter")
    await keys("move in the hits", "1", "j", "pagedown", "end", "home", "enter")
    await keys("clear the search", "escape", "escape", "escape")
    await keys("open the filters", "1", "f")
    await fill_inputs(pilot, samples)
    await keys("apply the filters", "enter")
    await keys("move in the filtered lists", "1", "j", "end", "3", "j", "end")
    await keys("clear the filters", "escape", "escape", "escape")


async def drive_app(db_path: Path, capture: SqlCapture, samples: Samples,
                    size: tuple[int, int] = (120, 40)) -> None:
    """Run the browser on `db_path` through the tour and the crawl."""
    from dprk_tui.tui.app import DprkApp

    app = DprkApp(db_path)
    with quick_pilot():
        async with app.run_test(size=size) as pilot:
            capture.step = "launch"
            await settle(pilot)
            await tour(pilot, capture, samples)
            await back_to(pilot, app.screen_stack[min(1, len(app.screen_stack) - 1)])
            await crawl(pilot, capture, samples)


@contextmanager
def quick_pilot() -> Iterator[None]:
    """Make Textual's pilot stop waiting for the process to go idle after each key (up to a second
    per key on a busy machine): messages are still all processed (`Pilot._wait_for_screen`), and
    `settle` waits for the workers."""
    import textual.app
    import textual.pilot

    async def no_wait(min_sleep: float = 0, max_sleep: float = 0) -> None:
        await asyncio.sleep(0)

    saved = textual.app.wait_for_idle, textual.pilot.wait_for_idle
    textual.app.wait_for_idle = textual.pilot.wait_for_idle = no_wait  # type: ignore[assignment]
    try:
        yield
    finally:
        textual.app.wait_for_idle, textual.pilot.wait_for_idle = saved


# -- plans --------------------------------------------------------------------------------------
_TABLE_REF = re.compile(
    r"\b(?:FROM|JOIN)\s+(?:main\.)?[\"'`\[]?(\w+)[\"'`\]]?"
    r"(?:\s+(?:AS\s+)?(?!(?:ON|WHERE|JOIN|LEFT|INNER|CROSS|NATURAL|GROUP|ORDER|LIMIT|USING|INDEXED"
    r"|NOT|UNION|WINDOW|HAVING|AND|OR)\b)(\w+))?",
    re.I,
)
_SCAN = re.compile(r"^SCAN (\w+)(.*)$")


def table_names(sql: str) -> dict[str, set[str]]:
    """Alias (or table name) -> the tables it may stand for in `sql`."""
    names: dict[str, set[str]] = {}
    for table, alias in _TABLE_REF.findall(sql):
        names.setdefault(table.lower(), set()).add(table.lower())
        if alias:
            names.setdefault(alias.lower(), set()).add(table.lower())
    return names


def explain(conn: sqlite3.Connection, sql: str) -> list[tuple[int, int, str]]:
    return [(row[0], row[1], row[3]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]


def full_scans(sql: str, plan: list[tuple[int, int, str]]) -> list[str]:
    """The plan steps that read a large table whole.

    A SCAN is not a full read when it is (a) FTS5 with a MATCH or rowid constraint, or (b) an
    index (or rowid) walk in the order the statement asks for, stopped by its LIMIT: the statement
    has a LIMIT, the scan is not inside a MATERIALIZE (evaluated whole), and nothing is sorted
    or grouped through a temporary b-tree (which would need every row first).
    """
    names = table_names(sql)
    parents = {node: parent for node, parent, _ in plan}
    details = {node: detail for node, _, detail in plan}
    sorts = [d for d in details.values() if d.startswith("USE TEMP B-TREE") and "RIGHT PART" not in d]
    limited = re.search(r"\bLIMIT\b", sql, re.I) is not None
    found = []
    for node, _parent, detail in plan:
        match = _SCAN.match(detail)
        if not match:
            continue
        tables = names.get(match.group(1).lower(), {match.group(1).lower()})
        large = tables & LARGE_TABLES
        if not large:
            continue
        rest = match.group(2)
        if "documents_fts" in large and "VIRTUAL TABLE" in rest:
            constraint = rest.rsplit(":", 1)[-1]
            if "M" in constraint or "=" in constraint:
                continue
        elif limited and not sorts and not _inside(node, parents, details, "MATERIALIZE"):
            continue
        found.append(detail)
    return found


def _inside(node: int, parents: dict[int, int], details: dict[int, str], kind: str) -> bool:
    while node in parents and parents[node]:
        node = parents[node]
        if details.get(node, "").startswith(kind):
            return True
    return False
