"""Analyst corrections to actors: stored in the store, applied at once, re-applied on every ingest.

Three kinds, kept in the `corrections` table (kind, value, target, created_at) and replayed in the
order they were made:

- alias  (value ALIAS, target NAME): the text ALIAS names the actor NAME. At once: ALIAS becomes an
  alias of NAME; mentions written ALIAS that have no actor move to NAME; an actor found in text
  (not a dictionary actor) whose name is ALIAS is merged into NAME. Mentions that the document's
  context linked to some other actor ("Kim" -> Sung Kim) are left alone. An ALIAS that already
  names a dictionary actor is refused (merge instead).
- merge  (value FROM, target INTO): FROM's mentions, relations, aliases and roles become INTO's,
  FROM's name becomes an alias of INTO and FROM is removed. Relations that a merge turns into an
  actor's relation with itself are dropped, and duplicates (the same sentence stating the same
  relation twice) collapse.
- rename (value OLD, target NEW): the actor's canonical name becomes NEW; OLD stays an alias. A NEW
  that already names another actor is refused (merge instead).

Every change updates the actor counts, the relation_summary aggregates, the roll-ups of a merge
(db/rollups.py) and (when the store keeps them) the co-mention aggregates of the actors involved,
in one transaction. On later ingests
`Corrections.apply` maps what the extractor found through the same corrections (names compared by
`name_key`), and `corrected_dictionary` gives the extractor a dictionary that knows the aliases
and names. Corrections export as JSON lines and import into another store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import IO

from dprk_tui.db import rollups
from dprk_tui.db.clean import inert
from dprk_tui.db.errors import DprkError
from dprk_tui.db.extract.dictionary import ActorEntry, Dictionary
from dprk_tui.db.extract.model import Extraction, NewActor, RelationSpan
from dprk_tui.db.extract.names import name_key

KINDS = ("alias", "merge", "rename")

TABLE_SQL = """
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('alias', 'merge', 'rename')),
    value TEXT NOT NULL,
    target TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""


class CorrectionError(DprkError):
    """A correction that cannot be made (unknown actor, name already taken, ...)."""


@dataclass(frozen=True)
class Correction:
    """One analyst correction; `value` is the alias, FROM or OLD, `target` the actor, INTO or NEW."""

    kind: str
    value: str
    target: str
    created_at: str = ""

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "value": self.value, "target": self.target,
                "created_at": self.created_at}


@dataclass(frozen=True)
class Outcome:
    """What a correction changed in the store."""

    correction: Correction
    mentions: int = 0
    relations: int = 0
    merged: tuple[str, ...] = ()
    unchanged: bool = False


# -- the corrections as look-ups ------------------------------------------------------------------
class Corrections:
    """The corrections of a store folded into look-ups by name key."""

    def __init__(self, records: Iterable[Correction] = (), types: dict[str, str] | None = None) -> None:
        self.records = list(records)
        self.types = dict(types or {})  # canonical name -> actor type, for corrected_dictionary
        self._names: dict[str, str] = {}  # key of a former name -> current canonical name
        self._aliases: dict[str, str] = {}  # key of an alias -> canonical name
        for record in self.records:
            self._fold(record)

    def __bool__(self) -> bool:
        return bool(self.records)

    def _fold(self, record: Correction) -> None:
        # Records hold the actors' names as they were when the correction was made.
        if record.kind == "alias":
            self._aliases[name_key(record.value)] = record.target
            self._names[name_key(record.value)] = record.target
            return
        old, new = record.value, record.target
        for mapping in (self._names, self._aliases):
            for key, name in mapping.items():
                if name == old:
                    mapping[key] = new
        self._names[name_key(old)] = new

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Corrections:
        """The corrections stored in a store (none when the store predates the table)."""
        if not _has_table(conn):
            return cls()
        records = [
            Correction(kind, value, target, created)
            for kind, value, target, created in conn.execute(
                "SELECT kind, value, target, created_at FROM corrections ORDER BY id"
            )
        ]
        corrections = cls(records)
        names = set(corrections._names.values())
        corrections.types = {
            name: kind for name, kind in conn.execute("SELECT name, type FROM actors")
            if name in names
        }
        return corrections

    def canonical(self, name: str) -> str:
        """The current name of an actor known by `name` (itself when no correction touches it)."""
        return self._names.get(name_key(name), name)

    def alias_actor(self, text: str) -> str | None:
        """The actor an analyst alias says `text` names, if any."""
        return self._aliases.get(name_key(text))

    # -- re-applying on ingest ------------------------------------------------------------------
    def apply(self, extraction: Extraction) -> Extraction:
        """An extraction with every actor name mapped through the corrections."""
        if not self.records:
            return extraction
        mentions = []
        for m in extraction.mentions:
            actor = self.canonical(m.actor) if m.actor else self.alias_actor(m.text)
            mentions.append(m if actor == m.actor else replace(m, actor=actor))
        new_actors: dict[str, NewActor] = {}
        for new in extraction.new_actors.values():
            name = self.canonical(new.name)
            new_actors.setdefault(name, NewActor(name, self.types.get(name, new.type)))
        relations: dict[tuple[str, str, str, int], RelationSpan] = {}
        for r in extraction.relations:
            source, target = self.canonical(r.source), self.canonical(r.target)
            if source != target:
                relations.setdefault((source, target, r.type, r.start), replace(r, source=source, target=target))
        return Extraction(mentions=mentions, relations=list(relations.values()), new_actors=new_actors)


def corrected_dictionary(dictionary: Dictionary, corrections: Corrections) -> Dictionary:
    """The dictionary with the corrections made to it: renamed entries carry their new name (the
    old one as an alias), merged entries become aliases of the actor they went into, and analyst
    aliases are aliases. Actors found in text that corrections name get an entry of their own."""
    if not corrections:
        return dictionary
    entries: dict[str, ActorEntry] = {}
    moved: list[tuple[str, ActorEntry]] = []
    for entry in dictionary.entries:
        name = corrections.canonical(entry.name)
        if name == entry.name:
            entries[name] = replace(entry, aliases=list(entry.aliases))
        else:
            moved.append((name, entry))
    for name, entry in moved:  # renamed, or merged into another actor
        if name in entries:
            entries[name] = replace(entries[name], aliases=[*entries[name].aliases, *entry.surface_forms])
        else:
            entries[name] = replace(entry, name=name, aliases=list(entry.surface_forms))
    for record in corrections.records:
        name = corrections.canonical(record.target)
        extra = [record.value] if record.kind == "alias" else [record.value, record.target]
        if name not in entries:
            kind = corrections.types.get(name)
            if kind not in ("PERSON", "ORG", "GPE"):
                continue
            entries[name] = ActorEntry(name=name, type=kind)
        entry = entries[name]
        if entry.type == "PERSON":
            # A one-word name pattern would cut full names short ("Ivanka Trump"); such aliases of
            # persons are applied to what the extractor found instead (Corrections.apply).
            extra = [form for form in extra if len(form.split()) > 1]
        entries[name] = replace(entry, aliases=[*entry.aliases, *extra])
    corrected = Dictionary(list(entries.values()), sorted(dictionary.titles.keys), dictionary.patronymics)
    corrected.problems = dictionary.problems
    return corrected


def dictionary_for(conn: sqlite3.Connection) -> Dictionary:
    """The actor dictionary (bundled + user file) with a store's corrections made to it: what the
    extractor should use when it adds documents to that store."""
    from dprk_tui.db.extract.dictionary import load_dictionary

    return corrected_dictionary(load_dictionary(), Corrections.load(conn))


# -- changing a store -----------------------------------------------------------------------------
def ensure_table(conn: sqlite3.Connection) -> None:
    conn.executescript(TABLE_SQL)


def list_corrections(conn: sqlite3.Connection) -> list[Correction]:
    return Corrections.load(conn).records


def make(conn: sqlite3.Connection, correction: Correction) -> Outcome:
    """Check, record and apply one correction to the store, all in one transaction."""
    if correction.kind not in KINDS:
        raise CorrectionError(f"{correction.kind!r}: unknown correction; choose one of {', '.join(KINDS)}")
    for text in (correction.value, correction.target):
        if not name_key(text):
            raise CorrectionError(f"{text!r}: a name needs letters or digits")
        if inert(text) != text:
            raise CorrectionError(f"{text!r}: a name cannot hold control, bidi or invisible characters")
    ensure_table(conn)
    correction = replace(
        correction,
        value=" ".join(correction.value.split()),
        target=" ".join(correction.target.split()),
        created_at=correction.created_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    conn.execute("BEGIN IMMEDIATE")
    try:
        outcome = _APPLY[correction.kind](conn, correction)
        if not outcome.unchanged:
            done = outcome.correction  # with the actors' names as the store spells them
            conn.execute(
                "INSERT INTO corrections(kind, value, target, created_at) VALUES (?, ?, ?, ?)",
                (done.kind, done.value, done.target, done.created_at),
            )
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return outcome


def find_actor(conn: sqlite3.Connection, name: str) -> tuple[int, str, str, str]:
    """(id, name, type, origin) of the actor called `name`: its exact name, else the one actor
    whose name or alias has the same key."""
    row = conn.execute("SELECT id, name, type, origin FROM actors WHERE name = ?", (name,)).fetchone()
    if row is not None:
        return row
    rows = conn.execute(
        "SELECT DISTINCT a.id, a.name, a.type, a.origin FROM aliases l JOIN actors a ON a.id = l.actor_id"
        " WHERE l.key = ?",
        (name_key(name),),
    ).fetchall()
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        names = ", ".join(sorted(r[1] for r in rows))
        raise CorrectionError(f"{name!r}: several actors have this name ({names}); give the full name")
    raise CorrectionError(f"{name!r}: no such actor (find it with `dprk-tui actors list --query`)")


def _owners(conn: sqlite3.Connection, key: str) -> list[tuple[int, str, str, str]]:
    return conn.execute(
        "SELECT DISTINCT a.id, a.name, a.type, a.origin FROM actors a"
        " LEFT JOIN aliases l ON l.actor_id = a.id WHERE l.key = ? ORDER BY a.id",
        (key,),
    ).fetchall()


def _alias(conn: sqlite3.Connection, c: Correction) -> Outcome:
    actor_id, name, kind, _ = find_actor(conn, c.target)
    key = name_key(c.value)
    merged: list[str] = []
    for owner_id, owner, _, origin in _owners(conn, key):
        if owner_id == actor_id:
            continue
        if origin != "discovered":
            raise CorrectionError(
                f"{c.value!r} already names {owner}; to make them one actor use"
                f" `dprk-tui actors merge {owner!r} {name!r}`"
            )
        _merge_ids(conn, owner_id, actor_id)
        merged.append(owner)
    known = conn.execute(
        "SELECT 1 FROM aliases WHERE actor_id = ? AND key = ?", (actor_id, key)
    ).fetchone()
    conn.execute(
        "INSERT OR IGNORE INTO aliases(actor_id, alias, key) VALUES (?, ?, ?)", (actor_id, c.value, key)
    )
    _key_function(conn)
    moved = conn.execute(
        "UPDATE mentions SET actor_id = ? WHERE actor_id IS NULL AND dprk_name_key(text) = ?",
        (actor_id, key),
    ).rowcount
    if known and not merged and not moved:
        return Outcome(replace(c, target=name), unchanged=True)
    _recount(conn, [actor_id])
    return Outcome(replace(c, target=name), mentions=moved, merged=tuple(merged))


def _merge(conn: sqlite3.Connection, c: Correction) -> Outcome:
    source_id, source, _, _ = find_actor(conn, c.value)
    target_id, target, _, _ = find_actor(conn, c.target)
    if source_id == target_id:
        raise CorrectionError(f"{c.value!r} and {c.target!r} are the same actor ({target})")
    mentions, relations = _merge_ids(conn, source_id, target_id)
    return Outcome(replace(c, value=source, target=target), mentions=mentions, relations=relations,
                   merged=(source,))


def _rename(conn: sqlite3.Connection, c: Correction) -> Outcome:
    actor_id, old, _, _ = find_actor(conn, c.value)
    new = c.target
    if new == old:
        return Outcome(replace(c, value=old), unchanged=True)
    for owner_id, owner, _, _ in _owners(conn, name_key(new)):
        if owner_id != actor_id:
            raise CorrectionError(
                f"{new!r} already names {owner}; to make them one actor use"
                f" `dprk-tui actors merge {old!r} {owner!r}`"
            )
    taken = conn.execute("SELECT 1 FROM actors WHERE name = ? AND id != ?", (new, actor_id)).fetchone()
    if taken:
        raise CorrectionError(f"{new!r} is the name of another actor; use `dprk-tui actors merge`")
    conn.execute("UPDATE actors SET name = ? WHERE id = ?", (new, actor_id))
    conn.executemany(
        "INSERT OR IGNORE INTO aliases(actor_id, alias, key) VALUES (?, ?, ?)",
        [(actor_id, old, name_key(old)), (actor_id, new, name_key(new))],
    )
    return Outcome(replace(c, value=old))


_APPLY = {"alias": _alias, "merge": _merge, "rename": _rename}


def _merge_ids(conn: sqlite3.Connection, source_id: int, target_id: int) -> tuple[int, int]:
    """Move everything of actor `source_id` to `target_id` and delete the former; returns the
    numbers of mentions and relations moved."""
    mentions = conn.execute(
        "UPDATE mentions SET actor_id = ? WHERE actor_id = ?", (target_id, source_id)
    ).rowcount
    rolled_up = rollups.has_rollups(conn)
    if rolled_up:  # the date roll-ups of both actors' relations go, and come back below
        rollups.forget_actors(conn, [source_id, target_id])
    relations = conn.execute(
        "UPDATE relations SET source_id = ? WHERE source_id = ?", (target_id, source_id)
    ).rowcount
    relations += conn.execute(
        "UPDATE relations SET target_id = ? WHERE target_id = ?", (target_id, source_id)
    ).rowcount
    conn.execute("DELETE FROM relations WHERE source_id = ? AND target_id = ?", (target_id, target_id))
    conn.execute(
        "DELETE FROM relations WHERE (source_id = ?1 OR target_id = ?1) AND id NOT IN ("
        " SELECT min(id) FROM relations WHERE source_id = ?1 OR target_id = ?1"
        " GROUP BY document_id, source_id, target_id, type, start_char)",
        (target_id,),
    )
    conn.execute(
        "INSERT OR IGNORE INTO aliases(actor_id, alias, key)"
        " SELECT ?, alias, key FROM aliases WHERE actor_id = ?",
        (target_id, source_id),
    )
    name = conn.execute("SELECT name FROM actors WHERE id = ?", (source_id,)).fetchone()[0]
    conn.execute(
        "INSERT OR IGNORE INTO aliases(actor_id, alias, key) VALUES (?, ?, ?)",
        (target_id, name, name_key(name)),
    )
    conn.execute("DELETE FROM aliases WHERE actor_id = ?", (source_id,))
    conn.execute("UPDATE roles SET actor_id = ? WHERE actor_id = ?", (target_id, source_id))
    conn.execute(
        "UPDATE actors SET country = coalesce(country, (SELECT country FROM actors WHERE id = ?2)),"
        " sector = coalesce(sector, (SELECT sector FROM actors WHERE id = ?2)),"
        " surname = coalesce(surname, (SELECT surname FROM actors WHERE id = ?2)) WHERE id = ?1",
        (target_id, source_id),
    )
    conn.execute("DELETE FROM relation_summary WHERE source_id = ?1 OR target_id = ?1", (source_id,))
    if _has_table(conn, "comention_summary"):
        conn.execute("DELETE FROM comention_summary WHERE actor_a = ?1 OR actor_b = ?1", (source_id,))
    conn.execute("DELETE FROM actors WHERE id = ?", (source_id,))
    if rolled_up:
        rollups.derive_actors(conn, [target_id])
    _recount(conn, [target_id])
    return mentions, relations


def _recount(conn: sqlite3.Connection, actor_ids: list[int]) -> None:
    """Recompute the mention and document counts and the relation_summary rows of some actors."""
    marks = ",".join("?" * len(actor_ids))
    conn.execute(
        "UPDATE actors SET"
        " mentions = (SELECT count(*) FROM mentions WHERE actor_id = actors.id),"
        " documents = (SELECT count(DISTINCT document_id) FROM mentions WHERE actor_id = actors.id)"
        f" WHERE id IN ({marks})",
        actor_ids,
    )
    conn.execute(
        f"DELETE FROM relation_summary WHERE source_id IN ({marks}) OR target_id IN ({marks})",
        [*actor_ids, *actor_ids],
    )
    conn.execute(
        "INSERT INTO relation_summary(source_id, type, target_id, events, documents, first_date,"
        " last_date) SELECT source_id, type, target_id, count(*), count(DISTINCT document_id),"
        " min(date), max(date) FROM relations"
        f" WHERE source_id IN ({marks}) OR target_id IN ({marks}) GROUP BY source_id, type, target_id",
        [*actor_ids, *actor_ids],
    )
    _recount_comentions(conn, actor_ids)


def _recount_comentions(conn: sqlite3.Connection, actor_ids: list[int]) -> None:
    """Recompute the co-mention aggregates (db/comentions.py, when the store has them) of the
    pairs that involve some actors, from the documents that mention those actors."""
    try:
        from dprk_tui.db.comentions import comention_rows
    except ImportError:  # a store layout without co-mentions
        return
    if not _has_table(conn, "comention_summary"):
        return
    wanted = set(actor_ids)
    marks = ",".join("?" * len(actor_ids))
    conn.execute(
        f"DELETE FROM comention_summary WHERE actor_a IN ({marks}) OR actor_b IN ({marks})",
        [*actor_ids, *actor_ids],
    )
    ids = {name: actor_id for actor_id, name in conn.execute("SELECT id, name FROM actors")}
    totals: dict[tuple[int, int], list] = {}  # pair -> [sentences, documents, first, last]
    documents = conn.execute(
        f"SELECT DISTINCT document_id FROM mentions WHERE actor_id IN ({marks})", actor_ids
    ).fetchall()
    for (document_id,) in documents:
        for row in comention_rows(conn, document_id, 0, 1_000_000):
            a, b = sorted((ids[row.actor_a], ids[row.actor_b]))
            if a not in wanted and b not in wanted:
                continue
            total = totals.setdefault((a, b), [0, 0, None, None])
            total[0] += row.sentences
            total[1] += 1
            if row.first_date:
                total[2] = min(total[2] or row.first_date, row.first_date)
                total[3] = max(total[3] or row.last_date, row.last_date)
    conn.executemany(
        "INSERT INTO comention_summary(actor_a, actor_b, sentences, documents, first_date, last_date)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(a, b, *total) for (a, b), total in totals.items()],
    )


def _key_function(conn: sqlite3.Connection) -> None:
    conn.create_function("dprk_name_key", 1, lambda text: name_key(text or ""), deterministic=True)


def latest(conn: sqlite3.Connection) -> int | None:
    """The id of the newest correction (None when there is none): a writer that saw another value
    knows corrections were made since."""
    if not _has_table(conn):
        return None
    return conn.execute("SELECT max(id) FROM corrections").fetchone()[0]


def _has_table(conn: sqlite3.Connection, name: str = "corrections") -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone() is not None


# -- export and import ----------------------------------------------------------------------------
def write_jsonl(records: Iterable[Correction], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        count += 1
    return count


def read_jsonl(lines: Iterable[str], where: str) -> Iterator[Correction]:
    """Corrections from JSON lines (as `write_jsonl` writes them); a bad line raises
    CorrectionError naming `where` and the line number."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorrectionError(f"{where}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or not all(isinstance(obj.get(k), str) for k in ("kind", "value", "target")):
            raise CorrectionError(f"{where}:{number}: expected an object with kind, value and target")
        if obj["kind"] not in KINDS:
            raise CorrectionError(f"{where}:{number}: {obj['kind']!r} is not one of {', '.join(KINDS)}")
        yield Correction(obj["kind"], obj["value"], obj["target"], str(obj.get("created_at") or ""))
