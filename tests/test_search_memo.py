"""Each connection remembers the ranked sets, scopes and prefix words of its searches while the
store is unchanged (db/queries/search_memo.py, SearchMemo): later pages cost only the snippet statement,
and a commit by another connection, or a write on this one, is seen by the next read.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dprk_tui.db.search import fts_query
from dprk_tui.db.store import Page, SearchHit, Store

WORD = "talks"
CAP = 60


@pytest.fixture(scope="module")
def synth_path(synth_store: Callable[[int, int], Path]) -> Path:
    return synth_store(800, 4)


@pytest.fixture()
def copy(synth_path: Path, tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "copy.db"
    shutil.copy(synth_path, target)
    yield target


@pytest.fixture()
def synth(copy: Path) -> Iterator[Store]:
    opened = Store.open(copy)
    yield opened
    opened.close()


def expected_order(store: Store, text: str, cap: int) -> list[int]:
    """Brute force: every hit's bm25; the `cap` newest hits; by (score, id)."""
    scores = dict(store.reader.db.execute(
        "SELECT rowid, bm25(documents_fts) FROM documents_fts WHERE documents_fts MATCH ?", [fts_query(text)]
    ).fetchall())
    newest = sorted(scores, reverse=True)[:cap]
    return sorted(newest, key=lambda i: (scores[i], i))


def walk(store: Store, size: int = 13, cap: int = CAP) -> list[SearchHit]:
    hits: list[SearchHit] = []
    page = Page(size)
    while True:
        chunk = store.search.page(WORD, page, cap=cap)
        hits += chunk
        if len(chunk) < size:
            return hits
        page = Page(size, after=chunk[-1].key)


def traced_sql(store: Store, action: Callable[[], object]) -> list[str]:
    """The statements `action` runs on the store's connection (not FTS5's own, which start "--")."""
    sqls: list[str] = []
    store.reader.db.conn.set_trace_callback(sqls.append)
    try:
        action()
    finally:
        store.reader.db.conn.set_trace_callback(None)
    return [sql for sql in sqls if not sql.startswith("--")]


def statements(store: Store, action: Callable[[], object]) -> list[str]:
    return [sql for sql in traced_sql(store, action) if "MATCH" in sql]


def add_document(conn: sqlite3.Connection, text: str, tag: str) -> int:
    cursor = conn.execute(
        "INSERT INTO documents(file, path, title, date, source, words, text, content_hash, ingested_at)"
        " VALUES (?, ?, ?, '2020-01-01', 'KCNA', ?, ?, ?, '2020')",
        (f"{tag}.txt", f"{tag}.txt", f"Added {tag}", len(text.split()), text, f"hash-{tag}"),
    )
    return int(cursor.lastrowid)


def test_pages_after_the_second_are_cut_from_the_remembered_set(synth: Store) -> None:
    first = synth.search.page(WORD, Page(10), cap=CAP)
    second = synth.search.page(WORD, Page(10, after=first[-1].key), cap=CAP)
    third: list[SearchHit] = []
    ran = statements(synth, lambda: third.extend(synth.search.page(WORD, Page(10, after=second[-1].key), cap=CAP)))
    assert len(ran) == 1 and "snippet(" in ran[0] and "bm25(" not in ran[0]
    synth.search.memo.clear()
    fresh = synth.search.page(WORD, Page(10, after=second[-1].key), cap=CAP)
    assert third == fresh and [hit.key for hit in third] == [hit.key for hit in fresh]
    assert [hit.id for hit in first + second + third] == expected_order(synth, WORD, CAP)[:30]


def test_the_scope_of_a_page_read_is_remembered(synth: Store) -> None:
    synth.search.page(WORD, Page(10), cap=CAP)
    remembered = []
    assert statements(synth, lambda: remembered.append(synth.search.scope(WORD, cap=CAP))) == []
    synth.search.memo.clear()
    assert remembered == [synth.search.scope(WORD, cap=CAP)] and remembered[0].limited


@pytest.mark.parametrize("writer", ["another connection", "this connection"])
def test_a_change_to_the_store_is_seen_by_the_next_read(synth: Store, copy: Path, writer: str) -> None:
    """A new document enters the capped set (it is the newest hit) and pushes the oldest out; its
    one short line ranks it first. A page or a scope read from a stale memo would miss it."""
    before = walk(synth)
    assert [hit.id for hit in before] == expected_order(synth, WORD, CAP)
    assert synth.search.page(WORD, Page(5, after=before[4].key), cap=CAP) == before[5:10]  # remembered
    if writer == "this connection":
        added = add_document(synth.reader.db.conn, f"{WORD} {WORD}", "same")
        synth.reader.db.conn.commit()
    else:
        with sqlite3.connect(copy) as other:
            added = add_document(other, f"{WORD} {WORD}", "other")
        other.close()
    after = walk(synth)
    assert [hit.id for hit in after] == expected_order(synth, WORD, CAP)
    assert after[0].id == added and after != before
    assert synth.search.scope(WORD, cap=CAP).bound == min(hit.id for hit in after) > before[0].key[2]
