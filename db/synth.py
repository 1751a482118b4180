"""Synthetic stores for demos and benchmarks: `synthesize(path, docs)`.

Documents have the lengths of real articles (log-normal, median 340 words, mean about 420), dates
over 2010–2026 (a few undated), sources and actors with a Zipf-like spread, and actor mentions and
relations drawn from the bundled actor dictionary. Nothing goes through spaCy: the text is assembled
from sentences whose mentions and relations are known (db/synth_text.py) and written straight into
the real schema (`db.connection.connect(create=True)`) with every invariant the real writer keeps:

- `mentions.text == documents.text[start_char:end_char]`, labelled with the actor's type;
- each relation's evidence `text[start_char:end_char]` is one sentence of its document, holding both
  actors; its date is the document's date;
- `relation_summary` (events, documents, first/last date per source/type/target), the date
  roll-ups (db/rollups.py, derived from the relations once they are all written) and the actors'
  `mentions` / `documents` counts agree with the rows;
- the FTS5 index over title and text is complete, and its triggers are in place afterwards.

Speed comes from big transactions, `synchronous=OFF` and no journal during the build (the finished
store is switched back to WAL), and from filling the FTS index without its per-row triggers: for
large stores in a second process, into a side file merged in at the end (two cores at work); for
small ones with one 'rebuild'. The store is built as `FILE.part` and renamed when complete.
"""

from __future__ import annotations

import itertools
import multiprocessing
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dprk_tui.db import rollups
from dprk_tui.db.connection import connect
from dprk_tui.db.errors import DprkError
from dprk_tui.db.extract.dictionary import BUNDLED_ACTORS, Dictionary, load_titles, read_entries
from dprk_tui.db.synth_text import Actors, Pieces, Totals, Words, documents
from dprk_tui.db.writer import StoreWriter

BATCH_DOCS = 2_000
"""Documents per executemany round."""
COMMIT_DOCS = 100_000
"""Documents per transaction."""
PARALLEL_FROM = 20_000
"""From this many documents on, the full-text index is built in a second process."""
POOL_MAX = 400_000
"""Most generated sentences to assemble documents from."""

Progress = Callable[[str, int, int], None]
"""progress(phase, done, total): phase is "documents", "rollups", "index" or "done"."""


@dataclass(frozen=True)
class SynthSummary:
    documents: int
    mentions: int
    relations: int
    triples: int
    seconds: float


def _drop_triggers(conn: sqlite3.Connection) -> list[str]:
    """Drop the FTS triggers on documents; return their SQL to put them back afterwards."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents'"
    ).fetchall()
    for name, _ in rows:
        conn.execute(f"DROP TRIGGER [{name}]")
    return [sql for _, sql in rows]


def _fts_worker(path: str, create_sql: str, batches: multiprocessing.Queue) -> None:
    """Child process: fill a stand-alone copy of the FTS index from (rowid, title, text) batches."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(create_sql)
    conn.execute("BEGIN")
    while (batch := batches.get()) is not None:
        conn.executemany("INSERT INTO documents_fts(rowid, title, text) VALUES (?, ?, ?)", batch)
    conn.execute("COMMIT")
    conn.close()


class _FtsBuilder:
    """Fills documents_fts: in a second process as rows are written (large stores, two cores at
    work), or with 'rebuild' at the end (small stores)."""

    def __init__(self, conn: sqlite3.Connection, part: Path, parallel: bool) -> None:
        self.conn = conn
        self.side = part.with_name(part.name + ".fts")
        self.side.unlink(missing_ok=True)
        self.process: multiprocessing.process.BaseProcess | None = None
        if parallel:
            (create_sql,) = conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'documents_fts'").fetchone()
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self.queue = context.Queue(maxsize=4)
            self.process = context.Process(
                target=_fts_worker, args=(str(self.side), create_sql, self.queue), daemon=True)
            self.process.start()

    def add(self, rows: list[tuple]) -> None:
        """Documents just written (full rows, as inserted)."""
        if self.process is not None:
            self.queue.put([(row[0], row[3], row[7]) for row in rows])

    def finish(self) -> None:
        """Complete the index inside the store (outside any transaction)."""
        conn = self.conn
        if self.process is None:
            with conn:
                conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
            return
        self.queue.put(None)
        self.process.join()
        if self.process.exitcode != 0:
            raise DprkError(f"{self.side}: building the full-text index failed"
                            f" (exit code {self.process.exitcode})")
        conn.execute("ATTACH DATABASE ? AS side", (str(self.side),))
        try:
            shadows = [name for (name,) in conn.execute(
                "SELECT name FROM side.sqlite_master WHERE type = 'table'"
                " AND name LIKE 'documents\\_fts\\_%' ESCAPE '\\'")]
            with conn:
                for name in shadows:
                    conn.execute(f"DELETE FROM main.[{name}]")
                    conn.execute(f"INSERT INTO main.[{name}] SELECT * FROM side.[{name}]")
        finally:
            conn.execute("DETACH DATABASE side")
            self.side.unlink(missing_ok=True)

    def abort(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.side.unlink(missing_ok=True)


def _write(conn: sqlite3.Connection, batch: list[tuple[tuple, list, list]]) -> None:
    conn.executemany(
        "INSERT INTO documents(id, file, path, title, date, source, words, text, content_hash,"
        " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [row for row, _, _ in batch])
    conn.executemany(
        "INSERT INTO mentions(document_id, start_char, end_char, text, label, actor_id)"
        " VALUES (?, ?, ?, ?, ?, ?)", itertools.chain.from_iterable(m for _, m, _ in batch))
    conn.executemany(
        "INSERT INTO relations(document_id, source_id, target_id, type, date, start_char,"
        " end_char, trigger) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        itertools.chain.from_iterable(r for _, _, r in batch))


def _write_totals(conn: sqlite3.Connection, totals: Totals) -> None:
    conn.executemany(
        "INSERT INTO relation_summary(source_id, type, target_id, events, documents, first_date,"
        " last_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((s, kind, t, *entry) for (s, kind, t), entry in totals.summary.items()))
    conn.executemany(
        "UPDATE actors SET mentions = mentions + ?, documents = documents + ? WHERE id = ?",
        ((count, totals.actor_documents[actor], actor)
         for actor, count in totals.actor_mentions.items()))


def synthesize(
    path: Path | str,
    docs: int,
    *,
    seed: int = 0,
    force: bool = False,
    parallel: bool | None = None,
    progress: Progress | None = None,
) -> SynthSummary:
    """Build a synthetic store of `docs` documents at `path`; an existing file is refused unless
    `force`. `parallel` builds the full-text index in a second process (default: from
    PARALLEL_FROM documents on)."""
    started = time.perf_counter()
    path = Path(path).expanduser()
    if docs < 1:
        raise DprkError(f"--docs {docs}: need at least one document")
    if path.is_dir():
        raise DprkError(f"{path}: is a directory, not a store file")
    if path.exists() and not force:
        raise DprkError(f"{path}: exists; pass --force to replace it")
    part = path.with_name(path.name + ".part")
    for stale in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
        stale.unlink(missing_ok=True)
    report = progress or (lambda phase, done, total: None)
    rng = random.Random(seed)

    db = connect(part, create=True)
    conn = db.conn
    fts: _FtsBuilder | None = None
    try:
        dictionary = Dictionary(read_entries(BUNDLED_ACTORS), load_titles())
        writer = StoreWriter(db)
        writer.sync_dictionary(dictionary)
        writer.set_metadata({"model": "synthetic", "model_version": f"seed {seed}",
                             "spacy_version": "", "synthetic_documents": str(docs)})
        ids = dict(conn.execute("SELECT name, id FROM actors").fetchall())
        pool_size = max(500, min(docs * 2, POOL_MAX))
        pieces = Pieces(Actors(dictionary, ids, rng), Words(rng), rng, pool_size)

        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")
        triggers = _drop_triggers(conn)
        fts = _FtsBuilder(conn, part, docs >= PARALLEL_FROM if parallel is None else parallel)

        totals = Totals()
        stream = documents(docs, pieces, rng, totals)
        done = 0
        conn.execute("BEGIN")
        while done < docs:
            batch = list(itertools.islice(stream, BATCH_DOCS))
            _write(conn, batch)
            fts.add([row for row, _, _ in batch])
            previous, done = done, done + len(batch)
            if done // COMMIT_DOCS != previous // COMMIT_DOCS:
                conn.execute("COMMIT")
                conn.execute("BEGIN")
            report("documents", done, docs)
        _write_totals(conn, totals)
        conn.execute("COMMIT")
        report("rollups", 0, 1)
        conn.execute("BEGIN")
        rollups.rebuild(conn)
        conn.execute("COMMIT")
        report("rollups", 1, 1)

        report("index", 0, 1)
        fts.finish()
        with conn:
            for sql in triggers:
                conn.execute(sql)
        conn.execute("PRAGMA journal_mode = WAL")
        report("index", 1, 1)
    except BaseException:
        if fts is not None:
            fts.abort()
        conn.close()
        part.unlink(missing_ok=True)
        raise
    conn.close()
    for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    part.replace(path)
    report("done", docs, docs)
    return SynthSummary(docs, totals.mentions, totals.relations, len(totals.summary),
                        time.perf_counter() - started)
