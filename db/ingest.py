"""Ingest: article files -> clean text + metadata -> extraction -> the store.

Files are streamed in batches (bounded memory whatever the corpus size); each document is written
with its mentions and relations in one transaction; content already stored (same normalised text)
is skipped, so re-ingesting a file changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from db.article import Article, parse_article
from db.connection import connect
from db.decode import read_text
from db.errors import DprkError, IngestError

BATCH_FILES = 64


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


def discover(paths: Iterable[Path]) -> Iterator[Path | IngestError]:
    """Every .txt file under the given files and directories, sorted, each once; symlink loops and
    unreadable directories come out as errors instead of stopping the walk."""
    seen: set[Path] = set()
    for path in paths:
        path = Path(path)
        if not path.exists():
            yield IngestError(f"{path}: no such file or directory")
            continue
        if path.is_file():
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield path
            continue
        visited: set[tuple[int, int]] = set()
        errors: list[OSError] = []
        for root, dirs, files in os.walk(path, followlinks=True, onerror=errors.append):
            stat = os.stat(root)
            if (stat.st_dev, stat.st_ino) in visited:
                yield IngestError(f"{root}: directory loop (symlink), skipped")
                dirs[:] = []
                continue
            visited.add((stat.st_dev, stat.st_ino))
            dirs.sort()
            for name in sorted(files):
                if not name.lower().endswith(".txt"):
                    continue
                file = Path(root) / name
                resolved = file.resolve()
                if resolved in seen:
                    continue
                seen.add(resolved)
                yield file
        for error in errors:
            yield IngestError(f"{error.filename}: cannot read directory ({error.strerror})")


def load_article(path: Path) -> Article:
    article = parse_article(read_text(path), path.name, str(path))
    if not article.text.strip():
        raise IngestError(f"{path}: no article text left after removing page clutter")
    return article


def ingest(
    paths: Iterable[Path],
    db_path: Path,
    *,
    model: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    extractor=None,
) -> IngestSummary:
    """Ingest files and directories into the store at `db_path` (created if missing)."""
    from db.extract.pipeline import Extractor
    from db.writer import StoreWriter

    report = progress or (lambda event: None)
    summary = IngestSummary()
    db = connect(db_path, create=True)
    try:
        extractor = extractor or Extractor(model)
        writer = StoreWriter(db)
        writer.sync_dictionary(extractor.dictionary)
        writer.set_metadata(
            {
                "model": extractor.info.name,
                "model_version": extractor.info.version,
                "spacy_version": extractor.info.spacy_version,
            }
        )

        def fail(where: str, reason: str) -> None:
            summary.failed.append((where, reason))
            report(Progress(where, "failed", reason))

        batch: list[Article] = []
        pending_hashes: set[str] = set()

        def flush() -> None:
            texts = ((article.text, article.date) for article in batch)
            for article, extraction in zip(batch, extractor.extract_many(texts)):
                if writer.add(article, extraction) is None:
                    summary.duplicates += 1
                    report(Progress(article.path, "duplicate"))
                else:
                    summary.added += 1
                    report(Progress(article.path, "added"))
            batch.clear()
            pending_hashes.clear()

        for item in discover(paths):
            if isinstance(item, IngestError):
                fail(str(item).split(": ", 1)[0], str(item).split(": ", 1)[-1])
                continue
            try:
                article = load_article(item)
            except IngestError as exc:
                fail(str(item), str(exc).removeprefix(f"{item}: "))
                continue
            if article.content_hash in pending_hashes or writer.has_content(article.content_hash):
                summary.duplicates += 1
                report(Progress(str(item), "duplicate"))
                continue
            pending_hashes.add(article.content_hash)
            batch.append(article)
            if len(batch) >= BATCH_FILES:
                flush()
        if batch:
            flush()
    finally:
        db.conn.close()
    return summary


def count_files(paths: Iterable[Path]) -> int:
    """How many files `discover` will yield (for a progress bar's total)."""
    return sum(1 for item in discover(paths) if not isinstance(item, DprkError))
