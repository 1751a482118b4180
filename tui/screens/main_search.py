"""The main screen's Documents pane and the search that fills it: every document within the
filters, or a search's hits. `/` opens the search bar, enter runs the search, escape closes it.

Enter only starts the worker that reads the first hits. Until they arrive the screen does not
change (the search bar keeps the focus); then the hits, the focus, the pane title and the filter
line change in one frame. Hits slower than SEARCH_GRACE, or a key typed before them, make the pane
say "Searching for …" and take the focus. The hits' count waits until they are drawn.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from textual import events, on
from textual.content import Content
from textual.widgets import Input

from dprk_tui.db.store import COUNT_CAP, SEARCH_CAP, Page
from dprk_tui.tui.screens.main_base import MainScreenBase, set_border
from dprk_tui.tui.widgets.paged_table import one_line
from dprk_tui.tui.widgets.search_bar import SearchBar

COUNT_AFTER_DRAWN = 0.5
"""At most this many seconds the search's count waits for its first hits to be drawn."""
SEARCH_GRACE = 0.25
"""Seconds a search's first hits have to arrive before the Documents pane says "Searching for …"
and takes the focus. Hits that come sooner are drawn in the same frame as everything else the
search changes (the focus, the pane title, the filter line); until then the screen does not
change, so the UI thread stays idle and the worker reading the hits is not held up (a busy UI
thread holds the GIL the worker needs between two rows: a 3 ms query took 20–85 ms, at times over
300 ms, while the screen was being laid out and drawn)."""


class SearchFlow(MainScreenBase):
    """The Documents pane and the search, as part of `MainScreen`."""

    def __init__(self) -> None:
        super().__init__()
        self.query_text: str | None = None
        """The search on show in the Documents pane, or None for every document."""
        self.search_pending: int | None = None
        """While a search's first hits are on their way (at most SEARCH_GRACE): the Documents
        pane's generation when enter was pressed (the pane still shows what it showed before, and
        the search bar keeps the focus)."""

    # -- loading --------------------------------------------------------------------------------
    def load_documents(self, keep_cursor: bool = False) -> None:
        """Show the first page of documents (or search hits) for the search and filters; the
        count follows. `keep_cursor`: the cursor stays on its row (a refresh)."""
        store, counter = self.store, self.count_store
        if store is None or counter is None:
            return
        query, filters = self.query_text, self.filters
        if query is None:

            def fetch(page: Page) -> Sequence[Any]:
                return store.documents.page(page, filters)

            def count() -> int:
                return counter.documents.count(filters, COUNT_CAP)

            message = "No documents — run dprk-tui ingest PATH"
            if filters.active:
                message = "No documents match these filters — escape clears them"

            def show(first: Sequence[Any]) -> None:
                self.documents.show_documents(fetch, first, message)

        else:
            drawn = threading.Event()

            def fetch(page: Page) -> Sequence[Any]:
                return store.search.page(query, page, filters, SEARCH_CAP)

            def count() -> int:
                # Once the hits are on screen: counting alongside would slow drawing them (GIL).
                drawn.wait(COUNT_AFTER_DRAWN)
                return counter.search.count(query, SEARCH_CAP, filters)

            def show(first: Sequence[Any]) -> None:
                waited = self.stop_waiting()
                self.documents.show_hits(fetch, first, query)
                if waited:
                    self.documents.focus()
                self.call_after_refresh(drawn.set)

        self.fill(self.documents, fetch, count, show, group="documents", done=self.update_titles,
                  title="Documents", restore=self.cursor_of(self.documents) if keep_cursor else None,
                  cap=COUNT_CAP if query is None and store.documents.count_is_capped(filters) else None)

    # -- titles ---------------------------------------------------------------------------------
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

    def update_documents_title(self) -> None:
        """The Documents pane's title: documents (filtered or not), or the search and its hits."""
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

    # -- search ---------------------------------------------------------------------------------
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

    def action_search(self) -> None:
        """Show the search input and move to it."""
        self.stop_waiting()
        bar = self.search_bar
        bar.add_class("-open")
        bar.focus()

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
