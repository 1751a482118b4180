"""Concurrent writers (issue 16 point 3): any number of ingests into one store, new or existing, all
succeed, and the store ends as one ingest of the same files would leave it.

Six ingests start at the same moment (released together by one pipe) in processes forked from
this one, which has spaCy loaded already, so a round costs seconds rather than six model loads;
each is the real `ingest` with the real SQLite file. Three rounds: two into a new store (every
process creates it, the actor dictionary and the discovered actors race), one into a store that
holds half the files already. Stores are compared table by table with ids replaced by what they
stand for (a document by its content hash, an actor by its name), since concurrent runs number
rows in a different order.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from dprk_tui.db.ingest import ingest
from tests.conftest import SEEDS
from tests.test_hostile_ingest import shared_extractor

INGESTS = 6
ROUNDS = ("new", "new", "existing")
WAIT_SECONDS = 300
ACTOR_COLUMNS = {"actor_id", "source_id", "target_id", "actor_a", "actor_b"}
DROPPED_COLUMNS = {"id", "ingested_at"}
EXTRA_ARTICLES = (
    "Pyongyang, March {day} (KCNA) -- Zentravian Foreign Minister Arkady Velmonov arrived in"
    " Pyongyang on a visit number {n}. North Korean leader Kim Jong Un met Arkady Velmonov and"
    " praised the Zentravian Trade Council.\n",
    "Seoul, April {day} (Yonhap) -- South Korea urged North Korea to return to talks, envoy Dorsa"
    " Kellemund of the Boravian Relief Agency said on day {n}. Kellemund met Moon Jae-in.\n",
)


def write_files(folder: Path) -> list[Path]:
    """The seed articles and short articles naming actors no dictionary knows (they race)."""
    folder.mkdir(parents=True)
    files = []
    for seed in sorted(SEEDS.glob("*.txt")):
        target = folder / seed.name
        target.write_bytes(seed.read_bytes())
        files.append(target)
    for n in range(12):
        target = folder / f"extra-{n:02d}.txt"
        target.write_text(EXTRA_ARTICLES[n % 2].format(day=n + 1, n=n), encoding="utf-8")
        files.append(target)
    return files


def store_tables(path: Path) -> dict[str, list[tuple]]:
    """Every table of a store (the full-text index's own tables aside) as sorted rows, with row ids
    dropped, document ids as content hashes, actor ids as names, and an actor pair in name order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        hashes = dict(conn.execute("SELECT id, content_hash FROM documents"))
        names = dict(conn.execute("SELECT id, name FROM actors"))
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'documents_fts%'"
            " AND name NOT LIKE 'sqlite_%'")]
        dumped: dict[str, list[tuple]] = {}
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM {table}")  # noqa: S608 - names from sqlite_master
            columns = [column[0] for column in cursor.description]
            rows = []
            for row in cursor:
                values = []
                for column, value in zip(columns, row, strict=True):
                    if column in DROPPED_COLUMNS:
                        continue
                    if column in ACTOR_COLUMNS:
                        value = ("actor", names.get(value, f"missing actor {value}"))
                    elif column == "document_id":
                        value = ("document", hashes.get(value, f"missing document {value}"))
                    values.append(value)
                if table == "comention_summary":
                    values[0:2] = sorted(values[0:2])
                rows.append(tuple(values))
            dumped[table] = sorted(rows, key=repr)
        dumped["full-text hits"] = sorted(conn.execute(
            "SELECT d.content_hash FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
            " WHERE documents_fts MATCH 'Korea'"))
        return dumped
    finally:
        conn.close()


def assert_same_store(path: Path, reference: Path) -> None:
    got, expected = store_tables(path), store_tables(reference)
    assert sorted(got) == sorted(expected)
    for table in expected:
        assert got[table] == expected[table], f"table {table} differs"


def ingest_together(files: list[Path], store: Path) -> list[tuple[int, str]]:
    """Fork INGESTS ingests of `files` into `store`, release them at once; their (exit code,
    message) each: 0 when the run succeeded, else the error's text."""
    extractor = shared_extractor()
    start_read, start_write = os.pipe()
    children = []
    for _ in range(INGESTS):
        report_read, report_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            code, message = 3, b""
            try:
                os.close(start_write)
                os.read(start_read, 1)  # blocks until the parent closes its end: all start together
                summary = ingest(files, store, extractor=extractor)
                code, message = (0 if summary.ok else 1), repr(summary.failed).encode()
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                code, message = 2, f"{type(exc).__name__}: {exc}".encode()
            finally:
                os.write(report_write, message[:4000])
                os._exit(code)
        os.close(report_write)
        children.append((pid, report_read))
    os.close(start_read)
    os.close(start_write)  # go
    results = []
    for pid, report_read in children:
        with os.fdopen(report_read, "rb") as report:
            message = report.read().decode("utf-8", "replace")  # EOF when the child ends
        _, status = os.waitpid(pid, 0)
        results.append((os.waitstatus_to_exitcode(status), message))
    return results


def test_six_ingests_at_once_all_succeed_and_equal_one_ingest(tmp_path: Path) -> None:
    files = write_files(tmp_path / "in")
    reference = tmp_path / "reference.db"
    summary = ingest(files, reference, extractor=shared_extractor())
    assert summary.added == len(files) and summary.ok
    with sqlite3.connect(reference) as conn:
        discovered = conn.execute("SELECT count(*) FROM actors WHERE origin = 'discovered'").fetchone()[0]
    assert discovered > 0, "the files must make ingest discover actors (their inserts race)"
    for number, kind in enumerate(ROUNDS):
        store = tmp_path / f"round-{number}.db"
        if kind == "existing":
            assert ingest(files[::2], store, extractor=shared_extractor()).ok
        results = ingest_together(files, store)
        assert all(code == 0 for code, _ in results), f"round {number} ({kind}): {results}"
        assert_same_store(store, reference)
        with sqlite3.connect(store) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
