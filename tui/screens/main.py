"""The main screen: Documents and Document side by side on top, Relations across the bottom, the
filter line (active search and filters, result counts) under the search input, and the Footer.

The screen holds the browsing state (the search, the filters, the document on show, the scope of
the Relations pane) and reads the store only in worker threads; each pane then pages its own rows.
Below 100 columns the top row shows one pane at a time: the list, or the document once opened
(escape goes back to the list).

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

import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import get_current_worker

from db.queries.comentions import DOCUMENT_CAP as COMENTION_DOCUMENT_CAP
from db.queries.comentions import page_of as comention_page_of
from db.store import COUNT_CAP, NO_FILTERS, SEARCH_CAP, Comention, Document, Filters, Mention, Page
from tui.bindings import key_for
from tui.screens.base import READ_ERRORS, BrowserScreen
from tui.widgets.doc_list import DocList
from tui.widgets.doc_view import DocView
from tui.widgets.filter_bar import FilterBar
from tui.widgets.footer import KeyFooter
from tui.widgets.paged_table import PagedTable, one_line
from tui.widgets.relation_table import RelationTable
from tui.widgets.search_bar import SearchBar

DATA_VERSION_POLL = 2.0
"""Seconds between two checks for writes by another process (an ingest)."""
NARROW_WIDTH = 100
"""Below this width the top row shows the document list or the document, not both."""
COUNT_AFTER_DRAWN = 0.5
"""At most this many seconds the search's count waits for its first hits to be drawn."""
SEARCH_GRACE = 0.25
"""Seconds a search's first hits have to arrive before the Documents pane says "Searching for …"
and takes the focus. Hits that come sooner are drawn in the same frame as everything else the
search changes (the focus, the pane title, the filter line); until then the screen does not
change, so the UI thread stays idle and the worker reading the hits is not held up (a busy UI
thread holds the GIL the worker needs between two rows: a 3 ms query took 20–85 ms, at times over
300 ms, while the screen was being laid out and drawn)."""

PANES: dict[str, str] = {"documents": "#documents", "document": "#article", "relations": "#relations"}
PANE_ORDER: tuple[str, ...] = ("documents", "document", "relations")


def set_border(widget: Widget, title: Content | str, subtitle: Content | str) -> None:
    """Give a pane its border title and subtitle, each only if it changed: Textual redraws the
    whole pane on every assignment, even of the same text (a search redrew Relations twice)."""
    if widget.border_title != (title.markup if isinstance(title, Content) else title):
        widget.border_title = title
    if widget.border_subtitle != (subtitle.markup if isinstance(subtitle, Content) else subtitle):
        widget.border_subtitle = subtitle


class MainScreen(BrowserScreen):
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
        self.query_text: str | None = None
        """The search on show in the Documents pane, or None for every document."""
        self.filters: Filters = NO_FILTERS
        """The active filters (documents, relations and search hits)."""
        self.document_id: int | None = None
        """The document on show in the Document pane."""
        self.relations_document: int | None = None
        """The document the Relations pane is narrowed to, or None for all relations."""
        self.reading = False
        """In a narrow terminal: the top row shows the document (else the list)."""
        self.mounted = False
        """Set once the panes exist (the store may open before or after)."""
        self.data_version: int | None = None
        """The store's `PRAGMA data_version` when the lists were last read (None: not known yet)."""
        self.new_data = False
        """Another process (an ingest) has written to the store since the lists were read."""
        self.comentions_unfiltered = False
        """Co-mentions on show ignore the date and source filters (too many documents in range)."""
        self.search_pending: int | None = None
        """While a search's first hits are on their way (at most SEARCH_GRACE): the Documents
        pane's generation when enter was pressed (the pane still shows what it showed before, and
        the search bar keeps the focus)."""

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

    # -- loading --------------------------------------------------------------------------------
    def store_ready(self) -> None:
        """The app has opened the store: fill the panes, and watch for writes by other processes."""
        self.document_view.show_message("Choose a document and press enter.")
        self.data_version = self.store.data_version(blocking=False) if self.store is not None else None
        self.load_documents()
        self.load_relations(None)
        self.set_interval(DATA_VERSION_POLL, self.check_for_new_data, name="data-version")

    def check_for_new_data(self) -> None:
        """Every few seconds: has another connection committed (an ingest)? `PRAGMA data_version`
        on the page connection answers in microseconds; a busy connection is asked next time."""
        store = self.store
        if store is None or self.new_data:
            return
        version = store.data_version(blocking=False)
        if version is None:
            return
        if self.data_version is None:
            self.data_version = version
        elif version != self.data_version:
            self.new_data = True
            self.update_filter_bar()

    def load_documents(self, keep_cursor: bool = False) -> None:
        """Show the first page of documents (or search hits) for the search and filters; the
        count follows. `keep_cursor`: the cursor stays on its row (a refresh)."""
        store, counter = self.store, self.count_store
        if store is None or counter is None:
            return
        query, filters = self.query_text, self.filters
        if query is None:

            def fetch(page: Page) -> Sequence[Any]:
                return store.document_page(page, filters)

            def count() -> int:
                return counter.document_count(filters, COUNT_CAP)

            message = "No documents — run dprk-tui ingest PATH"
            if filters.active:
                message = "No documents match these filters — escape clears them"

            def show(first: Sequence[Any]) -> None:
                self.documents.show_documents(fetch, first, message)

        else:
            drawn = threading.Event()

            def fetch(page: Page) -> Sequence[Any]:
                return store.search_page(query, page, filters, SEARCH_CAP)

            def count() -> int:
                # Once the hits are on screen: counting alongside would slow drawing them (GIL).
                drawn.wait(COUNT_AFTER_DRAWN)
                return counter.search_count(query, SEARCH_CAP, filters)

            def show(first: Sequence[Any]) -> None:
                waited = self.stop_waiting()
                self.documents.show_hits(fetch, first, query)
                if waited:
                    self.documents.focus()
                self.call_after_refresh(drawn.set)

        self.fill(self.documents, fetch, count, show, group="documents", done=self.update_titles,
                  title="Documents", restore=self.cursor_of(self.documents) if keep_cursor else None,
                  cap=COUNT_CAP if query is None and store.count_is_capped(filters) else None)

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
                        computed.append(store.dated_comentions(filters))
                        self.comentions_unfiltered = computed[0] is None
                    if computed[0] is not None:
                        return comention_page_of(computed[0], page)
                return store.comention_page(page, document_id, filters)

            def count() -> int:
                if computed and computed[0] is not None:
                    return len(computed[0])
                return counter.comention_count(document_id, filters)

            message = "No two known actors are named in one sentence here."
            if filters.active:
                message = "No two known actors are named in one sentence within these filters."
        else:

            def fetch(page: Page) -> Sequence[Any]:
                return store.relation_page(page, filters, sort, document_id)

            def count() -> int:
                return counter.relation_count(document_id, filters)

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

    @staticmethod
    def cursor_of(table: PagedTable) -> tuple[int, Any] | None:
        """(index, identity) of the row under a table's cursor, to find it again after a refresh."""
        row = table.cursor_value if table.pages is not None else None
        return (table.cursor_row, table.row_identity(row)) if row is not None else None

    @property
    def hits_text(self) -> str:
        """The search hits for a title: "12", "10,000+" at the cap, "…" while counting."""
        if self.searching:
            return "…"
        total = self.documents.total
        return f"{total:,}+" if total is not None and total >= SEARCH_CAP else self.documents.count_text

    @property
    def documents_text(self) -> str:
        """The count of the Documents pane: documents, or search hits."""
        return self.documents.count_text if self.query_text is None else self.hits_text

    def update_titles(self) -> None:
        """Pane titles and the filter line, with the counts known so far ("…" while counting).
        A title is set only when it changed: setting one redraws the whole pane."""
        documents = self.documents.count_text
        if self.query_text is None:
            scope = " — filtered" if self.filters.active else ""
            set_border(self.documents, Content(f"Documents{scope} ({documents})"), "")
        else:
            # At SEARCH_CAP hits or more only the SEARCH_CAP most recently added are ranked: say so.
            limited = self.documents.total is not None and self.documents.total >= SEARCH_CAP
            set_border(
                self.documents,
                Content(f"Search: {one_line(self.query_text)} ({self.hits_text})"),
                f"best of the {SEARCH_CAP:,} added last" if limited else "",
            )
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
        self.update_filter_bar()

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

    @work(thread=True, exclusive=True, group="document", exit_on_error=False)
    def load_document(self, document_id: int, query: str | None) -> None:
        """Read a document and its mentions."""
        store = self.store
        if store is None:
            return
        try:
            document = store.document(document_id)
            mentions = store.mentions(document_id) if document else []
        except READ_ERRORS as exc:
            self.app.call_from_thread(self.notify, one_line(exc), severity="error", title="Document", markup=False)
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
        self.action_focus_pane("document")

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

    @on(Input.Submitted, "#search")
    def run_search(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not query:
            self.close_search()
            return
        if self.store is None:
            self.notify("The store is still opening; try again in a moment.", title="Search")
            return
        self.query_text = query
        # Only the worker starts now; the focus, the pane, its title and the filter line change
        # when the hits arrive (one layout, one frame), or after SEARCH_GRACE, or at the next key.
        self.load_documents()
        self.search_pending = self.documents.generation
        self.search_bar.waiting = True
        self.set_timer(SEARCH_GRACE, self.show_searching)

    @property
    def searching(self) -> bool:
        """Enter was pressed in the search bar and the Documents pane still shows what it showed
        before (the first hits are on their way)."""
        return self.search_pending is not None and self.search_pending == self.documents.generation

    def stop_waiting(self) -> bool:
        """End the wait for a search's first hits; True if the search bar still had the focus
        (it is then the Documents pane's turn)."""
        waited = self.searching and self.focused is self.search_bar
        self.search_pending = None
        self.search_bar.waiting = False
        return waited

    def show_searching(self) -> None:
        """The hits are slow (SEARCH_GRACE), or a key came before them: the Documents pane says
        that the search is running and takes the focus."""
        if self.stop_waiting() and self.query_text is not None:
            self.documents.clear_source(f"Searching for “{one_line(self.query_text)}” …")
            self.update_titles()
            self.documents.focus()

    def on_key(self, event: events.Key) -> None:
        """A key typed after enter, before the hits: the search bar passed it on (it is not
        typed into the bar); the Documents pane takes the focus now, and the key then goes to
        it as it would have had the hits been in (e.g. j moves down the list)."""
        if self.search_bar.waiting:
            self.show_searching()

    @on(SearchBar.Cancelled)
    def cancel_search(self) -> None:
        self.close_search()

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

    def action_search(self) -> None:
        """Show the search input and move to it."""
        self.stop_waiting()
        bar = self.search_bar
        bar.add_class("-open")
        bar.focus()

    def action_filters(self) -> None:
        """Open the filter dialog; apply what it returns."""
        from tui.screens.filters import FilterScreen

        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.apply_filters(filters)

        self.app.push_screen(FilterScreen(self.filters), chosen)

    def close_search(self) -> None:
        """Hide the search input and, if a search is on show, list every document again."""
        self.stop_waiting()
        bar = self.search_bar
        bar.value = ""
        bar.remove_class("-open")
        if self.query_text is not None:
            self.query_text = None
            self.load_documents()
            self.update_titles()
        self.documents.focus()

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
        self.data_version = store.data_version(blocking=False)  # None: the next check sets it
        self.new_data = False
        self.load_documents(keep_cursor=True)
        self.load_relations(self.relations_document, keep_cursor=True)
        self.update_titles()

    def action_all_relations(self) -> None:
        """Show the relations of every document again."""
        self.load_relations(None)

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
