"""`dprk-tui export`: the store's contract with its users, streamed as JSON lines, CSV or JSON.

Field names are fixed (README documents them): documents (id, file, path, title, date, source,
words, text, then author; fields are only ever added after the pinned ones), actors (name, type,
country, aliases, documents, mentions), mentions (file, start, end, text, label, actor), relations
(file, date, source, target, type, evidence, start, end, trigger).
Rows are read in batches, never the whole table at once.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO

from dprk_tui.db.store import Store

TABLES = ("documents", "actors", "mentions", "relations")
FORMATS = ("jsonl", "csv", "json")

_SQL = {
    "documents": (
        "SELECT id, file, path, title, date, source, words, text, {author} AS author FROM documents"
        " {where} ORDER BY id"
    ),
    "actors": (
        "SELECT a.name, a.type, a.country,"
        " (SELECT json_group_array(alias) FROM (SELECT l.alias FROM aliases l"
        "   WHERE l.actor_id = a.id AND l.alias != a.name ORDER BY l.alias)) AS aliases,"
        " a.documents, a.mentions FROM actors a WHERE a.mentions > 0 ORDER BY a.name"
    ),
    "mentions": (
        "SELECT d.file, m.start_char AS start, m.end_char AS [end], m.text, m.label,"
        " a.name AS actor FROM documents d JOIN mentions m ON m.document_id = d.id"
        " LEFT JOIN actors a ON a.id = m.actor_id {where} ORDER BY d.id, m.start_char"
    ),
    "relations": (
        "SELECT d.file, r.date, s.name AS source, t.name AS target, r.type,"
        " substr(d.text, r.start_char + 1, r.end_char - r.start_char) AS evidence,"
        " r.start_char AS start, r.end_char AS [end], r.trigger FROM documents d"
        " JOIN relations r ON r.document_id = d.id JOIN actors s ON s.id = r.source_id"
        " JOIN actors t ON t.id = r.target_id {where} ORDER BY d.id, r.start_char, r.id"
    ),
}


def export_rows(store: Store, table: str, files: Iterable[str] | None = None) -> Iterator[dict]:
    """The rows of one contract table; `files` limits documents, mentions and relations."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    params: list = []
    where = ""
    if files is not None and table != "actors":
        names = list(files)
        where = f"WHERE {'d.' if table != 'documents' else ''}file IN ({','.join('?' * len(names))})"
        params = names
    # A schema-3 store read without write access has no author column: its authors are unknown.
    author = "author" if "author" in store.reader.db["documents"].columns_dict else "NULL"
    sql = _SQL[table].format(where=where, author=author)
    for row in store.reader.iter_rows(sql, params):
        if table == "actors":
            row["aliases"] = json.loads(row["aliases"] or "[]")
        yield row


def write_rows(rows: Iterable[dict], fmt: str, out: IO[str]) -> int:
    """Write rows in `fmt` to `out`; returns how many were written."""
    count = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "json":
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
    elif fmt == "csv":
        writer = None
        for row in rows:
            flat = {k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()}
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(flat))
                writer.writeheader()
            writer.writerow(flat)
            count += 1
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return count
