"""The main screen's Document pane: the document opened from the Documents pane (enter), read in a
worker and shown with its actor mentions highlighted (and the search's words, if a search is on
show); the list draws its row in bold. Opening it, and what else changes then, is `MainScreen`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import work
from textual.worker import get_current_worker

from dprk_tui.db.store import Document, Mention
from dprk_tui.tui.screens.base import READ_ERRORS
from dprk_tui.tui.screens.main_base import MainScreenBase
from dprk_tui.tui.widgets.paged_table import one_line


class DocumentFlow(MainScreenBase):
    """The Document pane, as part of `MainScreen`."""

    def __init__(self) -> None:
        super().__init__()
        self.document_id: int | None = None
        """The document on show in the Document pane."""

    @work(thread=True, exclusive=True, group="document", exit_on_error=False)
    def load_document(self, document_id: int, query: str | None) -> None:
        """Read a document and its mentions."""
        store = self.store
        if store is None:
            return
        try:
            document = store.documents.get(document_id)
            mentions = store.documents.mentions(document_id) if document else []
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
