"""The main screen: Documents and Document side by side on top, Relations across the bottom, a
search input docked at the top when `/` is pressed, and the Footer.

The screen holds the browsing state (the active search, the document on show, the scope of the
Relations pane) and reads the store only in worker threads; each pane then pages its own rows.

    ┌ Documents (5) ─────────┐┌ Document ─────────────────────────┐
    │ Date       Source Title ││ title / date · source · file      │
    │ 2024-01-27 IANS   …     ││ PERSON 3  ORG 2  GPE 9  other 1   │
    │                         ││ text, mentions highlighted …      │
    └─────────────────────────┘└───────────────────────────────────┘
    ┌ Relations (19) ────────────────────────────────────────────────┐
    │ Source   Type   Target   Count Docs First      Last            │
    └────────────────────────────────────────────────────────────────┘
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from db.errors import DprkError
from db.store import Document, Mention, Store
from tui.widgets.doc_list import DocList
from tui.widgets.doc_view import DocView
from tui.widgets.paged_table import PagedTable, one_line
from tui.widgets.relation_table import RelationTable
from tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from tui.app import DprkApp

SEARCH_CAP = 10_000

PANES: dict[str, str] = {"documents": "#documents", "document": "#article", "relations": "#relations"}


class MainScreen(Screen[None]):
    """Three panes over one store."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane", show=False, id="main.next-pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="main.previous-pane"),
        Binding("slash", "search", "Search", id="main.search"),
        Binding("a", "all_relations", "All relations", id="main.all-relations"),
        Binding("escape", "back", "Back", show=False, id="main.back"),
        Binding("1", "focus_pane('documents')", "Go to Documents", show=False, id="main.go-documents"),
        Binding("2", "focus_pane('document')", "Go to Document", show=False, id="main.go-document"),
        Binding("3", "focus_pane('relations')", "Go to Relations", show=False, id="main.go-relations"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text: str | None = None
        """The search on show in the Documents pane, or None for every document."""
        self.document_id: int | None = None
        """The document on show in the Document pane."""
        self.relations_document: int | None = None
        """The document the Relations pane is narrowed to, or None for all relations."""
        self.mounted = False
        """Set once the panes exist (the store may open before or after)."""

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        with Horizontal(id="top"):
            yield DocList(id="documents")
            yield DocView(id="document")
        yield RelationTable(id="relations")
        yield Footer()

    def on_mount(self) -> None:
        self.set_class(self.app.no_color, "-no-color")
        self.documents.border_title = "Documents"
        self.document_view.border_title = "Document"
        self.relations.border_title = "Relations"
        self.documents.clear_source(f"Opening {self.dprk_app.db_path} …")
        self.relations.clear_source("")
        self.documents.focus()
        self.mounted = True
        if self.store is not None:
            self.store_ready()

    @property
    def dprk_app(self) -> DprkApp:
        return self.app  # type: ignore[return-value]

    @property
    def store(self) -> Store | None:
        return self.dprk_app.store

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

    # -- loading --------------------------------------------------------------------------------
    def store_ready(self) -> None:
        """The app has opened the store: fill the panes."""
        self.document_view.show_message("Choose a document and press enter.")
        self.load_documents(None)
        self.load_relations(None)

    @work(thread=True, exclusive=True, group="documents")
    def load_documents(self, query: str | None) -> None:
        """Count and read the first page of documents (or of the hits of `query`)."""
        store = self.store
        if store is None:
            return
        try:
            if query is None:
                count = store.document_count()
                first = store.documents(0, PagedTable.PAGE_SIZE)

                def fetch(offset: int, limit: int) -> Sequence[Any]:
                    return store.documents(offset, limit)

            else:
                count = store.search_count(query, cap=SEARCH_CAP)
                first = store.search(query, limit=PagedTable.PAGE_SIZE)

                def fetch(offset: int, limit: int) -> Sequence[Any]:
                    return store.search(query, limit=limit, offset=offset)

        except (DprkError, sqlite3.Error) as exc:
            self.app.call_from_thread(self.notify, one_line(exc), severity="error", title="Search")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_documents, query, fetch, count, first)

    def _show_documents(
        self, query: str | None, fetch: Any, count: int, first: Sequence[Any]
    ) -> None:
        self.query_text = query
        if query is None:
            self.documents.border_title = Content(f"Documents ({count:,})")
            self.documents.show_documents(fetch, count, first)
        else:
            shown = f"{count:,}+" if count >= SEARCH_CAP else f"{count:,}"
            self.documents.border_title = Content(f"Search: {one_line(query)} ({shown})")
            self.documents.show_hits(fetch, count, first, query)
        self.documents.mark_open(self.document_id)
        if query is None and not count:
            self.document_view.show_message("No documents — run dprk-tui ingest PATH")

    @work(thread=True, exclusive=True, group="relations")
    def load_relations(self, document_id: int | None) -> None:
        """Count and read the first page of relations, of one document or of all."""
        store = self.store
        if store is None:
            return
        try:
            count = store.relation_count(document_id)
            first = store.relations(0, PagedTable.PAGE_SIZE, document_id=document_id)
        except (DprkError, sqlite3.Error) as exc:
            self.app.call_from_thread(self.notify, one_line(exc), severity="error", title="Relations")
            return

        def fetch(offset: int, limit: int) -> Sequence[Any]:
            return store.relations(offset, limit, document_id=document_id)

        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_relations, document_id, fetch, count, first)

    def _show_relations(
        self, document_id: int | None, fetch: Any, count: int, first: Sequence[Any]
    ) -> None:
        self.relations_document = document_id
        if document_id is None:
            self.relations.border_title = Content(f"Relations — all ({count:,})")
        else:
            self.relations.border_title = Content(f"Relations — this document ({count:,})")
        self.relations.show_relations(fetch, count, first, scoped=document_id is not None)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="document")
    def load_document(self, document_id: int, query: str | None) -> None:
        """Read a document and its mentions."""
        store = self.store
        if store is None:
            return
        try:
            document = store.document(document_id)
            mentions = store.mentions(document_id) if document else []
        except (DprkError, sqlite3.Error) as exc:
            self.app.call_from_thread(self.notify, one_line(exc), severity="error", title="Document")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_document, document_id, document, mentions, query)

    def _show_document(
        self,
        document_id: int,
        document: Document | None,
        mentions: Sequence[Mention],
        query: str | None,
    ) -> None:
        if document is None:
            self.document_view.show_message(f"Document {document_id} is no longer in the store.")
            return
        self.document_id = document_id
        self.document_view.show_document(document, mentions, query)
        self.documents.mark_open(document_id)

    # -- events ---------------------------------------------------------------------------------
    @on(PagedTable.Selected, "#documents")
    def open_document(self, event: PagedTable.Selected) -> None:
        """Enter on a document: show it, narrow Relations to it, and move to its text."""
        document_id = event.row.id
        self.load_document(document_id, self.query_text)
        self.load_relations(document_id)
        self.document_view.article.focus()

    @on(Input.Submitted, "#search")
    def run_search(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not query:
            self.action_back()
            return
        if self.store is None:
            self.notify("The store is still opening; try again in a moment.", title="Search")
            return
        self.documents.clear_source(f"Searching for “{one_line(query)}” …")
        self.load_documents(query)
        self.documents.focus()

    @on(SearchBar.Cancelled)
    def cancel_search(self) -> None:
        self.close_search()

    # -- actions --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`a` is dimmed in the Footer while all relations are on show."""
        if action == "all_relations" and self.relations_document is None:
            return None
        return True

    def action_search(self) -> None:
        """Show the search input and move to it."""
        bar = self.search_bar
        bar.add_class("-open")
        bar.focus()

    def close_search(self) -> None:
        """Hide the search input and, if a search is on show, list every document again."""
        bar = self.search_bar
        bar.value = ""
        bar.remove_class("-open")
        if self.query_text is not None:
            self.query_text = None
            self.load_documents(None)
        self.documents.focus()

    def action_back(self) -> None:
        """Escape: from the text back to the list; else close the search."""
        focused = self.focused
        if focused is not None and self.document_view in focused.ancestors_with_self:
            self.documents.focus()
        elif self.query_text is not None or self.search_bar.has_class("-open"):
            self.close_search()

    def action_all_relations(self) -> None:
        """Show the relations of every document again."""
        self.load_relations(None)

    def action_focus_pane(self, pane: str) -> None:
        """Move the focus to a pane by name."""
        selector = PANES.get(pane)
        if selector:
            self.query_one(selector, Widget).focus()
