"""The search input, docked at the top of the main screen and shown by `/`.

Enter submits (`Input.Submitted`, handled by the screen); escape posts `SearchBar.Cancelled`.
Whatever is typed is safe: the store quotes every word before it reaches FTS5.
"""

from __future__ import annotations

from typing import ClassVar

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

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())
