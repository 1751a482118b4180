"""Ingest: article files -> clean text + metadata -> extraction -> the store.

Files are streamed to extraction worker processes (db/workers.py: spaCy, actor resolution and
relations, the model loaded once per worker; bounded memory whatever the corpus size) and what they
return is written here, in the files' order, each document with its mentions and relations in one
transaction; content already stored (same normalised text) is skipped, so re-ingesting a file
changes nothing. A worker that dies is replaced once (its documents redone); a second death stops
the run with WorkerLost. Several ingests may write to one store at once (db/writer.py takes the
actor list again under the write lock).

Hostile input (issue #7): every file is ingested or reported once, with its path and reason, and
the run goes on. Files are decoded by the policy in `db.decode` (binary files, unknown encodings,
FIFOs and devices, files over 2 MB are refused); an article longer than MAX_ARTICLE_CHARS after
cleaning is refused (spaCy needs about 10 s and 0.6 GB for 200,000 characters, and more than
linearly beyond). Symlink loops, unreadable or vanished files and directories are reported, never
raised. File names are stored and reported as printable text (`db.clean.printable_name`). An
article spaCy cannot process fails alone. A store that cannot be written (disk full, read-only)
stops the run with one StoreError; every document already written is complete.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dprk_tui.db.article import Article, parse_article
from dprk_tui.db.clean import INERT, printable_name
from dprk_tui.db.connection import connect
from dprk_tui.db.decode import read_text
from dprk_tui.db.errors import DprkError, IngestError, StoreError
from dprk_tui.db.workers import WorkerLost

if TYPE_CHECKING:
    from dprk_tui.db.extract.dictionary import Dictionary
    from dprk_tui.db.extract.pipeline import Extractor

MAX_ARTICLE_CHARS = 200_000
"""Longest article text (after cleaning) sent to spaCy: about 35,000 words."""


@dataclass
class IngestSummary:
    added: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class Progress:
    """One file done: `status` is "added", "duplicate" or "failed" (with `reason`)."""

    path: str
    status: str
    reason: str | None = None


class FileProblem(IngestError):
    """A file or directory that cannot be ingested: `path` (printable) and `reason`."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = printable_name(os.fspath(path))
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def _identity(path: str | os.PathLike[str]) -> str:
    """The canonical path of a file (symlinks resolved); never raises, even on a symlink loop."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError, RuntimeError):
        return os.path.abspath(path)


def discover(paths: Iterable[Path], *, follow_links: bool = False) -> Iterator[Path | FileProblem]:
    """Every .txt file under the given files and directories, sorted, each once (a file named on
    the command line is taken whatever its name). Missing paths, symlink loops and unreadable or
    vanished directories come out as FileProblems instead of stopping the walk.

    The archive is the folders given: a symbolic link found inside it that leads out of every one
    of them (a link to `/`, to the home folder, to a sibling folder or to a file elsewhere) is not
    followed but reported with its target, unless `follow_links`. A link to somewhere inside the
    archive is read once, as before."""
    paths = [Path(path) for path in paths]
    roots = [_identity(path) for path in paths if os.path.isdir(path)]
    seen: set[str] = set()
    visited: dict[tuple[int, int], str] = {}
    for path in paths:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            reason = "broken symbolic link" if os.path.lexists(path) else "no such file or directory"
            yield FileProblem(path, reason)
            continue
        except OSError as exc:
            yield FileProblem(path, f"cannot read ({exc.strerror or exc})")
            continue
        if not stat.S_ISDIR(info.st_mode):
            key = _identity(path)
            if key not in seen:
                seen.add(key)
                yield path
            continue
        if (info.st_dev, info.st_ino) not in visited:  # a folder named twice is read once
            yield from _walk(path, seen, visited, None if follow_links else roots)


def _inside(target: str, roots: list[str]) -> bool:
    return any(target == root or target.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _leaves_archive(path: str, roots: list[str] | None) -> str | None:
    """The target of a symbolic link at `path` that leads out of the archive, else None."""
    if roots is None or not os.path.islink(path):
        return None
    target = _identity(path)
    return None if _inside(target, roots) else target


def _walk(
    top: Path, seen: set[str], visited: dict[tuple[int, int], str], roots: list[str] | None
) -> Iterator[Path | FileProblem]:
    errors: list[OSError] = []
    for root, dirs, files in os.walk(top, followlinks=True, onerror=errors.append):
        while errors:
            error = errors.pop(0)
            yield FileProblem(error.filename or root, f"cannot read directory ({error.strerror or error})")
        try:
            info = os.stat(root)
        except OSError as exc:  # vanished or became unreadable since it was listed
            yield FileProblem(root, f"cannot read directory ({exc.strerror or exc})")
            dirs[:] = []
            continue
        first = visited.setdefault((info.st_dev, info.st_ino), root)
        if first != root:
            dirs[:] = []
            if root.startswith(first.rstrip(os.sep) + os.sep):
                yield FileProblem(root, f"symbolic link loop back to {printable_name(first)}, skipped")
            continue  # the same directory reached by another link: its files were read there
        dirs.sort()
        for name in list(dirs):
            target = _leaves_archive(os.path.join(root, name), roots)
            if target is not None:
                dirs.remove(name)
                yield FileProblem(os.path.join(root, name), f"symbolic link to a folder outside the archive"
                                  f" ({printable_name(target)}), not followed (--follow-links follows it)")
        for name in sorted(files):
            if not name.lower().endswith(".txt"):
                continue
            file = Path(root) / name
            target = _leaves_archive(str(file), roots)
            if target is not None:
                yield FileProblem(file, f"symbolic link to a file outside the archive ({printable_name(target)}),"
                                  " refused (--follow-links takes it)")
                continue
            key = _identity(file)
            if key in seen:
                continue
            seen.add(key)
            yield file
    while errors:
        error = errors.pop(0)
        yield FileProblem(error.filename or top, f"cannot read directory ({error.strerror or error})")


def load_article(path: Path) -> Article:
    """Read, decode and clean one file; IngestError (message "PATH: reason") if it cannot be."""
    article = parse_article(read_text(path), printable_name(path.name), printable_name(str(path)))
    if not article.text.strip():
        raise IngestError(f"{path}: no article text (only blanks and control characters)")
    if len(article.text) > MAX_ARTICLE_CHARS:
        raise IngestError(
            f"{path}: {len(article.text):,} characters of article text, more than the"
            f" {MAX_ARTICLE_CHARS:,} allowed for one article; split the file"
        )
    return article


def check_dictionary(dictionary: Dictionary) -> None:
    """Refuse actor names that hold control or bidi characters (they would be stored and shown)."""
    for entry in dictionary.entries:
        for name in (entry.name, *entry.aliases):
            if any(ord(char) in INERT for char in name):
                raise DprkError(
                    f"actor dictionary: {name!r} holds control or bidi characters; fix that entry"
                )


def _store_failure(db_path: Path, exc: sqlite3.Error, summary: IngestSummary) -> StoreError:
    """The one-line error for a store that stopped taking writes mid-run."""
    problem = str(exc) or type(exc).__name__
    hint = ""
    if "full" in problem:
        hint = "; free some space and run ingest again"
    elif "I/O error" in problem:
        hint = "; the disk may be full or failing: check it and run ingest again"
    elif "readonly" in problem or "read-only" in problem:
        hint = "; the store or its folder is read-only"
    return StoreError(
        f"{printable_name(str(db_path))}: cannot write to the store ({problem}){hint};"
        f" stopped after adding {summary.added} (every document written is complete)"
    )


def ingest(
    paths: Iterable[Path],
    db_path: Path,
    *,
    model: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    extractor: Extractor | None = None,
    workers: int = 1,
    notice: Callable[[str], None] | None = None,
    follow_links: bool = False,
) -> IngestSummary:
    """Ingest files and directories into the store at `db_path` (created if missing).

    spaCy, actor resolution and relation extraction run in `workers` processes
    (db/workers.py), each loading the model once; this process reads the files and writes what
    they return, in the files' order. `notice` hears one line when a worker dies (its documents
    are redone in a fresh one); a second death raises WorkerLost. An `extractor` already loaded
    (tests, benchmarks) extracts in this process instead."""
    from dprk_tui.db.writer import StoreWriter
    from dprk_tui.db.workers import ExtractionPool, InProcess

    report = progress or (lambda event: None)
    summary = IngestSummary()
    db = connect(db_path, create=True)
    try:
        from dprk_tui.db.corrections import dictionary_for  # analyst corrections (issue 3)

        dictionary = extractor.dictionary if extractor is not None else dictionary_for(db.conn)
        check_dictionary(dictionary)
        for problem in dictionary.problems:  # each bad record or alias of the user's file, skipped
            (notice or (lambda _line: None))(problem)
        extraction: ExtractionPool | InProcess = (
            InProcess(extractor) if extractor is not None
            else ExtractionPool(workers, model, dictionary, notice=notice)
        )
        with extraction:
            extraction.start()  # the workers load spaCy while the dictionary is written
            writer = StoreWriter(db)
            writer.sync_dictionary(dictionary)
            writer.set_metadata(extraction.model_info())

            def fail(where: str, reason: str) -> None:
                summary.failed.append((where, reason))
                report(Progress(where, "failed", reason))

            in_flight: set[str] = set()  # content hashes read and not yet written

            def articles() -> Iterator[tuple[Article, str, str | None]]:
                """The files to extract, read lazily; failures and duplicates reported on the way."""
                for item in discover(paths, follow_links=follow_links):
                    if isinstance(item, FileProblem):
                        fail(item.path, item.reason)
                        continue
                    try:
                        article = load_article(item)
                    except IngestError as exc:
                        fail(printable_name(str(item)), str(exc).removeprefix(f"{item}: "))
                        continue
                    if article.content_hash in in_flight or writer.has_content(article.content_hash):
                        summary.duplicates += 1
                        report(Progress(article.path, "duplicate"))
                        continue
                    in_flight.add(article.content_hash)
                    yield article, article.text, article.date

            for outcome in extraction.extract(articles()):
                article = outcome.key
                in_flight.discard(article.content_hash)
                if outcome.extraction is None:
                    fail(article.path, outcome.error or "could not be processed")
                elif writer.add(article, outcome.extraction) is None:  # stored meanwhile by another run
                    summary.duplicates += 1
                    report(Progress(article.path, "duplicate"))
                else:
                    summary.added += 1
                    report(Progress(article.path, "added"))
    except WorkerLost as exc:
        raise WorkerLost(
            f"ingest stopped: {exc}; added {summary.added} (every document written is complete);"
            " run ingest again to add the rest"
        ) from None
    except sqlite3.Error as exc:  # #7: disk full, read-only store, I/O error: stop, say so once
        raise _store_failure(db_path, exc, summary) from None
    finally:
        try:
            db.conn.close()
        except sqlite3.Error:  # a checkpoint on a full disk: the WAL keeps every commit
            pass
    return summary


def count_files(paths: Iterable[Path], *, follow_links: bool = False) -> int:
    """How many files `discover` will yield (for a progress bar's total)."""
    return sum(1 for item in discover(paths, follow_links=follow_links) if not isinstance(item, DprkError))
