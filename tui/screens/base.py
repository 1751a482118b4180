"""What every browser screen shares: the store, filling a paged table from a worker (first page
first, its count afterwards), and the drill-down messages every pane may send (open an actor).

`fill` reads the first page of a list in a worker thread and shows it at once; then, in the same
worker, counts the rows on the app's second connection (so a long count never holds up the pages
the UI reads) and gives the table its total. Until then the table's title says "…".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual import on
from textual.await_complete import AwaitComplete
from textual.screen import Screen
from textual.worker import get_current_worker

from dprk_tui.db.errors import DprkError
from dprk_tui.db.store import Page, Store
from dprk_tui.tui.widgets.counterpart_table import CounterpartTable
from dprk_tui.tui.widgets.doc_view import DocView
from dprk_tui.tui.widgets.evidence_list import EvidenceList
from dprk_tui.tui.widgets.keyset_pages import KeysetPages
from dprk_tui.tui.widgets.paged_table import PagedTable, one_line
from dprk_tui.tui.widgets.relation_table import RelationTable

if TYPE_CHECKING:
    from dprk_tui.tui.app import DprkApp

READ_ERRORS = (DprkError, sqlite3.Error)


class BrowserScreen(Screen[None]):
    """A screen over the store."""

    HELP: str = ""
    """Markdown shown at the top of the help screen over this screen."""

    def dismiss(self, result: None = None) -> AwaitComplete:
        """Close once: a key typed in a burst may reach this screen after it closed (#7), and
        Textual would then pop the screen below it."""
        if not self.is_active:
            return AwaitComplete.nothing()
        return super().dismiss(result)

    @property
    def dprk_app(self) -> DprkApp:
        return self.app  # type: ignore[return-value]

    @property
    def store(self) -> Store | None:
        return self.dprk_app.store

    @property
    def count_store(self) -> Store | None:
        """The connection counts run on (so that they never block page reads)."""
        return self.dprk_app.count_store or self.dprk_app.store

    # -- filling tables -------------------------------------------------------------------------
    def fill(
        self,
        table: PagedTable,
        fetch: Callable[[Page], Sequence[Any]],
        count: Callable[[], int] | None,
        show: Callable[[Sequence[Any]], None],
        *,
        group: str,
        done: Callable[[], None] | None = None,
        title: str = "",
        restore: tuple[int, Any] | None = None,
        cap: int | None = None,
    ) -> None:
        """Read the first page with `fetch` (in a worker), `show` it, then `count` the rows and
        give `table` its total; `done` runs after each step (to update titles).

        `restore` (a refresh): (the cursor's index, its row's `table.row_identity`) before the
        list is read again; the worker reads on as far as needed to find that row again (rows may
        have been added above it) and the cursor is put back on it.

        `cap`: `count` stops above this many rows; a count above it shows as "cap+" and the table
        reads on as the cursor goes down."""

        def work() -> None:
            worker = get_current_worker()
            cursor = 0
            try:
                first: Sequence[Any] | KeysetPages = list(fetch(Page(PagedTable.PAGE_SIZE)))
                if restore is not None:
                    pages = KeysetPages(
                        fetch, first, page_size=PagedTable.PAGE_SIZE, cache_pages=PagedTable.CACHE_PAGES
                    )
                    cursor = pages.locate(restore[0], restore[1], table.row_identity)
                    first = pages
            except READ_ERRORS as exc:
                self.app.call_from_thread(self.notify, one_line(exc), severity="error", title=title or "Read", markup=False)
                return
            if worker.is_cancelled:
                return
            generation = self.app.call_from_thread(self._shown, table, show, first, done, cursor)
            if count is None or table.total is not None:
                return
            try:
                total = count()
            except READ_ERRORS as exc:
                self.app.call_from_thread(self.notify, one_line(exc), severity="error", title="Count", markup=False)
                return
            if not worker.is_cancelled:
                self.app.call_from_thread(self._counted, table, generation, total, done, cap)

        self.run_worker(work, thread=True, exclusive=True, group=group, exit_on_error=False)

    def _shown(
        self,
        table: PagedTable,
        show: Callable[[Sequence[Any]], None],
        first: Sequence[Any],
        done: Callable[[], None] | None,
        cursor: int = 0,
    ) -> int:
        show(first)
        if cursor:
            table.cursor_row = cursor
        if done is not None:
            done()
        return table.generation

    def _counted(
        self,
        table: PagedTable,
        generation: int,
        total: int,
        done: Callable[[], None] | None,
        cap: int | None = None,
    ) -> None:
        if table.generation == generation:
            if cap is not None and total > cap:
                table.set_count_floor(cap)
            else:
                table.set_total(total)
            if done is not None:
                done()

    # -- drill-down -----------------------------------------------------------------------------
    @on(DocView.ActorRequested)
    @on(RelationTable.ActorRequested)
    @on(EvidenceList.ActorRequested)
    @on(CounterpartTable.ActorRequested)
    def open_actor(
        self,
        event: DocView.ActorRequested
        | RelationTable.ActorRequested
        | EvidenceList.ActorRequested
        | CounterpartTable.ActorRequested,
    ) -> None:
        """Open an actor's profile over this screen."""
        event.stop()
        self.dprk_app.show_actor(event.actor_id)

    def on_screen_resume(self) -> None:
        """Back on this screen: redraw document views whose hidden entity kinds changed."""
        for view in self.query(DocView):
            view.sync_hidden()
