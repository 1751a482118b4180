"""`dprk-tui ingest`: summary and exit status, duplicates, failures named with their reason."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.cli import run_cli
from tests.conftest import SEEDS


def counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("documents", "mentions", "relations"))


def test_reingest_changes_nothing(seed_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(seed_store, copy)
    before = counts(copy)
    result = run_cli("ingest", SEEDS, "--db", copy)
    assert result.returncode == 0, result.stderr
    assert "added 0, duplicates skipped 5, failed 0" in result.stderr
    assert counts(copy) == before


def test_failures_are_listed_and_the_run_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    (corpus / "nested").mkdir(parents=True)
    shutil.copy(next(SEEDS.glob("003_*.txt")), corpus / "nested" / "good.txt")
    shutil.copy(next(SEEDS.glob("003_*.txt")), corpus / "same-again.txt")
    (corpus / "empty.txt").write_text("  \n\n")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (corpus / "notes.md").write_text("not an article file")
    db = tmp_path / "store.db"
    result = run_cli("ingest", corpus, "--db", db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"failed: {corpus / 'empty.txt'}: empty file" in result.stderr
    assert f"failed: {corpus / 'image.txt'}: binary file, not text" in result.stderr
    assert "added 1, duplicates skipped 1, failed 2" in result.stderr
    assert counts(db)[0] == 1


def test_missing_input_path_fails_cleanly(tmp_path: Path) -> None:
    result = run_cli("ingest", tmp_path / "absent", "--db", tmp_path / "s.db")
    assert result.returncode == 1 and "no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_each_document_is_written_with_its_mentions(seed_store: Path) -> None:
    with sqlite3.connect(seed_store) as conn:
        orphans = conn.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS"
            " (SELECT 1 FROM mentions m WHERE m.document_id = d.id)"
        ).fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    assert orphans == 0 and integrity == "ok"


def test_no_article_is_refused_as_clutter(tmp_path: Path) -> None:
    """A body that runs as one long line under a short header (no full stop at its end) and a page
    that looks like nothing but furniture are stored; only a file with no visible text fails."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    body = "Pyongyang, May 2 (KCNA) -- " + "The spokesman said the drills were a threat to peace " * 30
    (corpus / "one-line.txt").write_text(f"Envoys trade warnings\nMay 2. 2023\n\n{body}", encoding="utf-8")
    (corpus / "furniture.txt").write_text("Share this:\nFacebook\nTwitter\n", encoding="utf-8")
    (corpus / "blank.txt").write_text("\x1b[31m \x1b[0m\n\u200b\n", encoding="utf-8")
    db = tmp_path / "store.db"
    result = run_cli("ingest", corpus, "--db", db)
    assert "added 2, duplicates skipped 0, failed 1" in result.stderr, result.stderr
    assert f"failed: {corpus / 'blank.txt'}: no article text" in result.stderr
    with sqlite3.connect(db) as conn:
        stored = dict(conn.execute("SELECT file, text FROM documents"))
        date = conn.execute("SELECT date, source FROM documents WHERE file = 'one-line.txt'").fetchone()
    conn.close()
    assert body.strip() in stored["one-line.txt"] and stored["furniture.txt"]
    assert date == ("2023-05-02", "KCNA")
