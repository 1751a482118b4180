"""The Relations pane: relations aggregated by (source, type, target), for the whole store or for
the document on show.

A `PagedTable` of `db.store.RelationRow`. The rows and their count are given by the screen; enter
does nothing here (a relation has no view of its own yet), so the Open key is disabled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from tui.widgets.paged_table import Column, PagedTable, one_line

RELATION_COLUMNS: tuple[Column, ...] = (
    Column("Source", weight=3, min_width=10),
    Column("Type", weight=2, min_width=8),
    Column("Target", weight=3, min_width=10),
    Column("Count", width=5, justify="right"),
    Column("Docs", width=4, justify="right", optional=True),
    Column("First", width=10, optional=True),
    Column("Last", width=10, optional=True),
)


class RelationTable(PagedTable):
    """Who did what to whom, how often, and when first and last."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(RELATION_COLUMNS, id=id, classes=classes)

    def show_relations(self, fetch: Any, count: int, first_page: Sequence[Any], scoped: bool) -> None:
        """Show relations; `scoped` says they are those of one document."""
        if scoped:
            message = "No relations found in this document — press a to show all relations"
        else:
            message = "No relations in this store"
        self.set_source(fetch, count, first_page, message=message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return False
        return True

    def row_cells(self, row: Any) -> Sequence[Text]:
        return [
            Text(one_line(row.source)),
            Text(one_line(row.type)),
            Text(one_line(row.target)),
            Text(f"{row.events:,}"),
            Text(f"{row.documents:,}"),
            Text(one_line(row.first_date)[:10]),
            Text(one_line(row.last_date)[:10]),
        ]
