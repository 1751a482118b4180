"""Hostile input to `dprk-tui ingest` (issue #7): whatever a scraper left in a folder, each file is
ingested (decoded where that can honestly be done) or reported on one line with its path and
reason, the run goes on, the exit status is as documented and a summary ends it; no traceback.

Unreadable files and folders are ingested by a forked child that drops to an unprivileged user
when the tests run as root (root reads every file; the project's interpreter may live where no
other user can run it, so the CLI itself cannot be started as another user). Decoding, size and
clutter policies are also tested as units, without spaCy.
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import pickle
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dprk_tui.db.article import parse_article
from dprk_tui.db.clean import INERT, normalize_text, printable_name
from dprk_tui.db.decode import MAX_FILE_BYTES, decode_bytes, read_bytes, read_text
from dprk_tui.db.errors import DprkError, IngestError
from dprk_tui.db.ingest import MAX_ARTICLE_CHARS, discover, ingest, load_article

ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534
ARTICLE = (
    "Pyongyang, Jan. 5 (KCNA) -- North Korean leader Kim Jong Un met Russian Foreign Minister"
    " Sergei Lavrov in Pyongyang on Friday. The two sides discussed cooperation."
)
MANY_FILES = 10_000
MANY_DISTINCT = 100
"""10,000 small files, 100 distinct texts: every file takes the whole per-file path (walk, read,
decode, clean, hash, duplicate check); only 100 reach spaCy (10,000 distinct tiny articles cost
about a minute of spaCy on this machine, and test nothing more)."""


# -- running the CLI ----------------------------------------------------------------------------
def world_dir(prefix: str) -> Path:
    """A scratch folder under /tmp that an unprivileged user can use (pytest's tmp_path is 0700)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o777)
    return path


def unprivileged(function: Callable[..., Any], *args: Any, timeout: float = 300) -> Any:
    """Run `function(*args)` in a forked child that, when we are root, first becomes `nobody`
    (so file permissions apply); return its result, or raise what it raised (as a string).
    Everything the child needs must already be imported: it may not be able to read the
    interpreter's own library any more."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(reader)
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            outcome: tuple[str, Any] = ("ok", function(*args))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            outcome = ("raised", f"{type(exc).__name__}: {exc}")
        try:
            os.write(writer, pickle.dumps(outcome))
        finally:
            os._exit(0)
    os.close(writer)
    chunks = []
    deadline = time.monotonic() + timeout
    with os.fdopen(reader, "rb") as stream:
        while chunk := stream.read(65536):
            chunks.append(chunk)
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                break
    os.waitpid(pid, 0)
    status, value = pickle.loads(b"".join(chunks))
    if status == "raised":
        raise AssertionError(f"the unprivileged child raised {value}")
    return value


def run_dprk(*args: str | Path, home: Path, timeout: float = 600,
             env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run the real `dprk-tui` entry point in a subprocess, as a user would."""
    environment = {
        **os.environ, "COLUMNS": "200", "HOME": str(home),
        "DPRK_TUI_ACTORS": str(home / "no-user-actors.jsonl"), **(env or {}),
    }
    environment.pop("DPRK_TUI_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "dprk_tui", *map(str, args)], cwd=ROOT, env=environment,
        capture_output=True, timeout=timeout, **kwargs,
    )


def text_of(result: subprocess.CompletedProcess) -> str:
    return result.stderr.decode("utf-8", "replace") + result.stdout.decode("utf-8", "replace")


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in text_of(result), text_of(result)
    assert "unexpected error" not in text_of(result), text_of(result)


# -- the hostile corpus -------------------------------------------------------------------------
def build_corpus(root: Path) -> dict[str, tuple[str, str]]:
    """Write every kind of hostile file under `root`; return {relative path: (outcome, detail)},
    outcome "added", "duplicate" or "failed" (detail: the reason's text)."""
    expected: dict[str, tuple[str, str]] = {}

    def put(name: str, data: bytes, outcome: str, detail: str = "") -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[name] = (outcome, detail)

    put("empty.txt", b"", "failed", "empty file")
    put("spaces.txt", b"  \n\t\r\n  \n", "failed", "empty file")
    put("png.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "failed", "binary file, not text (PNG image)")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("article.txt", ARTICLE * 20)
    put("zip.txt", archive.getvalue(), "failed", "binary file, not text (ZIP archive")
    put("gzip.txt", gzip.compress(ARTICLE.encode() * 10), "failed", "binary file, not text (gzip archive)")
    put("random.txt", random.Random(7).randbytes(5000), "failed", "binary file, not text (")
    put("nul.txt", ("Padded. " + ARTICLE + " NUL\x00bytes inside.").encode() + b"\x00" * 3000, "added")
    put("bad-utf8.txt", ("Broken UTF-8: « peace » — “talks” in Pyongyang. " + ARTICLE).encode()
        + b" \xff\xfe\xc3 cut.", "added")
    put("cp1252.txt", ("Pyongyang’s envoy met the café owner in Seoul on Monday. " + ARTICLE).encode("cp1252"),
        "added")
    put("utf16.txt", ("UTF16LE " + ARTICLE).encode("utf-16"), "added")
    put("utf16be.txt", b"\xfe\xff" + ("UTF16BE " + ARTICLE).encode("utf-16-be"), "added")
    put("utf16-no-bom.txt", ("UTF16NOBOM " + ARTICLE).encode("utf-16-le"), "added")
    put("crlf.txt", ("CRLF line one.\r\n" + ARTICLE.replace(". ", ".\r\n")).encode(), "added")
    put("dup-1.txt", ("Duplicate. " + ARTICLE).encode(), "added")
    put("dup-2.txt", ("Duplicate. " + ARTICLE).encode(), "duplicate")
    put("ansi.txt", ("\x1b[1mTerminal capture [link=http://evil.example]click[/link]\x1b[0m\n\n"
                     "\x1b]52;c;ZXZpbA==\x07Bell\x07 back\x08space [b]bold[/b] " + ARTICLE).encode(), "added")
    put("esc-name\x1b]52;c;SGVsbG8=\x07\u202e.txt", ("Escaped name. " + ARTICLE).encode(), "added")
    put("esc-empty\x1b[2J\x9b31m.txt", b"", "failed", "empty file")
    put(b"latin1-name-\xe9.txt".decode("utf-8", "surrogateescape"), ("Latin-1 name. " + ARTICLE).encode(), "added")
    put("notes.md", b"not an article file", "ignored")
    put("folder.txt/inner.txt", ("Inside a folder named .txt. " + ARTICLE).encode(), "added")
    with open(root / "big.txt", "wb") as sparse:  # 50 MB, sparse: costs no disk
        sparse.truncate(50 * 1024 * 1024)
    expected["big.txt"] = ("failed", "50.0 MB is larger than the 2.0 MB limit for one article file")
    line = ("The envoy met the minister in Pyongyang. " * 25_000)[: 1_000_000 - 1] + "."
    put("one-line.txt", line.encode(), "failed",
        f"1,000,000 characters of article text, more than the {MAX_ARTICLE_CHARS:,} allowed")
    (root / "loop").symlink_to(root)
    expected["loop"] = ("failed", f"symbolic link loop back to {root}, skipped")
    (root / "loop-a.txt").symlink_to(root / "loop-b.txt")
    (root / "loop-b.txt").symlink_to(root / "loop-a.txt")
    expected["loop-a.txt"] = ("failed", "cannot read (Too many levels of symbolic links)")
    expected["loop-b.txt"] = ("failed", "cannot read (Too many levels of symbolic links)")
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    expected["dangling.txt"] = ("failed", "broken symbolic link")
    os.mkfifo(root / "fifo.txt")
    expected["fifo.txt"] = ("failed", "a named pipe (FIFO), not a regular file")
    many = root / "many"
    many.mkdir()
    for number in range(MANY_FILES):
        text = f"Note {number % MANY_DISTINCT}: the envoy met the minister in Pyongyang.\n"
        (many / f"{number:05d}.txt").write_text(text)
    return expected


@pytest.fixture(scope="module")
def hostile_run() -> Iterator[tuple[Path, Path, dict, subprocess.CompletedProcess, Path]]:
    """The hostile corpus, ingested once by the CLI: (corpus, store, expected, result, home)."""
    home = world_dir("dprk-hostile-")
    corpus = home / "in"
    corpus.mkdir()
    expected = build_corpus(corpus)
    store = home / "store" / "hostile.db"
    (home / "store").mkdir(mode=0o777)
    (home / "store").chmod(0o777)
    started = time.perf_counter()
    result = run_dprk("ingest", corpus, "--db", store, home=home)
    print(f"hostile ingest of {MANY_FILES + len(expected)} files: {time.perf_counter() - started:.1f} s")
    yield corpus, store, expected, result, home
    shutil.rmtree(home, ignore_errors=True)


def test_every_file_is_ingested_or_reported_once(hostile_run) -> None:
    corpus, store, expected, result, _home = hostile_run
    assert_no_traceback(result)
    stderr = result.stderr.decode("utf-8")
    lines = [line for line in stderr.splitlines() if line.strip()]
    failed = {name: detail for name, (outcome, detail) in expected.items() if outcome == "failed"}
    added = [name for name, (outcome, _) in expected.items() if outcome == "added"]
    duplicates = [name for name, (outcome, _) in expected.items() if outcome == "duplicate"]
    failure_lines = [line for line in lines if line.startswith("failed: ")]
    assert len(failure_lines) == len(failed), "\n".join(failure_lines)
    for name, detail in failed.items():
        shown = printable_name(str(corpus / name))
        mine = [line for line in failure_lines if line.startswith(f"failed: {shown}: ")]
        assert len(mine) == 1, (name, failure_lines)
        assert detail in mine[0], (detail, mine[0])
    # The summary ends the run; exit status 1 because some files failed.
    total_added = len(added) + MANY_DISTINCT
    total_duplicates = len(duplicates) + MANY_FILES - MANY_DISTINCT
    assert lines[-1].endswith(
        f"added {total_added}, duplicates skipped {total_duplicates}, failed {len(failed)}"
    ), lines[-1]
    assert result.returncode == 1
    with sqlite3.connect(store) as conn:
        files = {row[0] for row in conn.execute("SELECT path FROM documents")}
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == total_added
    for name in added:
        assert printable_name(str(corpus / name)) in files, name


def test_what_can_be_decoded_is_decoded_honestly(hostile_run) -> None:
    corpus, store, _expected, _result, _home = hostile_run
    with sqlite3.connect(store) as conn:
        texts = dict(conn.execute("SELECT file, text FROM documents"))
    assert "Pyongyang’s envoy met the café owner" in texts["cp1252.txt"]
    assert texts["utf16.txt"].startswith("UTF16LE Pyongyang")
    assert texts["utf16be.txt"].startswith("UTF16BE Pyongyang")
    assert texts["utf16-no-bom.txt"].startswith("UTF16NOBOM Pyongyang")
    assert "« peace » — “talks”" in texts["bad-utf8.txt"] and "\ufffd" in texts["bad-utf8.txt"]
    assert "NULbytes inside" in texts["nul.txt"]
    assert "\r" not in texts["crlf.txt"] and "CRLF line one.\nPyongyang" in texts["crlf.txt"]
    ansi = texts["ansi.txt"]
    assert ansi.startswith("Terminal capture [link=http://evil.example]click[/link]")
    assert "[31m" not in ansi and "52;c" not in ansi and "Bell back" in ansi and "[b]bold[/b]" in ansi
    assert "latin1-name-\\xe9.txt" in texts
    assert "esc-name\\x1b]52;c;SGVsbG8=\\x07\\u202e.txt" in texts
    for file, text in texts.items():
        assert not any(ord(char) in INERT for char in text.replace("\n", "").replace("\t", "")), file
        assert not any(ord(char) in INERT for char in file), file


def test_no_raw_control_character_reaches_the_terminal(hostile_run) -> None:
    """The failure line of a file whose NAME holds ESC and CSI shows them escaped."""
    corpus, _store, _expected, result, _home = hostile_run
    stderr = result.stderr.decode("utf-8")
    assert "failed: " + printable_name(str(corpus / "esc-empty\x1b[2J\x9b31m.txt")) in stderr
    assert "esc-empty\\x1b[2J\\x9b31m.txt" in stderr
    assert not any(ord(char) in INERT for char in stderr.replace("\n", "")), repr(stderr[-500:])


def test_rerun_adds_nothing_and_exits_0_when_all_are_duplicates(hostile_run) -> None:
    corpus, store, _expected, _result, home = hostile_run
    result = run_dprk("ingest", corpus / "many", "--db", store, home=home)
    assert_no_traceback(result)
    assert result.returncode == 0, text_of(result)
    assert f"added 0, duplicates skipped {MANY_FILES}, failed 0" in result.stderr.decode()


# -- in-process: vanishing files, failing extraction, the actor dictionary -------------------------
@functools.cache
def shared_extractor():
    """The real spaCy extractor of the session (tests/helpers.py)."""
    from tests.helpers import real_extractor

    return real_extractor()


def test_unreadable_files_and_folders_are_reported(extractor) -> None:
    """As a user who may not read them (nobody, when the tests run as root)."""
    home = world_dir("dprk-unreadable-")
    try:
        corpus = home / "in"
        (corpus / "locked").mkdir(parents=True)
        corpus.chmod(0o755)
        (corpus / "good.txt").write_text("Readable. " + ARTICLE)
        (corpus / "unreadable.txt").write_text("Unreadable. " + ARTICLE)
        (corpus / "unreadable.txt").chmod(0)
        (corpus / "locked" / "inside.txt").write_text("Locked folder. " + ARTICLE)
        (corpus / "locked").chmod(0)
        ingest([ROOT / "seeds" / next(iter(sorted(os.listdir(ROOT / "seeds"))))], home / "warm.db",
               extractor=extractor)  # everything the child will need is imported now

        def run() -> tuple[int, list[tuple[str, str]]]:
            summary = ingest([corpus], home / "s.db", extractor=extractor)
            return summary.added, summary.failed

        added, failed = unprivileged(run)
        assert added == 1
        assert sorted(failed) == [
            (str(corpus / "locked"), "cannot read directory (Permission denied)"),
            (str(corpus / "unreadable.txt"), "permission denied"),
        ]
    finally:
        for path in (home / "in" / "locked", home / "in" / "unreadable.txt"):
            if path.exists():
                path.chmod(0o755)
        shutil.rmtree(home, ignore_errors=True)


def test_a_file_deleted_mid_run_is_reported_and_the_run_goes_on(tmp_path: Path, extractor) -> None:
    corpus = tmp_path / "in"
    (corpus / "b-dir").mkdir(parents=True)
    (corpus / "a-first.txt").write_text("")
    (corpus / "b-dir" / "inside.txt").write_text("Inside. " + ARTICLE)
    (corpus / "c-doomed.txt").write_text("Doomed. " + ARTICLE)
    (corpus / "d-last.txt").write_text("Last. " + ARTICLE)
    events = []

    def progress(event) -> None:
        events.append(event)
        if event.path.endswith("a-first.txt"):  # the first file is done: delete later ones
            (corpus / "c-doomed.txt").unlink()
            shutil.rmtree(corpus / "b-dir")

    summary = ingest([corpus], tmp_path / "s.db", progress=progress, extractor=extractor)
    reasons = dict(summary.failed)
    assert reasons[str(corpus / "c-doomed.txt")] == "file vanished before it could be read"
    assert "cannot read directory (No such file or directory)" in reasons[str(corpus / "b-dir")]
    assert summary.added == 1 and [e.path for e in events if e.status == "added"] == [str(corpus / "d-last.txt")]


def test_an_article_spacy_cannot_process_fails_alone(tmp_path: Path, extractor) -> None:
    """A batch in which spaCy refuses one text (here: longer than nlp.max_length) is redone one
    article at a time; only that article fails, with the reason."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    long_text = "Long. " + ARTICLE * 3
    (corpus / "a.txt").write_text("Short one. " + ARTICLE)
    (corpus / "b-long.txt").write_text(long_text)
    (corpus / "c.txt").write_text("Short two. " + ARTICLE)
    saved = extractor.nlp.max_length
    extractor.nlp.max_length = len(long_text) - 10
    try:
        summary = ingest([corpus], tmp_path / "s.db", extractor=extractor)
    finally:
        extractor.nlp.max_length = saved
    assert summary.added == 2
    assert [path for path, _ in summary.failed] == [str(corpus / "b-long.txt")]
    assert summary.failed[0][1].startswith("could not be processed: ValueError: [E088]")
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS"
            " (SELECT 1 FROM mentions m WHERE m.document_id = d.id)"
        ).fetchone()[0] == 0


def test_actor_names_with_control_characters_are_refused(tmp_path: Path) -> None:
    """A user dictionary whose names hold ESC or a bidi override stops ingest with one line, and
    an existing store is left as it was."""
    home = world_dir("dprk-dictionary-")
    try:
        corpus = home / "in"
        corpus.mkdir()
        (corpus / "a.txt").write_text("Dictionary. " + ARTICLE)
        store = home / "s.db"
        first = run_dprk("ingest", corpus, "--db", store, home=home)
        assert first.returncode == 0, text_of(first)
        before = store.read_bytes()
        (home / "actors.jsonl").write_text(
            '{"name": "Evil\\u001b]52;c;SGk=\\u0007 Actor", "type": "PERSON"}\n'
            '{"name": "Kim \\u202eJong", "type": "PERSON"}\n'
        )
        (corpus / "b.txt").write_text("Second. " + ARTICLE)
        result = run_dprk("ingest", corpus, "--db", store, home=home,
                          env={"DPRK_TUI_ACTORS": str(home / "actors.jsonl")})
        assert_no_traceback(result)
        assert result.returncode == 1
        lines = result.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and "holds control or bidi characters" in lines[0], lines
        assert "\x1b" not in lines[0] and "\\x1b" in lines[0]
        with sqlite3.connect(store) as conn:
            assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
            assert not conn.execute("SELECT name FROM actors WHERE name LIKE 'Evil%'").fetchall()
        assert store.read_bytes() == before
    finally:
        shutil.rmtree(home, ignore_errors=True)


# -- units: decoding, reading, discovery, clutter ------------------------------------------------
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbfBOM and caf\xc3\xa9", "BOM and café"),
        ("UTF-16 \u00e9".encode("utf-16"), "UTF-16 é"),
        (b"\xfe\xff" + "big \u00e9".encode("utf-16-be"), "big é"),
        ("no bom here, fine".encode("utf-16-le"), "no bom here, fine"),
        ("Latin-1 caf\u00e9 na\u00efve".encode("latin-1"), "Latin-1 café naïve"),
        ("cp1252 \u2019quotes\u201d \u20ac".encode("cp1252"), "cp1252 ’quotes” €"),
        (b"padded text" + b"\x00" * 5000, "padded text"),
        (b"stray\x00nul", "straynul"),
        ("mostly UTF-8 \u00ab ok \u00bb".encode() + b" \xff", "mostly UTF-8 « ok » \ufffd"),
        (b"\x1b[31mred\x1b[0m capture\x07", "\x1b[31mred\x1b[0m capture\x07"),
    ],
)
def test_decoding(data: bytes, expected: str) -> None:
    assert decode_bytes(data, "x.txt") == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "(PNG image)"),
        (b"\xff\xd8\xff\xe0" + bytes(200), "(JPEG image)"),
        (b"GIF89a" + bytes(200), "(GIF image)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "(PDF document)"),
        (b"PK\x03\x04" + bytes(100), "(ZIP archive"),
        (gzip.compress(b"x" * 1000), "(gzip archive)"),
        (b"SQLite format 3\x00" + bytes(100), "(SQLite database)"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "(executable (ELF))"),
        (b"x" * 257 + b"ustar\x0000" + bytes(100), "(tar archive)"),
        (random.Random(1).randbytes(4096), "control bytes)"),
        ("Ελληνικά κείμενα χωρίς UTF-8".encode("cp1253"), "unknown encoding"),
        (b"\xff\xfe" + b"\x00\xd8" * 50, "not valid UTF-16-LE"),
        (b"\x00" * 100, "only NUL bytes"),
    ],
)
def test_refusals_name_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(IngestError) as raised:
        decode_bytes(data, "x.txt")
    assert str(raised.value).startswith("x.txt: ") and reason in str(raised.value)


def test_special_files_are_never_read(tmp_path: Path) -> None:
    """A FIFO named .txt is refused at once (a blocking read would hang ingest), a device is not
    read, and a file over the size limit is refused unread."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    device = tmp_path / "zero.txt"
    device.symlink_to("/dev/zero")
    big = tmp_path / "big.txt"
    with open(big, "wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)
    outcome: dict[str, str] = {}

    def attempt() -> None:
        for path in (fifo, device, big):
            try:
                read_bytes(path)
            except IngestError as exc:
                outcome[path.name] = str(exc)

    reader = threading.Thread(target=attempt, daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "reading a FIFO or device blocked"
    assert "a named pipe (FIFO), not a regular file" in outcome["pipe.txt"]
    assert "a character device, not a regular file" in outcome["zero.txt"]
    assert f"{MAX_FILE_BYTES + 1:,} bytes is larger than the {MAX_FILE_BYTES:,}-byte limit" in outcome["big.txt"]


def test_discovery_survives_loops_and_odd_arguments(tmp_path: Path) -> None:
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "sub" / "a.txt").write_text("a")
    (tmp_path / "d" / "sub" / "up").symlink_to(tmp_path / "d")  # a loop two levels deep
    (tmp_path / "d" / "again").symlink_to(tmp_path / "d" / "sub")  # the same folder twice
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "pipe").mkdir()
    os.mkfifo(tmp_path / "pipe" / "p.txt")
    found = list(discover([tmp_path / "d", tmp_path / "self.txt", tmp_path / "absent", tmp_path / "d"]))
    files = [item for item in found if isinstance(item, Path)]
    problems = [(item.path, item.reason) for item in found if isinstance(item, DprkError)]
    assert files == [tmp_path / "d" / "again" / "a.txt"]  # folders sorted: "again" before "sub"
    assert (str(tmp_path / "self.txt"), "cannot read (Too many levels of symbolic links)") in problems
    assert (str(tmp_path / "absent"), "no such file or directory") in problems
    assert any(reason.startswith("symbolic link loop back to") for _path, reason in problems)
    assert len(problems) == 3, problems
    with pytest.raises(IngestError, match="a named pipe"):
        read_text(next(iter(item for item in discover([tmp_path / "pipe"]) if isinstance(item, Path))))


@pytest.mark.parametrize(
    "raw",
    [
        "x" + " " * 40_000 + "y. And more words follow here.",  # uncapped: 15 s; 300,000: hours
        ("word \t " + "\u3000" * 50) * 5_000 + "end.",
        "photo by " * 30_000 + "end.",
        "a / " * 100_000 + "end.",
        "\x1b]" * 200_000 + "end.",
        "\x90" * 200_000 + "end.",
        ("(A" * 100_000) + ") --",
        "Nov. 20, " * 50_000,
    ],
    ids=["spaces", "mixed-blanks", "photo", "slashes", "osc", "c1-dcs", "parens", "dates"],
)
def test_cleaning_pathological_text_is_fast(raw: str) -> None:
    """Clutter rules on hostile text stay near linear: runs of spaces made two of them quadratic
    (40,000 spaces took 15 s, a 1 MB run hours) until normalize_text capped them."""
    started = time.perf_counter()
    article = parse_article(raw, "x.txt", "/x.txt")
    assert time.perf_counter() - started < 5, "cleaning took too long"
    assert not any(ord(char) in INERT for char in article.text.replace("\n", "").replace("\t", ""))


def test_normalize_text_removes_escape_sequences_whole() -> None:
    raw = ("A\x1b[1;31mred\x1b[0m B\x1b]52;c;aGVsbG8=\x07C\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"
           " D\x9b2J E\u202eF\u2066G\x08H\x7fI\x00J\r\nK\u2028L\ue000M")
    assert normalize_text(raw) == "Ared BClink D EFGHIJ\nK\nLM"


def test_an_over_long_article_is_refused_with_its_length(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    sentence = "The envoy met the minister in Pyongyang. "
    path.write_text(sentence * (MAX_ARTICLE_CHARS // len(sentence) + 10))
    with pytest.raises(IngestError, match=r"characters of article text, more than the 200,000 allowed"):
        load_article(path)


def test_a_file_just_over_the_limit_says_by_how_much(tmp_path: Path) -> None:
    from dprk_tui.db.decode import MAX_FILE_BYTES, read_bytes
    from dprk_tui.db.errors import IngestError

    path = tmp_path / "just-over.txt"
    path.write_bytes(b"x" * (MAX_FILE_BYTES + 20))
    with pytest.raises(IngestError) as raised:
        read_bytes(path)
    assert str(raised.value).endswith(f"{MAX_FILE_BYTES + 20:,} bytes is larger than the {MAX_FILE_BYTES:,}-byte limit"
                                      " for one article file")
