"""Write documents with their mentions and relations to the store, one transaction per document.

Actor counts, the relation_summary aggregates and the date roll-ups (db/rollups.py) are updated in
the same transaction, so the browser never needs a scan of the whole corpus to show them, and a
kill never leaves them out of step with the relations.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime, timezone

import sqlite_utils

from dprk_tui.db import rollups
from dprk_tui.db.article import Article
from dprk_tui.db.comentions import record_document as record_comentions
from dprk_tui.db.corrections import Corrections, latest
from dprk_tui.db.extract.dictionary import Dictionary
from dprk_tui.db.extract.model import Extraction
from dprk_tui.db.extract.names import name_key


class StoreWriter:
    """Adds articles to an open store."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        self._actor_ids: dict[str, int] = {
            name: actor_id for actor_id, name in self.conn.execute("SELECT id, name FROM actors")
        }
        # Analyst corrections (db/corrections.py), re-applied to everything written from now on.
        self.corrections = Corrections.load(self.conn)
        self._corrections_seen = latest(self.conn)

    # -- metadata and dictionary ----------------------------------------------------------------
    def set_metadata(self, values: dict[str, str]) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO metadata(key, value) VALUES (?, ?)", list(values.items())
            )

    def sync_dictionary(self, dictionary: Dictionary) -> None:
        """Add dictionary actors, aliases and roles that the store does not have yet. The actor
        list is read again under the write lock: another ingest may have added them meanwhile."""
        self.conn.execute("BEGIN IMMEDIATE")
        with self.conn:
            self._actor_ids = {name: actor_id for actor_id, name in self.conn.execute("SELECT id, name FROM actors")}
            for entry in dictionary.entries:
                name = self.corrections.canonical(entry.name)  # renamed or merged by an analyst
                actor_id = self._actor_ids.get(name)
                if actor_id is None:
                    actor_id = self.conn.execute(
                        "INSERT INTO actors(name, type, country, sector, surname, origin)"
                        " VALUES (?, ?, ?, ?, ?, 'dictionary')",
                        (name, entry.type, entry.country, entry.sector, entry.surname),
                    ).lastrowid
                    self._actor_ids[name] = actor_id
                    self.conn.executemany(
                        "INSERT INTO roles(actor_id, title, start_date, end_date) VALUES (?, ?, ?, ?)",
                        [(actor_id, r.title, r.start, r.end) for r in entry.roles],
                    )
                self.conn.executemany(
                    "INSERT OR IGNORE INTO aliases(actor_id, alias, key) VALUES (?, ?, ?)",
                    [(actor_id, form, name_key(form)) for form in entry.surface_forms],
                )

    # -- documents ------------------------------------------------------------------------------
    def has_content(self, content_hash: str) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM documents WHERE content_hash = ?", (content_hash,)
            ).fetchone()
            is not None
        )

    def add(self, article: Article, extraction: Extraction) -> int | None:
        """Store one article with everything extracted from it; None when its content is known."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self.has_content(article.content_hash):
                conn.rollback()
                return None
            self._refresh_corrections()
            extraction = self.corrections.apply(extraction)
            document_id = conn.execute(
                "INSERT INTO documents(file, path, title, date, source, words, text, content_hash,"
                " ingested_at, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.file, article.path, article.title, article.date, article.source,
                    article.words, article.text, article.content_hash,
                    datetime.now(timezone.utc).isoformat(timespec="seconds"), article.author,
                ),
            ).lastrowid
            for new in extraction.new_actors.values():
                self._ensure_actor(new.name, new.type)
            conn.executemany(
                "INSERT INTO mentions(document_id, start_char, end_char, text, label, actor_id)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (document_id, m.start, m.end, m.text, m.label,
                     self._actor_ids.get(m.actor) if m.actor else None)
                    for m in extraction.mentions
                ],
            )
            self._count_actors(extraction)
            self._add_relations(document_id, article, extraction)
            record_comentions(conn, document_id)  # issue 4: co-mentions, kept apart from relations
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return document_id

    def _refresh_corrections(self) -> None:
        """Corrections made (by another process) while this writer runs apply from the next
        document on; the actors they merged or renamed are looked up again."""
        seen = latest(self.conn)
        if seen != self._corrections_seen:
            self._corrections_seen = seen
            self.corrections = Corrections.load(self.conn)
            self._actor_ids = {name: actor_id for actor_id, name in self.conn.execute("SELECT id, name FROM actors")}

    def _ensure_actor(self, name: str, kind: str) -> int:
        """The id of an actor by name, folding spelling variants into an existing actor."""
        if name in self._actor_ids:
            return self._actor_ids[name]
        row = self.conn.execute("SELECT id FROM actors WHERE name = ?", (name,)).fetchone()
        if row is not None:  # added by another ingest since this one read the list
            self._actor_ids[name] = row[0]
            return row[0]
        key = name_key(name)
        row = self.conn.execute(
            "SELECT a.id, a.name FROM aliases l JOIN actors a ON a.id = l.actor_id"
            " WHERE l.key = ? AND a.type = ? LIMIT 1",
            (key, kind),
        ).fetchone()
        if row is not None:
            self._actor_ids[name] = row[0]
            self.conn.execute(
                "INSERT OR IGNORE INTO aliases(actor_id, alias, key) VALUES (?, ?, ?)", (row[0], name, key)
            )
            return row[0]
        actor_id = self.conn.execute(
            "INSERT INTO actors(name, type, origin) VALUES (?, ?, 'discovered')", (name, kind)
        ).lastrowid
        self.conn.execute(
            "INSERT INTO aliases(actor_id, alias, key) VALUES (?, ?, ?)", (actor_id, name, key)
        )
        self._actor_ids[name] = actor_id
        return actor_id

    def _count_actors(self, extraction: Extraction) -> None:
        counts = Counter(self._actor_ids[m.actor] for m in extraction.mentions if m.actor)
        self.conn.executemany(
            "UPDATE actors SET mentions = mentions + ?, documents = documents + 1 WHERE id = ?",
            [(count, actor_id) for actor_id, count in counts.items()],
        )

    def _add_relations(self, document_id: int, article: Article, extraction: Extraction) -> None:
        rows = []
        triples: dict[tuple[int, str, int], list[str | None]] = {}
        for r in extraction.relations:
            source, target = self._actor_ids[r.source], self._actor_ids[r.target]
            date = r.date or article.date
            rows.append((document_id, source, target, r.type, date, r.start, r.end, r.trigger))
            triples.setdefault((source, r.type, target), []).append(date)
        self.conn.executemany(
            "INSERT INTO relations(document_id, source_id, target_id, type, date, start_char,"
            " end_char, trigger) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self.conn.executemany(
            "INSERT INTO relation_summary(source_id, type, target_id, events, documents,"
            " first_date, last_date) VALUES (?, ?, ?, ?, 1, ?, ?)"
            " ON CONFLICT(source_id, type, target_id) DO UPDATE SET"
            " events = events + excluded.events, documents = documents + 1,"
            " first_date = CASE WHEN first_date IS NULL OR excluded.first_date < first_date"
            "   THEN coalesce(excluded.first_date, first_date) ELSE first_date END,"
            " last_date = CASE WHEN last_date IS NULL OR excluded.last_date > last_date"
            "   THEN coalesce(excluded.last_date, last_date) ELSE last_date END",
            [
                (source, kind, target, len(dates), min(_dated(dates), default=None),
                 max(_dated(dates), default=None))
                for (source, kind, target), dates in triples.items()
            ],
        )
        rollups.add_document(
            self.conn, document_id, article.source, [(row[1], row[3], row[2], row[4]) for row in rows]
        )


def _dated(dates: list[str | None]) -> list[str]:
    return [date for date in dates if date]
