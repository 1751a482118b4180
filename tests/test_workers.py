"""spaCy worker processes (issue 16 point 1): a worker killed mid-run never hangs ingest.

The real CLI runs `ingest --workers 2` over a corpus of short articles; once documents are being
written, one of its worker processes (a child running multiprocessing's spawn_main) gets SIGKILL,
as from the kernel's out-of-memory killer. The run must end within 60 s, name the dead worker in
one line, redo its documents in a fresh worker and leave the store equal to a clean run (table by
table, row ids included: results are written in the files' order). A second death stops the run
with exit status 1 and a clear line, every document written complete, no worker left behind.
Waits are on conditions (store rows, processes, lines on stderr), each with a deadline.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dprk_tui.db.errors import DprkError
from dprk_tui.db.extract.dictionary import load_dictionary
from dprk_tui.db.ingest import ingest
from dprk_tui.db.workers import ExtractionPool
from tests.helpers import child_processes, wait_until
from tests.test_concurrent_ingest import assert_same_store
from tests.test_crash_safety import check_store, count, per_document, write_corpus
from tests.test_hostile_ingest import ROOT, shared_extractor

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds workers through /proc")

CORPUS_SIZE = 200
RUN_SECONDS = 60
"""The issue's bound: a run with a killed worker ends within this."""
START_SECONDS = 180
"""Deadline for workers to start and documents to appear on a loaded machine."""


def workers_of(parent: int) -> list[int]:
    """The spaCy worker processes of `parent` (children running multiprocessing's spawn_main)."""
    return child_processes(parent, b"spawn_main")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(corpus folder, the store a clean run makes of it)."""
    folder = tmp_path_factory.mktemp("workers") / "in"
    write_corpus(folder, CORPUS_SIZE)
    reference = folder.parent / "reference.db"
    summary = ingest([folder], reference, extractor=shared_extractor())
    assert summary.added == CORPUS_SIZE and summary.ok
    return folder, reference


class Run:
    """`dprk-tui ingest CORPUS --db STORE --workers 2` in the background, stderr in a file."""

    def __init__(self, corpus: Path, store: Path) -> None:
        self.store = store
        self.log = store.with_suffix(".stderr")
        env = {**os.environ, "COLUMNS": "300"}
        env.pop("DPRK_TUI_DEBUG", None)
        with self.log.open("wb") as stream:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "dprk_tui", "ingest", str(corpus), "--db", str(store), "--workers", "2"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stream,
            )

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def documents(self) -> int:
        try:
            return count(self.store, "documents")
        except sqlite3.Error:  # being created
            return -1

    def two_workers_writing(self) -> list[int] | None:
        """The two workers once documents are being written (mid-run), else None."""
        if self.process.poll() is not None:
            raise AssertionError(f"ingest ended before the kill: {self.stderr()}")
        found = workers_of(self.process.pid)
        return found if len(found) == 2 and self.documents() > 0 else None

    def finish(self, seconds: float) -> int:
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"ingest still running {seconds:.0f} s after the kill: {self.stderr()}") from None


def test_a_killed_worker_is_named_its_documents_redone_and_the_store_equals_a_clean_run(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, reference = corpus
    run = Run(folder, tmp_path / "killed.db")
    victim, survivor = wait_until(run.two_workers_writing, START_SECONDS, "two workers and a document")
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    code = run.finish(RUN_SECONDS)
    stderr = run.stderr()
    assert code == 0, stderr
    assert time.monotonic() - killed_at < RUN_SECONDS
    line = re.search(  # (test_pool_redoes_a_dead_workers_documents_in_order: with documents held)
        rf"spaCy worker process {victim} died \(killed by SIGKILL\)(; its \d+ unfinished documents go to"
        r" a fresh worker| holding no documents; a fresh worker) \(process (\d+)\)", stderr)
    assert line, stderr
    assert f"added {CORPUS_SIZE}, duplicates skipped 0, failed 0" in stderr  # every file accounted for
    assert "Traceback" not in stderr
    assert_same_store(run.store, reference)
    with sqlite3.connect(run.store) as conn, sqlite3.connect(reference) as clean:
        order = "SELECT id, content_hash FROM documents ORDER BY id"
        assert conn.execute(order).fetchall() == clean.execute(order).fetchall()
    assert not alive(survivor) and not alive(int(line[2])), "a worker outlived its run"


def test_a_second_death_stops_the_run_with_one_line_and_exit_1(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    folder, reference = corpus
    run = Run(folder, tmp_path / "twice.db")
    victim, survivor = wait_until(run.two_workers_writing, START_SECONDS, "two workers and a document")
    os.kill(victim, signal.SIGKILL)
    fresh = wait_until(lambda: re.search(r"fresh worker \(process (\d+)\)", run.stderr()), RUN_SECONDS,
                       "the line naming the dead worker")
    os.kill(int(fresh[1]), signal.SIGKILL)
    code = run.finish(RUN_SECONDS)
    stderr = run.stderr()
    assert code == 1, stderr
    assert re.search(
        rf"dprk-tui: ingest stopped: spaCy worker process {fresh[1]} died \(killed by SIGKILL\), the second"
        r" worker lost this run; added \d+ \(every document written is complete\); run ingest again", stderr)
    assert "Traceback" not in stderr and "unexpected error" not in stderr
    written = check_store(run.store, per_document(reference))  # nothing half written
    assert 0 < written < CORPUS_SIZE
    wait_until(lambda: not alive(survivor), 10, "the surviving worker to be stopped")


def test_a_model_that_cannot_load_is_one_error_naming_it(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(DprkError, match="'no_such_model_xyz' is not installed"):
        with ExtractionPool(1, "no_such_model_xyz", load_dictionary()) as pool:
            pool.start()
            pool.model_info()
    assert time.monotonic() - started < START_SECONDS
    assert not workers_of(os.getpid())


def test_pool_redoes_a_dead_workers_documents_in_order() -> None:
    """The pool itself, one worker, batches of 4: the worker is killed as the first result comes
    back (it holds the next batches then); every document still comes back once, in order, with
    the extraction a live worker gives; the line names the worker and its unfinished documents.
    Then ctrl+c (KeyboardInterrupt) in the middle of a run: the pool stops its workers."""
    texts = [f"North Korean leader Kim Jong Un met Russian Foreign Minister Sergei Lavrov on day {n}."
             for n in range(24)]
    items = [(n, text, "2019-04-25") for n, text in enumerate(texts)]
    lines: list[str] = []
    with ExtractionPool(1, None, load_dictionary(), notice=lines.append, batch_size=4) as pool:
        pool.start()
        outcomes = []
        for outcome in pool.extract(items):
            if not outcomes:
                (victim,) = pool.pids
                os.kill(victim, signal.SIGKILL)
            outcomes.append(outcome)
        assert pool.deaths == 1
        workers = pool.pids
        with pytest.raises(KeyboardInterrupt):  # ctrl+c while the pool works: no worker outlives it
            for _ in pool.extract(items):
                raise KeyboardInterrupt
    assert workers and not any(alive(pid) for pid in workers)
    assert [outcome.key for outcome in outcomes] == list(range(24))
    assert all(outcome.error is None for outcome in outcomes)
    expected = shared_extractor().extract(texts[-1], "2019-04-25")
    assert outcomes[-1].extraction == expected
    assert len(lines) == 1 and re.fullmatch(
        rf"spaCy worker process {victim} died \(killed by SIGKILL\); its ([48]|12) unfinished documents go to"
        r" a fresh worker \(process \d+\)", lines[0]), lines
