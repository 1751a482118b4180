"""Relations: aggregated by (source, type, target), sortable and filtered (the evidence behind each
aggregate, the sentences that state it, is in db/queries/evidence.py).

Unfiltered, or filtered by actor or type only, the list reads `relation_summary` (kept up to date
at ingest) through one index per sort order. A document source alone reads `relation_sources` (the
summary per source). A page of a date range, of any actor (and perhaps of one type and one source),
is found by walking the roll-ups in sort order (db/queries/range_top.py), meeting a few hundred
triples rather than every triple in range. Otherwise a date range adds up the date roll-ups
(`relation_periods`, or `relation_source_periods` for one source; db/rollups.py): whole decades,
years and months, then the events of at most two partly covered months from `relations` — exactly
what aggregating the relations in range gives; that serves an actor with dates, the last page of a
dated list and the counts. A single document has its aggregates recomputed from its `relations`.
A store without the roll-ups (version 1, read-only; version 2 for a source) has its date ranges
aggregated from `relations`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dprk_tui.db import rollups
from dprk_tui.db.queries.filters import NO_FILTERS, Filters
from dprk_tui.db.queries.paging import FIRST_PAGE, Key, Keyset, Page, date_upper, keyset_sql, split_rows
from dprk_tui.db.queries.range_top import RangeTop
from dprk_tui.db.queries.reader import Reader

_TRIPLE = ("s.source_id", "s.type", "s.target_id")
_AT_MOST = " AND coalesce(r.date, '') <= ?"


@dataclass(frozen=True)
class RelationSort:
    """One order of the Relations pane."""

    name: str
    label: str
    keyset: Keyset


RELATION_SORTS: tuple[RelationSort, ...] = (
    RelationSort("events", "most events", Keyset(("s.events", "coalesce(s.last_date, '')", *_TRIPLE))),
    RelationSort("documents", "most documents", Keyset(("s.documents", "s.events", *_TRIPLE))),
    RelationSort("latest", "latest first", Keyset(("coalesce(s.last_date, '')", "s.events", *_TRIPLE))),
    RelationSort(
        "earliest", "earliest first", Keyset(("coalesce(s.first_date, '~')", *_TRIPLE), descending=False)
    ),
)
"""Sort orders, in the order `s` cycles through them; each is backed by an index on
relation_summary (see db/schema.py)."""

SORTS_BY_NAME: dict[str, RelationSort] = {sort.name: sort for sort in RELATION_SORTS}


@dataclass(frozen=True)
class RelationRow:
    """Relations aggregated by (source, type, target)."""

    source_id: int
    source: str
    type: str
    target_id: int
    target: str
    events: int
    documents: int
    first_date: str | None
    last_date: str | None
    key: Key = field(default=(), compare=False, repr=False)



class RelationQueries:
    """The Relations pane (`store.relations`), read through `reader`."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.use_rollups: bool | None = None
        """None: read the roll-ups where the store has them; False (tests): the version-1 way."""
        self._rollup_versions: tuple[bool, bool] | None = None

    def rolled_up(self, *, by_source: bool = False) -> bool:
        """Whether the store has the date roll-ups (schema 2 or later; a version-1 store opened
        read-only has not), or with `by_source` those per document source too (schema 3). Asked
        once per connection."""
        if self._rollup_versions is None:
            version = self.reader.value("SELECT value FROM metadata WHERE key = 'schema_version'")
            version = int(version) if str(version).isdigit() else 0
            with self.reader.lock:
                dated = version >= 2 and rollups.complete(self.reader.conn)
            self._rollup_versions = (dated, dated and version >= 3)
        if self.use_rollups is not None:
            return self.use_rollups and self._rollup_versions[by_source]
        return self._rollup_versions[by_source]

    # -- aggregates -----------------------------------------------------------------------------
    def _relation_source(
        self, filters: Filters, document_id: int | None
    ) -> tuple[str, list[str], list[Any]]:
        """(FROM clause yielding `s` with the summary's columns, WHERE terms, parameters)."""
        if document_id is None and filters.source is None and not filters.dated:
            where, params = _actor_type_terms(filters, "s")
            return "FROM relation_summary s", where, params
        if document_id is None and filters.dated and self.rolled_up(by_source=filters.source is not None):
            return self._dated_source(filters)
        if document_id is None and not filters.dated and self.rolled_up():
            where, params = _actor_type_terms(filters, "s")
            return "FROM relation_sources s", ["s.doc_source = ?", *where], [filters.source, *params]
        inner, params = relation_terms(filters, document_id)
        joined = " JOIN documents d ON d.id = r.document_id" if filters.source is not None else ""
        # Without a document or an actor to seek by, a date range is the narrowest way in; the
        # planner (which has no statistics) would rather walk the whole table in GROUP BY order.
        hint = (
            " INDEXED BY idx_relations_date"
            if filters.dated and document_id is None and filters.actor_id is None
            else ""
        )
        clause = " WHERE " + " AND ".join(f"({term})" for term in inner) if inner else ""
        source = (
            "FROM (SELECT r.source_id, r.type, r.target_id, count(*) AS events,"
            " count(DISTINCT r.document_id) AS documents, min(r.date) AS first_date,"
            f" max(r.date) AS last_date FROM relations r{hint}{joined}{clause}"
            " GROUP BY r.source_id, r.type, r.target_id) s"
        )
        return source, [], params

    def _dated_source(self, filters: Filters) -> tuple[str, list[str], list[Any]]:
        """The aggregates of the relations dated within the filters' range (and of their actor,
        type and source), added up from the roll-ups' pieces (db/rollups.py RangePlan)."""
        lo = filters.date_from or "0"
        hi = date_upper(filters.date_to) if filters.date_to is not None else None
        with self.reader.lock:
            plan = rollups.plan_range(self.reader.conn, lo, hi)

        def narrowed(alias: str) -> tuple[str, list[Any]]:
            terms, params = _actor_type_terms(filters, alias)
            return "".join(f" AND ({term})" for term in terms), params

        columns = "p.source_id, p.type, p.target_id, p.events, p.documents, p.first_date, p.last_date"
        extra, extra_params = narrowed("p")
        # One source: its own roll-ups, and the relations of its documents.
        table = "relation_periods" if filters.source is None else "relation_source_periods"
        if filters.source is not None:
            extra, extra_params = " AND p.doc_source = ?" + extra, [filters.source, *extra_params]
        documents = (
            " JOIN documents d ON d.id = {0}.document_id AND d.source = ?" if filters.source is not None else ""
        )
        source_params = [filters.source] if filters.source is not None else []
        parts: list[str] = []
        params: list[Any] = []
        if plan.empty:
            parts.append(f"SELECT {columns} FROM {table} p WHERE 0")
        else:
            for precision, low, low_in, high, high_in in plan.periods:
                parts.append(
                    f"SELECT {columns} FROM {table} p WHERE p.precision = {precision}"
                    f" AND p.period {'>=' if low_in else '>'} ?"
                    f"{(' AND p.period <= ?' if high_in else ' AND p.period < ?') if high is not None else ''}"
                    f"{extra}"
                )
                params += [low, *([high] if high is not None else []), *extra_params]
            relation_extra, relation_params = narrowed("r")
            for start, end, end_in in plan.edges:
                # A partly covered month: its events in range, from relations (by date); documents
                # spread over months are not counted here but below, once.
                parts.append(
                    "SELECT r.source_id, r.type, r.target_id, count(*) AS events, count(DISTINCT CASE"
                    " WHEN NOT EXISTS (SELECT 1 FROM relation_spread x WHERE x.source_id = r.source_id"
                    " AND x.type = r.type AND x.target_id = r.target_id AND x.document_id ="
                    " r.document_id) THEN r.document_id END) AS documents, min(r.date) AS first_date,"
                    " max(r.date) AS last_date"
                    f" FROM relations r INDEXED BY idx_relations_date{documents.format('r')}"
                    f" WHERE coalesce(r.date, '') >= ? AND coalesce(r.date, '') {'<=' if end_in else '<'} ?"
                    f"{relation_extra} GROUP BY r.source_id, r.type, r.target_id"
                )
                params += [*source_params, start, end, *relation_params]
            # Documents whose events of one triple fall in several months: once each, if in range.
            spread_extra, spread_params = narrowed("x")
            parts.append(
                "SELECT x.source_id, x.type, x.target_id, 0 AS events, 1 AS documents,"
                f" NULL AS first_date, NULL AS last_date FROM relation_spread x{documents.format('x')}"
                " WHERE EXISTS (SELECT 1 FROM relations r WHERE r.source_id = x.source_id AND"
                " r.type = x.type AND r.target_id = x.target_id AND r.document_id = x.document_id"
                f" AND coalesce(r.date, '') >= ?{_AT_MOST if hi is not None else ''})"
                f"{spread_extra}"
            )
            params += [*source_params, lo, *([hi] if hi is not None else []), *spread_params]
        source = (
            "FROM (SELECT u.source_id, u.type, u.target_id, sum(u.events) AS events,"
            " sum(u.documents) AS documents, min(u.first_date) AS first_date,"
            " max(u.last_date) AS last_date FROM (" + " UNION ALL ".join(parts) + ") u"
            " GROUP BY u.source_id, u.type, u.target_id) s"
        )
        return source, [], params

    def page(
        self,
        page: Page = FIRST_PAGE,
        filters: Filters = NO_FILTERS,
        sort: str = "events",
        document_id: int | None = None,
    ) -> list[RelationRow]:
        """A page of aggregated relations in `sort` order (a name in SORTS_BY_NAME)."""
        keyset = SORTS_BY_NAME[sort].keyset
        ranged = self._range_top_page(page, filters, sort, document_id)
        if ranged is not None:
            return ranged
        source, where, params = self._relation_source(filters, document_id)
        sql, params, backwards = keyset_sql(
            "s.source_id, a.name, s.type, s.target_id, b.name, s.events, s.documents,"
            " s.first_date, s.last_date",
            f"{source} JOIN actors a ON a.id = s.source_id JOIN actors b ON b.id = s.target_id",
            where,
            params,
            keyset,
            page,
        )
        rows = split_rows(self.reader.rows(sql, params), keyset.width, backwards)
        return [RelationRow(*values, key=key) for values, key in rows]

    def _range_top_page(
        self, page: Page, filters: Filters, sort: str, document_id: int | None
    ) -> list[RelationRow] | None:
        """A page of relations in a date range (of any actor; perhaps of one type, in one source's
        documents) met in sort order (db/queries/range_top.py), or None where the whole range is
        added up instead."""
        if (
            document_id is not None or filters.actor_id is not None or not filters.dated
            or page.from_end or not self.rolled_up()
            or (filters.source is not None and not self.rolled_up(by_source=True))
        ):
            return None
        lo = filters.date_from or "0"
        hi = date_upper(filters.date_to) if filters.date_to is not None else None
        with self.reader.lock:
            conn = self.reader.conn
            top = RangeTop(conn, rollups.plan_range(conn, lo, hi), lo, hi, filters.type, filters.source)
            found = top.page(sort, page.limit, page.after, page.before)
            ids = sorted({actor for aggregate, _ in found for actor in (aggregate[0], aggregate[2])})
            names = dict(conn.execute(
                f"SELECT id, name FROM actors WHERE id IN ({', '.join('?' * len(ids))})", ids
            ).fetchall()) if ids else {}
        return [
            RelationRow(s, names[s], kind, t, names[t], events, documents, first, last, key=key)
            for (s, kind, t, events, documents, first, last), key in found
        ]

    def count(self, document_id: int | None = None, filters: Filters = NO_FILTERS) -> int:
        """How many aggregated relations there are (off the UI thread for a whole corpus)."""
        source, where, params = self._relation_source(filters, document_id)
        clause = " WHERE " + " AND ".join(f"({term})" for term in where) if where else ""
        return self.reader.value(f"SELECT count(*) {source}{clause}", params)

    def slice(
        self, offset: int = 0, limit: int = 100, document_id: int | None = None
    ) -> list[RelationRow]:
        """`limit` relations from position `offset`, most events first (for scripts and tests)."""
        rows = self.page(Page(limit=offset + limit), document_id=document_id)
        return rows[offset:]

    def types(self) -> list[str]:
        """Every relation type in the store, in order (read by index seeks, not a scan)."""
        rows = self.reader.rows(
            "WITH RECURSIVE t(type) AS ("
            " SELECT min(type) FROM relation_summary"
            " UNION ALL SELECT (SELECT min(type) FROM relation_summary WHERE type > t.type)"
            " FROM t WHERE t.type IS NOT NULL)"
            " SELECT type FROM t WHERE type IS NOT NULL"
        )
        return [row[0] for row in rows]


def relation_terms(filters: Filters, document_id: int | None) -> tuple[list[str], list[Any]]:
    """WHERE terms over `relations r` (and `documents d` for a source) for these filters."""
    terms: list[str] = []
    params: list[Any] = []
    if document_id is not None:
        terms.append("r.document_id = ?")
        params.append(document_id)
    actor_type, actor_type_params = _actor_type_terms(filters, "r")
    terms += actor_type
    params += actor_type_params
    if filters.dated:
        terms.append("coalesce(r.date, '') >= ?")
        params.append(filters.date_from or "0")
        if filters.date_to is not None:
            terms.append("coalesce(r.date, '') <= ?")
            params.append(date_upper(filters.date_to))
    if filters.source is not None:
        terms.append("d.source = ?")
        params.append(filters.source)
    return terms, params


def _actor_type_terms(filters: Filters, alias: str) -> tuple[list[str], list[Any]]:
    """The actor and type filters as WHERE terms over a table of relations or of relation
    aggregates aliased `alias` (a name written in this module, never user text)."""
    where: list[str] = []
    params: list[Any] = []
    if filters.actor_id is not None:
        where.append(f"{alias}.source_id = ? OR {alias}.target_id = ?")
        params += [filters.actor_id, filters.actor_id]
    if filters.type is not None:
        where.append(f"{alias}.type = ?")
        params.append(filters.type)
    return where, params
