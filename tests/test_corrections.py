"""Analyst corrections (db/corrections.py): applied at once to mentions, relations, counts and the
relation_summary aggregates; refused with a clear message when they would be wrong; re-applied on
every later ingest; exported and imported as JSON lines.

Mutating tests work on a copy of the session seed store.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

import pytest

from dprk_tui.db.corrections import (
    Correction,
    CorrectionError,
    Corrections,
    corrected_dictionary,
    list_corrections,
    make,
    read_jsonl,
    write_jsonl,
)
from dprk_tui.db.extract.dictionary import load_dictionary
from dprk_tui.db.extract.model import Extraction, MentionSpan, NewActor, RelationSpan


@pytest.fixture()
def store_copy(seed_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store.db"
    shutil.copy(seed_store, copy)
    return copy


@pytest.fixture()
def conn(store_copy: Path):
    connection = sqlite3.connect(store_copy)
    yield connection
    connection.close()


def actor(conn: sqlite3.Connection, name: str) -> tuple[int, int, int] | None:
    """(id, mentions, documents) of an actor, or None."""
    return conn.execute("SELECT id, mentions, documents FROM actors WHERE name = ?", (name,)).fetchone()


def assert_consistent(conn: sqlite3.Connection) -> None:
    """Counts and aggregates agree with the rows they summarise; nothing points at a lost actor."""
    wrong = conn.execute(
        "SELECT name FROM actors a WHERE mentions != (SELECT count(*) FROM mentions WHERE actor_id = a.id)"
        " OR documents != (SELECT count(DISTINCT document_id) FROM mentions WHERE actor_id = a.id)"
    ).fetchall()
    assert wrong == []
    summary = set(conn.execute(
        "SELECT source_id, type, target_id, events, documents, first_date, last_date FROM relation_summary"
    ))
    recomputed = set(conn.execute(
        "SELECT source_id, type, target_id, count(*), count(DISTINCT document_id), min(date), max(date)"
        " FROM relations GROUP BY source_id, type, target_id"
    ))
    assert summary == recomputed
    assert conn.execute("SELECT count(*) FROM relations WHERE source_id = target_id").fetchone() == (0,)
    assert_comentions_consistent(conn)
    for table, column in (("mentions", "actor_id"), ("relations", "source_id"), ("relations", "target_id"),
                          ("aliases", "actor_id"), ("roles", "actor_id")):
        lost = conn.execute(
            f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL"
            f" AND {column} NOT IN (SELECT id FROM actors)"
        ).fetchone()
        assert lost == (0,), (table, column)


def assert_comentions_consistent(conn: sqlite3.Connection) -> None:
    """The co-mention aggregates (when the store keeps them) equal a recount of every document."""
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'comention_summary'").fetchone()
    if not has:
        return
    from dprk_tui.db.comentions import comention_rows

    ids = {name: actor_id for actor_id, name in conn.execute("SELECT id, name FROM actors")}
    expected: dict[tuple[int, int], list] = {}
    for (document_id,) in conn.execute("SELECT id FROM documents").fetchall():
        for row in comention_rows(conn, document_id, 0, 1_000_000):
            total = expected.setdefault(tuple(sorted((ids[row.actor_a], ids[row.actor_b]))), [0, 0, set()])
            total[0] += row.sentences
            total[1] += 1
            total[2].add(row.first_date)
    stored = {
        (a, b): (sentences, documents, first, last)
        for a, b, sentences, documents, first, last in conn.execute("SELECT * FROM comention_summary")
    }
    assert set(stored) == set(expected)
    for pair, (sentences, documents, dates) in expected.items():
        dated = sorted(d for d in dates if d)
        assert stored[pair] == (sentences, documents, dated[0] if dated else None, dated[-1] if dated else None)


# -- at once, in the store ------------------------------------------------------------------------
def test_merge_moves_everything_and_keeps_the_aggregates_true(conn: sqlite3.Connection) -> None:
    before_into = actor(conn, "North Korea")
    from_id, from_mentions, _ = actor(conn, "Russia")
    relations = conn.execute(
        "SELECT count(*) FROM relations WHERE ? IN (source_id, target_id)", (from_id,)
    ).fetchone()[0]
    assert relations > 0, "the seeds relate Russia to others"
    outcome = make(conn, Correction("merge", "Russia", "North Korea"))
    assert outcome.mentions == from_mentions and outcome.merged == ("Russia",)
    assert actor(conn, "Russia") is None
    assert actor(conn, "North Korea")[1] == before_into[1] + from_mentions
    aliases = {row[0] for row in conn.execute(
        "SELECT l.alias FROM aliases l JOIN actors a ON a.id = l.actor_id WHERE a.name = 'North Korea'"
    )}
    assert {"Russia", "Russian Federation"} <= aliases
    assert_consistent(conn)
    assert [(c.kind, c.value, c.target) for c in list_corrections(conn)] == [("merge", "Russia", "North Korea")]


def test_rename_keeps_the_old_name_as_an_alias(conn: sqlite3.Connection) -> None:
    actor_id = actor(conn, "Choe Son Hui")[0]
    make(conn, Correction("rename", "choe son-hui", "Choe Son-hui (FM)"))  # found by its key
    assert actor(conn, "Choe Son Hui") is None and actor(conn, "Choe Son-hui (FM)")[0] == actor_id
    keys = {row[0] for row in conn.execute("SELECT key FROM aliases WHERE actor_id = ?", (actor_id,))}
    assert "choe son hui" in keys
    assert_consistent(conn)


def test_alias_folds_an_actor_found_in_text_and_unlinked_mentions(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO actors(name, type, origin, mentions, documents) VALUES ('Sung', 'PERSON', 'discovered', 0, 0)")
    conn.execute("INSERT INTO aliases(actor_id, alias, key) SELECT id, 'Sung', 'sung' FROM actors WHERE name = 'Sung'")
    unlinked = conn.execute("SELECT count(*) FROM mentions WHERE actor_id IS NULL AND text = 'Far East'").fetchone()[0]
    assert unlinked > 0
    conn.commit()
    make(conn, Correction("alias", "Sung", "Sung Kim"))
    assert actor(conn, "Sung") is None
    outcome = make(conn, Correction("alias", "far east", "Russia"))
    assert outcome.mentions == unlinked
    assert_consistent(conn)


@pytest.mark.parametrize(
    ("correction", "message"),
    [
        (Correction("alias", "DPRK", "Sung Kim"), "already names North Korea"),
        (Correction("rename", "Russia", "DPRK"), "already names North Korea"),
        (Correction("merge", "Nobody At All", "Russia"), "no such actor"),
        (Correction("merge", "Russia", "Russian Federation"), "same actor"),
        (Correction("rename", "Russia", "  ..  "), "letters or digits"),
        (Correction("split", "Russia", "Rus"), "unknown correction"),
    ],
)
def test_wrong_corrections_are_refused_and_change_nothing(
    conn: sqlite3.Connection, correction: Correction, message: str
) -> None:
    before = conn.execute("SELECT count(*), sum(mentions) FROM actors").fetchone()
    with pytest.raises(CorrectionError, match=message):
        make(conn, correction)
    assert conn.execute("SELECT count(*), sum(mentions) FROM actors").fetchone() == before
    assert list_corrections(conn) == []


# -- on every later ingest ------------------------------------------------------------------------
def test_later_ingests_apply_the_corrections(store_copy: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    from dprk_tui.db.ingest import ingest

    make(conn, Correction("rename", "Kim Jong Un", "Kim Jong Un (leader)"))
    make(conn, Correction("merge", "Mills", "Lopez"))
    make(conn, Correction("alias", "Okafor", "Sergey Lavrov"))
    conn.close()
    article = tmp_path / "new" / "later.txt"
    article.parent.mkdir()
    article.write_text(
        "Seoul, June 3 2019 (Yonhap) -- North Korean leader Kim Jong Un met Sergey Lavrov in Pyongyang.\n\n"
        "On Monday, Mills said the meeting was long. Okafor said the talks were friendly.\n",
        encoding="utf-8",
    )
    summary = ingest([article.parent], store_copy)
    assert summary.added == 1 and not summary.failed
    check = sqlite3.connect(store_copy)
    try:
        names = {row[0] for row in check.execute("SELECT name FROM actors")}
        assert "Kim Jong Un" not in names and "Mills" not in names and "Okafor" not in names
        said = dict(check.execute(
            "SELECT m.text, a.name FROM mentions m JOIN documents d ON d.id = m.document_id"
            " LEFT JOIN actors a ON a.id = m.actor_id WHERE d.file = 'later.txt'"
        ).fetchall())
        assert said["Kim Jong Un"] == "Kim Jong Un (leader)"
        assert said["Mills"] == "Lopez" and said["Okafor"] == "Sergey Lavrov"
        assert_consistent(check)
    finally:
        check.close()


def test_apply_maps_names_through_chains_and_drops_self_relations() -> None:
    corrections = Corrections([
        Correction("rename", "A Person", "B Person"),
        Correction("merge", "B Person", "C Org"),
        Correction("alias", "Cee", "C Org"),
    ])
    assert corrections.canonical("a person") == "C Org" and corrections.canonical("Other") == "Other"
    extraction = Extraction(
        mentions=[MentionSpan(0, 8, "A Person", "PERSON", "A Person"), MentionSpan(10, 13, "Cee", "NORP", None)],
        relations=[RelationSpan("A Person", "C Org", "CONSULT", 0, 20, "met"),
                   RelationSpan("A Person", "Zed", "CONSULT", 0, 20, "met"),
                   RelationSpan("B Person", "Zed", "CONSULT", 0, 20, "met")],
        new_actors={"A Person": NewActor("A Person", "PERSON")},
    )
    applied = corrections.apply(extraction)
    assert [m.actor for m in applied.mentions] == ["C Org", "C Org"]
    assert [(r.source, r.target) for r in applied.relations] == [("C Org", "Zed")]
    assert list(applied.new_actors) == ["C Org"]


def test_the_extractor_dictionary_knows_the_corrections() -> None:
    base = load_dictionary(Path("/nonexistent/user.jsonl"))
    corrections = Corrections(
        [Correction("rename", "Sergey Lavrov", "Sergei V. Lavrov"),
         Correction("alias", "Lavrov", "Sergei V. Lavrov"),
         Correction("merge", "Kremlin", "Russia")],
    )
    corrected = corrected_dictionary(base, corrections)
    assert corrected.lookup("Sergey Lavrov").name == "Sergei V. Lavrov"
    assert corrected.lookup("Lavrov") is None  # a one-word person alias would cut full names short
    assert corrected.lookup("Kremlin").name == "Russia"
    assert corrected.lookup("Moscow Kremlin").name == "Russia"
    assert len(corrected.entries) == len(base.entries) - 1


# -- export and import ----------------------------------------------------------------------------
def test_corrections_round_trip_through_json_lines(conn: sqlite3.Connection) -> None:
    make(conn, Correction("rename", "Russia", "Russian Federation (state)"))
    make(conn, Correction("alias", "Rossiya", "Russian Federation (state)"))
    buffer = io.StringIO()
    assert write_jsonl(list_corrections(conn), buffer) == 2
    replayed = list(read_jsonl(buffer.getvalue().splitlines(), "x.jsonl"))
    assert replayed == list_corrections(conn)
    with pytest.raises(CorrectionError, match=r"x\.jsonl:2: "):
        list(read_jsonl(['{"kind": "alias", "value": "a", "target": "b"}', "{nope"], "x.jsonl"))
