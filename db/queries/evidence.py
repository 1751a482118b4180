"""Evidence (`store.evidence`): the relation events behind an aggregate of the Relations pane (the
sentences that state it), or between two actors either way round, newest first, within the filters'
dates and source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dprk_tui.db.queries.filters import NO_FILTERS, Filters
from dprk_tui.db.queries.paging import FIRST_PAGE, Key, Keyset, Page, keyset_sql, split_rows
from dprk_tui.db.queries.reader import Reader
from dprk_tui.db.queries.relations import relation_terms

EVIDENCE_ORDER = Keyset(("coalesce(r.date, '')", "r.id"), descending=True)


@dataclass(frozen=True)
class Evidence:
    """One relation event: the sentence (`text[start:end]` of its document) that states it.

    `marks` are (start, end, actor_id) of the mentions of the two actors, relative to `sentence`.
    """

    id: int
    document_id: int
    date: str | None
    source: str | None
    title: str
    type: str
    source_id: int
    source_name: str
    target_id: int
    target_name: str
    start: int
    end: int
    sentence: str
    trigger: str | None
    marks: tuple[tuple[int, int, int], ...] = ()
    key: Key = field(default=(), compare=False, repr=False)


class EvidenceQueries:
    """The events behind an aggregate, or between two actors, read through `reader`."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    def _events_page(
        self, where: list[str], params: list[Any], page: Page, filters: Filters
    ) -> list[Evidence]:
        terms, extra = relation_terms(
            Filters(date_from=filters.date_from, date_to=filters.date_to, source=filters.source), None
        )
        sql, all_params, backwards = keyset_sql(
            "r.id, r.document_id, r.date, d.source, d.title, r.type, r.source_id, a.name,"
            " r.target_id, b.name, r.start_char, r.end_char,"
            " substr(d.text, r.start_char + 1, r.end_char - r.start_char), r.trigger",
            "FROM relations r JOIN documents d ON d.id = r.document_id"
            " JOIN actors a ON a.id = r.source_id JOIN actors b ON b.id = r.target_id",
            [*where, *terms],
            [*params, *extra],
            EVIDENCE_ORDER,
            page,
        )
        rows = split_rows(self.reader.rows(sql, all_params), EVIDENCE_ORDER.width, backwards)
        return [Evidence(*values, marks=self._marks(values), key=key) for values, key in rows]

    def _marks(self, values: Sequence[Any]) -> tuple[tuple[int, int, int], ...]:
        """Mentions of the relation's two actors inside its sentence, relative to the sentence."""
        document_id, source_id, target_id, start, end = (
            values[1], values[6], values[8], values[10], values[11]
        )
        rows = self.reader.rows(
            "SELECT start_char, end_char, actor_id FROM mentions WHERE document_id = ?"
            " AND start_char >= ? AND start_char < ? AND actor_id IN (?, ?) ORDER BY start_char",
            (document_id, start, end, source_id, target_id),
        )
        return tuple((s - start, min(e, end) - start, actor) for s, e, actor in rows)

    def page(
        self,
        source_id: int,
        type: str,
        target_id: int,
        page: Page = FIRST_PAGE,
        filters: Filters = NO_FILTERS,
        document_id: int | None = None,
    ) -> list[Evidence]:
        """The events of one aggregate, newest first (within the filters' dates and source, and
        in one document if given)."""
        where, params = _triple(source_id, type, target_id, document_id)
        return self._events_page(where, params, page, filters)

    def count(
        self,
        source_id: int,
        type: str,
        target_id: int,
        filters: Filters = NO_FILTERS,
        document_id: int | None = None,
    ) -> int:
        where, params = _triple(source_id, type, target_id, document_id)
        terms, extra = relation_terms(
            Filters(date_from=filters.date_from, date_to=filters.date_to, source=filters.source), None
        )
        return self._count_events([*where, *terms], [*params, *extra], filters)

    def pair_page(
        self, actor_id: int, other_id: int, page: Page = FIRST_PAGE, filters: Filters = NO_FILTERS
    ) -> list[Evidence]:
        """Every event between two actors, either way round and of any type, newest first.

        Two walks of `idx_relations_pair` (A to B, B to A), each in the page's order and stopped by
        its limit, merged: an OR of the two directions would sort every event of the pair."""
        terms, extra = relation_terms(
            Filters(date_from=filters.date_from, date_to=filters.date_to, source=filters.source), None
        )
        joined = " JOIN documents d ON d.id = r.document_id" if filters.source is not None else ""
        branches, params = [], []
        for source_id, target_id in _directions(actor_id, other_id):
            sql, branch_params, backwards = keyset_sql(
                "r.id", f"FROM relations r{joined}", ["r.target_id = ?", "r.source_id = ?", *terms],
                [target_id, source_id, *extra], EVIDENCE_ORDER, page,
            )
            branches.append(f"SELECT id FROM ({sql})")
            params += branch_params
        _, _, order, backwards = EVIDENCE_ORDER.clause(page)
        rows = self.reader.rows(
            "SELECT r.id, r.document_id, r.date, d.source, d.title, r.type, r.source_id, a.name,"
            " r.target_id, b.name, r.start_char, r.end_char,"
            " substr(d.text, r.start_char + 1, r.end_char - r.start_char), r.trigger,"
            f" {EVIDENCE_ORDER.select()} FROM ({' UNION ALL '.join(branches)}) e"
            " JOIN relations r ON r.id = e.id JOIN documents d ON d.id = r.document_id"
            " JOIN actors a ON a.id = r.source_id JOIN actors b ON b.id = r.target_id"
            f" ORDER BY {order} LIMIT ?",
            [*params, page.limit],
        )
        return [
            Evidence(*values, marks=self._marks(values), key=key)
            for values, key in split_rows(rows, EVIDENCE_ORDER.width, backwards)
        ]

    def pair_count(self, actor_id: int, other_id: int, filters: Filters = NO_FILTERS) -> int:
        terms, params = relation_terms(
            Filters(date_from=filters.date_from, date_to=filters.date_to, source=filters.source), None
        )
        return sum(
            self._count_events(["r.target_id = ?", "r.source_id = ?", *terms],
                               [target_id, source_id, *params], filters)
            for source_id, target_id in _directions(actor_id, other_id)
        )

    def _count_events(self, where: list[str], params: list[Any], filters: Filters) -> int:
        joined = " JOIN documents d ON d.id = r.document_id" if filters.source is not None else ""
        clause = " AND ".join(f"({term})" for term in where)
        return self.reader.value(f"SELECT count(*) FROM relations r{joined} WHERE {clause}", params)


def _directions(actor_id: int, other_id: int) -> list[tuple[int, int]]:
    """(source, target) of the events between two actors: both ways round, once for one actor."""
    return [(actor_id, other_id)] if actor_id == other_id else [(actor_id, other_id), (other_id, actor_id)]


def _triple(
    source_id: int, type: str, target_id: int, document_id: int | None
) -> tuple[list[str], list[Any]]:
    where = ["r.source_id = ?", "r.type = ?", "r.target_id = ?"]
    params: list[Any] = [source_id, type, target_id]
    if document_id is not None:
        where.append("r.document_id = ?")
        params.append(document_id)
    return where, params
