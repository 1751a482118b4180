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

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from dprk_tui.db.queries.range_counts import PERIOD_INDEX, SOURCE_PERIOD_INDEX, Aggregate, RangeCounts, Triple
from dprk_tui.db.queries.range_lists import SortedList, ceiling
from dprk_tui.db.rollups import RangePlan, prefix_end

__all__ = ["PERIOD_INDEX", "SOURCE_PERIOD_INDEX", "RangeTop", "sort_key"]

FIRST_BATCH = 128
GROWTH = 4
WIDE_SOURCE = 0.05
"""A source with at least this share of the relations is walked by date through its relations; a
narrower one by its month roll-ups."""
MAX_PERIOD_LISTS = 8
"""Ranges of more periods (and partly covered months) than this are walked by the summary only."""


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
        self.counts = RangeCounts(conn, plan, lo, hi, doc_source)
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
            # ceiling(lists): no triple not met counts more than that in range.
            found = self._settle(key, limit, after, before, ceiling(lists))
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
            table = "relation_sources INDEXED BY idx_relation_sources_events"
            keys: tuple[str, ...] = ("events", "source_id", "type", "target_id")
        elif sort == "events":
            table, keys = "relation_summary", ("events", "coalesce(last_date, '')", "source_id", "type", "target_id")
        else:
            table, keys = "relation_summary", ("documents", "events", "source_id", "type", "target_id")
        lists = [SortedList(table, scope_terms, scope_params, keys)]
        months = [(7, start[:7]) for start, _, _ in self.plan.edges]
        pieces = [*self.counts.periods(), *months]
        if len(pieces) <= MAX_PERIOD_LISTS and self.counts.has_period_index():
            for precision, period in pieces:
                lists.append(SortedList(
                    f"{self.counts.periods_table()} INDEXED BY {self.counts.period_index()}",
                    [*scope_terms, "precision = ?", "period = ?"],
                    [*scope_params, precision, period],
                    ("events", "source_id", "type", "target_id"),
                ))
        return lists

    def _by_date(
        self, sort: str, limit: int, after: tuple | None, before: tuple | None
    ) -> list[tuple[Aggregate, tuple]]:
        """The date orders: relations walked by date (of the source's documents, with a source)."""
        latest = sort == "latest"
        joined = " JOIN documents d ON d.id = r.document_id AND d.source = ?" if self.source is not None else ""

        def read(low: str, high: str | None, size: int) -> list[tuple]:
            # One lower and one upper bound: SQLite seeks by one of each only.
            terms = ["coalesce(r.date, '') >= ?", *(["coalesce(r.date, '') <= ?"] if high is not None else [])]
            params: list[Any] = [*([self.source] if self.source is not None else []), low,
                                 *([high] if high is not None else [])]
            if self.type is not None:
                terms.append("r.type = ?")
                params.append(self.type)
            return self.conn.execute(
                "SELECT r.source_id, r.type, r.target_id, coalesce(r.date, '') FROM relations r"
                f" INDEXED BY idx_relations_date{joined} WHERE {' AND '.join(terms)}"
                f" ORDER BY coalesce(r.date, '') {'DESC' if latest else ''} LIMIT ?",
                [*params, size],
            ).fetchall()

        # A triple not met has its last (first) date at the frontier or beyond it.
        def settled(value: str, frontier: str) -> bool:
            return value > frontier if latest else value < frontier

        return self._walk(sort, limit, after, before, self.lo, self.hi, read, settled, 0)

    def _by_month(
        self, sort: str, limit: int, after: tuple | None, before: tuple | None
    ) -> list[tuple[Aggregate, tuple]]:
        """The date orders within a narrow source: its month roll-ups walked by month from the
        range's end (start) inward, as `_by_date` walks relations (where few of them would be of
        the source's documents). A month is read whole, so a wide source is walked by date."""
        latest = sort == "latest"

        def read(low: str, high: str | None, size: int) -> list[tuple]:
            terms = ["doc_source = ?", "precision = 7", "period >= ?"]
            params: list[Any] = [self.source, low]
            if high is not None:
                terms.append("period <= ?")
                params.append(high)
            if self.type is not None:
                terms.append("type = ?")
                params.append(self.type)
            return self.conn.execute(
                "SELECT source_id, type, target_id, period FROM relation_source_periods"
                f" WHERE {' AND '.join(terms)} ORDER BY period {'DESC' if latest else ''} LIMIT ?",
                [*params, size],
            ).fetchall()

        # A triple not met is dated in the frontier's month or beyond it.
        def settled(value: str, frontier: str) -> bool:
            return value >= prefix_end(frontier) if latest else value < frontier

        hi = self.hi[:7] if self.hi is not None else None
        return self._walk(sort, limit, after, before, self.lo[:7], hi, read, settled, 7)

    def _walk(
        self,
        sort: str,
        limit: int,
        after: tuple | None,
        before: tuple | None,
        low: str,
        high: str | None,
        read: Callable[[str, str | None, int], list[tuple]],
        settled: Callable[[str, str], bool],
        prefix: int,
    ) -> list[tuple[Aggregate, tuple]]:
        """Walk `read` (rows of source_id, type, target_id, position) from the range's end (latest)
        or start inward, a growing number of rows at a time, counting each triple met, until the
        page's last row is `settled` against the walk's frontier. Positions are dates, or their
        first `prefix` characters (0: whole)."""
        key = sort_key(sort)
        latest = sort == "latest"

        def cut(value: str) -> str:
            return value[:prefix] if prefix else value

        if after is not None:  # rows after the key are dated no later (no earlier) than it
            low, high = (low, _lower(high, cut(after[0]))) if latest else (max(low, cut(after[0])), high)
        if before is not None:  # rows before it: every triple with a date from the key's on
            low, high = (max(low, cut(before[0])), high) if latest else (low, _lower(high, cut(before[0])))
        size = max(FIRST_BATCH, 4 * limit)
        while True:
            met = read(low, high, size)
            self._learn(list(dict.fromkeys((row[0], row[1], row[2]) for row in met)))
            rows = self._qualifying(key, latest, after, before)
            if len(met) < size:
                return _cut(rows, limit, before is not None)
            frontier = met[-1][3]  # everything beyond it was walked; the next walk starts there
            low, high = (low, frontier) if latest else (frontier, high)
            if before is None and len(rows) >= limit and settled(key(rows[limit - 1][0])[0], frontier):
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
        for row in self.counts.exact(new):
            self._known[(row[0], row[1], row[2])] = row

    def _bound(self, triples: Sequence[Triple]) -> None:
        """Bound the triples' events in range from above by their whole periods' and their partly
        covered months' roll-up rows (index seeks; the months' exact part needs relations)."""
        new = [t for t in dict.fromkeys(triples) if t not in self._known and t not in self._pending]
        if not new:
            return
        rows = self.counts.bounds(new)
        for triple in new:  # no roll-up row: nothing in range
            self._known[triple] = None
        for source_id, kind, target_id, events in rows:
            del self._known[(source_id, kind, target_id)]
            self._pending[(source_id, kind, target_id)] = events

def _lower(bound: str | None, other: str) -> str:
    """The lower of two upper bounds (None: no bound)."""
    return other if bound is None else min(bound, other)


def _cut(rows: list[tuple[Aggregate, tuple]], limit: int, backwards: bool) -> list[tuple[Aggregate, tuple]]:
    """The first `limit` rows; a page before a key is read backwards and returned in list order."""
    page = rows[:limit]
    return list(reversed(page)) if backwards else page
