"""Open a store file safely: missing files, non-SQLite files and foreign schema versions are refused
with a one-line message, and every connection uses WAL and a busy timeout so the browser can read
while ingest writes.

- A new store is built in a temporary file beside the target and published with one atomic link,
  so a store file never exists without its whole schema, whenever the creating process is killed.
- `create=True` (ingest) also refuses a store it could not write (read-only file or folder) before
  anything is read or written, and uses `synchronous = NORMAL`: in WAL mode a commit then survives
  any crash of the process (SIGKILL included) and never corrupts the file; only a power cut may
  lose the last few commits, which a re-run ingests again.
- A store in a folder the user cannot write, whose WAL index (`-shm`) does not exist and cannot be
  created, is opened read-only and immutable (it is read as it is; changes made meanwhile by
  someone who can write there are not seen).
- Nothing is written to a file that turns out not to be a store of this schema version, or of an
  older version this one migrates, in one transaction when it is opened with write access: a
  version-1 store gets the date roll-ups of db/rollups.py (built from its relations), a version-2
  store those per document source and an index by events, a version-3 store the nullable
  `documents.author` column; a kill meanwhile leaves it as it was. `notice` (set by the command
  line) hears one line before and one after. An older store that cannot be written is read as it
  is: the queries fall back to slower ways (aggregating `relations` for a version-1 store).
"""

from __future__ import annotations

import glob
import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from dprk_tui.db.clean import printable_name
from dprk_tui.db.errors import StoreError
from dprk_tui.db.schema import (
    OLDEST_MIGRATABLE,
    SCHEMA_VERSION,
    add_author_column,
    create_schema,
    missing_tables,
)

BUSY_TIMEOUT_MS = 10_000
_CREATING = ".creating"

READ_ONLY_ENV = "DPRK_TUI_READ_ONLY"
"""Set to 1 in a process that must never write a store (`dprk-tui serve` sets it for the browsers
it starts): `connect` without `create` then opens stores read-only and never migrates them."""

notice: Callable[[str], None] | None = None
"""Where one-line messages about a migration go (the command line prints them to stderr)."""
_told: set[str] = set()


def connect(path: Path | str, *, create: bool = False, writable: bool = False) -> sqlite_utils.Database:
    """Open the store at `path`; with `create`, make it (and its schema) when it does not exist.
    With `create` or `writable`, a store this user cannot change is refused before anything else."""
    path = Path(path).expanduser()
    shown = printable_name(str(path))
    try:
        is_dir, exists = path.is_dir(), path.exists()
        empty = exists and path.stat().st_size == 0
    except OSError as exc:
        raise StoreError(f"{shown}: cannot reach the store ({exc.strerror or exc})") from None
    if is_dir:
        raise StoreError(f"{shown}: is a directory, not a store file")
    if not exists and not create:
        raise StoreError(f"{shown}: no store here (build one with `dprk-tui ingest PATH --db {shown}`)")
    if empty and not create:
        raise StoreError(f"{shown}: empty file, not a dprk-tui store")
    if not exists or empty:
        _create(path, shown, replace_empty=empty)
    if create or writable:
        _check_writable(path, shown)
    read_only = not create and os.environ.get(READ_ONLY_ENV) == "1"
    conn = _open(path, shown, read_only=read_only)
    db = sqlite_utils.Database(conn)
    try:
        if not db.table("metadata").exists():
            raise StoreError(
                f"{shown}: an SQLite file, but not a dprk-tui store"
                if db.table_names()
                else f"{shown}: an empty SQLite file, not a dprk-tui store"
            )
        version = _check_version(db, shown)
        if version < SCHEMA_VERSION and not read_only:
            _migrate(db, path, shown, version, required=create)
        elif lost := missing_tables(conn):
            raise StoreError(
                f"{shown}: the store is damaged: no {', '.join(lost)} table; "
                f"`dprk-tui repair {shown} -o NEW.db` can save what is readable"
            )
        if create:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{shown}: cannot use this store ({exc})") from None
    except StoreError:
        conn.close()
        raise
    return db


def _open(path: Path, shown: str, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection that has read the schema: a file that is not SQLite fails here, unwritten."""
    try:
        target = f"file:{quote(str(path.resolve()))}?mode=ro" if read_only else str(path)
        conn = _connection(target, uri=read_only)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            # A WAL store in a folder we cannot write: its -shm cannot be made; read it as it is.
            if "readonly" not in str(exc) and "unable to open" not in str(exc):
                raise
            if not os.access(path, os.R_OK):
                raise
        uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
        conn = _connection(uri, uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _warn_unread_wal(path, shown)
        return conn
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise StoreError(f"{shown}: not a dprk-tui store ({exc})") from None
        raise StoreError(f"{shown}: cannot open the store ({exc})") from None


def _warn_unread_wal(path: Path, shown: str) -> None:
    """An immutable open does not read the write-ahead log: say so when one is beside the store."""
    wal = path.with_name(path.name + "-wal")
    try:
        pending = wal.stat().st_size
    except OSError:
        return
    if pending and notice is not None and (shown, "wal") not in _told_wal:
        _told_wal.add((shown, "wal"))
        notice(
            f"{shown}: read as it is (its folder cannot be written): the {pending:,}-byte write-ahead log "
            f"beside it is not read, so the most recent writes may be missing; open it once where it "
            f"can be written to fold them in"
        )


_told_wal: set[tuple[str, str]] = set()


def _hint(reason: str) -> str:
    """What a user can do about a store that could not be made."""
    lowered = reason.lower()
    if "full" in lowered or "no space" in lowered or "disk i/o" in lowered:
        return "; free some space on that disk (or name a store elsewhere with --db) and run again"
    return ""


def _connection(target: str, *, uri: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(target, uri=uri, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    return conn


def _check_writable(path: Path, shown: str) -> None:
    """Refuse, before any write, a store that this user cannot change."""
    if not os.access(path, os.W_OK):
        raise StoreError(f"{shown}: the store file is read-only; cannot add to it")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreError(f"{shown}: the store's folder is read-only (WAL files go beside the store); cannot add to it")


def _create(path: Path, shown: str, *, replace_empty: bool) -> None:
    """Build an empty store with its whole schema in a temporary file beside `path`, then publish
    it atomically (a link that fails if another process published one first)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{shown}: cannot create its folder ({exc.strerror or exc})") from None
    _remove_stale(folder, path.name)
    temporary = str(folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{_CREATING}")
    try:  # mode 0666 less the umask, as SQLite itself would create the store
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as exc:
        raise StoreError(f"{shown}: cannot create the store ({exc.strerror or exc})") from None
    try:
        conn = sqlite3.connect(temporary)
        try:
            create_schema(sqlite_utils.Database(conn))
            conn.execute("PRAGMA journal_mode = WAL")
            conn.commit()
        finally:
            conn.close()
        if replace_empty:
            if path.stat().st_size == 0:
                os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another process published its store first; use that one
            except OSError:  # a file system without hard links
                if not path.exists():
                    os.replace(temporary, path)
    except sqlite3.Error as exc:
        raise StoreError(f"{shown}: cannot create the store ({exc}){_hint(str(exc))}") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise StoreError(f"{shown}: cannot create the store ({reason}){_hint(reason)}") from None
    finally:
        for leftover in (temporary, f"{temporary}-journal", f"{temporary}-wal", f"{temporary}-shm"):
            try:
                os.unlink(leftover)
            except OSError:
                pass


def _remove_stale(folder: Path, name: str) -> None:
    """Remove temporary files left by a creating process that was killed."""
    try:
        candidates = list(folder.glob(glob.escape(f".{name}.") + f"*{_CREATING}*"))
    except OSError:
        return
    for candidate in candidates:
        try:
            pid = int(candidate.name[len(name) + 2 :].split(".", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            try:
                candidate.unlink()
            except OSError:
                pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _check_version(db: sqlite_utils.Database, shown: str) -> int:
    row = db.execute("SELECT value FROM metadata WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row and str(row[0]).isdigit() else None
    if version is None:
        raise StoreError(f"{shown}: store has no schema version; not a dprk-tui store")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{shown}: store schema version {version} is newer than this dprk-tui ({SCHEMA_VERSION});"
            " upgrade dprk-tui"
        )
    if version < OLDEST_MIGRATABLE:
        raise StoreError(
            f"{shown}: store schema version {version} is older than this dprk-tui ({SCHEMA_VERSION});"
            " rebuild it with `dprk-tui ingest`"
        )
    return version


def _migrate(db: sqlite_utils.Database, path: Path, shown: str, version: int, *, required: bool) -> None:
    """Bring an older store to this version in one transaction (a kill leaves it as it was): from
    version 1, build the date roll-ups; from version 2, those per document source and the index
    by events; from version 3 (and on the way from older ones), add `documents.author`. A store
    this user cannot write is left as it is (read-only use), unless `required`."""
    from dprk_tui.db import comentions, rollups

    conn = db.conn
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)
    if not writable and not required:
        if notice is not None and shown not in _told:  # once: the browser opens it again later
            _told.add(shown)
            slower = "date filters and timelines slower" if version < 3 else "no document authors"
            notice(f"{shown}: a schema version {version} store this user cannot write; read as it is"
                   f" ({slower} until it is opened once with write access)")
        return
    relations = conn.execute("SELECT max(id) FROM relations").fetchone()[0] or 0
    if notice is not None:
        if version < 3:
            what, rate = ("date roll-ups", 50_000) if version < 2 else ("date roll-ups per source", 100_000)
            work = f"{what} of about {relations:,} relations; once, about {max(1, round(relations / rate))} s"
        else:
            work = "an author column for documents; once, at once"
        notice(f"{shown}: upgrading the store to schema version {SCHEMA_VERSION} ({work})…")
    started = time.perf_counter()
    try:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT value FROM metadata WHERE key = 'schema_version'").fetchone()
        current = int(row[0]) if row and str(row[0]).isdigit() else SCHEMA_VERSION
        if current < SCHEMA_VERSION:  # else: done meanwhile
            conn.execute("PRAGMA cache_size = -262144")
            if current < 2:
                rollups.rebuild(conn)
                comentions.ensure_summary(conn)
            elif current < 3:
                rollups.add_source_periods(conn)
            add_author_column(conn)
            conn.execute(
                "UPDATE metadata SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
            )
        conn.commit()
    except sqlite3.OperationalError as exc:
        conn.rollback()
        # Read-only after all (immutable, or a file system mounted read-only), or busy: a reader
        # reads the older store as it is; a writer cannot go on.
        if required or not any(word in str(exc) for word in ("readonly", "read-only", "locked", "busy")):
            raise
        if notice is not None and shown not in _told:
            _told.add(shown)
            notice(f"{shown}: not upgraded ({exc}); reading it as it is")
        return
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.execute("PRAGMA cache_size = -2000")
    if notice is not None:
        notice(f"{shown}: upgraded to schema version {SCHEMA_VERSION} in {time.perf_counter() - started:.1f} s")
