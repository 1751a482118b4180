"""Counts of (source, type, target) triples within a date range, from the roll-ups (db/rollups.py),
for the triples db/queries/range_top.py meets: exact (whole periods by primary-key seeks, partly
covered months from `relations`, documents spread over months once: what aggregating the relations
in range gives), or bounded from above by index seeks alone (whole periods and the partly covered
months' whole rows). With a document source: its own roll-ups, and relations of its documents.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from dprk_tui.db.rollups import RangePlan

Triple = tuple[int, str, int]
Aggregate = tuple[int, str, int, int, int, str | None, str | None]
"""(source_id, type, target_id, events, documents, first_date, last_date)."""

PERIOD_INDEX = "idx_relation_periods_events"
SOURCE_PERIOD_INDEX = "idx_relation_source_periods_events"


class RangeCounts:
    """Counts within [lo, hi] (hi None: no end), in documents of `source` or any; the connection
    is used under the caller's lock."""

    def __init__(
        self, conn: sqlite3.Connection, plan: RangePlan, lo: str, hi: str | None, source: str | None
    ) -> None:
        self.conn = conn
        self.plan = plan
        self.lo = lo
        self.hi = hi
        self.source = source
        self._periods: list[tuple[int, str]] | None = None

    def bounds(self, triples: Sequence[Triple]) -> list[tuple[int, str, int, int]]:
        """(source_id, type, target_id, at most this many events in range) of the triples with a
        roll-up row in range; the others have nothing in range."""
        pieces = [*self.periods(), *((7, start[:7]) for start, _, _ in self.plan.edges)]
        sourced = " AND p.doc_source = ?" if self.source is not None else ""
        return self.conn.execute(
            "WITH met(source_id, type, target_id) AS (SELECT value ->> 0, value ->> 1, value ->> 2"
            " FROM json_each(?)) SELECT p.source_id, p.type, p.target_id, sum(p.events) FROM met"
            " CROSS JOIN (SELECT value ->> 0 AS precision, value ->> 1 AS period FROM json_each(?)) w"
            f" CROSS JOIN {self.periods_table()} p ON p.precision = w.precision AND p.period = w.period"
            " AND p.source_id = met.source_id AND p.type = met.type AND p.target_id = met.target_id"
            f"{sourced} GROUP BY p.source_id, p.type, p.target_id",
            [json.dumps(list(triples)), json.dumps(pieces), *([self.source] if self.source is not None else [])],
        ).fetchall()

    def periods_table(self) -> str:
        return "relation_periods" if self.source is None else "relation_source_periods"

    def period_index(self) -> str:
        return PERIOD_INDEX if self.source is None else SOURCE_PERIOD_INDEX

    def has_period_index(self) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (self.period_index(),)
        ).fetchone() is not None

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

    def exact(self, triples: Sequence[Triple]) -> list[Aggregate]:
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
                f" FROM json_each(?)) w CROSS JOIN {self.periods_table()} p"
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
