"""What every query module shares: one connection guarded by a lock, safe from worker threads."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import sqlite_utils


class QueryBase:
    """A read connection; subclasses (the query modules) add the queries."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._lock = threading.RLock()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            return self.db.execute(sql, list(params)).fetchall()

    def _value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._rows(sql, params)
        return rows[0][0] if rows else None

    def data_version(self, blocking: bool = True) -> int | None:
        """SQLite's `PRAGMA data_version` on this connection: it changes when another connection
        (an ingest) has committed since the last call. Microseconds. With `blocking=False`, None when
        the connection is busy with another query (ask again later)."""
        if not self._lock.acquire(blocking=blocking):
            return None
        try:
            return self.db.execute("PRAGMA data_version").fetchone()[0]
        finally:
            self._lock.release()
