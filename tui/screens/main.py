"""The main screen: Documents and Document side by side on top, Relations across the bottom, the
filter line (active search and filters, result counts) under the search input, and the Footer.

The screen holds the browsing state (the search, the filters, the document on show, the scope of
the Relations pane) and reads the store only in worker threads; each pane then pages its own rows.
Below 100 columns the top row shows one pane at a time: the list, or the document once opened
(escape goes back to the list).

This module puts the screen together: the layout, the keys, the focus, the pane titles and the
filter line, the filters, and the refresh when another process writes to the store. Each pane has
its own part: the Documents pane and the search `SearchFlow` (main_search.py), the Document pane
`DocumentFlow` (main_document.py), the Relations pane `RelationsFlow` (main_relations.py); what
they share is `MainScreenBase` (main_base.py).

    Showing: actor Kim Jong Un │ 3 documents · 4 relations │ f filters · escape clears
    ┌ Documents (3) ─────────┐┌ Document ─────────────────────────┐
    │ Date       Source Title ││ title / date · source · file      │
    │ 2024-01-27 IANS   …     ││ P PERSON 3  O ORG 2  L GPE 9 …    │
    │                         ││ text, mentions highlighted …      │
    └─────────────────────────┘└───────────────────────────────────┘
    ┌ Relations — filtered (4) ───────────────────────────────────────┐
    │ Source   Type   Target   Count▼ Docs First      Last            │
    └──────────────────────── sorted by most events · s sorts ─────────┘
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget

from dprk_tui.db.store import NO_FILTERS, Filters
from dprk_tui.tui.bindings import key_for
from dprk_tui.tui.screens.main_document import DocumentFlow
from dprk_tui.tui.screens.main_relations import RelationsFlow
from dprk_tui.tui.screens.main_search import SearchFlow
from dprk_tui.tui.widgets.doc_list import DocList
from dprk_tui.tui.widgets.doc_view import DocView
from dprk_tui.tui.widgets.filter_bar import FilterBar
from dprk_tui.tui.widgets.footer import KeyFooter
from dprk_tui.tui.widgets.paged_table import PagedTable
from dprk_tui.tui.widgets.relation_table import RelationTable
from dprk_tui.tui.widgets.search_bar import SearchBar

DATA_VERSION_POLL = 2.0
"""Seconds between two checks for writes by another process (an ingest)."""
NARROW_WIDTH = 100
"""Below this width the top row shows the document list or the document, not both."""

PANES: dict[str, str] = {"documents": "#documents", "document": "#article", "relations": "#relations"}
PANE_ORDER: tuple[str, ...] = ("documents", "document", "relations")


class MainScreen(SearchFlow, DocumentFlow, RelationsFlow):
    """Three panes over one store."""

    HELP = "help.md"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="main.next-pane",
                tooltip="Move to the next pane"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="main.previous-pane",
                tooltip="Move to the previous pane"),
        Binding("slash", "search", "Search", id="main.search", tooltip="Search the text of every document"),
        Binding("f", "filters", "Filter", id="main.filters",
                tooltip="Narrow documents and relations by actor, relation type, dates and source"),
        Binding("a", "all_relations", "All relations", id="main.all-relations",
                tooltip="Show the relations of every document again"),
        Binding("r", "refresh", "Refresh", show=False, id="main.refresh",
                tooltip="Read every list and count again: documents an ingest has added since appear"),
        Binding("escape", "back", "Back", show=False, id="main.back",
                tooltip="Back: from the text to the list, then clear the search, then the filters"),
        Binding("1", "focus_pane('documents')", "Go to Documents", show=False, id="main.go-documents",
                tooltip="Move to the Documents pane"),
        Binding("2", "focus_pane('document')", "Go to Document", show=False, id="main.go-document",
                tooltip="Move to the Document pane"),
        Binding("3", "focus_pane('relations')", "Go to Relations", show=False, id="main.go-relations",
                tooltip="Move to the Relations pane"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.reading = False
        """In a narrow terminal: the top row shows the document (else the list)."""
        self.mounted = False
        """Set once the panes exist (the store may open before or after)."""
        self.data_version: int | None = None
        """The store's `PRAGMA data_version` when the lists were last read (None: not known yet)."""
        self.new_data = False
        """Another process (an ingest) has written to the store since the lists were read."""

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        yield FilterBar(id="filter-bar")
        with Horizontal(id="top"):
            yield DocList(id="documents", classes="pane")
            yield DocView(id="document", classes="pane")
        yield RelationTable(id="relations", classes="pane")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.documents.border_title = "Documents"
        self.document_view.border_title = "Document"
        self.relations.border_title = "Relations"
        self.documents.clear_source(f"Opening {self.dprk_app.db_path} …")
        self.relations.clear_source("")
        self.documents.focus()
        self.mounted = True
        self.update_filter_bar()
        if self.store is not None:
            self.store_ready()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    # -- loading --------------------------------------------------------------------------------
    def store_ready(self) -> None:
        """The app has opened the store: fill the panes, and watch for writes by other processes."""
        self.document_view.show_message("Choose a document and press enter.")
        self.data_version = self.store.reader.data_version(blocking=False) if self.store is not None else None
        self.load_documents()
        self.load_relations(None)
        self.set_interval(DATA_VERSION_POLL, self.check_for_new_data, name="data-version")

    def check_for_new_data(self) -> None:
        """Every few seconds: has another connection committed (an ingest)? `PRAGMA data_version`
        on the page connection answers in microseconds; a busy connection is asked next time."""
        store = self.store
        if store is None or self.new_data:
            return
        version = store.reader.data_version(blocking=False)
        if version is None:
            return
        if self.data_version is None:
            self.data_version = version
        elif version != self.data_version:
            self.new_data = True
            self.update_filter_bar()

    def update_titles(self) -> None:
        """Pane titles and the filter line, with the counts known so far ("…" while counting).
        A title is set only when it changed: setting one redraws the whole pane."""
        self.update_documents_title()
        self.update_relations_title()
        self.update_filter_bar()

    def update_filter_bar(self) -> None:
        self.filter_bar.show(
            self.filters,
            self.query_text,
            self.documents_text if self.store is not None else "…",
            self.relations.count_text if self.store is not None else "…",
            filter_key=key_for(self, "main.filters") or "f",
            clear_key=key_for(self, "main.back") or "escape",
            relations_noun="co-mention" if self.relations.comentions else "relation",
            notice=f"new data · {key_for(self, 'main.refresh') or 'r'} refreshes" if self.new_data else "",
        )

    # -- events ---------------------------------------------------------------------------------
    @on(PagedTable.Selected, "#documents")
    def open_document(self, event: PagedTable.Selected) -> None:
        """Enter on a document: show it, narrow Relations to it, and move to its text."""
        document_id = event.row.id
        self.load_document(document_id, self.query_text)
        self.load_relations(document_id)
        self.action_focus_pane("document")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """In a narrow terminal, show the pane that has the focus."""
        widget = event.widget
        if self.document_view in widget.ancestors_with_self:
            self.set_reading(True)
        elif widget is self.documents:
            self.set_reading(False)

    def set_reading(self, reading: bool) -> None:
        self.reading = reading
        self.set_class(reading, "-reading")

    # -- filters --------------------------------------------------------------------------------
    def apply_filters(self, filters: Filters) -> None:
        """Narrow documents, search hits and relations to `filters`."""
        if filters == self.filters:
            return
        self.filters = filters
        self.documents.clear_source("Filtering …")
        self.load_documents()
        self.load_relations(self.relations_document)
        self.update_titles()

    def filter_by_actor(self, actor_id: int, name: str) -> None:
        """Narrow everything to one actor (from its profile)."""
        self.apply_filters(replace(self.filters, actor_id=actor_id, actor=name))

    # -- actions --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`a` is dimmed in the Footer while all relations are on show."""
        if action == "all_relations" and self.relations_document is None:
            return None
        return True

    def action_filters(self) -> None:
        """Open the filter dialog; apply what it returns."""
        from dprk_tui.tui.screens.filters import FilterScreen

        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.apply_filters(filters)

        self.app.push_screen(FilterScreen(self.filters), chosen)

    def action_back(self) -> None:
        """Escape: from the text back to the list; else close the search; else clear filters."""
        focused = self.focused
        if focused is not None and self.document_view in focused.ancestors_with_self:
            self.action_focus_pane("documents")
        elif self.query_text is not None or self.search_bar.has_class("-open"):
            self.close_search()
        elif self.filters.active:
            self.apply_filters(NO_FILTERS)
            self.notify("Filters cleared.", title="Filters")

    def action_clear_filters(self) -> None:
        """Remove every filter."""
        self.apply_filters(NO_FILTERS)

    def action_refresh(self) -> None:
        """r: read every list and count again (documents an ingest added since appear); each
        cursor stays on its row where that row still exists."""
        store = self.store
        if store is None:
            return
        self.data_version = store.reader.data_version(blocking=False)  # None: the next check sets it
        self.new_data = False
        self.load_documents(keep_cursor=True)
        self.load_relations(self.relations_document, keep_cursor=True)
        self.update_titles()

    def action_focus_pane(self, pane: str) -> None:
        """Move the focus to a pane by name."""
        selector = PANES.get(pane)
        if not selector:
            return
        widget = self.query_one(selector, Widget)
        hidden = False
        if pane in ("documents", "document"):
            hidden = self.has_class("-narrow") and self.reading != (pane == "document")
            self.set_reading(pane == "document")
        if hidden:  # shown once the styles are updated
            self.call_after_refresh(widget.focus)
        else:
            widget.focus()

    def action_cycle_pane(self, step: int) -> None:
        """tab / shift+tab: the next or previous pane (the document too in a narrow terminal)."""
        current = 0
        focused = self.focused
        for index, pane in enumerate(PANE_ORDER):
            widget = self.query_one(PANES[pane], Widget)
            if focused is not None and widget in focused.ancestors_with_self:
                current = index
        self.action_focus_pane(PANE_ORDER[(current + step) % len(PANE_ORDER)])
