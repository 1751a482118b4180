"""The counterparts of an actor: every actor it has relations with, the relation types and how many
events of each, events with the profiled actor as source (→) and as target (←), first and last date.

A `PagedTable` of `db.store.Counterpart`, most events first. Enter opens the evidence of the pair
(`Selected`, handled by the screen); o opens the counterpart's own profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message

from dprk_tui.tui.widgets.paged_table import Column, Fetch, PagedTable, one_line

COUNTERPART_COLUMNS: tuple[Column, ...] = (
    Column("Counterpart", weight=4, min_width=14),
    Column("Relation types", weight=3, min_width=10),
    Column("Events", width=6, justify="right"),
    Column("→", width=4, justify="right", optional=True),
    Column("←", width=4, justify="right", optional=True),
    Column("Last", width=10, optional=True),
)


def types_label(types: Sequence[tuple[str, int]]) -> str:
    """("CONSULT", 3), ("AID", 1) -> "CONSULT 3 · AID 1"."""
    return " · ".join(f"{kind} {count}" for kind, count in types)


class CounterpartTable(PagedTable):
    """Who an actor deals with, how, and how often."""

    help_name = "Counterparts"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Evidence", id="counterparts.evidence",
                tooltip="List every event between the two actors, with its sentence"),
        Binding("o", "open_actor", "Counterpart", id="counterparts.open-actor",
                tooltip="Open the counterpart's own profile"),
    ]

    class ActorRequested(Message):
        """`o`: open the counterpart's profile."""

        def __init__(self, table: CounterpartTable, actor_id: int) -> None:
            super().__init__()
            self.table = table
            self.actor_id = actor_id

        @property
        def control(self) -> CounterpartTable:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(COUNTERPART_COLUMNS, id=id, classes=classes)

    def show_counterparts(self, fetch: Fetch, first_page: Sequence[Any]) -> None:
        self.set_source(fetch, first_page, message="No relations with other actors yet.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("select_cursor", "open_actor"):
            return self.row_count > 0 or None
        return True

    def action_open_actor(self) -> None:
        row = self.cursor_value
        if row is not None:
            self.post_message(self.ActorRequested(self, row.id))

    def row_cells(self, row: Any) -> Sequence[Text]:
        return [
            Text(one_line(row.name)),
            Text(types_label(row.types)),
            Text(f"{row.events:,}"),
            Text(f"{row.outgoing:,}"),
            Text(f"{row.incoming:,}"),
            Text(one_line(row.last_date)[:10]),
        ]
