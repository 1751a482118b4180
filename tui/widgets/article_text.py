"""The scrolling body of the Document pane: the article text, its mentions highlighted.

A `VerticalScroll` holding one `Static` whose content is a `textual.content.Content` built by
`tui.widgets.highlight.document_content` (never a markup string). Keys scroll it: up/k, down/j,
pageup, pagedown/space, home/g, end/G. `scroll_to_offset` brings a character of the text into view
(an evidence sentence, a mention).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from dprk_tui.tui.widgets.highlight import line_of_offset


class ArticleText(VerticalScroll, inherit_bindings=False):
    """The article body; focusable so the keys scroll it."""

    help_name = "Document text"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="document.up",
                tooltip="Scroll the text up a line"),
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="document.down",
                tooltip="Scroll the text down a line"),
        Binding("pageup", "page_up", "Page up", show=False, id="document.page-up",
                tooltip="Scroll the text up a page"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="document.page-down",
                tooltip="Scroll the text down a page"),
        Binding("home,g", "scroll_home", "Top", show=False, id="document.top",
                tooltip="Go to the start of the text"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="document.bottom",
                tooltip="Go to the end of the text"),
    ]

    DEFAULT_CSS = """
    ArticleText {
        height: 1fr;
        & > Static { width: 1fr; height: auto; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._content = Content("")
        """What is (or, before the body is composed, will be) on show."""

    def compose(self) -> ComposeResult:
        yield Static(self._content, id="article-body")

    def show(self, content: Content, keep_scroll: bool = False) -> None:
        """Show `content`, from its top unless `keep_scroll` (safe before the body exists: it is
        then composed with it)."""
        self._content = content
        for body in self.query("#article-body").results(Static):
            body.update(content)
        if not keep_scroll and self.is_mounted:
            self.scroll_home(animate=False, immediate=True)

    @property
    def body(self) -> Content:
        """What is on show (for tests and copying)."""
        return self._content

    def line_of(self, offset: int) -> int:
        """The line of the wrapped text on which character `offset` is drawn."""
        width = next((body.size.width for body in self.query("#article-body").results(Static)), 0)
        return line_of_offset(self.body, offset, width or self.scrollable_content_region.width)

    def scroll_to_offset(self, offset: int, *, only_if_hidden: bool = False) -> None:
        """Scroll (once the layout is current) so that character `offset` shows, a third of the
        way down; with `only_if_hidden`, leave the scroll alone when it already shows."""

        def scroll() -> None:
            line = self.line_of(offset)
            height = max(1, self.scrollable_content_region.height)
            top = round(self.scroll_y)
            if only_if_hidden and top <= line < top + height:
                return
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)

        self.call_after_refresh(scroll)
