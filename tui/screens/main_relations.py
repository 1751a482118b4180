"""The main screen's Relations pane: the relations of every document or of the one opened
(within the filters), in the order `s` chooses; or, after `c`, the co-mentions (two actors named in
one sentence). Enter drills down: a relation to the sentences that state it, a co-mention in a
document to that document at the first sentence naming both. `a` widens the pane to every
document again.

Co-mentions have no relation type, so the type filter never applies to them; with dates or a
source set, the pairs of the documents in range are computed once, unless too many documents are
in range (the filters are then ignored, and the pane's subtitle says which).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.content import Content

from dprk_tui.db.queries.comentions import DOCUMENT_CAP as COMENTION_DOCUMENT_CAP
from dprk_tui.db.queries.comentions import page_of as comention_page_of
from dprk_tui.db.store import Comention, Page
from dprk_tui.tui.bindings import key_for
from dprk_tui.tui.screens.main_base import MainScreenBase, set_border
from dprk_tui.tui.widgets.paged_table import PagedTable
from dprk_tui.tui.widgets.relation_table import RelationTable


class RelationsFlow(MainScreenBase):
    """The Relations pane (relations or co-mentions), as part of `MainScreen`."""

    def __init__(self) -> None:
        super().__init__()
        self.relations_document: int | None = None
        """The document the Relations pane is narrowed to, or None for all relations."""
        self.comentions_unfiltered = False
        """Co-mentions on show ignore the date and source filters (too many documents in range)."""

    # -- loading --------------------------------------------------------------------------------
    def load_relations(self, document_id: int | None, keep_cursor: bool = False) -> None:
        """Show the first page of relations, of one document or of all (within the filters); or,
        when asked for, the co-mentions of the document or of the store."""
        store, counter = self.store, self.count_store
        if store is None or counter is None:
            return
        self.relations_document = document_id
        filters, sort = self.filters, self.relations.sort
        if self.relations.comentions:
            dated = document_id is None and (filters.dated or filters.source is not None)
            # For dates / source: the pairs of the documents in range, computed once (in the
            # worker, by the first page's read); None when too many documents are in range.
            computed: list[list[Comention] | None] = []
            self.comentions_unfiltered = False

            def fetch(page: Page) -> Sequence[Any]:
                if dated:
                    if not computed:
                        computed.append(store.comentions.dated(filters))
                        self.comentions_unfiltered = computed[0] is None
                    if computed[0] is not None:
                        return comention_page_of(computed[0], page)
                return store.comentions.page(page, document_id, filters)

            def count() -> int:
                if computed and computed[0] is not None:
                    return len(computed[0])
                return counter.comentions.count(document_id, filters)

            message = "No two known actors are named in one sentence here."
            if filters.active:
                message = "No two known actors are named in one sentence within these filters."
        else:

            def fetch(page: Page) -> Sequence[Any]:
                return store.relations.page(page, filters, sort, document_id)

            def count() -> int:
                return counter.relations.count(document_id, filters)

            if document_id is not None:
                message = "No relations found in this document — press a to show all relations"
            elif filters.active:
                message = "No relations match these filters — escape clears them"
            else:
                message = "No relations in this store"

        def show(first: Sequence[Any]) -> None:
            self.relations.show_relations(fetch, first, message)
            self.refresh_bindings()

        self.fill(self.relations, fetch, count, show, group="relations", done=self.update_titles,
                  title="Relations", restore=self.cursor_of(self.relations) if keep_cursor else None)

    # -- titles ---------------------------------------------------------------------------------
    def update_relations_title(self) -> None:
        """The Relations pane's title (what it shows, of which documents, how many) and its
        subtitle (the sort order, or what co-mentions are; the keys that change them)."""
        relations = self.relations.count_text
        toggle_key = key_for(self.relations, "relations.comentions") or "c"
        if self.relations.comentions:
            if self.relations_document is not None:
                scope = "this document"
            else:
                scope = "filtered" if self.filters.active else "all"
            set_border(
                self.relations,
                Content(f"Co-mentions — {scope} ({relations})"),
                Content(f"{self.comentions_scope()} · {toggle_key} shows relations"),
            )
        else:
            if self.relations_document is not None:
                scope = "this document"
            else:
                scope = "filtered" if self.filters.active else "all"
            sort_key = key_for(self.relations, "relations.sort") or "s"
            set_border(
                self.relations,
                Content(f"Relations — {scope} ({relations})"),
                Content(f"sorted by {self.relations.sort_label} · {sort_key} sorts · {toggle_key} co-mentions"),
            )

    def comentions_scope(self) -> str:
        """What the co-mentions on show are, and which filters they do not honour: the relation
        type never (a co-mention has none); dates and source when too many documents are in range."""
        filters = self.filters
        if not filters.active:
            return "actors named in one sentence, not relations"
        ignored = ["type"] if filters.type is not None else []
        if self.comentions_unfiltered and self.relations_document is None:
            ignored.append(f"dates, source (over {COMENTION_DOCUMENT_CAP:,} documents)")
        if len(ignored) == 1 and ignored[0] == "type" and not (
            filters.actor_id is not None or filters.dated or filters.source is not None
        ):
            return "not relations · the type filter does not apply"
        return "not relations · within the filters" + (" except " + ", ".join(ignored) if ignored else "")

    # -- events and actions ---------------------------------------------------------------------
    @on(PagedTable.Selected, "#relations")
    def open_evidence(self, event: PagedTable.Selected) -> None:
        """Enter on a relation: list the sentences that state it. On a co-mention in a document:
        the document at the first sentence naming both."""
        row = event.row
        if isinstance(row, Comention):
            if row.document_id is not None and row.start is not None and row.end is not None:
                self.dprk_app.show_document(row.document_id, mark=(row.start, row.end))
            return
        self.dprk_app.show_relation_evidence(row, self.filters, self.relations_document)

    @on(RelationTable.SortChanged)
    @on(RelationTable.ComentionsToggled)
    def reread_relations(self) -> None:
        self.load_relations(self.relations_document)

    def action_all_relations(self) -> None:
        """Show the relations of every document again."""
        self.load_relations(None)
