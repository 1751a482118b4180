"""Date roll-ups of relations, kept beside `relation_summary` so that date-filtered relation lists
and actor timelines read a few thousand rows instead of every event in range.

- `relation_periods`: per (source, type, target) and period, the events, documents, first and last
  date; indexed by period and events too, so one period's triples can be walked most events first
  (db/queries/range_top.py). A period is the prefix of the event's date: its first 7 characters (`precision` 7, a month,
  "2019-06"), its first 4 (`precision` 4, a year) or its first 3 (`precision` 3, a decade, "201").
  Each level holds every dated relation.
- `relation_spread`: the (source, type, target, document) whose dated events of that triple fall in
  more than one month (an event dated "last Friday" across a month end). Such a document is *not*
  counted in any period row's `documents`; a date range counts it once, from `relations`, when one
  of its events is in range. So documents are additive over periods and date ranges stay exact.
- `relation_sources`: `relation_summary` per document source (the agency: documents.source), for
  the Relations pane filtered by source. A document has one source, so its counts simply add up.
- `relation_source_periods`: `relation_periods` per document source, for a source and a date
  range together (documents spread over months are in `relation_spread`, as above).
  `idx_documents_id_source` gives a relation's document source without reading the document's row
  (of article text).
- `actor_months`: per actor and month (dates of at least 7 characters), the events in which it is
  the source, or the target of another actor (the Actor screen's timeline).

They are written with each document (db/writer.py, same transaction), built in bulk by synth and
by the migration from schema 1 (`rebuild`), and re-derived for the actors a correction merges
(`forget_actors` before, `derive_actors` after; db/corrections.py).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

MONTH = 7
YEAR = 4
DECADE = 3
LEVELS = (DECADE, YEAR, MONTH)
"""Period lengths (prefixes of dates), coarsest first."""
TABLE_NAMES = (
    "relation_periods", "relation_spread", "relation_sources", "relation_source_periods", "actor_months"
)

TABLES = """
CREATE TABLE IF NOT EXISTS relation_periods (
    precision INTEGER NOT NULL,
    period TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    events INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    first_date TEXT,
    last_date TEXT,
    PRIMARY KEY (precision, period, source_id, type, target_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_relation_periods_source ON relation_periods(source_id, precision, period);
CREATE INDEX IF NOT EXISTS idx_relation_periods_target ON relation_periods(target_id, precision, period);
CREATE INDEX IF NOT EXISTS idx_relation_periods_events ON relation_periods(precision, period, events);
CREATE TABLE IF NOT EXISTS relation_spread (
    source_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    document_id INTEGER NOT NULL,
    PRIMARY KEY (source_id, type, target_id, document_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_relation_spread_target ON relation_spread(target_id);
CREATE TABLE IF NOT EXISTS relation_sources (
    doc_source TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    events INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    first_date TEXT,
    last_date TEXT,
    PRIMARY KEY (doc_source, source_id, type, target_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_relation_sources_source ON relation_sources(source_id);
CREATE INDEX IF NOT EXISTS idx_relation_sources_target ON relation_sources(target_id);
CREATE INDEX IF NOT EXISTS idx_relation_sources_events ON relation_sources(doc_source, events);
CREATE TABLE IF NOT EXISTS relation_source_periods (
    doc_source TEXT NOT NULL,
    precision INTEGER NOT NULL,
    period TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    events INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    first_date TEXT,
    last_date TEXT,
    PRIMARY KEY (doc_source, precision, period, source_id, type, target_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_relation_source_periods_events
    ON relation_source_periods(doc_source, precision, period, events);
CREATE INDEX IF NOT EXISTS idx_documents_id_source ON documents(id, source);
CREATE TABLE IF NOT EXISTS actor_months (
    actor_id INTEGER NOT NULL,
    month TEXT NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (actor_id, month)
) WITHOUT ROWID;
"""

_UPSERT_PERIOD = (
    "INSERT INTO relation_periods(precision, period, source_id, type, target_id, events, documents,"
    " first_date, last_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT(precision, period, source_id, type, target_id) DO UPDATE SET"
    " events = events + excluded.events, documents = documents + excluded.documents,"
    " first_date = min(first_date, excluded.first_date), last_date = max(last_date, excluded.last_date)"
)
_UPSERT_SOURCE_PERIOD = (
    "INSERT INTO relation_source_periods(doc_source, precision, period, source_id, type, target_id,"
    " events, documents, first_date, last_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT(doc_source, precision, period, source_id, type, target_id) DO UPDATE SET"
    " events = events + excluded.events, documents = documents + excluded.documents,"
    " first_date = min(first_date, excluded.first_date), last_date = max(last_date, excluded.last_date)"
)
_UPSERT_MONTH = (
    "INSERT INTO actor_months(actor_id, month, events) VALUES (?, ?, ?)"
    " ON CONFLICT(actor_id, month) DO UPDATE SET events = events + excluded.events"
)


_UPSERT_SOURCE = (
    "INSERT INTO relation_sources(doc_source, source_id, type, target_id, events, documents,"
    " first_date, last_date) VALUES (?, ?, ?, ?, ?, 1, ?, ?)"
    " ON CONFLICT(doc_source, source_id, type, target_id) DO UPDATE SET"
    " events = events + excluded.events, documents = documents + 1,"
    " first_date = CASE WHEN first_date IS NULL OR excluded.first_date < first_date"
    "   THEN coalesce(excluded.first_date, first_date) ELSE first_date END,"
    " last_date = CASE WHEN last_date IS NULL OR excluded.last_date > last_date"
    "   THEN coalesce(excluded.last_date, last_date) ELSE last_date END"
)


def create(conn: sqlite3.Connection) -> None:
    """Create the roll-up tables and indexes (statement by statement: inside a transaction)."""
    for statement in TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)


def has_rollups(conn: sqlite3.Connection) -> bool:
    return conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        f" AND name IN ({', '.join(repr(table) for table in TABLE_NAMES)})"
    ).fetchone()[0] == len(TABLE_NAMES)


def complete(conn: sqlite3.Connection) -> bool:
    """Whether the roll-ups are all there, with every level (two index seeks): a store made by a
    development build between levels is read the version-1 way rather than wrongly."""
    return has_rollups(conn) and conn.execute(
        f"SELECT NOT EXISTS (SELECT 1 FROM relation_periods WHERE precision = {MONTH})"
        f" OR EXISTS (SELECT 1 FROM relation_periods WHERE precision = {DECADE})"
    ).fetchone()[0] == 1


# -- one document (the writer) ---------------------------------------------------------------------
def add_document(
    conn: sqlite3.Connection,
    document_id: int,
    doc_source: str | None,
    relations: Iterable[tuple[int, str, int, str | None]],
) -> None:
    """Add one new document (of source `doc_source`) and its relations, (source_id, type,
    target_id, date) each."""
    by_triple: dict[tuple[int, str, int], list[str]] = {}
    months: Counter[tuple[int, str]] = Counter()
    sourced: dict[tuple[int, str, int], list[str | None]] = {}
    for source, kind, target, date in relations:
        sourced.setdefault((source, kind, target), []).append(date)
        if date is None:
            continue
        by_triple.setdefault((source, kind, target), []).append(date)
        if len(date) >= MONTH:
            months[(source, date[:MONTH])] += 1
            if target != source:
                months[(target, date[:MONTH])] += 1
    rows = []
    spread = []
    for (source, kind, target), dates in by_triple.items():
        single = len({date[:MONTH] for date in dates}) == 1
        if not single:
            spread.append((source, kind, target, document_id))
        for precision in LEVELS:
            periods: dict[str, list[str]] = {}
            for date in dates:
                periods.setdefault(date[:precision], []).append(date)
            for period, inside in periods.items():
                rows.append((precision, period, source, kind, target, len(inside), int(single),
                             min(inside), max(inside)))
    conn.executemany(_UPSERT_PERIOD, rows)
    conn.executemany(
        "INSERT OR IGNORE INTO relation_spread(source_id, type, target_id, document_id) VALUES (?, ?, ?, ?)",
        spread,
    )
    conn.executemany(_UPSERT_MONTH, [(actor, month, n) for (actor, month), n in months.items()])
    if doc_source is not None:
        conn.executemany(_UPSERT_SOURCE_PERIOD, [(doc_source, *row) for row in rows])
        conn.executemany(_UPSERT_SOURCE, [
            (doc_source, source, kind, target, len(dates),
             min((d for d in dates if d is not None), default=None),
             max((d for d in dates if d is not None), default=None))
            for (source, kind, target), dates in sourced.items()
        ])


# -- bulk: the whole store, or the relations of some actors -----------------------------------------
def rebuild(conn: sqlite3.Connection) -> None:
    """Derive every roll-up from `relations` (inside the caller's transaction)."""
    create(conn)
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN"
        f" ({', '.join(repr(table) for table in TABLE_NAMES)})"
    ).fetchall()
    for name, _ in indexes:  # bulk inserts go faster into bare tables; indexed once at the end
        conn.execute(f"DROP INDEX {name}")
    for table in TABLE_NAMES:
        conn.execute(f"DELETE FROM {table}")
    _derive(conn, "1", [])
    for _, sql in indexes:
        conn.execute(sql)


def forget_actors(conn: sqlite3.Connection, actor_ids: Sequence[int]) -> None:
    """Before the relations of `actor_ids` change: remove every roll-up row they contribute to
    (period and spread rows of their triples; their events from every actor's months)."""
    scope, params = _scope(actor_ids)
    _months(conn, scope, params, sign=-1)
    conn.execute("DELETE FROM actor_months WHERE events = 0")
    marks = ",".join("?" * len(actor_ids))
    for table in ("relation_periods", "relation_spread", "relation_sources", "relation_source_periods"):
        conn.execute(
            f"DELETE FROM {table} WHERE source_id IN ({marks})", list(actor_ids))
        conn.execute(
            f"DELETE FROM {table} WHERE target_id IN ({marks})", list(actor_ids))


def derive_actors(conn: sqlite3.Connection, actor_ids: Sequence[int]) -> None:
    """After the relations of `actor_ids` changed (and `forget_actors` ran before): add them back."""
    scope, params = _scope(actor_ids)
    _derive(conn, scope, params)


def _scope(actor_ids: Sequence[int]) -> tuple[str, list[int]]:
    marks = ",".join("?" * len(actor_ids))
    return f"source_id IN ({marks}) OR target_id IN ({marks})", [*actor_ids, *actor_ids]


def _derive(conn: sqlite3.Connection, scope: str, params: list) -> None:
    """Insert the roll-up rows of the relations matching `scope` (rows that must not exist yet)."""
    conn.execute(
        "INSERT INTO relation_spread(source_id, type, target_id, document_id)"
        " SELECT source_id, type, target_id, document_id FROM relations"
        f" WHERE ({scope}) AND date IS NOT NULL AND document_id IN ("
        # documents with events in several months at all (a walk of idx_relations_document)
        f"  SELECT document_id FROM relations WHERE ({scope}) AND date IS NOT NULL"
        f"  GROUP BY document_id HAVING min(substr(date, 1, {MONTH})) < max(substr(date, 1, {MONTH})))"
        " GROUP BY source_id, type, target_id, document_id"
        f" HAVING min(substr(date, 1, {MONTH})) < max(substr(date, 1, {MONTH}))",
        [*params, *params],
    )
    spread = conn.execute("SELECT EXISTS (SELECT 1 FROM relation_spread)").fetchone()[0]
    counted = _counted(spread)
    conn.execute(
        "INSERT INTO relation_periods(precision, period, source_id, type, target_id, events,"
        f" documents, first_date, last_date) SELECT {MONTH}, substr(r.date, 1, {MONTH}) AS p,"
        f" r.source_id, r.type, r.target_id, count(*), {counted}, min(r.date), max(r.date)"
        f" FROM relations r WHERE ({scope}) AND r.date IS NOT NULL"
        " GROUP BY p, r.source_id, r.type, r.target_id",
        params,
    )
    conn.execute(
        "INSERT INTO relation_periods(precision, period, source_id, type, target_id, events,"
        f" documents, first_date, last_date) SELECT {YEAR}, substr(period, 1, {YEAR}) AS y,"
        " source_id, type, target_id, sum(events), sum(documents), min(first_date), max(last_date)"
        f" FROM relation_periods WHERE precision = {MONTH} AND ({scope})"
        " GROUP BY y, source_id, type, target_id",
        params,
    )
    conn.execute(
        "INSERT INTO relation_periods(precision, period, source_id, type, target_id, events,"
        f" documents, first_date, last_date) SELECT {DECADE}, substr(period, 1, {DECADE}) AS y,"
        " source_id, type, target_id, sum(events), sum(documents), min(first_date), max(last_date)"
        f" FROM relation_periods WHERE precision = {YEAR} AND ({scope})"
        " GROUP BY y, source_id, type, target_id",
        params,
    )

    def by_source() -> None:
        conn.execute(
            "INSERT INTO relation_sources(doc_source, source_id, type, target_id, events, documents,"
            " first_date, last_date) SELECT d.source, r.source_id, r.type, r.target_id, count(*),"
            " count(DISTINCT r.document_id), min(r.date), max(r.date)"
            f" FROM relations r JOIN temp.rollup_sources d ON d.id = r.document_id WHERE ({_aliased(scope)})"
            " GROUP BY d.source, r.source_id, r.type, r.target_id",
            params,
        )
        _derive_source_periods(conn, scope, params, counted)

    _with_sources(conn, by_source)
    _months(conn, scope, params, sign=1)


def _counted(spread: bool) -> str:
    """The documents of a group of `relations r`: those whose events of the triple fall in one
    month (documents spread over months are counted from relation_spread instead)."""
    return (
        "count(DISTINCT CASE WHEN NOT EXISTS (SELECT 1 FROM relation_spread x WHERE"
        " x.source_id = r.source_id AND x.type = r.type AND x.target_id = r.target_id"
        " AND x.document_id = r.document_id) THEN r.document_id END)"
        if spread else "count(DISTINCT r.document_id)"
    )


def _with_sources(conn: sqlite3.Connection, work: Callable[[], None]) -> None:
    """Run `work` with temp.rollup_sources: each document's source, from the covering index
    idx_documents_source (a join on documents would read a row of article text per relation)."""
    conn.execute("DROP TABLE IF EXISTS temp.rollup_sources")
    conn.execute("CREATE TEMP TABLE rollup_sources (id INTEGER PRIMARY KEY, source TEXT NOT NULL)")
    conn.execute(
        "INSERT INTO temp.rollup_sources(id, source) SELECT id, source FROM documents"
        " INDEXED BY idx_documents_source WHERE source IS NOT NULL")
    try:
        work()
    finally:
        conn.execute("DROP TABLE temp.rollup_sources")


def _derive_source_periods(conn: sqlite3.Connection, scope: str, params: list, counted: str) -> None:
    """relation_source_periods of the relations in `scope`: months from `relations` (documents
    counted as in relation_periods), years and decades from the months (needs temp.rollup_sources)."""
    conn.execute(
        "INSERT INTO relation_source_periods(doc_source, precision, period, source_id, type, target_id,"
        f" events, documents, first_date, last_date) SELECT d.source, {MONTH}, substr(r.date, 1, {MONTH}) AS p,"
        f" r.source_id, r.type, r.target_id, count(*), {counted}, min(r.date), max(r.date)"
        " FROM relations r JOIN temp.rollup_sources d ON d.id = r.document_id"
        f" WHERE ({_aliased(scope)}) AND r.date IS NOT NULL"
        " GROUP BY d.source, p, r.source_id, r.type, r.target_id",
        params,
    )
    for precision, finer in ((YEAR, MONTH), (DECADE, YEAR)):
        conn.execute(
            "INSERT INTO relation_source_periods(doc_source, precision, period, source_id, type,"
            " target_id, events, documents, first_date, last_date) SELECT doc_source, ?,"
            " substr(period, 1, ?) AS y, source_id, type, target_id, sum(events), sum(documents),"
            " min(first_date), max(last_date) FROM relation_source_periods WHERE precision = ?"
            f" AND ({scope}) GROUP BY doc_source, y, source_id, type, target_id",
            [precision, precision, finer, *params],
        )


def add_source_periods(conn: sqlite3.Connection) -> None:
    """Schema 2 to 3: create what is missing and derive relation_source_periods for every relation
    (inside the caller's transaction; the other roll-ups are there already)."""
    create(conn)
    index = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'idx_relation_source_periods_events'").fetchone()[0]
    conn.execute("DROP INDEX idx_relation_source_periods_events")  # indexed once at the end
    conn.execute("DELETE FROM relation_source_periods")
    spread = conn.execute("SELECT EXISTS (SELECT 1 FROM relation_spread)").fetchone()[0]
    _with_sources(conn, lambda: _derive_source_periods(conn, "1", [], _counted(spread)))
    conn.execute(index)


def _aliased(scope: str) -> str:
    return scope.replace("source_id", "r.source_id").replace("target_id", "r.target_id")


def _months(conn: sqlite3.Connection, scope: str, params: list, *, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) the month events of the relations in `scope`, read
    from their month periods (a period of 7 characters: a date of at least 7)."""
    conn.execute(
        "INSERT INTO actor_months(actor_id, month, events)"
        f" SELECT actor, month, {sign} * sum(events) FROM ("
        f"  SELECT source_id AS actor, period AS month, events FROM relation_periods"
        f"  WHERE precision = {MONTH} AND length(period) = {MONTH} AND ({scope})"
        f"  UNION ALL SELECT target_id, period, events FROM relation_periods"
        f"  WHERE precision = {MONTH} AND length(period) = {MONTH} AND target_id != source_id AND ({scope}))"
        " WHERE true GROUP BY actor, month"
        " ON CONFLICT(actor_id, month) DO UPDATE SET events = events + excluded.events",
        [*params, *params],
    )


# -- reading: a date range as pieces of the roll-ups ------------------------------------------------
def prefix_end(text: str) -> str:
    """The smallest string above every string that starts with `text` (`text` is non-empty ASCII
    here: a date prefix, "0" or a date with "~")."""
    return text[:-1] + chr(ord(text[-1]) + 1)


@dataclass(frozen=True)
class RangePlan:
    """How to add up the relations dated within a range (string comparison, as `relations` is
    filtered) from the roll-ups, exactly:

    - `periods`: (precision, low, low inclusive, high, high inclusive) ranges of period keys of
      one level (high None: no end), each period wholly inside the range;
    - `edges`: (from, to, to inclusive): relations dated `from <= date < to` (or `<= to`) to read
      from `relations`: the parts of the two months of the range's ends that are only partly
      inside (at most two months of events).

    Periods are prefixes of dates, so a period between the periods of the range's two ends holds
    only dates inside it, whatever the dates look like; only the periods at the ends need looking
    at: wholly inside (an index seek finds no date on the wrong side), or split at the next level."""

    empty: bool
    periods: tuple[tuple[int, str, bool, str | None, bool], ...]
    edges: tuple[tuple[str, str, bool], ...]


def plan_range(conn: sqlite3.Connection, lo: str, hi: str | None) -> RangePlan:
    """The pieces of the dates in [lo, hi] (hi None: no upper end), coarsest first: decades,
    years, months, and relations for partly covered months."""
    if hi is not None and lo > hi:
        return RangePlan(True, (), ())
    periods: list[tuple[int, str, bool, str | None, bool]] = []
    edges: list[tuple[str, str, bool]] = []
    _plan(conn, lo, hi, True, 0, periods, edges)
    return RangePlan(False, tuple(periods), tuple(edges))


def _plan(
    conn: sqlite3.Connection,
    lo: str,
    hi: str | None,
    hi_inclusive: bool,
    level: int,
    periods: list[tuple[int, str, bool, str | None, bool]],
    edges: list[tuple[str, str, bool]],
) -> None:
    """Dates `lo <= date` and `date <= hi` (or `< hi`; hi None: no end), at LEVELS[level]."""
    size = LEVELS[level]
    last = level == len(LEVELS) - 1
    low = lo[:size]
    high = hi[:size] if hi is not None else None

    def low_whole() -> bool:  # nothing in the period of lo is dated before lo
        return lo == low or not _any_dated(conn, low, lo)

    def high_whole() -> bool:  # nothing in the period of hi is dated after hi (or at it)
        assert hi is not None and high is not None
        return not _any_dated(conn, hi, prefix_end(high), after=hi_inclusive)

    if high is not None and high == low:
        if not hi_inclusive and hi == high:
            return  # [lo, hi) inside one period that starts at hi: empty
        if low_whole() and high_whole():
            periods.append((size, low, True, low, True))
        elif last:
            edges.append((lo, hi, hi_inclusive))
        else:
            _plan(conn, lo, hi, hi_inclusive, level + 1, periods, edges)
        return
    low_in = low_whole()
    high_in = False
    if high is not None and not (not hi_inclusive and hi == high):  # else nothing of it is inside
        high_in = high_whole()
        if not high_in:
            if last:
                edges.append((high, hi, hi_inclusive))
            else:
                _plan(conn, high, hi, hi_inclusive, level + 1, periods, edges)
    if not low_in:
        if last:
            edges.append((lo, prefix_end(low), False))
        else:
            _plan(conn, lo, prefix_end(low), False, level + 1, periods, edges)
    periods.append((size, low, low_in, high, high_in))


def _any_dated(conn: sqlite3.Connection, low: str, high: str, *, after: bool = False) -> bool:
    """Whether a relation is dated in [low, high) (after: in (low, high))."""
    op = ">" if after else ">="
    return conn.execute(
        "SELECT 1 FROM relations INDEXED BY idx_relations_date"
        f" WHERE coalesce(date, '') {op} ? AND coalesce(date, '') < ? LIMIT 1",
        (low, high),
    ).fetchone() is not None
