"""The actor listing behind `dprk-tui actors list`: actors most mentioned first, with their aliases,
optionally only those whose name or an alias contains a folded search key."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class ActorListing:
    """One actor as `actors list` prints it."""

    name: str
    type: str
    country: str | None
    documents: int
    mentions: int
    origin: str
    """dictionary, user or discovered (found in text)."""
    aliases: tuple[str, ...]
    """Every other name, sorted."""

    def as_json(self) -> dict:
        return {
            "name": self.name, "type": self.type, "country": self.country, "documents": self.documents,
            "mentions": self.mentions, "origin": self.origin, "aliases": list(self.aliases),
        }


def list_actors(
    conn: sqlite3.Connection, *, key: str | None = None, include_all: bool = False, limit: int = 200
) -> list[ActorListing]:
    """Up to `limit` actors, most mentioned first. `key`: a name key (db.extract.names.name_key)
    that a name or alias must contain; `include_all`: also actors no document mentions."""
    where = ["1 = 1" if include_all else "a.mentions > 0"]
    params: list = []
    if key is not None:
        where.append("a.id IN (SELECT actor_id FROM aliases WHERE instr(key, ?) > 0)")
        params.append(key)
    rows = conn.execute(
        "SELECT a.name, a.type, a.country, a.documents, a.mentions, a.origin,"
        " (SELECT json_group_array(alias) FROM (SELECT alias FROM aliases l"
        "   WHERE l.actor_id = a.id AND l.alias != a.name ORDER BY alias)) FROM actors a"
        f" WHERE {' AND '.join(where)} ORDER BY a.mentions DESC, a.name LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [
        ActorListing(name, kind, country, documents, mentions, origin, tuple(json.loads(aliases or "[]")))
        for name, kind, country, documents, mentions, origin, aliases in rows
    ]
