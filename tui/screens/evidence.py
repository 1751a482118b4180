"""The evidence screen: every event behind one relation (source, type, target) — or every event
between two actors, either way round — newest first, each with the sentence that states it; below,
the sentence under the cursor in full.

Enter opens the document scrolled to that sentence, the sentence marked; escape comes back here,
and escape again goes back to exactly where you were before.

    ┌ Evidence: North Korea →COOPERATE→ Russia (3) ────────────────────────┐
    │ Date       Source  Relation                         Document          │
    │ 2024-01-27 Yonhap  North Korea →COOPERATE→ Russia   North Korean …    │
    │   North Korea is stepping up military cooperation with Russia, …      │
    └───────────────────────────────────────────────────────────────────────┘
    ┌ Sentence ─────────────────────────────────────────────────────────────┐
    │ (the whole sentence, wrapped)                                         │
    └───────────────────────────────────────────────────────────────────────┘
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from dprk_tui.db.store import NO_FILTERS, Evidence, Filters, Page, Store
from dprk_tui.tui.screens.base import BrowserScreen
from dprk_tui.tui.widgets.evidence_list import EvidenceList, evidence_styles
from dprk_tui.tui.widgets.footer import KeyFooter
from dprk_tui.tui.widgets.highlight import evidence_text
from dprk_tui.tui.widgets.paged_table import PagedTable, one_line


@dataclass(frozen=True)
class EvidenceScope:
    """Whose events to list: one relation (`type` given) or a pair of actors (`type` None)."""

    source_id: int
    source: str
    target_id: int
    target: str
    type: str | None = None
    filters: Filters = NO_FILTERS
    document_id: int | None = None

    def fetch(self, store: Store) -> Callable[[Page], Sequence[Evidence]]:
        if self.type is None:
            return lambda page: store.evidence.pair_page(self.source_id, self.target_id, page, self.filters)
        return lambda page: store.evidence.page(
            self.source_id, self.type, self.target_id, page, self.filters, self.document_id
        )

    def count(self, store: Store) -> int:
        if self.type is None:
            return store.evidence.pair_count(self.source_id, self.target_id, self.filters)
        return store.evidence.count(self.source_id, self.type, self.target_id, self.filters, self.document_id)

    @property
    def label(self) -> str:
        source, target = one_line(self.source), one_line(self.target)
        if self.type is None:
            return f"{source} ↔ {target}"
        return f"{source} →{one_line(self.type)}→ {target}"

    @property
    def narrowing(self) -> str:
        """What else narrows the list ("" for nothing)."""
        parts = [part for part in self.filters.describe() if part.startswith(("date", "source"))]
        if self.document_id is not None:
            parts.insert(0, "this document")
        return " · ".join(parts)


class EvidenceScreen(BrowserScreen):
    """The sentences behind a relation."""

    HELP = (
        "**Evidence**: every event behind a relation, newest first, with the sentence that states "
        "it (the source actor and the target actor highlighted, the trigger word underlined). "
        "**enter** opens the document at the sentence; **y** copies the sentence; **o** / **t** "
        "open the source / target actor; **escape** goes back."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="evidence.back", tooltip="Back to where you were"),
    ]

    DEFAULT_CSS = """
    EvidenceScreen {
        & > #evidence { height: 1fr; }
        & > #evidence-sentence {
            height: auto;
            max-height: 40%;
            border: round $foreground 30%;
            border-title-color: $text-muted;
            padding: 0 1;
        }
    }
    """

    def __init__(self, scope: EvidenceScope) -> None:
        super().__init__()
        self.scope = scope

    def compose(self) -> ComposeResult:
        yield EvidenceList(id="evidence", classes="pane")
        with VerticalScroll(id="evidence-sentence", can_focus=False):
            yield Static(Content(""), id="sentence-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.evidence.clear_source("Reading the evidence …")
        self.query_one("#evidence-sentence").border_title = "Sentence"
        self.update_title()
        self.evidence.focus()
        store, counter = self.store, self.count_store
        if store is None or counter is None:
            return
        fetch = self.scope.fetch(store)
        message = "No events — the relation has no evidence within these filters."
        self.fill(
            self.evidence,
            fetch,
            lambda: self.scope.count(counter),
            lambda first: self.evidence.show_evidence(fetch, first, message),
            group="evidence",
            done=self.update_title,
            title="Evidence",
        )

    @property
    def evidence(self) -> EvidenceList:
        return self.query_one("#evidence", EvidenceList)

    def update_title(self) -> None:
        self.evidence.border_title = Content(f"Evidence: {self.scope.label} ({self.evidence.count_text})")
        narrowing = self.scope.narrowing
        legend = self.evidence.legend()
        self.evidence.border_subtitle = Content.assemble(narrowing + " │ ", legend) if narrowing else legend

    @on(PagedTable.Highlighted, "#evidence")
    def show_sentence(self, event: PagedTable.Highlighted) -> None:
        """The whole sentence under the cursor, with its document."""
        row: Evidence | None = event.row
        if row is None:
            return
        sentence = evidence_text(row.sentence, row.marks, row.source_id, row.trigger, evidence_styles(self.evidence))
        sentence.no_wrap = False
        sentence.end = ""
        where = Text(f"\n{one_line(row.title)} · {one_line(row.date) or 'undated'} · "
                     f"{one_line(row.source) or 'unknown source'}", style="dim")
        self.query_one("#sentence-text", Static).update(Text.assemble(sentence, where))

    @on(PagedTable.Selected, "#evidence")
    def open_document(self, event: PagedTable.Selected) -> None:
        """Enter: the document, scrolled to this sentence, the sentence marked."""
        row: Evidence = event.row
        self.dprk_app.show_document(row.document_id, mark=(row.start, row.end))

    def action_back(self) -> None:
        self.dismiss(None)

    def rows(self) -> list[Any]:
        """The rows read so far (for tests)."""
        return [self.evidence.row_at(index) for index in range(self.evidence.row_count)]
