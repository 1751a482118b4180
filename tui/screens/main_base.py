"""What the parts of the main screen share: its panes, its filters, and two helpers for the panes.

`MainScreen` (main.py) is put together from one part per pane, each a subclass of
`MainScreenBase`: `SearchFlow` (main_search.py: the Documents pane and the search), `DocumentFlow`
(main_document.py: the Document pane) and `RelationsFlow` (main_relations.py: relations and
co-mentions). They subclass a screen rather than `object` so that their `@on` handlers work:
Textual registers those only for classes made by its message-pump metaclass. A part reaches the
others only through what this base declares (`update_titles` is `MainScreen`'s).
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widget import Widget

from dprk_tui.db.store import NO_FILTERS, Filters
from dprk_tui.tui.screens.base import BrowserScreen
from dprk_tui.tui.widgets.doc_list import DocList
from dprk_tui.tui.widgets.doc_view import DocView
from dprk_tui.tui.widgets.filter_bar import FilterBar
from dprk_tui.tui.widgets.paged_table import PagedTable
from dprk_tui.tui.widgets.relation_table import RelationTable
from dprk_tui.tui.widgets.search_bar import SearchBar


def set_border(widget: Widget, title: Content | str, subtitle: Content | str) -> None:
    """Give a pane its border title and subtitle, each only if it changed: Textual redraws the
    whole pane on every assignment, even of the same text (a search redrew Relations twice)."""
    if widget.border_title != (title.markup if isinstance(title, Content) else title):
        widget.border_title = title
    if widget.border_subtitle != (subtitle.markup if isinstance(subtitle, Content) else subtitle):
        widget.border_subtitle = subtitle


class MainScreenBase(BrowserScreen):
    """The panes of the main screen and the filters every pane honours."""

    def __init__(self) -> None:
        super().__init__()
        self.filters: Filters = NO_FILTERS
        """The active filters (documents, relations and search hits)."""

    @property
    def documents(self) -> DocList:
        return self.query_one("#documents", DocList)

    @property
    def document_view(self) -> DocView:
        return self.query_one("#document", DocView)

    @property
    def relations(self) -> RelationTable:
        return self.query_one("#relations", RelationTable)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search", SearchBar)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one("#filter-bar", FilterBar)

    @staticmethod
    def cursor_of(table: PagedTable) -> tuple[int, Any] | None:
        """(index, identity) of the row under a table's cursor, to find it again after a refresh."""
        row = table.cursor_value if table.pages is not None else None
        return (table.cursor_row, table.row_identity(row)) if row is not None else None

    def update_titles(self) -> None:
        """Pane titles and the filter line, with the counts known so far (`MainScreen`)."""
        raise NotImplementedError
