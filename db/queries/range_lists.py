"""Lists of triples in descending order of a count that bounds their count within a date range
from above (db/queries/range_top.py walks them, Fagin's threshold algorithm): relation_summary
(over all dates), relation_sources (over all dates, one source), or one period's roll-up rows by
events (their sum over the range's periods bounds the count in range).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Triple = tuple[int, str, int]


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


def ceiling(lists: Sequence[SortedList]) -> int:
    """What a triple met in none of the lists can count in range at most: its count over all
    dates, and the sum of its counts over the range's periods (when those lists are walked)."""
    summary = lists[0].frontier if not lists[0].exhausted else 0
    periods = [ranked.frontier for ranked in lists[1:]]
    return min(summary, sum(periods)) if periods else summary
