"""The one connection every query object reads through: a sqlite_utils Database guarded by a lock,
so the query objects of one `Store` (db/store.py) are safe to use from worker threads."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils


class Reader:
    """A read connection: statements run one at a time under `lock` (re-entrant, so a query object
    may hold it across several statements that must see the same state)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.lock = threading.RLock()

    @property
    def conn(self) -> sqlite3.Connection:
        """The sqlite3 connection (use it under `lock`)."""
        return self.db.conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.lock:
            return self.db.execute(sql, list(params)).fetchall()

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None when there is no row."""
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    def data_version(self, blocking: bool = True) -> int | None:
        """SQLite's `PRAGMA data_version` on this connection: it changes when another connection
        (an ingest) has committed since the last call. Microseconds. With `blocking=False`, None when
        the connection is busy with another query (ask again later)."""
        if not self.lock.acquire(blocking=blocking):
            return None
        try:
            return self.db.execute("PRAGMA data_version").fetchone()[0]
        finally:
            self.lock.release()

    def iter_rows(self, sql: str, params: Any = (), batch: int = 500) -> Iterator[dict]:
        """Stream the rows of a query as dicts, `batch` at a time (for export; bounded memory)."""
        with self.lock:
            cursor = self.db.conn.execute(sql, params)
            names = [column[0] for column in cursor.description]
        while True:
            with self.lock:
                chunk = cursor.fetchmany(batch)
            if not chunk:
                return
            for row in chunk:
                yield dict(zip(names, row))
