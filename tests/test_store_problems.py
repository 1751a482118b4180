"""Store problems (issue #7): a `--db` that names a missing file, a directory, a file that is not
SQLite, another program's SQLite file, a store of a newer schema version or of one too old to
migrate (version 1 is migrated: tests/test_rollups.py), a read-only
file or folder, and a disk that fills up during ingest. Each gives one clear line and a non-zero
exit, and never changes (or creates) a file it should not touch; only ingest creates a store.

Read-only cases run in a forked child that drops to `nobody` when the tests run as root (root
writes any file). The full disk is a real one: a 2 MB tmpfs mounted for the test when we may mount
(root), else a file-size limit (RLIMIT_FSIZE) on the ingest process, which fails its writes with
EFBIG (SQLite reports "database or disk is full" for the first, "disk I/O error" for the second).
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dprk_tui.db.connection import connect
from dprk_tui.db.errors import StoreError
from dprk_tui.db.schema import OLDEST_MIGRATABLE, SCHEMA_VERSION
from dprk_tui.db.store import Store
from tests.test_crash_safety import check_store, per_document, write_corpus
from tests.test_hostile_ingest import (
    assert_no_traceback, run_dprk, shared_extractor, text_of, unprivileged, world_dir,
)

ROOT = Path(__file__).resolve().parent.parent


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_failure(result: subprocess.CompletedProcess, *needles: str) -> str:
    """A failure is one line on stderr naming what is wrong, a non-zero exit and no traceback."""
    assert_no_traceback(result)
    assert result.returncode != 0, text_of(result)
    lines = [line for line in result.stderr.decode().splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def home() -> Iterator[Path]:
    folder = world_dir("dprk-store-problems-")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def make_store(path: Path, version: int | None = None) -> Path:
    """An empty store of this schema, or of schema `version`."""
    connect(path, create=True).conn.close()
    if version is not None:
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE metadata SET value = ? WHERE key = 'schema_version'", (str(version),))
        conn.close()
    return path


# -- missing, directory, not SQLite, foreign, other versions ---------------------------------------
@pytest.mark.parametrize("command", [["search", "Kim"], ["export", "documents"], []],
                         ids=["search", "export", "browse"])
def test_a_missing_store_is_not_created(home: Path, command: list[str]) -> None:
    missing = home / "missing" / "nowhere.db"
    result = run_dprk(*command, "--db", missing, home=home)
    one_line_failure(result, str(missing), "no store here", "dprk-tui ingest")
    assert not missing.exists() and not missing.parent.exists()


@pytest.mark.parametrize("command", [["search", "Kim"], ["export", "documents"], ["ingest", "."], []],
                         ids=["search", "export", "ingest", "browse"])
def test_a_directory_is_not_a_store(home: Path, command: list[str]) -> None:
    result = run_dprk(*command, "--db", home, home=home)
    one_line_failure(result, f"{home}: is a directory, not a store file")


def _bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Files that --db may name but that are not stores of this version, and the expected words."""
    folder.mkdir(exist_ok=True)
    text = folder / "notes.db"
    text.write_text("these are my notes, not a database\n" * 200)
    foreign = folder / "other-app.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE accounts (name TEXT, balance INTEGER)")
        conn.execute("INSERT INTO accounts VALUES ('alice', 100)")
    conn.close()
    empty = folder / "empty.db"
    empty.write_bytes(b"")
    return {
        "text": (text, "not a dprk-tui store (file is not a database)"),
        "foreign": (foreign, "an SQLite file, but not a dprk-tui store"),
        # Older versions from OLDEST_MIGRATABLE on are migrated when opened (tests/test_rollups.py).
        "older": (make_store(folder / "older.db", OLDEST_MIGRATABLE - 1),
                  f"store schema version {OLDEST_MIGRATABLE - 1} is older than this dprk-tui"),
        "newer": (make_store(folder / "newer.db", SCHEMA_VERSION + 1),
                  f"store schema version {SCHEMA_VERSION + 1} is newer than this dprk-tui"),
        "empty": (empty, "empty file, not a dprk-tui store"),
    }


@pytest.mark.parametrize("kind", ["text", "foreign", "older", "newer", "empty"])
def test_files_that_are_not_stores_are_refused_unchanged(tmp_path: Path, kind: str) -> None:
    """Through the read API, the ingest API and connect(create=True); the file is unchanged."""
    from dprk_tui.db.ingest import ingest

    path, words = _bad_files(tmp_path / "bad")[kind]
    before = fingerprint(path)
    with pytest.raises(StoreError) as read:
        Store.open(path)
    assert str(read.value).startswith(f"{path}: {words}")
    if kind != "empty":  # ingest makes an empty (0-byte) file its new store, by design
        with pytest.raises(StoreError) as written:
            ingest([Path(__file__)], path)
        assert str(written.value).startswith(f"{path}: {words}")
    assert fingerprint(path) == before


@pytest.mark.parametrize(
    ("kind", "command"),
    [("text", ["search", "Kim"]), ("foreign", ["search", "Kim"]), ("empty", ["search", "Kim"]),
     ("older", ["export", "relations"]), ("newer", ["export", "documents"]),
     ("text", ["ingest"]), ("newer", ["ingest"])],
)
def test_the_cli_refuses_them_in_one_line(home: Path, tmp_path: Path, kind: str, command: list[str]) -> None:
    path, words = _bad_files(tmp_path / "bad")[kind]
    before = fingerprint(path)
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Kim Jong Un met Sergei Lavrov in Pyongyang on Friday.")
    args = [*command, corpus] if command == ["ingest"] else command
    result = run_dprk(*args, "--db", path, home=home)
    one_line_failure(result, str(path), words)
    assert fingerprint(path) == before


def test_ingest_makes_an_empty_file_its_store(tmp_path: Path) -> None:
    empty = tmp_path / "made-by-mktemp.db"
    empty.write_bytes(b"")
    with pytest.raises(StoreError, match="empty file, not a dprk-tui store"):
        Store.open(empty)
    connect(empty, create=True).conn.close()
    store = Store.open(empty)
    try:
        assert store.documents.count() == 0
    finally:
        store.close()


@pytest.mark.parametrize("kind", ["text", "newer"])
def test_the_browser_refuses_them_with_exit_code_1(tmp_path: Path, kind: str) -> None:
    """`dprk-tui --db FILE` on a file that is not a usable store: the app ends at once with exit
    code 1 and the store's one-line message, and the file is unchanged."""
    path, words = _bad_files(tmp_path / "bad")[kind]
    before = fingerprint(path)
    code = (
        "import sys\nfrom tui.app import DprkApp\n"
        f"app = DprkApp({str(path)!r})\napp.run(headless=True)\nraise SystemExit(app.return_code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
        capture_output=True, timeout=120,
    )
    assert result.returncode == 1
    assert words in " ".join(text_of(result).split())
    assert_no_traceback(result)
    assert fingerprint(path) == before


# -- read-only ------------------------------------------------------------------------------------------
def _prepare_unprivileged() -> None:
    """Import what ingest needs before a child drops privileges (it may not read them after)."""
    import dprk_tui.db.corrections  # noqa: F401
    import dprk_tui.db.extract.pipeline  # noqa: F401
    import dprk_tui.db.writer  # noqa: F401


def test_a_read_only_store_file_is_read_but_never_written(home: Path, seed_store: Path) -> None:
    from dprk_tui.db.ingest import ingest

    folder = world_dir("dprk-read-only-file-")
    try:
        store = folder / "store.db"
        shutil.copy(seed_store, store)
        store.chmod(0o444)
        before = fingerprint(store)
        _prepare_unprivileged()

        def work() -> tuple[int, int, str, str]:
            opened = Store.open(store)
            try:
                documents, hits = opened.documents.count(), len(opened.search.top("Russia"))
            finally:
                opened.close()
            try:  # what `actors alias/merge/rename/import` open the store with
                connect(store, writable=True)
                correction = "opened for writing"
            except StoreError as exc:
                correction = str(exc)
            try:
                ingest([Path(__file__)], store)
            except StoreError as exc:
                return documents, hits, str(exc), correction
            return documents, hits, "ingest wrote to a read-only store", correction

        documents, hits, message, correction = unprivileged(work)
        assert documents == 5 and hits > 0
        assert message == correction == f"{store}: the store file is read-only; cannot add to it"
        assert fingerprint(store) == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_store_in_a_read_only_folder_is_read_but_never_written(seed_store: Path) -> None:
    """No -shm or -wal can be made beside it: it is read as it is (immutable)."""
    from dprk_tui.db.ingest import ingest

    folder = world_dir("dprk-read-only-folder-")
    try:
        store = folder / "store.db"
        shutil.copy(seed_store, store)
        store.chmod(0o666)  # writable: the folder alone is read-only
        with sqlite3.connect(store) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()
        for leftover in (folder / "store.db-wal", folder / "store.db-shm"):
            leftover.unlink(missing_ok=True)
        folder.chmod(0o555)
        before = fingerprint(store)
        _prepare_unprivileged()

        def work() -> tuple[int, int, str, str]:
            opened = Store.open(store)
            try:
                documents, hits = opened.documents.count(), len(opened.search.top("Russia"))
            finally:
                opened.close()
            messages = []
            for target in (store, folder / "new.db"):
                try:
                    ingest([Path(__file__)], target)
                    messages.append("ingest wrote into a read-only folder")
                except StoreError as exc:
                    messages.append(str(exc))
            return documents, hits, messages[0], messages[1]

        documents, hits, existing, new = unprivileged(work)
        assert documents == 5 and hits > 0
        assert existing == f"{store}: the store's folder is read-only (WAL files go beside the store); cannot add to it"
        assert new == f"{folder / 'new.db'}: cannot create the store (Permission denied)"
        assert fingerprint(store) == before
        assert sorted(os.listdir(folder)) == ["store.db"]
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


# -- a full disk ---------------------------------------------------------------------------------------
def _mount_tmpfs(folder: Path, size: str) -> bool:
    """Mount a tmpfs of `size` at `folder`; False when this user may not mount."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                            capture_output=True)
    return result.returncode == 0


def test_a_full_disk_stops_ingest_cleanly_and_keeps_the_store(tmp_path: Path, seed_store: Path, home: Path) -> None:
    from dprk_tui.db.ingest import ingest

    corpus = tmp_path / "in"
    write_corpus(corpus, 120)
    reference_store = tmp_path / "reference.db"
    shutil.copy(seed_store, reference_store)
    summary = ingest([corpus], reference_store, extractor=shared_extractor())
    assert summary.added == 120
    reference = per_document(reference_store)
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = _mount_tmpfs(disk, f"{seed_store.stat().st_size + 700 * 1024}")
    store = disk / "store.db"
    shutil.copy(seed_store, store)
    old = per_document(store)
    limit_options: dict = {}
    if not mounted:  # the same failure without privileges: writes past a size limit fail
        size_limit = store.stat().st_size + 700 * 1024

        def limit() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (size_limit, size_limit))

        limit_options = {"preexec_fn": limit}
    try:
        result = run_dprk("ingest", corpus, "--db", store, home=home, **limit_options)
        if mounted:
            needles = ["cannot write to the store (database or disk is full)", "free some space"]
        else:
            needles = ["cannot write to the store (disk I/O error)", "the disk may be full or failing"]
        line = one_line_failure(result, f"{store}: ", *needles, "; stopped after adding ",
                                "(every document written is complete)")
        added = int(line.split("stopped after adding ")[1].split(" ")[0])
        assert 0 < added < 120, line
        documents = check_store(store, reference)
        assert documents == 5 + added
        assert {digest: per_document(store)[digest] for digest in old} == old  # the old store, intact
        if mounted:
            subprocess.run(["mount", "-o", "remount,size=20m", str(disk)], check=True)
        rerun = ingest([corpus], store, extractor=shared_extractor())
        assert (rerun.added, rerun.duplicates, rerun.failed) == (120 - added, added, [])
        assert check_store(store, reference) == 125
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(disk)], check=False)
    print(f"full disk: {'tmpfs' if mounted else 'RLIMIT_FSIZE'}, {added} documents went in before it filled")


def test_a_read_only_open_beside_a_write_ahead_log_warns(seed_store: Path) -> None:
    """Opened immutable (the folder cannot be written), the store's -wal is not read: said once."""
    from dprk_tui.db import connection

    folder = world_dir("dprk-read-only-wal-")
    try:
        store = folder / "store.db"
        shutil.copy(seed_store, store)
        writer = sqlite3.connect(store)
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("UPDATE documents SET title = title || ' (edited)' WHERE id = 1")
        writer.commit()
        shutil.copy(store, folder / "copy.db")  # the store and its log as a writer left them
        shutil.copy(folder / "store.db-wal", folder / "copy.db-wal")
        writer.close()
        copy = folder / "copy.db"
        copy.chmod(0o444)
        (folder / "copy.db-wal").chmod(0o444)
        folder.chmod(0o555)
        _prepare_unprivileged()

        def work() -> list[str]:
            heard: list[str] = []
            connection.notice = heard.append
            Store.open(copy).close()
            Store.open(copy).close()
            return heard

        heard = unprivileged(work)
        assert len(heard) == 1, heard
        assert heard[0].startswith(f"{copy}: read as it is") and "most recent writes may be missing" in heard[0]
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def _damage(path: Path) -> None:
    """Random bytes over pages in the middle of the file until SQLite's check notices."""
    from dprk_tui.db.integrity import check

    size = path.stat().st_size
    page = 4096
    pages = size // page
    randomness = __import__("random").Random(7)
    for index in range(pages // 2, pages):
        with path.open("r+b") as handle:
            handle.seek(index * page)
            handle.write(randomness.randbytes(page))
        if check(path):
            return
    raise AssertionError("no damage noticed")


def test_a_damaged_store_is_refused_by_ingest_checked_and_repaired(seed_store: Path, tmp_path: Path) -> None:
    from tests.cli import assert_clean_failure, run_cli

    damaged = tmp_path / "damaged.db"
    shutil.copy(seed_store, damaged)
    _damage(damaged)
    before = fingerprint(damaged)

    checked = run_cli("check", "--db", damaged)
    assert checked.returncode == 1 and "the store is damaged" in checked.stderr
    refused = run_cli("ingest", str(ROOT / "seeds"), "--db", damaged)
    assert_clean_failure(refused, "the store is damaged", "dprk-tui repair", str(damaged))
    assert fingerprint(damaged) == before

    repaired = tmp_path / "repaired.db"
    result = run_cli("repair", damaged, "-o", repaired)
    assert result.returncode == 0, result.stderr
    assert "saved" in result.stderr
    assert fingerprint(damaged) == before
    assert run_cli("check", "--db", repaired).returncode == 0
    opened = Store.open(repaired)
    try:
        assert 0 < opened.documents.count() <= 5
    finally:
        opened.close()
    again = run_cli("repair", damaged, "-o", repaired)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_a_new_store_on_a_full_disk_says_so_and_what_to_do(tmp_path: Path) -> None:
    """A 60 KB tmpfs holds no store: one line with the reason and a hint; nothing left behind."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=60k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({made.stderr.decode().strip() or made.returncode})")
    try:
        with pytest.raises(StoreError) as raised:
            connect(mount / "new.db", create=True)
        assert str(raised.value) == (
            f"{mount / 'new.db'}: cannot create the store (database or disk is full); free some space on that"
            " disk (or name a store elsewhere with --db) and run again"
        )
        assert os.listdir(mount) == []
    finally:
        subprocess.run(["umount", str(mount)], check=False)
