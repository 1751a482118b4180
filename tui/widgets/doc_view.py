"""The Document pane: the chosen article's title, date and source, a legend of the entity colours,
and the text with every actor mention highlighted (one colour, and under NO_COLOR one text style,
per entity type).

The entity styles are component classes of `DocView` (`doc-view--person`, `--org`, `--gpe`,
`--other`, `--match`) and take their colours from the app's theme variables
(`$entity-person` ...), so a theme can recolour them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content, Span
from textual.widgets import Static

from db.store import Document, Mention
from tui.widgets.article_text import ArticleText
from tui.widgets.highlight import document_content, legend_content
from tui.widgets.paged_table import one_line


class DocView(Vertical):
    """Header, legend and scrolling text of one document."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "doc-view--person",
        "doc-view--org",
        "doc-view--gpe",
        "doc-view--other",
        "doc-view--match",
        "doc-view--title",
    }

    DEFAULT_CSS = """
    DocView {
        & > #doc-header { height: auto; max-height: 4; padding: 0 1; }
        & > #doc-legend { height: 1; padding: 0 1; color: $text-muted; }
        & > ArticleText { padding: 0 1; }
        & > .doc-view--title { text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document: Document | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="doc-header")
        yield Static(legend_content(), id="doc-legend")
        yield ArticleText(id="article")

    def show_message(self, message: str) -> None:
        """Show no document, only `message`."""
        self.document = None
        self.query_one("#doc-header", Static).update(Content(one_line(message)))
        self.query_one("#doc-legend", Static).update(legend_content())
        self.query_one(ArticleText).show(Content(""))

    def show_document(
        self, document: Document, mentions: Sequence[Mention], query: str | None = None
    ) -> None:
        """Show `document` with its `mentions` highlighted (and the words of `query`, if any)."""
        self.document = document
        title = one_line(document.title) or document.file
        meta = " · ".join(
            part
            for part in (
                one_line(document.date) or "undated",
                one_line(document.source) or "unknown source",
                one_line(document.file),
                f"{document.words:,} words",
            )
            if part
        )
        header = Content.assemble(
            Content(title, spans=[Span(0, len(title), ".doc-view--title")]), "\n", Content(meta)
        )
        self.query_one("#doc-header", Static).update(header)
        content, counts = document_content(document.text, mentions, query)
        self.query_one("#doc-legend", Static).update(legend_content(counts))
        self.query_one(ArticleText).show(content)

    @property
    def article(self) -> ArticleText:
        return self.query_one(ArticleText)
