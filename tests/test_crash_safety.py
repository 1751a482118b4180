"""Crash safety and concurrency of the store under ingest (issue #7).

- SIGKILL at any moment: an ingest process is killed at 8 points (while the store file is being
  created, right after the actor dictionary is written, and at six document counts, each with a
  seeded random extra delay, so most kills land inside the burst of per-document transactions).
  After each kill the store passes `PRAGMA integrity_check`, every document has exactly the
  mentions and relations a clean run gives it, the per-actor and per-relation aggregates and the
  date roll-ups agree with the rows, and `Store.open` accepts the file. A last run completes without duplicates.
  The ingest processes are forks of this one (which has spaCy loaded already), so a kill point
  costs a second, not a spaCy start; the final re-run is the real CLI.
- Concurrency: a `Store` (what the browser reads through) and the browser itself stay open on a
  store while `dprk-tui ingest` writes to it in another process: no "database is locked", and the
  new documents are there on the next query.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from dprk_tui.db.connection import connect
from dprk_tui.db.store import Store
from tests.screenshots import settle
from tests.test_hostile_ingest import ROOT, assert_no_traceback, run_dprk, shared_extractor, world_dir

CORPUS_SIZE = 130
KILL_POINTS: tuple[str | int, ...] = ("creating", "dictionary", 3, 12, 25, 40, 55, 70)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
TOPICS = ("trade", "fisheries", "railways", "sanctions", "energy", "tourism", "aviation", "grain")


def write_corpus(folder: Path, count: int) -> None:
    """`count` distinct short articles, each naming actors and stating a relation."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        day = number % 28 + 1
        (folder / f"{number:03d}.txt").write_text(
            f"Pyongyang, Jan. {day} (KCNA) -- North Korean leader Kim Jong Un met Russian Foreign"
            f" Minister Sergei Lavrov in Pyongyang on {WEEKDAYS[number % 5]}. The two sides discussed"
            f" {TOPICS[number % 8]} in meeting number {number}. Kim Jong Un praised Russia.\n"
        )


def per_document(path: Path) -> dict[str, tuple[int, int]]:
    """content_hash -> (mentions, relations) of every document in a store."""
    with sqlite3.connect(path) as conn:
        return {
            digest: (mentions, relations)
            for digest, mentions, relations in conn.execute(
                "SELECT d.content_hash,"
                " (SELECT count(*) FROM mentions m WHERE m.document_id = d.id),"
                " (SELECT count(*) FROM relations r WHERE r.document_id = d.id) FROM documents d"
            )
        }


def check_store(path: Path, reference: dict[str, tuple[int, int]]) -> int:
    """Assert every invariant a kill must not break; return the number of documents."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        bad_actor_counts = conn.execute(
            "SELECT a.name FROM actors a WHERE a.mentions !="
            " (SELECT count(*) FROM mentions m WHERE m.actor_id = a.id)"
            " OR a.documents != (SELECT count(DISTINCT m.document_id) FROM mentions m WHERE m.actor_id = a.id)"
        ).fetchall()
        assert bad_actor_counts == []
        bad_summaries = conn.execute(
            "SELECT s.source_id, s.type, s.target_id FROM relation_summary s WHERE s.events !="
            " (SELECT count(*) FROM relations r WHERE r.source_id = s.source_id AND r.type = s.type"
            "  AND r.target_id = s.target_id)"
            " OR s.documents != (SELECT count(DISTINCT r.document_id) FROM relations r"
            "  WHERE r.source_id = s.source_id AND r.type = s.type AND r.target_id = s.target_id)"
        ).fetchall()
        assert bad_summaries == []
        missing = conn.execute(
            "SELECT count(*) FROM (SELECT source_id, type, target_id FROM relations"
            " EXCEPT SELECT source_id, type, target_id FROM relation_summary)"
        ).fetchone()[0]
        assert missing == 0
        documents, files = conn.execute("SELECT count(*), count(DISTINCT path) FROM documents").fetchone()
        assert documents == files  # no file stored twice
    for digest, counts in per_document(path).items():
        assert counts == reference[digest], "a document without all its mentions and relations"
    from tests.test_rollups import assert_rollups_consistent

    assert_rollups_consistent(path)  # the date roll-ups agree with the relations too
    Store.open(path).close()  # the file is a store of this version, not refused
    return documents


def fork_ingest(corpus: Path, store: Path) -> int:
    """Start `ingest(corpus -> store)` in a forked child (spaCy already loaded); its pid."""
    from dprk_tui.db.ingest import ingest

    extractor = shared_extractor()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            ingest([corpus], store, extractor=extractor)
            code = 0
        finally:
            os._exit(code)
    return pid


def wait_for(condition, pid: int, timeout: float = 120) -> bool:
    """Poll `condition()` every millisecond until it holds (True) or the child ends (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except sqlite3.Error:
            pass  # the file is being created or recovered; look again
        finished, _status = os.waitpid(pid, os.WNOHANG)
        if finished:
            return False
        time.sleep(0.001)
    raise TimeoutError("ingest neither reached the kill point nor ended")


def creating(store: Path) -> bool:
    """The creation of `store` has begun: its temporary file exists, or the store path already
    holds the first table of the schema (where a store created in place is half made)."""
    if any(store.parent.glob(f".{store.name}.*.creating")):
        return True
    return store.exists() and count(store, "sqlite_master WHERE name = 'metadata'") > 0


def count(path: Path, table: str) -> int:
    if not path.exists():
        return -1
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_sigkill_at_any_moment_loses_nothing_and_a_rerun_completes(tmp_path: Path) -> None:
    from dprk_tui.db.ingest import ingest

    corpus = tmp_path / "in"
    write_corpus(corpus, CORPUS_SIZE)
    reference_store = tmp_path / "reference.db"
    summary = ingest([corpus], reference_store, extractor=shared_extractor())
    assert summary.added == CORPUS_SIZE and not summary.failed
    reference = per_document(reference_store)
    assert all(mentions and relations for mentions, relations in reference.values()), (
        "the corpus must give every document mentions and relations"
    )
    store = tmp_path / "crash.db"
    rng = random.Random(7)
    log: list[str] = []
    for point in KILL_POINTS:
        pid = fork_ingest(corpus, store)
        if point == "creating":
            def condition() -> bool:
                return creating(store)
        elif point == "dictionary":
            def condition() -> bool:
                return count(store, "actors") > 0
        else:
            def condition(threshold: int = int(point)) -> bool:
                return count(store, "documents") >= threshold
        reached = wait_for(condition, pid)
        if reached and isinstance(point, int):
            time.sleep(rng.uniform(0, 0.01))
        if reached:
            os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        assert killed or not reached, f"kill point {point}: the child ended on its own ({status})"
        documents = check_store(store, reference) if store.exists() else 0
        log.append(f"{point}: {documents} documents" if store.exists() else f"{point}: no store yet")
    print("kill points:", "; ".join(log))
    assert 0 < documents < CORPUS_SIZE, "the kills should have left the corpus half ingested"
    # The real CLI finishes the job: no duplicates, everything complete.
    home = world_dir("dprk-crash-")
    try:
        result = run_dprk("ingest", corpus, "--db", store, home=home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr.decode()
    assert f"added {CORPUS_SIZE - documents}, duplicates skipped {documents}, failed 0" in result.stderr.decode()
    assert check_store(store, reference) == CORPUS_SIZE
    assert per_document(store) == reference
    assert not list(tmp_path.glob(".crash.db.*.creating")), "a killed creation's temporary file was left"


def test_a_store_is_never_published_half_created(tmp_path: Path) -> None:
    """The creation of a new store, killed as early as it can be: the store path either does not
    exist or holds the whole schema (an older design left a file without a schema version, which
    every later run refused)."""
    for attempt in range(3):
        store = tmp_path / f"new{attempt}.db"
        pid = os.fork()
        if pid == 0:
            try:
                connect(store, create=True).conn.close()
            finally:
                os._exit(0)
        wait_for(lambda: creating(store), pid, 30)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if store.exists():
            connect(store, create=False).conn.close()
        connect(store, create=True).conn.close()  # a re-run creates or opens it, never refuses
        Store.open(store).close()


# -- concurrency ------------------------------------------------------------------------------------
async def test_browser_and_store_read_while_ingest_writes(tmp_path: Path) -> None:
    """The browser (and a Store, what it reads through) open on a store while `dprk-tui ingest`
    writes to it in another process: no error, and the new documents appear on the next query."""
    from dprk_tui.tui.app import DprkApp

    home = world_dir("dprk-concurrent-")
    corpus = home / "in"
    write_corpus(corpus, 150)
    store_path = home / "live.db"
    connect(store_path, create=True).conn.close()
    store = Store.open(store_path)
    app = DprkApp(store_path)
    notices: list[tuple[str, str]] = []
    notify = app.notify

    def record(message, **options) -> None:
        notices.append((options.get("severity", "information"), str(message)))
        notify(message, **options)

    app.notify = record  # type: ignore[method-assign]
    seen: list[int] = []
    """Document counts the Store read, in order."""
    seen_by_app: list[int] = []
    errors: list[str] = []
    environment = {**os.environ, "HOME": str(home), "DPRK_TUI_ACTORS": str(home / "none.jsonl")}
    writer = subprocess.Popen(
        [sys.executable, "-m", "dprk_tui", "ingest", str(corpus), "--db", str(store_path)],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            keys = ["j", "k", "enter", "tab", "j", "tab", "tab", "G", "g"]
            step = 0
            while writer.poll() is None:
                try:
                    seen.append(store.documents.count())
                    hold = store.reader.iter_rows("SELECT id, title FROM documents ORDER BY id")
                    next(hold, None)  # a read transaction left open across the writer's commits
                    store.search.top("Lavrov", limit=5)
                    seen_by_app.append(app.store.documents.count() if app.store else 0)
                    hold.close()
                except sqlite3.Error as exc:  # "database is locked" would land here
                    errors.append(str(exc))
                await pilot.press(keys[step % len(keys)])
                step += 1
                await pilot.pause(0.02)
            stdout, stderr = writer.communicate(timeout=60)
            seen.append(store.documents.count())
            assert app.is_running
            assert [message for severity, message in notices if severity == "error"] == []
    finally:
        if writer.poll() is None:
            writer.kill()
        store.close()
        shutil.rmtree(home, ignore_errors=True)
    assert writer.returncode == 0, stderr.decode()
    assert "locked" not in stderr.decode()
    assert errors == []
    assert seen[-1] == 150
    assert seen == sorted(seen) and seen_by_app == sorted(seen_by_app)
    assert any(0 < value < 150 for value in seen), "the reader never saw the store mid-ingest"
    assert any(0 < value < 150 for value in seen_by_app), "the browser's store never saw new documents"
