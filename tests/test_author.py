"""The author a byline names: stored in `documents.author` (schema 4), exported after the pinned
document fields, and added to an older store when it is opened with write access."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from dprk_tui.db import connection as db_connection
from dprk_tui.db.export import export_rows
from dprk_tui.db.schema import SCHEMA_VERSION
from dprk_tui.db.store import Store

PINNED = ["id", "file", "path", "title", "date", "source", "words", "text"]


def _authors(path: Path) -> dict[str, str | None]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT substr(file, 1, 3), author FROM documents").fetchall()
    conn.close()
    return dict(rows)


def _as_version_3(source: Path, path: Path) -> None:
    """A copy of `source` as a schema-3 store: no author column."""
    shutil.copy(source, path)
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE documents DROP COLUMN author")
        conn.execute("UPDATE metadata SET value = '3' WHERE key = 'schema_version'")
    conn.close()


def test_ingest_stores_the_byline_as_author_not_source(seed_store: Path) -> None:
    assert SCHEMA_VERSION == 4
    assert _authors(seed_store) == {"000": None, "001": None, "002": "Song Sang-ho", "003": None,
                                    "004": "Paul Elliott"}
    with sqlite3.connect(seed_store) as conn:
        sources = dict(conn.execute("SELECT substr(file, 1, 3), source FROM documents"))
    conn.close()
    assert sources == {"000": "UPI", "001": "Xinhua", "002": "Yonhap", "003": None, "004": None}


def test_export_puts_author_after_the_pinned_fields(seed_store: Path) -> None:
    store = Store.open(seed_store)
    try:
        rows = {row["file"][:3]: row for row in export_rows(store, "documents")}
    finally:
        store.close()
    assert all(list(row) == [*PINNED, "author"] for row in rows.values())
    assert rows["004"]["author"] == "Paul Elliott" and rows["000"]["author"] is None


def test_a_version_3_store_gains_the_column_when_opened(seed_store: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from dprk_tui.db import rollups

    path = tmp_path / "v3.db"
    _as_version_3(seed_store, path)
    lines: list[str] = []
    monkeypatch.setattr(db_connection, "notice", lines.append)
    monkeypatch.setattr(rollups, "rebuild", lambda conn: pytest.fail("version 3 has its roll-ups"))
    monkeypatch.setattr(rollups, "add_source_periods", lambda conn: pytest.fail("version 3 has them"))
    store = Store.open(path)
    try:
        assert store.metadata()["schema_version"] == "4"
        rows = list(export_rows(store, "documents"))
    finally:
        store.close()
    assert all(row["author"] is None for row in rows)  # stored before: unknown, not guessed
    assert len(lines) == 2 and "an author column for documents" in lines[0], lines
    assert _authors(path) == dict.fromkeys(("000", "001", "002", "003", "004"))


def test_a_killed_migration_leaves_a_version_3_store(seed_store: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v3.db"
    _as_version_3(seed_store, path)

    def killed(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE documents ADD COLUMN author TEXT")
        raise KeyboardInterrupt

    monkeypatch.setattr(db_connection, "add_author_column", killed)
    with pytest.raises(KeyboardInterrupt):
        Store.open(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM metadata WHERE key = 'schema_version'").fetchone()[0] == "3"
        assert "author" not in {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    conn.close()


def test_a_read_only_version_3_store_exports_unknown_authors(seed_store: Path) -> None:
    from tests.test_hostile_ingest import unprivileged, world_dir

    folder = world_dir("dprk-v3-read-only-")
    try:
        path = folder / "v3.db"
        _as_version_3(seed_store, path)
        path.chmod(0o444)

        def work() -> list[dict]:
            store = Store.open(path)
            try:
                return list(export_rows(store, "documents"))
            finally:
                store.close()

        rows = unprivileged(work)
        assert rows and all(list(row) == [*PINNED, "author"] and row["author"] is None for row in rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
