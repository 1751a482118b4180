"""The search input, docked at the top of the main screen and shown by `/`.

Enter submits (`Input.Submitted`, handled by the screen); escape posts `SearchBar.Cancelled`.
Whatever is typed is safe: the store quotes every word before it reaches FTS5.

While the screen waits for a search's first hits (`waiting`), the bar keeps the focus but types
nothing: each key goes on up to the screen, which then moves to the list the key was meant for.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """A one-line query input."""

    help_name = "Search input"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close search", id="search.cancel",
                tooltip="Close the search and list every document again"),
    ]

    class Cancelled(Message):
        """Escape was pressed in the search input."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder="Search documents: type words, enter to search, escape to close",
            id=id,
            select_on_focus=False,
        )
        self.border_title = "Search"
        self.waiting = False
        """Enter was pressed and the hits are on their way: keys are passed on, not typed."""

    def _on_key(self, event: events.Key) -> None:
        if self.waiting:  # not typed (Input's handler is skipped); the key bubbles on to the screen
            event.prevent_default()

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())
