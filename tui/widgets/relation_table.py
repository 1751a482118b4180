"""The Relations pane: relations aggregated by (source, type, target), for the whole store, for the
active filters or for the document on show; sortable. On request (`c`), co-mentions instead: pairs
of actors named in the same sentence — never mixed with relations, and labelled as such.

A `PagedTable` of `db.store.RelationRow` (or `db.store.Comention`). Enter opens the evidence of the
row (`Selected`, handled by the screen; for a co-mention in a document, the document at the first
sentence naming both); `s` cycles the sort order (most events, most documents, latest, earliest:
each backed by an index), the sorted column marked ▼ or ▲; `o` / `t` open the source / target
actor's profile (the first / second actor of a co-mention).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message

from dprk_tui.db.store import RELATION_SORTS, SORTS_BY_NAME, Comention
from dprk_tui.tui.widgets.paged_table import Column, Fetch, PagedTable, one_line

RELATION_COLUMNS: tuple[Column, ...] = (
    Column("Source", weight=3, min_width=10),
    Column("Type", width=10),  # the longest PLOVER name (COOPERATE) and a space
    Column("Target", weight=3, min_width=10),
    Column("Count", width=6, justify="right"),
    Column("Docs", width=5, justify="right", optional=True),
    Column("First", width=11, optional=True),
    Column("Last", width=11, optional=True),
)

COMENTION_COLUMNS: tuple[Column, ...] = (
    Column("Actor", weight=3, min_width=10),
    Column("Named with", weight=3, min_width=10),
    Column("Sentences▼", width=10, justify="right"),
    Column("Docs", width=5, justify="right", optional=True),
    Column("First", width=11, optional=True),
    Column("Last", width=11, optional=True),
)

SORT_COLUMNS: dict[str, tuple[str, str]] = {
    "events": ("Count", "▼"),
    "documents": ("Docs", "▼"),
    "latest": ("Last", "▼"),
    "earliest": ("First", "▲"),
}
"""The column each sort order is by, and its arrow."""


def sorted_columns(sort: str) -> tuple[Column, ...]:
    """The relation columns with the sorted one's title marked."""
    title, arrow = SORT_COLUMNS.get(sort, ("", ""))
    return tuple(
        replace(column, title=f"{column.title}{arrow}") if column.title == title else column
        for column in RELATION_COLUMNS
    )


class RelationTable(PagedTable):
    """Who did what to whom, how often, and when first and last."""

    help_name = "Relations pane"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Evidence", id="relations.evidence",
                tooltip="List the sentences that state the relation under the cursor"),
        Binding("s", "cycle_sort", "Sort", id="relations.sort",
                tooltip="Sort by the next column: count, documents, latest, earliest"),
        Binding("o", "open_actor('source')", "Source actor", show=False, id="relations.source-actor",
                tooltip="Open the profile of the source actor"),
        Binding("t", "open_actor('target')", "Target actor", show=False, id="relations.target-actor",
                tooltip="Open the profile of the target actor"),
        Binding("c", "toggle_comentions", "Co-mentions", show=False, id="relations.comentions",
                tooltip="Show pairs of actors named in the same sentence (not relations), or relations again"),
    ]

    class SortChanged(Message):
        """`s` chose another sort order; the screen reads the rows again."""

        def __init__(self, table: RelationTable, sort: str) -> None:
            super().__init__()
            self.table = table
            self.sort = sort

        @property
        def control(self) -> RelationTable:
            return self.table

    class ComentionsToggled(Message):
        """`c` switched between relations and co-mentions; the screen reads the rows again."""

        def __init__(self, table: RelationTable, comentions: bool) -> None:
            super().__init__()
            self.table = table
            self.comentions = comentions

        @property
        def control(self) -> RelationTable:
            return self.table

    class ActorRequested(Message):
        """`o` or `t`: open the profile of the row's source or target actor."""

        def __init__(self, table: RelationTable, actor_id: int) -> None:
            super().__init__()
            self.table = table
            self.actor_id = actor_id

        @property
        def control(self) -> RelationTable:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(RELATION_COLUMNS, id=id, classes=classes)
        self.sort = RELATION_SORTS[0].name
        """The sort order (a name in db.store.SORTS_BY_NAME)."""
        self.comentions = False
        """Co-mentions on show instead of relations."""

    @property
    def sort_label(self) -> str:
        return SORTS_BY_NAME[self.sort].label

    def show_relations(self, fetch: Fetch, first_page: Sequence[Any], message: str) -> None:
        """Show relations (or co-mentions) read through `fetch` (count later, with `set_total`)."""
        columns = COMENTION_COLUMNS if self.comentions else sorted_columns(self.sort)
        self.set_source(fetch, first_page, columns=columns, message=message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor" and self.comentions:
            row = self.cursor_value
            return (isinstance(row, Comention) and row.start is not None) or None
        if action in ("select_cursor", "open_actor"):
            return self.row_count > 0 or None
        if action == "cycle_sort":
            return not self.comentions or None
        return True

    def action_toggle_comentions(self) -> None:
        """Co-mentions instead of relations, or relations again."""
        self.comentions = not self.comentions
        self.post_message(self.ComentionsToggled(self, self.comentions))

    def action_cycle_sort(self) -> None:
        """Sort by the next order in RELATION_SORTS."""
        names = [sort.name for sort in RELATION_SORTS]
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self.post_message(self.SortChanged(self, self.sort))

    def action_open_actor(self, which: str) -> None:
        row = self.cursor_value
        if isinstance(row, Comention):
            self.post_message(self.ActorRequested(self, row.actor_a_id if which == "source" else row.actor_b_id))
        elif row is not None:
            self.post_message(self.ActorRequested(self, row.source_id if which == "source" else row.target_id))

    def row_identity(self, row: Any) -> Any:
        """A relation is its (source, type, target); a co-mention its pair (counts change on
        refresh, so the sort key is no identity)."""
        if isinstance(row, Comention):
            return (row.actor_a_id, row.actor_b_id, row.document_id)
        return (row.source_id, row.type, row.target_id)

    def row_cells(self, row: Any) -> Sequence[Text]:
        if isinstance(row, Comention):
            return [
                Text(one_line(row.actor_a)),
                Text(one_line(row.actor_b)),
                Text(f"{row.sentences:,}"),
                Text(f"{row.documents:,}"),
                Text(one_line(row.first_date)[:10]),
                Text(one_line(row.last_date)[:10]),
            ]
        return [
            Text(one_line(row.source)),
            Text(one_line(row.type)),
            Text(one_line(row.target)),
            Text(f"{row.events:,}"),
            Text(f"{row.documents:,}"),
            Text(one_line(row.first_date)[:10]),
            Text(one_line(row.last_date)[:10]),
        ]
