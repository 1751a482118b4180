"""The date roll-ups (db/rollups.py): date-filtered relation lists read from them give exactly what
aggregating the relations in range gives (the version-1 way, kept for read-only old stores), for
random ranges, filters, sorts and pages; the writer, synth, corrections and the migration from
schema 1 all leave them equal to a rebuild from `relations`; timelines and pair evidence agree with
brute force over `relations`.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from dprk_tui.db import connection as db_connection
from dprk_tui.db import rollups
from dprk_tui.db.article import Article, content_hash
from dprk_tui.db.connection import connect
from dprk_tui.db.corrections import Correction, make
from dprk_tui.db.extract.model import Extraction, MentionSpan, NewActor, RelationSpan
from dprk_tui.db.queries import range_top
from dprk_tui.db.queries.relations import relation_terms
from dprk_tui.db.schema import SCHEMA_VERSION
from dprk_tui.db.store import SORTS_BY_NAME, Filters, Page, Store
from dprk_tui.db.synth import synthesize
from dprk_tui.db.writer import StoreWriter

ACTORS = [f"Actor {letter}" for letter in "ABCDEFGH"]
TYPES = ["CONSULT", "THREATEN", "AID", "ACCUSE"]
DATES = [None, "2018", "2018-12", "2018-12-31", "2019", "2019-01", "2019-01-01", "2019-01-15",
         "2019-02-28", "2019-07", "2020", "2020-03-01", "2020-12-31", "2021", "2017-05-05"]


def _random_date(rng: random.Random) -> str:
    return (date(2017, 11, 1) + timedelta(days=rng.randrange(0, 4 * 365))).isoformat()


def build_writer_store(path: Path, documents: int = 300, seed: int = 5) -> Path:
    """A store written document by document by StoreWriter, with events dated apart from their
    document (a day or weeks before: across month ends), undated events and undated documents."""
    rng = random.Random(seed)
    writer = StoreWriter(connect(path, create=True))
    try:
        for number in range(documents):
            published = None if rng.random() < 0.05 else _random_date(rng)
            names = rng.sample(ACTORS, rng.randint(2, 4))
            text = " ".join(f"{name} met." for name in names) + f" Document {number}."
            mentions, offset = [], 0
            for name in names:
                mentions.append(MentionSpan(offset, offset + len(name), name, "ORG", name))
                offset += len(name) + 5
            relations = []
            for _ in range(rng.randint(1, 6)):
                source, target = rng.sample(names, 2)
                when = None
                if published and rng.random() < 0.3:
                    back = rng.choice([1, 2, 20, 40])
                    when = (date.fromisoformat(published) - timedelta(days=back)).isoformat()
                elif rng.random() < 0.05:
                    when = "2019"  # a year-only date: its own month period
                relations.append(RelationSpan(source, target, rng.choice(TYPES), 0, len(text), "met", when))
            article = Article(f"d{number}.txt", f"/in/d{number}.txt", f"Title {number}", published, "Agency",
                              text, len(text.split()), content_hash(text))
            extraction = Extraction(mentions, relations, {name: NewActor(name, "ORG") for name in names})
            writer.add(article, extraction)
    finally:
        writer.conn.close()
    return path


def rollup_rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    return {
        "relation_periods": conn.execute("SELECT * FROM relation_periods ORDER BY 1, 2, 3, 4, 5").fetchall(),
        "relation_spread": conn.execute("SELECT * FROM relation_spread ORDER BY 1, 2, 3, 4").fetchall(),
        "relation_sources": conn.execute("SELECT * FROM relation_sources ORDER BY 1, 2, 3, 4").fetchall(),
        "relation_source_periods": conn.execute(
            "SELECT * FROM relation_source_periods ORDER BY 1, 2, 3, 4, 5, 6").fetchall(),
        "actor_months": conn.execute(
            "SELECT * FROM actor_months WHERE events != 0 ORDER BY 1, 2").fetchall(),
    }


def assert_rollups_consistent(path: Path) -> None:
    """The roll-ups equal a rebuild from `relations` (in a transaction rolled back)."""
    conn = sqlite3.connect(path)
    try:
        kept = rollup_rows(conn)
        conn.execute("BEGIN")
        rollups.rebuild(conn)
        rebuilt = rollup_rows(conn)
        conn.rollback()
    finally:
        conn.close()
    assert kept == rebuilt


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rollups")
    synth = folder / "synth.db"
    synthesize(synth, 1500, seed=3)
    return {"writer": build_writer_store(folder / "writer.db"), "synth": synth}


def _pair(path: Path) -> tuple[Store, Store]:
    rolled, brute = Store.open(path), Store.open(path)
    brute.relations.use_rollups = False  # the version-1 way: aggregate `relations` in range
    return rolled, brute


def _every_row(store: Store, filters: Filters, sort: str) -> list:
    """The whole list, page by page (100 forward), with keys."""
    rows, page = [], Page(37)
    while True:
        chunk = store.relations.page(page, filters, sort)
        rows += [(row, row.key) for row in chunk]
        if len(chunk) < page.limit:
            return rows
        page = Page(37, after=chunk[-1].key)


@pytest.mark.parametrize("lists", ["periods", "summary"])
@pytest.mark.parametrize("kind", ["writer", "synth"])
def test_date_filtered_relations_equal_brute_force(stores: dict[str, Path], kind: str, lists: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of the count orders are found by walking the summary and each period's roll-up rows
    (db/queries/range_top.py), or the summary alone (a store without the period index, or a range
    of many periods): the same rows either way."""
    if lists == "summary":
        monkeypatch.setattr(range_top, "MAX_PERIOD_LISTS", 0)
    rolled, brute = _pair(stores[kind])
    rng = random.Random(kind)
    actors = [row[0] for row in rolled.reader.rows("SELECT id FROM actors ORDER BY documents DESC LIMIT 6")]
    types = rolled.relations.types()
    sources = [row[0] for row in rolled.reader.rows("SELECT DISTINCT source FROM documents WHERE source IS NOT NULL")]
    synth_dates = ["2010", "2012-03", "2013-02-28", "2016", "2019-06-15", "2020-06", "2026", "2025-12-31"]
    try:
        checked = 0
        for _ in range(80):
            filters = Filters(
                date_from=rng.choice(DATES + synth_dates), date_to=rng.choice(DATES + synth_dates),
                actor_id=rng.choice([None, None, *actors]), type=rng.choice([None, None, *types]),
                source=rng.choice([None, None, *sources[:3]]),
            )
            if not filters.dated:
                filters = replace(filters, date_from="2019-01-15")
            sort = rng.choice(list(SORTS_BY_NAME))
            expected = _every_row(brute, filters, sort)
            assert _every_row(rolled, filters, sort) == expected, (filters, sort)
            assert rolled.relations.count(filters=filters) == brute.relations.count(filters=filters) == len(expected)
            if expected:
                for _, key in (expected[-1], expected[len(expected) // 2]):
                    assert rolled.relations.page(Page(5, before=key), filters, sort) == \
                        brute.relations.page(Page(5, before=key), filters, sort)
                checked += 1
        assert checked > 20
    finally:
        rolled.close()
        brute.close()


def test_the_writer_store_has_events_spread_over_months(stores: dict[str, Path]) -> None:
    """The fixture exercises what makes documents hard to count by month."""
    with sqlite3.connect(stores["writer"]) as conn:
        assert conn.execute("SELECT count(*) FROM relation_spread").fetchone()[0] > 5
        assert conn.execute("SELECT count(*) FROM relations WHERE date = '2019'").fetchone()[0] > 0
    conn.close()


@pytest.mark.parametrize("kind", ["writer", "synth"])
def test_source_filtered_relations_equal_brute_force(stores: dict[str, Path], kind: str) -> None:
    rolled, brute = _pair(stores[kind])
    try:
        sources = [row[0] for row in rolled.reader.rows("SELECT DISTINCT source FROM documents")]
        actors = [row[0] for row in rolled.reader.rows("SELECT id FROM actors ORDER BY documents DESC LIMIT 3")]
        assert len(sources) >= 2 if kind == "synth" else sources == ["Agency"]
        for source in [*sources, "Nobody"]:
            for actor in (None, *actors):
                for kind_filter in (None, "CONSULT"):
                    filters = Filters(source=source, actor_id=actor, type=kind_filter)
                    for sort in SORTS_BY_NAME:
                        assert _every_row(rolled, filters, sort) == _every_row(brute, filters, sort)
                    assert rolled.relations.count(filters=filters) == brute.relations.count(filters=filters)
    finally:
        rolled.close()
        brute.close()


@pytest.mark.parametrize("kind", ["writer", "synth"])
def test_rollups_equal_a_rebuild(stores: dict[str, Path], kind: str) -> None:
    assert_rollups_consistent(stores[kind])


@pytest.mark.parametrize("kind", ["writer", "synth"])
def test_timeline_and_pair_evidence_equal_brute_force(stores: dict[str, Path], kind: str) -> None:
    rolled, brute = _pair(stores[kind])
    conn = sqlite3.connect(stores[kind])
    try:
        actors = [row[0] for row in conn.execute("SELECT id FROM actors ORDER BY documents DESC LIMIT 5")]
        for actor in actors:
            assert rolled.actors.timeline(actor) == brute.actors.timeline(actor)
            assert rolled.actors.timeline(actor)
            for other in actors:
                for filters in (Filters(), Filters(date_from="2019", date_to="2020-03-01"),
                                Filters(source="Agency"), Filters(date_to="2019-01")):
                    terms, params = relation_terms(filters, None)
                    where = "".join(f" AND ({term})" for term in terms)
                    expected = [row[0] for row in conn.execute(
                        "SELECT r.id FROM relations r JOIN documents d ON d.id = r.document_id"
                        " WHERE ((r.source_id = ? AND r.target_id = ?) OR (r.source_id = ? AND r.target_id = ?))"
                        f"{where} ORDER BY coalesce(r.date, '') DESC, r.id DESC",
                        [actor, other, other, actor, *params])]
                    assert rolled.evidence.pair_count(actor, other, filters) == len(expected)
                    got, page = [], Page(7)
                    while True:
                        chunk = rolled.evidence.pair_page(actor, other, page, filters)
                        got += [evidence.id for evidence in chunk]
                        if len(chunk) < 7:
                            break
                        page = Page(7, after=chunk[-1].key)
                    assert got == expected
                    if expected:
                        back = rolled.evidence.pair_page(actor, other, Page(3, from_end=True), filters)
                        assert [evidence.id for evidence in back] == expected[-3:]
    finally:
        conn.close()
        rolled.close()
        brute.close()


def test_a_merge_re_derives_the_rollups(stores: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "merged.db"
    shutil.copy(stores["writer"], path)
    conn = sqlite3.connect(path)
    try:
        make(conn, Correction("merge", "Actor B", "Actor A"))
        make(conn, Correction("rename", "Actor C", "Actor Sea"))
    finally:
        conn.close()
    assert_rollups_consistent(path)
    rolled, brute = _pair(path)
    try:
        a = rolled.actors.resolve("Actor A").id
        assert rolled.actors.timeline(a) == brute.actors.timeline(a)
        filters = Filters(date_from="2018-12-31", date_to="2019-07", actor_id=a)
        assert _every_row(rolled, filters, "events") == _every_row(brute, filters, "events")
    finally:
        rolled.close()
        brute.close()


def _make_version_1(source: Path, path: Path) -> None:
    """A copy of `source` as a version-1 store: no roll-ups, schema_version 1."""
    shutil.copy(source, path)
    with sqlite3.connect(path) as conn:
        for table in rollups.TABLE_NAMES:
            conn.execute(f"DROP TABLE {table}")
        conn.execute("UPDATE metadata SET value = '1' WHERE key = 'schema_version'")
    conn.close()


def test_a_version_1_store_is_migrated_when_opened(stores: dict[str, Path], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    _make_version_1(stores["writer"], path)
    lines: list[str] = []
    monkeypatch.setattr(db_connection, "notice", lines.append)
    store = Store.open(path)
    try:
        assert store.metadata()["schema_version"] == str(SCHEMA_VERSION)
        assert rollups.has_rollups(store.reader.db.conn)
    finally:
        store.close()
    assert len(lines) == 2 and f"upgrading the store to schema version {SCHEMA_VERSION} (date roll-ups" in lines[0]
    assert f"upgraded to schema version {SCHEMA_VERSION} in" in lines[1]
    assert_rollups_consistent(path)
    with sqlite3.connect(path) as conn:
        assert rollup_rows(conn) == rollup_rows(sqlite3.connect(stores["writer"]))
    conn.close()
    Store.open(path).close()  # opened again: nothing more to do


@pytest.mark.parametrize("kind", ["writer", "synth"])
def test_a_version_2_store_is_migrated_when_opened(stores: dict[str, Path], tmp_path: Path, kind: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """From version 2 the roll-ups per source and the indexes by events are added; the other
    roll-ups are kept as they are."""
    path = tmp_path / "v2.db"
    shutil.copy(stores[kind], path)
    with sqlite3.connect(path) as conn:
        kept = rollup_rows(conn)
        assert kept["relation_source_periods"]
        conn.execute("DROP TABLE relation_source_periods")
        conn.execute(f"DROP INDEX {range_top.PERIOD_INDEX}")
        conn.execute("DROP INDEX idx_relation_sources_events")
        conn.execute("DROP INDEX idx_documents_id_source")
        conn.execute("UPDATE metadata SET value = '2' WHERE key = 'schema_version'")
    conn.close()
    lines: list[str] = []
    monkeypatch.setattr(db_connection, "notice", lines.append)
    monkeypatch.setattr(rollups, "rebuild", lambda conn: pytest.fail("version 2 has its roll-ups"))
    store = Store.open(path)
    try:
        assert store.metadata()["schema_version"] == str(SCHEMA_VERSION)
        for index in (range_top.PERIOD_INDEX, range_top.SOURCE_PERIOD_INDEX, "idx_relation_sources_events",
                      "idx_documents_id_source"):
            assert store.reader.value("SELECT count(*) FROM sqlite_master WHERE name = ?", [index]) == 1, index
        assert rollup_rows(store.reader.db.conn) == kept
    finally:
        store.close()
    assert len(lines) == 2 and "(date roll-ups per source of about" in lines[0], lines


def test_a_killed_migration_leaves_a_version_1_store(stores: dict[str, Path], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    _make_version_1(stores["writer"], path)

    def killed(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE relation_periods (x)")
        raise KeyboardInterrupt

    monkeypatch.setattr(rollups, "rebuild", killed)
    with pytest.raises(KeyboardInterrupt):
        Store.open(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM metadata WHERE key = 'schema_version'").fetchone()[0] == "1"
        assert not rollups.has_rollups(conn)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    monkeypatch.undo()
    Store.open(path).close()
    assert_rollups_consistent(path)


def test_a_read_only_version_1_store_is_browsed_as_it_is(stores: dict[str, Path]) -> None:
    """Without write access it is not migrated (and not changed): the queries aggregate relations."""
    from tests.test_hostile_ingest import unprivileged, world_dir
    from tests.test_store_problems import fingerprint

    folder = world_dir("dprk-old-read-only-")
    try:
        path = folder / "old.db"
        _make_version_1(stores["writer"], path)
        path.chmod(0o444)
        before = fingerprint(path)
        filters = Filters(date_from="2019", date_to="2019-07")

        def work() -> tuple[str, list, list, int]:
            store = Store.open(path)
            try:
                actor = store.actors.resolve("Actor A").id
                return (store.metadata()["schema_version"], store.relations.page(Page(50), filters),
                        store.actors.timeline(actor), actor)
            finally:
                store.close()

        version, rows, timeline, actor = unprivileged(work)
        assert version == "1"
        assert fingerprint(path) == before
        rolled = Store.open(stores["writer"])
        try:
            assert rows == rolled.relations.page(Page(50), filters)
            assert timeline == rolled.actors.timeline(actor)
        finally:
            rolled.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_command_line_says_it_upgrades(stores: dict[str, Path], tmp_path: Path) -> None:
    """One line before the migration, one after, then the command runs as usual."""
    from tests.test_hostile_ingest import run_dprk

    path = tmp_path / "old.db"
    _make_version_1(stores["writer"], path)
    result = run_dprk("export", "relations", "--db", path, home=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    lines = [line for line in result.stderr.decode().splitlines() if line.strip()]
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"dprk-tui: {path}: upgrading the store to schema version {SCHEMA_VERSION}")
    assert lines[1].startswith(f"dprk-tui: {path}: upgraded to schema version {SCHEMA_VERSION} in ")
    assert result.stdout.count(b"\n") > 100  # the relations, exported
    again = run_dprk("export", "relations", "--db", path, home=tmp_path)
    assert again.returncode == 0 and not again.stderr.strip()
