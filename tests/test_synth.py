"""Synthetic stores (`dprk-tui synth`, db/synth.py): every invariant the real writer keeps holds."""

from __future__ import annotations

import sqlite3
import statistics
from pathlib import Path

import pytest

from dprk_tui.db.article import content_hash
from dprk_tui.db.errors import DprkError
from dprk_tui.db.store import Store
from dprk_tui.db.synth import synthesize
from tests.cli import assert_clean_failure, run_cli

DOCS = 400


def document_count(path: Path) -> int:
    store = Store.open(path)
    try:
        return store.documents.count()
    finally:
        store.close()


@pytest.fixture(scope="module", params=[False, True], ids=["fts-rebuild", "fts-process"])
def synth_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic store, its FTS index built both ways (in place; in a second process)."""
    path = tmp_path_factory.mktemp("synth") / "synth.db"
    summary = synthesize(path, DOCS, seed=7, parallel=request.param)
    assert summary.documents == DOCS
    return path


@pytest.fixture()
def conn(synth_store: Path):
    connection = sqlite3.connect(synth_store)
    yield connection
    connection.close()


def test_documents_look_like_articles(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT id, title, date, words, text, content_hash FROM documents").fetchall()
    assert [row[0] for row in rows] == list(range(1, DOCS + 1))
    for _id, title, date, words, text, stored_hash in rows:
        assert words == len(text.split())
        assert stored_hash == content_hash(text)
        assert title and len(title) <= 100 and "\n" not in title
        assert date is None or "2010-01-01" <= date <= "2026-12-31"
    assert len({row[5] for row in rows}) == DOCS
    assert 250 <= statistics.median(row[3] for row in rows) <= 550
    assert max(row[3] for row in rows) > 2 * statistics.median(row[3] for row in rows)
    years = {row[2][:4] for row in rows if row[2]}
    assert len(years) >= 15


def test_mentions_are_slices_of_the_text(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT d.text, m.start_char, m.end_char, m.text, m.label, a.type FROM mentions m"
        " JOIN documents d ON d.id = m.document_id LEFT JOIN actors a ON a.id = m.actor_id"
    ).fetchall()
    assert len(rows) > 10 * DOCS
    for text, start, end, mention, label, actor_type in rows:
        assert text[start:end] == mention
        assert actor_type is None or label == actor_type


def test_relation_evidence_is_a_sentence_naming_both_actors(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT r.document_id, r.source_id, r.target_id, r.start_char, r.end_char, r.date, d.date,"
        " d.text FROM relations r JOIN documents d ON d.id = r.document_id"
    ).fetchall()
    assert len(rows) > 2 * DOCS
    for document_id, source, target, start, end, date, document_date, text in rows:
        assert date == document_date
        sentence = text[start:end]
        assert sentence.endswith(".") and sentence[:1].isupper()
        assert start == 0 or text[start - 1] in " \n"
        named = {
            actor for (actor,) in conn.execute(
                "SELECT actor_id FROM mentions WHERE document_id = ? AND start_char >= ?"
                " AND end_char <= ?", (document_id, start, end))
        }
        assert {source, target} <= named


def test_relation_summary_agrees_with_relations(conn: sqlite3.Connection) -> None:
    expected = conn.execute(
        "SELECT source_id, type, target_id, count(*), count(DISTINCT document_id), min(date),"
        " max(date) FROM relations GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    ).fetchall()
    stored = conn.execute(
        "SELECT source_id, type, target_id, events, documents, first_date, last_date"
        " FROM relation_summary ORDER BY 1, 2, 3"
    ).fetchall()
    assert stored == expected


def test_actor_counts_agree_with_mentions(conn: sqlite3.Connection) -> None:
    expected = dict(
        ((actor, (mentions, documents)) for actor, mentions, documents in conn.execute(
            "SELECT actor_id, count(*), count(DISTINCT document_id) FROM mentions"
            " WHERE actor_id IS NOT NULL GROUP BY actor_id"))
    )
    stored = {
        actor: (mentions, documents)
        for actor, mentions, documents in conn.execute("SELECT id, mentions, documents FROM actors")
        if mentions or documents
    }
    assert stored == expected
    counts = sorted((mentions for mentions, _ in expected.values()), reverse=True)
    assert counts[0] >= 10 * statistics.median(counts)  # a Zipf-like spread, not uniform


def test_actors_come_from_the_dictionary(conn: sqlite3.Connection) -> None:
    assert conn.execute("SELECT count(*) FROM actors WHERE origin != 'dictionary'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM aliases").fetchone()[0] > conn.execute(
        "SELECT count(*) FROM actors").fetchone()[0]


def test_full_text_index_is_complete_and_kept_up(synth_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(synth_store) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    conn = sqlite3.connect(copy)
    try:
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        hits = conn.execute(
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH '\"reference\"'"
        ).fetchone()[0]
        assert hits == DOCS  # every document ends "Archive reference N."
        # The triggers are back: a new document is searchable at once.
        conn.execute(
            "INSERT INTO documents(file, path, title, date, source, words, text, content_hash,"
            " ingested_at) VALUES ('x.txt', '/x.txt', 'Zyxwv', NULL, NULL, 1, 'zyxwv', 'h', 'now')")
        assert conn.execute(
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'zyxwv'").fetchone()[0] == 1
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
    finally:
        conn.close()


def test_the_browser_reads_it(synth_store: Path) -> None:
    store = Store.open(synth_store)
    try:
        assert store.documents.count() == DOCS
        assert len(store.documents.slice(0, 10)) == 10
        assert store.relations.count() > 0
        assert store.search.top("Korea")
    finally:
        store.close()


def test_same_seed_same_store(tmp_path: Path) -> None:
    def digest(path: Path) -> list[tuple]:
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT content_hash, date, source FROM documents ORDER BY id").fetchall()

    synthesize(tmp_path / "a.db", 30, seed=1)
    synthesize(tmp_path / "b.db", 30, seed=1)
    synthesize(tmp_path / "c.db", 30, seed=2)
    assert digest(tmp_path / "a.db") == digest(tmp_path / "b.db") != digest(tmp_path / "c.db")


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_text("precious")
    with pytest.raises(DprkError, match="exists; pass --force"):
        synthesize(path, 5)
    assert path.read_text() == "precious"
    synthesize(path, 5, force=True)
    assert document_count(path) == 5


def test_cli(tmp_path: Path) -> None:
    path = tmp_path / "cli.db"
    result = run_cli("synth", "--docs", "20", "--db", path)
    assert result.returncode == 0, result.stderr
    assert "20 documents" in result.stderr
    assert_clean_failure(run_cli("synth", "--docs", "20", "--db", path), str(path), "--force")
    assert run_cli("synth", "--docs", "25", "--db", path, "--force").returncode == 0
    assert document_count(path) == 25
