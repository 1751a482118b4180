"""The Documents pane: every document (date, source, title), or the ranked hits of a search.

A `PagedTable`: rows are `db.store.DocumentRow` or, while a search is shown, `db.store.SearchHit`
on two lines (date, source, title; then the snippet, its matched words highlighted). The screen
gives the rows (a keyset `fetch`) and, later, their count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from dprk_tui.db.store import SearchHit
from dprk_tui.tui.widgets.highlight import snippet_text
from dprk_tui.tui.widgets.paged_table import Column, Fetch, PagedTable, one_line

DOCUMENT_COLUMNS: tuple[Column, ...] = (
    Column("Date", width=10),
    Column("Source", weight=1, min_width=8, optional=True),
    Column("Title", weight=3, min_width=24),
)

SNIPPET_INDENT = "  "


class DocList(PagedTable):
    """The list of documents or search hits; enter opens the one under the cursor."""

    help_name = "Documents pane"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="documents.open",
                tooltip="Open the document under the cursor"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"doc-list--match", "doc-list--undated", "doc-list--open"}

    DEFAULT_CSS = """
    DocList {
        & > .doc-list--match { text-style: bold reverse; }
        & > .doc-list--undated { text-style: italic; }
        & > .doc-list--open { text-style: bold; }
    }
    """

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, help_name: str = ""
    ) -> None:
        super().__init__(DOCUMENT_COLUMNS, id=id, classes=classes)
        if help_name:
            self.help_name = help_name
        self.open_id: int | None = None
        """The document shown in the Document pane (drawn bold)."""
        self._last_lines: tuple[tuple[Any, ...], Sequence[Sequence[Text] | Text]] | None = None
        """The lines of the hit drawn last, and what they were made for: a hit's two lines are
        drawn one after the other, each asking for both."""
        self._last_row: Any = None

    def show_documents(
        self, fetch: Fetch, first_page: Sequence[Any], message: str = "No documents — run dprk-tui ingest PATH"
    ) -> None:
        """List documents, newest first; the count arrives later (`set_total`)."""
        self.set_source(fetch, first_page, columns=DOCUMENT_COLUMNS, message=message)

    def show_hits(self, fetch: Fetch, first_page: Sequence[Any], query: str, message: str = "") -> None:
        """List the ranked hits of a search."""
        self.set_source(
            fetch,
            first_page,
            columns=DOCUMENT_COLUMNS,
            message=message or f"No documents match “{one_line(query)}” — escape shows every document",
            row_height=2,
        )

    def mark_open(self, document_id: int | None) -> None:
        """Draw the row of the document on show in bold."""
        self.open_id = document_id
        self.refresh()

    def row_lines(self, row: Any) -> Sequence[Sequence[Text] | Text]:
        """A document is one line; a search hit is that line and its snippet below."""
        if not isinstance(row, SearchHit):
            return [self.row_cells(row)]
        width = self.scrollable_content_region.width - len(SNIPPET_INDENT)
        match = self.get_component_rich_style("doc-list--match", partial=True)
        made_for = (id(row), width, self.open_id, match, self.app.theme)
        if self._last_lines is not None and self._last_lines[0] == made_for and self._last_row is row:
            return self._last_lines[1]
        snippet = snippet_text(row.snippet, match, width=width)
        lines = [self.row_cells(row), Text(SNIPPET_INDENT) + snippet]
        self._last_lines = (made_for, lines)
        self._last_row = row
        return lines

    def row_cells(self, row: Any) -> Sequence[Text]:
        open_style = self.get_component_rich_style("doc-list--open", partial=True)
        title = Text(one_line(row.title), style=open_style if row.id == self.open_id else "")
        if row.date:
            date = Text(one_line(row.date)[:10])
        else:
            date = Text("undated", style=self.get_component_rich_style("doc-list--undated", partial=True))
        return [date, Text(one_line(row.source)), title]
