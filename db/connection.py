"""Open a store file safely: missing files, non-SQLite files and foreign schema versions are refused
with a one-line message, and every connection uses WAL and a busy timeout so the browser can read
while ingest writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from db.errors import StoreError
from db.schema import SCHEMA_VERSION, create_schema

BUSY_TIMEOUT_MS = 10_000


def connect(path: Path | str, *, create: bool = False) -> sqlite_utils.Database:
    """Open the store at `path`; with `create`, make it (and its schema) when it does not exist."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a store file")
    exists = path.exists()
    if not exists and not create:
        raise StoreError(f"{path}: no store here (build one with `dprk-tui ingest PATH --db {path}`)")
    if not exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create its folder ({exc.strerror})") from None
    try:
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if exists:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a dprk-tui store ({exc})") from None
    db = sqlite_utils.Database(conn)
    try:
        if not exists or not db.table("metadata").exists():
            if exists and db.table_names():
                raise StoreError(f"{path}: an SQLite file, but not a dprk-tui store")
            if not create:
                raise StoreError(f"{path}: empty file, not a dprk-tui store")
            conn.execute("PRAGMA journal_mode = WAL")
            create_schema(db)
        else:
            _check_version(db, path)
            if create:
                conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
        conn.close()
        raise StoreError(f"{path}: cannot use this store ({exc})") from None
    except StoreError:
        conn.close()
        raise
    return db


def _check_version(db: sqlite_utils.Database, path: Path) -> None:
    row = db.execute("SELECT value FROM metadata WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row and str(row[0]).isdigit() else None
    if version is None:
        raise StoreError(f"{path}: store has no schema version; not a dprk-tui store")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: store schema version {version} is newer than this dprk-tui ({SCHEMA_VERSION});"
            " upgrade dprk-tui"
        )
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{path}: store schema version {version} is older than this dprk-tui ({SCHEMA_VERSION});"
            " rebuild it with `dprk-tui ingest`"
        )
