"""The store's tables, indexes, full-text index and schema version.

Names are chosen to read well in `sqlite-utils` or `datasette`: documents, actors, aliases, roles,
mentions, relations, relation_summary (aggregates kept up to date at ingest), the date roll-ups
and source roll-ups relation_periods, relation_spread, relation_sources and actor_months
(db/rollups.py) and metadata.
Character offsets (`start_char`, `end_char`) index into `documents.text`.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from dprk_tui.db.rollups import TABLES as ROLLUP_TABLES

SCHEMA_VERSION = 4
"""1: the first store layout. 2: adds the date roll-ups (db/rollups.py). 3: adds the date roll-ups per
document source (relation_source_periods) and indexes of the roll-ups by events. 4: adds the nullable
`documents.author` (the person a byline names). Older stores are migrated when they are opened with
write access (db/connection.py)."""
OLDEST_MIGRATABLE = 1

_TABLES = """
CREATE TABLE IF NOT EXISTS metadata (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,
    source TEXT,
    words INTEGER NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    ingested_at TEXT NOT NULL,
    author TEXT
);
CREATE TABLE IF NOT EXISTS actors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    country TEXT,
    sector TEXT,
    surname TEXT,
    origin TEXT NOT NULL DEFAULT 'dictionary',
    documents INTEGER NOT NULL DEFAULT 0,
    mentions INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS aliases (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    alias TEXT NOT NULL,
    key TEXT NOT NULL,
    UNIQUE (key, actor_id)
);
CREATE TABLE IF NOT EXISTS roles (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    title TEXT NOT NULL,
    start_date TEXT,
    end_date TEXT
);
CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    actor_id INTEGER REFERENCES actors(id)
);
CREATE TABLE IF NOT EXISTS relations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    source_id INTEGER NOT NULL REFERENCES actors(id),
    target_id INTEGER NOT NULL REFERENCES actors(id),
    type TEXT NOT NULL,
    date TEXT,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    trigger TEXT
);
CREATE TABLE IF NOT EXISTS relation_summary (
    source_id INTEGER NOT NULL REFERENCES actors(id),
    type TEXT NOT NULL,
    target_id INTEGER NOT NULL REFERENCES actors(id),
    events INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    first_date TEXT,
    last_date TEXT,
    PRIMARY KEY (source_id, type, target_id)
);
-- Analyst corrections to actors (alias, merge, rename), replayed in id order: db/corrections.py.
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('alias', 'merge', 'rename')),
    value TEXT NOT NULL,
    target TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- Indexes. Every list the browser pages through is ordered by an index below (keyset pagination:
-- key expressions are never NULL, hence the coalesce()); filters and look-ups seek by index.
CREATE INDEX IF NOT EXISTS idx_documents_sort ON documents(coalesce(date, ''), id);
CREATE INDEX IF NOT EXISTS idx_documents_source ON documents(source, coalesce(date, ''), id);
CREATE INDEX IF NOT EXISTS idx_documents_file ON documents(file);
CREATE INDEX IF NOT EXISTS idx_aliases_key ON aliases(key);
CREATE INDEX IF NOT EXISTS idx_aliases_actor ON aliases(actor_id);
CREATE INDEX IF NOT EXISTS idx_roles_actor ON roles(actor_id);
CREATE INDEX IF NOT EXISTS idx_mentions_document ON mentions(document_id, start_char);
CREATE INDEX IF NOT EXISTS idx_mentions_actor ON mentions(actor_id, document_id);
CREATE INDEX IF NOT EXISTS idx_relations_document ON relations(document_id, start_char);
-- Evidence of one (source, type, target), newest first; and of a pair, either way round.
CREATE INDEX IF NOT EXISTS idx_relations_triple
    ON relations(source_id, type, target_id, coalesce(date, ''), id);
CREATE INDEX IF NOT EXISTS idx_relations_pair ON relations(target_id, source_id, coalesce(date, ''), id);
CREATE INDEX IF NOT EXISTS idx_relations_date ON relations(coalesce(date, ''));
-- The Relations pane: one index per sort order (db/queries/relations.py RELATION_SORTS).
CREATE INDEX IF NOT EXISTS idx_relation_summary_events
    ON relation_summary(events, coalesce(last_date, ''), source_id, type, target_id);
CREATE INDEX IF NOT EXISTS idx_relation_summary_documents
    ON relation_summary(documents, events, source_id, type, target_id);
CREATE INDEX IF NOT EXISTS idx_relation_summary_latest
    ON relation_summary(coalesce(last_date, ''), events, source_id, type, target_id);
CREATE INDEX IF NOT EXISTS idx_relation_summary_earliest
    ON relation_summary(coalesce(first_date, '~'), source_id, type, target_id);
CREATE INDEX IF NOT EXISTS idx_relation_summary_type
    ON relation_summary(type, events, coalesce(last_date, ''), source_id, target_id);
CREATE INDEX IF NOT EXISTS idx_relation_summary_target ON relation_summary(target_id);
"""


def add_author_column(conn: sqlite3.Connection) -> None:
    """Schema 4: documents gain a nullable `author` (kept NULL for documents stored before); a no-op
    where the column is there already."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    if "author" not in columns:
        conn.execute("ALTER TABLE documents ADD COLUMN author TEXT")


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table, index and the FTS5 index on an empty store, and record the version."""
    db.conn.executescript(_TABLES + ROLLUP_TABLES)
    documents = db.table("documents")
    if not db.table("documents_fts").exists():
        documents.enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True)
    db.execute(
        "INSERT OR REPLACE INTO metadata(key, value) VALUES ('schema_version', ?)",
        [str(SCHEMA_VERSION)],
    )


def missing_tables(conn) -> list[str]:
    """The tables of this schema version that a store lacks (a damaged or hand-edited store)."""
    import re

    from dprk_tui.db.rollups import TABLE_NAMES as ROLLUP_NAMES

    wanted = [*re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", _TABLES), *ROLLUP_NAMES, "documents_fts"]
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [name for name in wanted if name not in present]
