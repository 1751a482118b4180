"""The scrolling body of the Document pane: the article text, its mentions highlighted.

A `VerticalScroll` holding one `Static` whose content is a `textual.content.Content` built by
`tui.widgets.highlight.document_content` (never a markup string). Keys scroll it: up/k, down/j,
pageup, pagedown/space, home/g, end/G.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static


class ArticleText(VerticalScroll, inherit_bindings=False):
    """The article body; focusable so the keys scroll it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="document.up"),
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="document.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="document.page-up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="document.page-down"),
        Binding("home,g", "scroll_home", "Top", show=False, id="document.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="document.bottom"),
    ]

    DEFAULT_CSS = """
    ArticleText {
        height: 1fr;
        & > Static { width: 1fr; height: auto; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="article-body")

    def show(self, content: Content) -> None:
        """Show `content` from its top."""
        self.query_one("#article-body", Static).update(content)
        self.scroll_home(animate=False, immediate=True)

    @property
    def body(self) -> Content:
        """What is on show (for tests and copying)."""
        content = self.query_one("#article-body", Static).content
        return content if isinstance(content, Content) else Content(str(content))
