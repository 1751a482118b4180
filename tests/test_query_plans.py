"""No query the browser issues reads a large table whole.

The SQL is captured, never listed here (bench/capture.py): every connection opened during the test
traces its statements while (1) the real app runs under `run_test` through a tour (open, move, open
a document, search, all relations, filters) and a crawl of every key bound on every focusable
widget of the main screen and of the screens those keys open, and (2) every public method of
`Store` and of the query objects it holds (`store.documents`, `store.search` ...) is called with
sample arguments (each filter, sort order and page direction). So a query added to the browser or
to a query object is checked without touching this file; a new method whose parameters have no
sample fails `test_every_store_method_was_called` until one is added to
`bench.capture.Samples.values`.

Each distinct statement is then explained (EXPLAIN QUERY PLAN) on the same synthetic store of
2,000 documents, and a `SCAN` of a large table (documents, mentions, relations, relation_summary,
actors, aliases, or documents_fts without MATCH) fails the test, unless it is a walk in index order
stopped by the statement's LIMIT (see `bench.capture.full_scans`) or the statement is on
ALLOWED below, with its reason.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.capture import Samples, SqlCapture, drive_app, explain, full_scans, sweep_store
from dprk_tui.db.store import Store
from dprk_tui.db.synth import synthesize

DOCS = 2_000


@dataclass(frozen=True)
class Allowed:
    """A statement allowed to scan a large table: `pattern` matches it (re.search, whitespace
    collapsed), `reason` says why that is acceptable."""

    pattern: str
    reason: str


ALLOWED: tuple[Allowed, ...] = (
    Allowed(
        r"^SELECT count\(\*\) FROM documents(?: d)?$",
        "the total in the Documents title: a count over the smallest covering index"
        " (idx_documents_sort, ~20 bytes a row), run on the counting connection after the first"
        " page is shown; 1M documents: see bench/README.md",
    ),
    Allowed(
        r"^SELECT count\(\*\) FROM relation_summary(?: s)?$",
        "the total in the Relations title: a count over the smallest covering index of"
        " relation_summary (one row per source/type/target, not per event), after the first page",
    ),
)


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SqlCapture, list[str]]:
    """A synthetic store, and the SQL the browser and every Store method issued on it."""
    path = tmp_path_factory.mktemp("plans") / "synth.db"
    synthesize(path, DOCS, seed=11)
    samples = Samples.from_store(path)
    with SqlCapture() as capture:
        asyncio.run(drive_app(path, capture, samples, size=(110, 32)))
        store = Store.open(path)
        try:
            unknown = sweep_store(store, samples, capture)
        finally:
            store.close()
    return path, capture, unknown


def test_capture_saw_the_browser_at_work(captured: tuple[Path, SqlCapture, list[str]]) -> None:
    _, capture, _ = captured
    from_app = [sql for sql, step in capture.statements.items() if not step.startswith("Store.")]
    assert any("FROM documents" in sql and "LIMIT" in sql for sql in from_app)
    assert any("MATCH" in sql for sql in from_app)
    assert any("relation_summary" in sql for sql in from_app)
    assert any(step.startswith(("MainScreen", "tour: open a document")) for step in capture.statements.values())
    assert len(capture.statements) > 100


def test_every_store_method_was_called(captured: tuple[Path, SqlCapture, list[str]]) -> None:
    _, _, unknown = captured
    assert not unknown, (
        "Store methods with parameters the sweep has no sample for (add them to"
        f" bench.capture.Samples.values): {unknown}"
    )


def test_no_full_scan_of_a_large_table(captured: tuple[Path, SqlCapture, list[str]]) -> None:
    path, capture, _ = captured
    conn = capture.replay(path)
    failures = []
    try:
        for sql, step in capture.statements.items():
            scans = full_scans(sql, explain(conn, sql))
            if scans and not any(re.search(rule.pattern, sql) for rule in ALLOWED):
                failures.append(f"{step}\n    {sql[:600]}\n    -> {'; '.join(scans)}")
    finally:
        conn.close()
    assert not failures, f"{len(failures)} statements scan a large table:\n" + "\n".join(failures)


def test_allow_list_is_used(captured: tuple[Path, SqlCapture, list[str]]) -> None:
    """Every allowance still matches a statement the browser issues (else remove it)."""
    _, capture, _ = captured
    unused = [rule.pattern for rule in ALLOWED
              if not any(re.search(rule.pattern, sql) for sql in capture.statements)]
    assert not unused


def test_full_scans_are_recognised(tmp_path: Path) -> None:
    """The plan reader itself: it flags what it must and passes what it may."""
    path = tmp_path / "tiny.db"
    synthesize(path, 30)
    conn = sqlite3.connect(path)

    def flagged(sql: str) -> bool:
        return bool(full_scans(sql, explain(conn, sql)))

    assert flagged("SELECT * FROM mentions WHERE text LIKE '%Kim%'")
    assert flagged("SELECT title FROM documents d ORDER BY title LIMIT 10")
    assert flagged("SELECT rowid FROM documents_fts")
    assert flagged("SELECT s.n FROM (SELECT source_id, count(*) AS n FROM relations r GROUP BY"
                   " source_id) s ORDER BY s.n DESC LIMIT 5")
    assert flagged("SELECT count(*) FROM documents")
    assert not flagged("SELECT id FROM documents d ORDER BY coalesce(d.date, '') DESC, d.id DESC LIMIT 100")
    assert not flagged("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'kim' LIMIT 5")
    assert not flagged("SELECT * FROM mentions m WHERE m.document_id = 3 ORDER BY m.start_char")
    conn.close()
