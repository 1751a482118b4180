"""The document screen: one document over the whole terminal, opened from evidence (scrolled to the
sentence, the sentence marked) or from an actor's documents (the actor's first mention selected).

The same `DocView` as the main screen's Document pane, so the same keys work: n / N step through
mentions, enter opens the selected mention's actor, y / Y copy, P O L X switch entity kinds.
Escape returns to the screen it was opened from, exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.worker import get_current_worker

from dprk_tui.db.store import Document, Mention
from dprk_tui.tui.screens.base import READ_ERRORS, BrowserScreen
from dprk_tui.tui.widgets.doc_view import DocView
from dprk_tui.tui.widgets.footer import KeyFooter
from dprk_tui.tui.widgets.paged_table import one_line


class DocumentScreen(BrowserScreen):
    """One document, full size."""

    HELP = (
        "**Document**: the text with every actor mention highlighted. **n** / **N** select the "
        "next / previous mention of a known actor and **enter** opens its profile; **y** copies "
        "the marked sentence (or the selected mention's sentence), **Y** the whole text; **P** "
        "**O** **L** **X** switch persons, organisations, places and other entities off and on; "
        "**escape** goes back."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="document-screen.back", tooltip="Back to where you were"),
    ]

    def __init__(
        self,
        document_id: int,
        mark: tuple[int, int] | None = None,
        actor_id: int | None = None,
        query: str | None = None,
    ) -> None:
        super().__init__()
        self.document_id = document_id
        self.mark = mark
        self.actor_id = actor_id
        self.query_text = query

    def compose(self) -> ComposeResult:
        yield DocView(id="document", classes="pane")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.view.border_title = "Document"
        self.view.show_message("Reading the document …")
        self.view.article.focus()
        self.load()

    @property
    def view(self) -> DocView:
        return self.query_one("#document", DocView)

    @work(thread=True, exclusive=True, group="document", exit_on_error=False)
    def load(self) -> None:
        store = self.store
        if store is None:
            return
        try:
            document = store.documents.get(self.document_id)
            mentions = store.documents.mentions(self.document_id) if document else []
        except READ_ERRORS as exc:
            self.app.call_from_thread(self.notify, one_line(exc), severity="error", title="Document", markup=False)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, document, mentions)

    def _show(self, document: Document | None, mentions: Sequence[Mention]) -> None:
        if document is None:
            self.view.show_message(f"Document {self.document_id} is no longer in the store.")
            return
        title = "Document — evidence marked" if self.mark else "Document"
        self.view.border_title = title
        self.view.show_document(document, mentions, self.query_text, mark=self.mark, actor_id=self.actor_id)
        self.refresh_bindings()

    def action_back(self) -> None:
        self.dismiss(None)
