"""Actors: a profile (name, type, country, aliases, roles, counts), its counterparts (who it has
relations with, of which types, how often), a timeline of its relations, and name look-up.

Counts of mentions and documents are kept on `actors` at ingest, so a profile never counts the
corpus. Counterparts read only the actor's own relations (`relation_summary` by its primary key and
`idx_relation_summary_target`); the timeline reads the actor's months (`actor_months`, kept at
ingest: db/rollups.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dprk_tui.db.queries.paging import FIRST_PAGE, Key, Keyset, Page, keyset_sql, split_rows
from dprk_tui.db.queries.reader import Reader
from dprk_tui.db.queries.relations import RelationQueries

COUNTERPART_ORDER = Keyset(("g.events", "g.id"), descending=True)


@dataclass(frozen=True)
class Role:
    """A position an actor held, with ISO date prefixes (None: unknown or still held)."""

    title: str
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Actor:
    """An actor's profile."""

    id: int
    name: str
    type: str
    country: str | None
    sector: str | None
    origin: str
    mentions: int
    documents: int
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Counterpart:
    """Another actor in relations with the profiled one: `types` is ((type, events), ...)."""

    id: int
    name: str
    actor_type: str
    types: tuple[tuple[str, int], ...]
    events: int
    outgoing: int
    """Events where the profiled actor is the source."""
    incoming: int
    first_date: str | None
    last_date: str | None
    key: Key = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class ActorName:
    """A look-up result: an actor and the name or alias that matched."""

    id: int
    name: str
    type: str
    matched: str
    mentions: int


class ActorQueries:
    """Actor profiles, counterparts, timelines and look-up (`store.actors`), read through `reader`;
    `relations` says whether the store has the roll-ups a timeline reads."""

    def __init__(self, reader: Reader, relations: RelationQueries) -> None:
        self.reader = reader
        self.relations = relations

    def get(self, actor_id: int) -> Actor | None:
        """An actor's profile, or None when there is none of that id."""
        rows = self.reader.rows(
            "SELECT id, name, type, country, sector, origin, mentions, documents FROM actors"
            " WHERE id = ?",
            (actor_id,),
        )
        if not rows:
            return None
        name = rows[0][1]
        aliases = tuple(
            alias
            for (alias,) in self.reader.rows(
                "SELECT alias FROM aliases WHERE actor_id = ? ORDER BY alias", (actor_id,)
            )
            if alias != name
        )
        roles = tuple(
            Role(*row)
            for row in self.reader.rows(
                "SELECT title, start_date, end_date FROM roles WHERE actor_id = ?"
                " ORDER BY coalesce(start_date, ''), id",
                (actor_id,),
            )
        )
        return Actor(*rows[0], aliases=aliases, roles=roles)

    # -- counterparts ---------------------------------------------------------------------------
    _COUNTERPARTS = (
        "FROM (SELECT c.id, group_concat(c.type || ' ' || c.events, ',') AS types,"
        " sum(c.events) AS events, sum(c.outgoing) AS outgoing, sum(c.incoming) AS incoming,"
        " min(c.first_date) AS first_date, max(c.last_date) AS last_date FROM ("
        "  SELECT u.id, u.type, sum(u.events) AS events, sum(u.outgoing) AS outgoing,"
        "  sum(u.incoming) AS incoming, min(u.first_date) AS first_date,"
        "  max(u.last_date) AS last_date FROM ("
        "   SELECT target_id AS id, type, events, events AS outgoing, 0 AS incoming, first_date,"
        "   last_date FROM relation_summary WHERE source_id = ?"
        "   UNION ALL SELECT source_id, type, events, 0, events, first_date, last_date"
        "   FROM relation_summary WHERE target_id = ? AND source_id != ?) u"
        "  GROUP BY u.id, u.type ORDER BY u.id, sum(u.events) DESC, u.type) c"
        " GROUP BY c.id) g JOIN actors a ON a.id = g.id"
    )

    def counterpart_page(self, actor_id: int, page: Page = FIRST_PAGE) -> list[Counterpart]:
        """The actor's counterparts, most events first."""
        sql, params, backwards = keyset_sql(
            "g.id, a.name, a.type, g.types, g.events, g.outgoing, g.incoming, g.first_date,"
            " g.last_date",
            self._COUNTERPARTS,
            [],
            [actor_id, actor_id, actor_id],
            COUNTERPART_ORDER,
            page,
        )
        rows = split_rows(self.reader.rows(sql, params), COUNTERPART_ORDER.width, backwards)
        result = []
        for values, key in rows:
            types = tuple(
                (kind, int(count))
                for kind, _, count in (part.rpartition(" ") for part in (values[3] or "").split(","))
                if kind
            )
            result.append(Counterpart(*values[:3], types, *values[4:], key=key))
        return result

    def counterpart_count(self, actor_id: int) -> int:
        return self.reader.value(
            "SELECT count(*) FROM (SELECT target_id FROM relation_summary WHERE source_id = ?"
            " UNION SELECT source_id FROM relation_summary WHERE target_id = ? AND source_id != ?)",
            (actor_id, actor_id, actor_id),
        )

    # -- timeline -------------------------------------------------------------------------------
    def timeline(self, actor_id: int) -> list[tuple[str, int]]:
        """(YYYY-MM, events) for each month with dated relations of the actor, in order: its row of
        `actor_months` (kept at ingest), or on a version-1 store read as it is, its relations."""
        if self.relations.rolled_up():
            return [
                (month, events)
                for month, events in self.reader.rows(
                    "SELECT month, events FROM actor_months WHERE actor_id = ? AND events > 0"
                    " ORDER BY month",
                    (actor_id,),
                )
            ]
        return [
            (month, count)
            for month, count in self.reader.rows(
                "SELECT substr(u.date, 1, 7) AS month, count(*) FROM ("
                " SELECT date FROM relations WHERE source_id = ?"
                " UNION ALL SELECT date FROM relations WHERE target_id = ? AND source_id != ?) u"
                " WHERE u.date IS NOT NULL AND length(u.date) >= 7 GROUP BY month ORDER BY month",
                (actor_id, actor_id, actor_id),
            )
        ]

    # -- look-up --------------------------------------------------------------------------------
    def names(self, prefix: str, limit: int = 10) -> list[ActorName]:
        """Actors whose canonical name or an alias starts with `prefix` (case and spelling
        variants folded as at ingest), those mentioned most first."""
        key = _fold(prefix)
        if not key:
            return []
        rows = self.reader.rows(
            "SELECT a.id, a.name, a.type, l.alias, a.mentions FROM aliases l"
            " JOIN actors a ON a.id = l.actor_id WHERE l.key >= ? AND l.key < ? LIMIT ?",
            (key, key + "\U0010ffff", limit * 5),
        )
        best: dict[int, ActorName] = {}
        for row in rows:
            found = ActorName(*row)
            if found.id not in best or found.matched == found.name:
                best[found.id] = found
        ranked = sorted(best.values(), key=lambda found: (-found.mentions, found.name))
        return ranked[:limit]

    def resolve(self, text: str) -> ActorName | None:
        """The actor `text` names: its canonical name, else an alias, else the best prefix match."""
        text = text.strip()
        if not text:
            return None
        exact = self.reader.rows(
            "SELECT id, name, type, name, mentions FROM actors WHERE name = ?", (text,)
        )
        if exact:
            return ActorName(*exact[0])
        key = _fold(text)
        rows = self.reader.rows(
            "SELECT a.id, a.name, a.type, l.alias, a.mentions FROM aliases l"
            " JOIN actors a ON a.id = l.actor_id WHERE l.key = ? ORDER BY a.mentions DESC LIMIT 1",
            (key,),
        )
        if rows:
            return ActorName(*rows[0])
        found = self.names(text, limit=1)
        return found[0] if found else None


def _fold(text: str) -> str:
    """The key aliases are stored under (`db.extract.names.name_key`: a light, spaCy-free module)."""
    from dprk_tui.db.extract.names import name_key

    return name_key(text)
