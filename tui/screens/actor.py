"""The actor screen: who an actor is (name, type, country, aliases, roles with dates, mention and
document counts), a timeline of its relations, its counterparts and its documents.

Enter on a counterpart lists the evidence of the pair (every event between the two, either way
round); `o` opens the counterpart's own profile; enter on a document opens it with the actor's first
mention selected; `f` goes back to the main screen with everything filtered to this actor.

    ┌ Actor ─────────────────────────────────────────────────────────────┐
    │ Choe Son Hui  PERSON                                                │
    │ person · country PRK · 6 mentions in 2 documents · 4 counterparts   │
    │ Also: Choe Son Hi, Choi Son Hui                                     │
    │ Role                                 From     To                    │
    │ Minister of Foreign Affairs          2022-06  now                   │
    │ Relations by month · 3 events · most in 2024-01 (2)                 │
    │ ▂ █                                                                 │
    └─────────────────────────────────────────────────────────────────────┘
    ┌ Counterparts (4) ─────────────┐┌ Documents (2) ──────────────────────┐
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.worker import get_current_worker

from dprk_tui.db.store import COUNT_CAP, Actor, Counterpart, Filters, Page
from dprk_tui.tui.screens.base import READ_ERRORS, BrowserScreen
from dprk_tui.tui.widgets.actor_card import ActorCard
from dprk_tui.tui.widgets.counterpart_table import CounterpartTable
from dprk_tui.tui.widgets.doc_list import DocList
from dprk_tui.tui.widgets.footer import KeyFooter
from dprk_tui.tui.widgets.paged_table import PagedTable, one_line


class ActorScreen(BrowserScreen):
    """One actor's profile."""

    HELP = (
        "**Actor**: who the actor is, its roles, its relations over time, its **counterparts** "
        "(enter lists the evidence between the two; **o** opens the counterpart) and its "
        "**documents** (enter opens one at the actor's first mention). **f** filters the main "
        "screen to this actor; **tab** moves between the panes; **escape** goes back."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="actor.back", tooltip="Back to where you were"),
        Binding("f", "filter_main", "Filter", id="actor.filter",
                tooltip="Back to the main screen, documents and relations filtered to this actor"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="actor.next-pane",
                tooltip="Move to the next pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="actor.previous-pane",
                tooltip="Move to the previous pane"),
    ]

    DEFAULT_CSS = """
    ActorScreen {
        & > ActorCard {
            border: round $foreground 30%;
            border-title-color: $text-muted;
            border-title-style: bold;
            &:focus { border: heavy $accent; border-title-color: $accent; }
        }
        & > #actor-lists { height: 1fr; min-height: 8; }
        & CounterpartTable { width: 3fr; }
        & #actor-documents { width: 2fr; }
    }
    """

    def __init__(self, actor_id: int) -> None:
        super().__init__()
        self.actor_id = actor_id
        self.actor: Actor | None = None

    def compose(self) -> ComposeResult:
        yield ActorCard(id="actor-card", classes="pane")
        with Horizontal(id="actor-lists"):
            yield CounterpartTable(id="counterparts", classes="pane")
            yield DocList(id="actor-documents", classes="pane", help_name="Actor's documents")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.card.border_title = "Actor"
        self.counterparts.border_title = "Counterparts (…)"
        self.documents.border_title = "Documents (…)"
        self.counterparts.clear_source("Reading …")
        self.documents.clear_source("Reading …")
        self.counterparts.focus()
        self.load_actor()

    @property
    def card(self) -> ActorCard:
        return self.query_one(ActorCard)

    @property
    def counterparts(self) -> CounterpartTable:
        return self.query_one("#counterparts", CounterpartTable)

    @property
    def documents(self) -> DocList:
        return self.query_one("#actor-documents", DocList)

    # -- loading --------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="actor", exit_on_error=False)
    def load_actor(self) -> None:
        """The profile (small), then the lists and the timeline."""
        store = self.store
        if store is None:
            return
        try:
            actor = store.actors.get(self.actor_id)
        except READ_ERRORS as exc:
            self.app.call_from_thread(self.notify, one_line(exc), severity="error", title="Actor", markup=False)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_actor, actor)

    def _show_actor(self, actor: Actor | None) -> None:
        if actor is None:
            self.card.border_title = "Actor"
            self.counterparts.clear_source(f"Actor {self.actor_id} is not in this store.")
            self.documents.clear_source("")
            return
        self.actor = actor
        self.card.border_title = Content(f"Actor: {one_line(actor.name)}")
        self.card.show(actor)
        self.load_lists()
        self.load_timeline()

    def load_lists(self) -> None:
        store, counter = self.store, self.count_store
        if store is None or counter is None:
            return
        actor_id = self.actor_id
        filters = Filters(actor_id=actor_id, actor=self.actor.name if self.actor else None)

        def counterparts(page: Page) -> Sequence[Any]:
            return store.actors.counterpart_page(actor_id, page)

        def documents(page: Page) -> Sequence[Any]:
            return store.documents.page(page, filters)

        self.fill(
            self.counterparts,
            counterparts,
            lambda: counter.actors.counterpart_count(actor_id),
            lambda first: self.counterparts.show_counterparts(counterparts, first),
            group="counterparts",
            done=self.update_titles,
            title="Counterparts",
        )
        self.fill(
            self.documents,
            documents,
            lambda: counter.documents.count(filters, COUNT_CAP),
            lambda first: self.documents.show_documents(documents, first, "No documents mention this actor."),
            group="actor-documents",
            done=self.update_titles,
            title="Documents",
            cap=COUNT_CAP if counter.documents.count_is_capped(filters) else None,
        )

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def load_timeline(self) -> None:
        counter = self.count_store
        if counter is None:
            return
        try:
            counts = counter.actors.timeline(self.actor_id)
        except READ_ERRORS as exc:
            self.app.call_from_thread(self.notify, one_line(exc), severity="error", title="Timeline", markup=False)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.card.timeline.show, counts)

    def update_titles(self) -> None:
        self.counterparts.border_title = Content(f"Counterparts ({self.counterparts.count_text})")
        self.documents.border_title = Content(f"Documents ({self.documents.count_text})")
        if self.actor is not None:
            self.card.show(self.actor, self.counterparts.count_text)

    # -- drill-down -----------------------------------------------------------------------------
    @on(PagedTable.Selected, "#counterparts")
    def open_pair(self, event: PagedTable.Selected) -> None:
        """Enter on a counterpart: every event between the two actors."""
        row: Counterpart = event.row
        if self.actor is not None:
            self.dprk_app.show_pair_evidence(self.actor.id, self.actor.name, row.id, row.name)

    @on(PagedTable.Selected, "#actor-documents")
    def open_document(self, event: PagedTable.Selected) -> None:
        """Enter on a document: open it at the actor's first mention."""
        self.dprk_app.show_document(event.row.id, actor_id=self.actor_id)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_filter_main(self) -> None:
        """Back to the main screen with documents and relations filtered to this actor."""
        if self.actor is not None and self.is_active:
            self.dprk_app.filter_main_by_actor(self.actor.id, self.actor.name)
