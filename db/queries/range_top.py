"""A page of a date-filtered Relations list without adding up every triple in range.

Adding up the roll-ups of a long date range reads every (source, type, target) active in it: about
50,000 period rows a year at 1M documents, 1.8 µs each, so a range of ten years takes a second.
A page wants only `limit` rows, and for each order there is a cheap way to meet its rows first:

- most events / most documents (Fagin's threshold algorithm): triples are read in descending
  order of counts that bound their count in range from above — their count over all dates
  (`relation_summary`, or `relation_sources` for one source) and, for a range of a few periods,
  each period's own roll-up rows by events (their sum over the range's periods bounds it) — in
  growing batches, until the page's last row counts more in range than any triple not met can.
  A triple met is counted in range by primary-key seeks into the roll-ups (one per period); when
  the range cuts months, the cut months' relations are read only for the triples whose bound
  (the whole months' rows) could still place them on the page.
- latest / earliest first: the relations are walked by date from the range's end (start)
  inward, a growing number at a time; a triple met there has its last (first) date in range
  where it is met, and every triple not met yet has it beyond the walk's frontier. For a narrow
  source (few of the relations walked would be its own), its month roll-ups are walked instead.

The counts of the triples met are exact: the same pieces as db/queries/relations.py adds up for
every triple (whole periods, partly covered months from `relations`, documents spread over months
once), restricted to the triples met. A page before a key (paging back up) meets every triple
down to the key in the date orders; pages from the end of a list are not served here: the caller
aggregates the whole range.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from db.rollups import RangePlan, prefix_end

Triple = tuple[int, str, int]
Aggregate = tuple[int, str, int, int, int, str | None, str | None]
"""(source_id, type, target_id, events, documents, first_date, last_date)."""

FIRST_BATCH = 128
GROWTH = 4
WIDE_SOURCE = 0.05
"""A source with at least this share of the relations is walked by date through its relations; a
narrower one by its month roll-ups."""
MAX_PERIOD_LISTS = 8
"""Ranges of more periods (and partly covered months) than this are walked by the summary only."""
PERIOD_INDEX = "idx_relation_periods_events"
SOURCE_PERIOD_INDEX = "idx_relation_source_periods_events"


@dataclass
class SortedList:
    """One list of triples walked in descending order of a count that bounds the triple's count
    in range: relation_summary (all dates), or one period's roll-up rows (their sum over the
    range's periods bounds it). `keys` are the index's columns, the bounding count first."""

    table: str
    terms: list[str]
    params: list[Any]
    keys: tuple[str, ...]
    last: tuple | None = None
    exhausted: bool = False

    @property
    def frontier(self) -> int:
        """The count of the last triple read: no triple not read yet counts more here."""
        if self.exhausted:
            return 0
        return self.last[0] if self.last is not None else 1 << 62

    def read(self, conn: sqlite3.Connection, size: int) -> list[Triple]:
        if self.exhausted:
            return []
        terms = list(self.terms)
        params = list(self.params)
        if self.last is not None:
            terms.append(f"{self.keys[0]} <= ? AND ({', '.join(self.keys)}) < ({', '.join('?' * len(self.keys))})")
            params += [self.last[0], *self.last]
        where = f" WHERE {' AND '.join(terms)}" if terms else ""
        rows = conn.execute(
            f"SELECT source_id, type, target_id, {', '.join(self.keys)} FROM {self.table}{where}"
            f" ORDER BY {', '.join(key + ' DESC' for key in self.keys)} LIMIT ?",
            [*params, size],
        ).fetchall()
        if rows:
            self.last = tuple(rows[-1][3:])
        self.exhausted = len(rows) < size
        return [(row[0], row[1], row[2]) for row in rows]


def _ceiling(lists: Sequence[SortedList]) -> int:
    """What a triple met in none of the lists can count in range at most: its count over all
    dates, and the sum of its counts over the range's periods (when those lists are walked)."""
    summary = lists[0].frontier if not lists[0].exhausted else 0
    periods = [ranked.frontier for ranked in lists[1:]]
    return min(summary, sum(periods)) if periods else summary


def sort_key(sort: str) -> Callable[[Aggregate], tuple]:
    """The key of an aggregate in a Relations order: the values of its `Keyset` (relations.py)."""
    if sort == "events":
        return lambda a: (a[3], a[6] or "", a[0], a[1], a[2])
    if sort == "documents":
        return lambda a: (a[4], a[3], a[0], a[1], a[2])
    if sort == "latest":
        return lambda a: (a[6] or "", a[3], a[0], a[1], a[2])
    if sort == "earliest":
        return lambda a: (a[5] or "~", a[0], a[1], a[2])
    raise ValueError(sort)


DESCENDING = {"events": True, "documents": True, "latest": True, "earliest": False}


class RangeTop:
    """The rows of one page of relations dated in [lo, hi] (hi None: no end), of one type or any,
    in documents of one source or any, in `sort` order; the connection is used under the caller's
    lock."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        plan: RangePlan,
        lo: str,
        hi: str | None,
        relation_type: str | None,
        doc_source: str | None = None,
    ) -> None:
        self.conn = conn
        self.source = doc_source
        self.plan = plan
        self.lo = lo
        self.hi = hi
        self.type = relation_type
        self._periods: list[tuple[int, str]] | None = None
        self._known: dict[Triple, Aggregate | None] = {}
        """Triples counted exactly (None: nothing in range)."""
        self._pending: dict[Triple, int] = {}
        """Triples met but only bounded: at most this many events in range."""

    # -- the page ---------------------------------------------------------------------------------
    def page(
        self, sort: str, limit: int, after: tuple | None = None, before: tuple | None = None
    ) -> list[tuple[Aggregate, tuple]]:
        """(aggregate, key) of the page's rows in list order."""
        if self.plan.empty or limit == 0:
            return []
        if sort in ("events", "documents"):
            return self._by_count(sort, limit, after, before)
        if self.source is not None and self._source_share() < WIDE_SOURCE:
            return self._by_month(sort, limit, after, before)
        return self._by_date(sort, limit, after, before)

    def _by_count(
        self, sort: str, limit: int, after: tuple | None, before: tuple | None
    ) -> list[tuple[Aggregate, tuple]]:
        key = sort_key(sort)
        lists = self._count_lists(sort)
        size = FIRST_BATCH
        while True:
            for ranked in lists:
                met = ranked.read(self.conn, size)
                if self.plan.edges:  # exact counts (reading relations) only for those that may place
                    self._bound(met)
                else:
                    self._learn(met)
            ceiling = _ceiling(lists)  # no triple not met counts more than this in range
            found = self._settle(key, limit, after, before, ceiling)
            if found is not None:
                return found
            size *= GROWTH

    def _settle(
        self, key: Callable[[Aggregate], tuple], limit: int, after: tuple | None, before: tuple | None,
        ceiling: int,
    ) -> list[tuple[Aggregate, tuple]] | None:
        """The page, once no triple not met (at most `ceiling` in range) and no triple met but only
        bounded (at most its bound) can be on it; None while one might, and more must be read.
        Bounded triples are counted exactly best bound first, as far as it matters."""
        while True:
            rows = self._qualifying(key, True, after, before)
            waiting = sorted(self._pending.items(), key=lambda item: item[1], reverse=True)
            top = waiting[0][1] if waiting else 0
            if before is not None:  # every triple counting at least the key's count in range
                if top >= before[0]:
                    self._learn([triple for triple, bound in waiting if bound >= before[0]])
                    continue
                return _cut(rows, limit, True) if ceiling < max(1, before[0]) else None
            bar = key(rows[limit - 1][0])[0] if len(rows) >= limit else None
            if bar is not None and bar > max(ceiling, top):
                return _cut(rows, limit, False)
            if waiting and (bar is None or top >= bar):
                self._learn([triple for triple, bound in waiting[:limit] if bar is None or bound >= bar])
                continue
            return _cut(rows, limit, False) if ceiling < 1 else None

    def _count_lists(self, sort: str) -> list[SortedList]:
        """The lists walked for a count order: the summary (over all dates) and, when the range is
        a few periods and the store has the index for it, each period's roll-up by events (of the
        source's documents, with a source)."""
        scope_terms = [*(["doc_source = ?"] if self.source is not None else []),
                       *(["type = ?"] if self.type is not None else [])]
        scope_params = [value for value in (self.source, self.type) if value is not None]
        if self.source is not None:  # documents <= events: one order bounds both counts
            lists = [SortedList("relation_sources INDEXED BY idx_relation_sources_events", scope_terms,
                                scope_params, ("events", "source_id", "type", "target_id"))]
        elif sort == "events":
            lists = [SortedList("relation_summary", scope_terms, scope_params,
                                ("events", "coalesce(last_date, '')", "source_id", "type", "target_id"))]
        else:
            lists = [SortedList("relation_summary", scope_terms, scope_params,
                                ("documents", "events", "source_id", "type", "target_id"))]
        months = [(7, start[:7]) for start, _, _ in self.plan.edges]
        pieces = [*self.periods(), *months]
        if len(pieces) <= MAX_PERIOD_LISTS and self._has_period_index():
            for precision, period in pieces:
                lists.append(SortedList(
                    f"{self._periods_table()} INDEXED BY {self._period_index()}",
                    [*scope_terms, "precision = ?", "period = ?"],
                    [*scope_params, precision, period],
                    ("events", "source_id", "type", "target_id"),
                ))
        return lists

    def _periods_table(self) -> str:
        return "relation_periods" if self.source is None else "relation_source_periods"

    def _period_index(self) -> str:
        return PERIOD_INDEX if self.source is None else SOURCE_PERIOD_INDEX

    def _has_period_index(self) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (self._period_index(),)
        ).fetchone() is not None

    def _by_date(
        self, sort: str, limit: int, after: tuple | None, before: tuple | None
    ) -> list[tuple[Aggregate, tuple]]:
        key = sort_key(sort)
        latest = sort == "latest"
        low, high = self.lo, self.hi
        if after is not None:  # rows after the key are dated no later (no earlier) than it
            low, high = (low, _lower(high, after[0])) if latest else (max(low, after[0]), high)
        if before is not None:  # rows before it: every triple with a date from the key's on
            low, high = (max(low, before[0]), high) if latest else (low, _lower(high, before[0]))
        size = max(FIRST_BATCH, 4 * limit)
        joined = " JOIN documents d ON d.id = r.document_id AND d.source = ?" if self.source is not None else ""
        while True:
            # One lower and one upper bound: SQLite seeks by one of each only.
            terms = ["coalesce(r.date, '') >= ?", *(["coalesce(r.date, '') <= ?"] if high is not None else [])]
            params: list[Any] = [*([self.source] if self.source is not None else []), low,
                                 *([high] if high is not None else [])]
            if self.type is not None:
                terms.append("r.type = ?")
                params.append(self.type)
            met = self.conn.execute(
                "SELECT r.source_id, r.type, r.target_id, coalesce(r.date, '') FROM relations r"
                f" INDEXED BY idx_relations_date{joined} WHERE {' AND '.join(terms)}"
                f" ORDER BY coalesce(r.date, '') {'DESC' if latest else ''} LIMIT ?",
                [*params, size],
            ).fetchall()
            self._learn(list(dict.fromkeys((row[0], row[1], row[2]) for row in met)))
            rows = self._qualifying(key, latest, after, before)
            if len(met) < size:
                return _cut(rows, limit, before is not None)
            frontier = met[-1][3]  # everything beyond it was walked; the next walk starts there
            low, high = (low, frontier) if latest else (frontier, high)
            # Triples not met have their last (first) date at the frontier or beyond it.
            if before is None and len(rows) >= limit and (
                key(rows[limit - 1][0])[0] > frontier if latest else key(rows[limit - 1][0])[0] < frontier
            ):
                return _cut(rows, limit, False)
            size *= GROWTH

    def _by_month(
        self, sort: str, limit: int, after: tuple | None, before: tuple | None
    ) -> list[tuple[Aggregate, tuple]]:
        """The date orders within a narrow source: its month roll-ups walked by month from the
        range's end (start) inward, as `_by_date` walks relations (where few of them would be of
        the source's documents). A month is read whole, so a wide source is walked by date."""
        key = sort_key(sort)
        latest = sort == "latest"
        low, high = self.lo[:7], self.hi[:7] if self.hi is not None else None
        if after is not None:
            low, high = (low, _lower(high, after[0][:7])) if latest else (max(low, after[0][:7]), high)
        if before is not None:
            low, high = (max(low, before[0][:7]), high) if latest else (low, _lower(high, before[0][:7]))
        size = max(FIRST_BATCH, 4 * limit)
        while True:
            terms = ["doc_source = ?", "precision = 7", "period >= ?"]
            params: list[Any] = [self.source, low]
            if high is not None:
                terms.append("period <= ?")
                params.append(high)
            if self.type is not None:
                terms.append("type = ?")
                params.append(self.type)
            met = self.conn.execute(
                "SELECT source_id, type, target_id, period FROM relation_source_periods"
                f" WHERE {' AND '.join(terms)} ORDER BY period {'DESC' if latest else ''} LIMIT ?",
                [*params, size],
            ).fetchall()
            self._learn(list(dict.fromkeys((row[0], row[1], row[2]) for row in met)))
            rows = self._qualifying(key, latest, after, before)
            if len(met) < size:
                return _cut(rows, limit, before is not None)
            frontier = met[-1][3]
            low, high = (low, frontier) if latest else (frontier, high)
            # Triples not met are dated in the frontier's month or beyond it.
            if before is None and len(rows) >= limit and (
                key(rows[limit - 1][0])[0] >= prefix_end(frontier) if latest
                else key(rows[limit - 1][0])[0] < frontier
            ):
                return _cut(rows, limit, False)
            size *= GROWTH

    def _source_share(self) -> float:
        """The source's share of all relations, about (its date walk reads 1/share relations); the
        highest relation id stands for their number."""
        total = self.conn.execute("SELECT max(id) FROM relations").fetchone()[0] or 0
        mine = self.conn.execute(
            "SELECT sum(events) FROM relation_sources WHERE doc_source = ?", (self.source,)
        ).fetchone()[0] or 0
        return mine / total if total else 0.0

    def _qualifying(
        self, key: Callable[[Aggregate], tuple], descending: bool, after: tuple | None, before: tuple | None
    ) -> list[tuple[Aggregate, tuple]]:
        """The aggregates met so far that belong on the page, closest to its start first."""
        rows = [(aggregate, key(aggregate)) for aggregate in self._known.values() if aggregate is not None]
        if after is not None:
            rows = [row for row in rows if (row[1] < after if descending else row[1] > after)]
        if before is not None:
            rows = [row for row in rows if (row[1] > before if descending else row[1] < before)]
            return sorted(rows, key=lambda row: row[1], reverse=not descending)
        return sorted(rows, key=lambda row: row[1], reverse=descending)

    # -- counts in range of the triples met --------------------------------------------------------
    def _learn(self, triples: Sequence[Triple]) -> None:
        """Count the triples in range, exactly."""
        new = [triple for triple in triples if triple not in self._known]
        if not new:
            return
        for triple in new:
            self._known[triple] = None
            self._pending.pop(triple, None)
        for row in self._aggregates(new):
            self._known[(row[0], row[1], row[2])] = row

    def _bound(self, triples: Sequence[Triple]) -> None:
        """Bound the triples' events in range from above by their whole periods' and their partly
        covered months' roll-up rows (index seeks; the months' exact part needs relations)."""
        new = [t for t in dict.fromkeys(triples) if t not in self._known and t not in self._pending]
        if not new:
            return
        pieces = [*self.periods(), *((7, start[:7]) for start, _, _ in self.plan.edges)]
        sourced = " AND p.doc_source = ?" if self.source is not None else ""
        rows = self.conn.execute(
            "WITH met(source_id, type, target_id) AS (SELECT value ->> 0, value ->> 1, value ->> 2"
            " FROM json_each(?)) SELECT p.source_id, p.type, p.target_id, sum(p.events) FROM met"
            " CROSS JOIN (SELECT value ->> 0 AS precision, value ->> 1 AS period FROM json_each(?)) w"
            f" CROSS JOIN {self._periods_table()} p ON p.precision = w.precision AND p.period = w.period"
            " AND p.source_id = met.source_id AND p.type = met.type AND p.target_id = met.target_id"
            f"{sourced} GROUP BY p.source_id, p.type, p.target_id",
            [json.dumps(new), json.dumps(pieces), *([self.source] if self.source is not None else [])],
        ).fetchall()
        for triple in new:  # no roll-up row: nothing in range
            self._known[triple] = None
        for source_id, kind, target_id, events in rows:
            del self._known[(source_id, kind, target_id)]
            self._pending[(source_id, kind, target_id)] = events

    def periods(self) -> list[tuple[int, str]]:
        """The (precision, period) roll-up keys wholly inside the range: the plan's period ranges
        made explicit by seeks along the primary key."""
        if self._periods is None:
            found: list[tuple[int, str]] = []
            for precision, low, low_in, high, high_in in self.plan.periods:
                current = self._next_period(precision, low, low_in)
                while current is not None and (
                    high is None or current < high or (high_in and current == high)
                ):
                    found.append((precision, current))
                    current = self._next_period(precision, current, False)
            self._periods = found
        return self._periods

    def _next_period(self, precision: int, start: str, inclusive: bool) -> str | None:
        return self.conn.execute(
            f"SELECT min(period) FROM relation_periods WHERE precision = ? AND period {'>=' if inclusive else '>'} ?",
            (precision, start),
        ).fetchone()[0]

    def _aggregates(self, triples: Sequence[Triple]) -> list[Aggregate]:
        """Each triple's events, documents, first and last date within the range."""
        met = "met(source_id, type, target_id) AS (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))"
        parts: list[str] = []
        params: list[Any] = [json.dumps(triples)]
        same = "{0}.source_id = met.source_id AND {0}.type = met.type AND {0}.target_id = met.target_id"
        # With a source: the source's roll-ups, and relations of its documents only.
        sourced = " AND p.doc_source = ?" if self.source is not None else ""
        source_params = [self.source] if self.source is not None else []
        documents = (
            " JOIN documents d ON d.id = {0}.document_id AND d.source = ?" if self.source is not None else ""
        )
        periods = self.periods()
        if periods:
            parts.append(
                "SELECT p.source_id, p.type, p.target_id, p.events, p.documents, p.first_date, p.last_date"
                " FROM met CROSS JOIN (SELECT value ->> 0 AS precision, value ->> 1 AS period"
                f" FROM json_each(?)) w CROSS JOIN {self._periods_table()} p"
                f" ON p.precision = w.precision AND p.period = w.period AND {same.format('p')}{sourced}"
            )
            params += [json.dumps(periods), *source_params]
        for start, end, end_in in self.plan.edges:
            # A partly covered month: its events in range, from relations; documents spread over
            # months are not counted here but below, once.
            parts.append(
                "SELECT r.source_id, r.type, r.target_id, count(*), count(DISTINCT CASE"
                " WHEN NOT EXISTS (SELECT 1 FROM relation_spread x WHERE x.source_id = r.source_id"
                " AND x.type = r.type AND x.target_id = r.target_id AND x.document_id ="
                " r.document_id) THEN r.document_id END), min(r.date), max(r.date)"
                " FROM met CROSS JOIN relations r INDEXED BY idx_relations_triple"
                f" ON {same.format('r')} AND coalesce(r.date, '') >= ?"
                f" AND coalesce(r.date, '') {'<=' if end_in else '<'} ?{documents.format('r')}"
                " GROUP BY r.source_id, r.type, r.target_id"
            )
            params += [start, end, *source_params]
        # Documents whose events of one triple fall in several months: once each, if in range.
        at_most = " AND coalesce(r.date, '') <= ?" if self.hi is not None else ""
        parts.append(
            "SELECT x.source_id, x.type, x.target_id, 0, 1, NULL, NULL"
            f" FROM met CROSS JOIN relation_spread x ON {same.format('x')}{documents.format('x')}"
            " WHERE EXISTS (SELECT 1 FROM relations r INDEXED BY idx_relations_document"
            " WHERE r.document_id = x.document_id AND r.source_id = x.source_id AND r.type = x.type"
            f" AND r.target_id = x.target_id AND coalesce(r.date, '') >= ?{at_most})"
        )
        params += [*source_params, self.lo, *([self.hi] if self.hi is not None else [])]
        sql = (
            f"WITH {met}, u(source_id, type, target_id, events, documents, first_date, last_date) AS ("
            + " UNION ALL ".join(parts)
            + ") SELECT source_id, type, target_id, sum(events), sum(documents), min(first_date),"
            " max(last_date) FROM u GROUP BY source_id, type, target_id HAVING sum(events) > 0"
        )
        return [tuple(row) for row in self.conn.execute(sql, params)]  # type: ignore[misc]


def _lower(bound: str | None, other: str) -> str:
    """The lower of two upper bounds (None: no bound)."""
    return other if bound is None else min(bound, other)


def _cut(rows: list[tuple[Aggregate, tuple]], limit: int, backwards: bool) -> list[tuple[Aggregate, tuple]]:
    """The first `limit` rows; a page before a key is read backwards and returned in list order."""
    page = rows[:limit]
    return list(reversed(page)) if backwards else page
