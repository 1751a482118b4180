"""Co-mentions for the browser: pairs of actors named in the same sentence, kept apart from relations
(a co-mention states no interaction). `db.comentions` holds the row (`Comention`), pairs actors by
sentence and keeps `comention_summary` up to date at ingest; this module pages what the Relations
pane shows when co-mentions are asked for, within the active filters where they mean something:

- The actor filter: pairs that include the actor (the whole store: `comention_summary`, by keyset
  over its index `idx_comention_summary_sentences`; one document: its pairs with the actor).
- Dates and source: the pairs of the documents in that range / from that source, computed from
  their mentions (`ComentionQueries.dated`), up to `DOCUMENT_CAP` documents; beyond it the whole store's
  pairs are shown and the pane says that dates and source are not applied.
- The relation type does not apply (a co-mention has none).
- One document: its pairs, computed from its mentions and text (a few dozen rows), each with the
  offsets of the first sentence naming both, so the browser can open the document there.

An older store without `comention_summary` has no store-wide co-mentions.
"""

from __future__ import annotations

from dataclasses import replace

from dprk_tui.db.comentions import Comention, document_comentions
from dprk_tui.db.queries.documents import DocumentQueries
from dprk_tui.db.queries.filters import NO_FILTERS, Filters
from dprk_tui.db.queries.paging import FIRST_PAGE, Keyset, Page, keyset_sql, split_rows
from dprk_tui.db.queries.reader import Reader

__all__ = ["DOCUMENT_CAP", "Comention", "ComentionQueries", "page_of"]

COMENTION_ORDER = Keyset(("c.sentences", "c.documents", "c.actor_a", "c.actor_b"), descending=True)

DOCUMENT_CAP = 2_000
"""The most documents whose co-mentions are computed for a date or source filter (in a worker)."""


class ComentionQueries:
    """Co-mention pairs, of the store or of one document, within the filters (`store.comentions`),
    read through `reader`; `documents` lists the documents of a date range or source."""

    def __init__(self, reader: Reader, documents: DocumentQueries) -> None:
        self.reader = reader
        self.documents = documents

    def available(self) -> bool:
        """Whether the store keeps store-wide co-mentions (`comention_summary`)."""
        return bool(
            self.reader.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'comention_summary'")
        )

    def page(
        self, page: Page = FIRST_PAGE, document_id: int | None = None, filters: Filters = NO_FILTERS
    ) -> list[Comention]:
        """A page of co-mention pairs, most sentences first: of one document, or of the store (the
        actor filter applies; for dates and source see `dated`)."""
        if document_id is not None:
            return page_of(self.in_document(document_id, filters), page)
        if not self.available():
            return []
        where, params = _actor_where(filters)
        sql, params, backwards = keyset_sql(
            "c.actor_a, a.name, c.actor_b, b.name, c.sentences, c.documents, c.first_date, c.last_date",
            "FROM comention_summary c JOIN actors a ON a.id = c.actor_a JOIN actors b ON b.id = c.actor_b",
            where,
            params,
            COMENTION_ORDER,
            page,
        )
        rows = split_rows(self.reader.rows(sql, params), COMENTION_ORDER.width, backwards)
        return [Comention(*values, key=key) for values, key in rows]

    def count(self, document_id: int | None = None, filters: Filters = NO_FILTERS) -> int:
        if document_id is not None:
            return len(self.in_document(document_id, filters))
        if not self.available():
            return 0
        where, params = _actor_where(filters)
        sql = "SELECT count(*) FROM comention_summary c"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.reader.value(sql, params)

    def in_document(self, document_id: int, filters: Filters = NO_FILTERS) -> list[Comention]:
        """Every pair named together in one document (with the filter's actor, if any), most
        sentences first, then by position."""
        rows = document_comentions(self.reader.rows, document_id)
        if filters.actor_id is None:
            return rows
        kept = [row for row in rows if filters.actor_id in (row.actor_a_id, row.actor_b_id)]
        return [replace(row, key=(number,)) for number, row in enumerate(kept)]

    def dated(self, filters: Filters, cap: int | None = None) -> list[Comention] | None:
        """The pairs named together in the documents within the filters' dates and source (and
        mentioning its actor, pairs with that actor only), in the store's order; None when more
        than `cap` documents are in the range (then use the store's pairs). Reads each document's
        mentions: call it off the UI thread."""
        cap = DOCUMENT_CAP if cap is None else cap
        documents = self.documents.page(Page(cap + 1), replace(filters, type=None))
        if len(documents) > cap:
            return None
        totals: dict[tuple[int, int], list] = {}
        names: dict[int, str] = {}
        for document in documents:
            for row in self.in_document(document.id, filters):
                names[row.actor_a_id], names[row.actor_b_id] = row.actor_a, row.actor_b
                total = totals.setdefault((row.actor_a_id, row.actor_b_id), [0, 0, None, None])
                total[0] += row.sentences
                total[1] += 1
                if row.first_date:
                    total[2] = min(total[2] or row.first_date, row.first_date)
                    total[3] = max(total[3] or row.last_date, row.last_date)
        ordered = sorted(totals.items(), key=lambda item: (item[1][0], item[1][1], *item[0]), reverse=True)
        return [
            Comention(a, names[a], b, names[b], sentences, count, first, last, key=(number,))
            for number, ((a, b), (sentences, count, first, last)) in enumerate(ordered)
        ]


def _actor_where(filters: Filters) -> tuple[list[str], list[int]]:
    if filters.actor_id is None:
        return [], []
    return ["c.actor_a = ? OR c.actor_b = ?"], [filters.actor_id, filters.actor_id]


def page_of(rows: list[Comention], page: Page) -> list[Comention]:
    """A keyset page of an in-memory list whose keys are (position,)."""
    if page.after is not None:
        start = page.after[0] + 1
        return rows[start : start + page.limit]
    if page.before is not None:
        end = page.before[0]
        return rows[max(0, end - page.limit) : end]
    if page.from_end:
        return rows[max(0, len(rows) - page.limit) :]
    return rows[: page.limit]
