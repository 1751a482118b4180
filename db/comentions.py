"""Co-mentions: pairs of actors named in the same sentence. A separate, on-request data source,
never mixed with relations (a co-mention states no interaction).

- One document: computed on the fly from its `mentions` rows and its text (cheap).
- The whole store: read from `comention_summary` (per unordered actor pair: sentences, documents,
  first and last document date), which `record_document` keeps up to date at ingest, in the same
  transaction as the document's mentions.

Sentences are found without spaCy (the browser never loads it): line breaks, and sentence-final
punctuation followed by a capital, except after common abbreviations ("Nov.", "U.S.", "Mr.").

This module is the one home of the co-mention row (`Comention`) and of the pairing of actors by
sentence; `db.queries.comentions` pages them for the browser (with the filters), ingest and
corrections keep the summary with `record_document` / `comention_rows`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

ACTOR_B_INDEX = "CREATE INDEX IF NOT EXISTS idx_comention_summary_b ON comention_summary(actor_b)"
SUMMARY_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS comention_summary ("
    " actor_a INTEGER NOT NULL REFERENCES actors(id),"
    " actor_b INTEGER NOT NULL REFERENCES actors(id),"
    " sentences INTEGER NOT NULL, documents INTEGER NOT NULL, first_date TEXT, last_date TEXT,"
    " PRIMARY KEY (actor_a, actor_b))",
    "CREATE INDEX IF NOT EXISTS idx_comention_summary_sentences"
    " ON comention_summary(sentences, documents, actor_a, actor_b)",
    ACTOR_B_INDEX,
)

_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr gen lt col sgt maj capt adm rep sen gov prof amb no vol fig inc corp co ltd "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft u.s u.n u.k e.u d.c n.k s.k p.m a.m".split()
)


@dataclass(frozen=True)
class Comention:
    """Two actors named in the same sentence(s). In one document (`document_id`), `start`/`end` are
    the offsets of the first such sentence; over many documents they are None. `key` is the row's
    place in its list (keyset paging)."""

    actor_a_id: int
    actor_a: str
    actor_b_id: int
    actor_b: str
    sentences: int
    documents: int
    first_date: str | None
    last_date: str | None
    start: int | None = None
    end: int | None = None
    document_id: int | None = None
    key: tuple[Any, ...] = field(default=(), compare=False, repr=False)


Rows = Callable[[str, Sequence[Any]], list[tuple]]
"""Run a query and return its rows (a raw connection's, or `Reader.rows` of a `Store`)."""


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, without surrounding white space."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for cut in _BREAK.finditer(line.group()):
            word = re.search(r"(\S+)$", line.group()[: cut.start()])
            if word and _abbreviation(word.group(1)):
                continue
            spans.append((start, line.start() + cut.start() + 1))
            start = line.start() + cut.end()
        spans.append((start, line.end()))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e - len(text[s:e]) + len(text[s:e].rstrip()))
            for s, e in spans if text[s:e].strip()]


def _abbreviation(word: str) -> bool:
    folded = word.lower().strip("\"'“‘(")
    return folded in _ABBREVIATIONS or (len(folded) == 1 and folded.isalpha()) or bool(
        re.fullmatch(r"(?:[a-z]\.)+[a-z]", folded)
    )


def sentence_pairs(text: str, mentions: Sequence[tuple[int, int]]) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Unordered actor-id pairs -> the sentences (offsets) that name both; `mentions` are
    (start, actor id) in text order."""
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = {}
    index = 0
    for span in sentence_spans(text):
        actors: set[int] = set()
        while index < len(mentions) and mentions[index][0] < span[1]:
            if mentions[index][0] >= span[0]:
                actors.add(mentions[index][1])
            index += 1
        for pair in combinations(sorted(actors), 2):
            pairs.setdefault(pair, []).append(span)
    return pairs


def _document_pairs(rows: Rows, document_id: int) -> tuple[dict[tuple[int, int], list[tuple[int, int]]], str | None]:
    """(pairs -> sentences, the document's date) for one stored document."""
    found = rows("SELECT text, date FROM documents WHERE id = ?", (document_id,))
    if not found:
        return {}, None
    mentions = rows(
        "SELECT start_char, actor_id FROM mentions WHERE document_id = ? AND actor_id IS NOT NULL"
        " ORDER BY start_char",
        (document_id,),
    )
    return sentence_pairs(found[0][0], mentions), found[0][1]


def document_comentions(rows: Rows, document_id: int) -> list[Comention]:
    """Every pair named together in one document, most sentences first, then by position; each
    row's key is its position."""
    pairs, date = _document_pairs(rows, document_id)
    ids = sorted({actor for pair in pairs for actor in pair})
    names: dict[int, str] = {}
    if ids:
        marks = ", ".join("?" * len(ids))
        names = dict(rows(f"SELECT id, name FROM actors WHERE id IN ({marks})", ids))
    found = [
        Comention(a, names.get(a, "?"), b, names.get(b, "?"), len(spans), 1, date, date,
                  spans[0][0], spans[0][1], document_id)
        for (a, b), spans in pairs.items()
    ]
    found.sort(key=lambda row: (-row.sentences, row.start or 0, row.actor_a, row.actor_b))
    return [replace(row, key=(number,)) for number, row in enumerate(found)]


def _connection_rows(conn: sqlite3.Connection) -> Rows:
    return lambda sql, params: conn.execute(sql, list(params)).fetchall()


def record_document(conn: sqlite3.Connection, document_id: int) -> None:
    """Add one stored document's co-mentions to `comention_summary` (call inside its transaction)."""
    ensure_summary(conn)
    pairs, date = _document_pairs(_connection_rows(conn), document_id)
    conn.executemany(
        "INSERT INTO comention_summary(actor_a, actor_b, sentences, documents, first_date, last_date)"
        " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT(actor_a, actor_b) DO UPDATE SET"
        " sentences = sentences + excluded.sentences, documents = documents + 1,"
        " first_date = CASE WHEN first_date IS NULL OR excluded.first_date < first_date"
        "   THEN coalesce(excluded.first_date, first_date) ELSE first_date END,"
        " last_date = CASE WHEN last_date IS NULL OR excluded.last_date > last_date"
        "   THEN coalesce(excluded.last_date, last_date) ELSE last_date END",
        [(a, b, len(spans), date, date) for (a, b), spans in pairs.items()],
    )


def ensure_summary(conn: sqlite3.Connection) -> None:
    """Create `comention_summary` if the store has none (plain statements: safe in a transaction)."""
    if not _has_summary(conn):
        for statement in SUMMARY_SCHEMA:
            conn.execute(statement)
    else:  # stores made before the index (schema version 1): an actor's pairs without a scan
        conn.execute(ACTOR_B_INDEX)


def _has_summary(conn: sqlite3.Connection) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'comention_summary'"
    ).fetchone() is not None


def rebuild_summary(conn: sqlite3.Connection) -> None:
    """Recompute `comention_summary` from every stored document (for stores made before it)."""
    with conn:
        ensure_summary(conn)
        conn.execute("DELETE FROM comention_summary")
        for (document_id,) in conn.execute("SELECT id FROM documents ORDER BY id").fetchall():
            record_document(conn, document_id)


def comention_rows(
    conn: sqlite3.Connection, document_id: int | None = None, offset: int = 0, limit: int = 100
) -> list[Comention]:
    """Co-mention pairs, most sentences first: of one document (computed now), or of the whole
    store (from `comention_summary`; empty when the store has none). For ingest, corrections and
    tests; the browser pages them with `db.queries.comentions`."""
    if document_id is not None:
        return document_comentions(_connection_rows(conn), document_id)[offset: offset + limit]
    if not _has_summary(conn):
        return []
    return [
        Comention(*values)
        for values in conn.execute(
            "SELECT c.actor_a, a.name, c.actor_b, b.name, c.sentences, c.documents, c.first_date, c.last_date"
            " FROM comention_summary c JOIN actors a ON a.id = c.actor_a JOIN actors b ON b.id = c.actor_b"
            " ORDER BY c.sentences DESC, c.documents DESC, c.actor_a DESC, c.actor_b DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
    ]
