"""The Document pane: the chosen article's title, date and source, a legend of the entity colours,
and the text with every actor mention highlighted (one colour, and under NO_COLOR one text style,
per entity type).

Keys (on the pane, so they work while its text has the focus): n / N step to the next / previous
mention of a known actor, enter opens that actor's profile, y copies the marked evidence sentence
(or the sentence of the selected mention) and Y the whole text (OSC 52: works over SSH), and
P / O / L / X switch the highlighting of persons, organisations, places and other entities off and
on (the choice is kept by the app for every document view).

The entity styles are component classes of `DocView` (`doc-view--person`, `--org`, `--gpe`,
`--other`, `--match`, `--evidence`, `--cursor`) and take their colours from the app's theme
variables (`$entity-person` ...), so a theme can recolour them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content, Span
from textual.message import Message
from textual.widgets import Static

from dprk_tui.db.store import Document, Mention
from dprk_tui.tui.bindings import key_for
from dprk_tui.tui.widgets.article_text import ArticleText
from dprk_tui.tui.widgets.highlight import ENTITY_KINDS, ENTITY_NAMES, document_content, legend_content, sentence_around
from dprk_tui.tui.widgets.paged_table import one_line

TOGGLE_IDS: dict[str, str] = {kind: f"document.toggle-{kind}" for kind in ENTITY_KINDS}


class DocView(Vertical):
    """Header, legend and scrolling text of one document."""

    help_name = "Document pane"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_mention", "Next mention", id="document.next-mention",
                tooltip="Select the next mention of a known actor"),
        Binding("N", "previous_mention", "Previous mention", id="document.previous-mention",
                tooltip="Select the previous mention of a known actor"),
        Binding("enter", "open_actor", "Open actor", id="document.open-actor",
                tooltip="Open the profile of the selected mention's actor"),
        Binding("y", "copy_sentence", "Copy sentence", id="document.copy-sentence",
                tooltip="Copy the marked evidence sentence (or the selected mention's sentence)"),
        Binding("Y", "copy_document", "Copy text", show=False, id="document.copy-document",
                tooltip="Copy the whole document text"),
        Binding("P", "toggle_kind('person')", "Persons on/off", show=False, id=TOGGLE_IDS["person"],
                tooltip="Highlight persons, or not"),
        Binding("O", "toggle_kind('org')", "Organisations on/off", show=False, id=TOGGLE_IDS["org"],
                tooltip="Highlight organisations, or not"),
        Binding("L", "toggle_kind('gpe')", "Places on/off", show=False, id=TOGGLE_IDS["gpe"],
                tooltip="Highlight places (countries, cities), or not"),
        Binding("X", "toggle_kind('other')", "Other entities on/off", show=False, id=TOGGLE_IDS["other"],
                tooltip="Highlight other entities, or not"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "doc-view--person",
        "doc-view--org",
        "doc-view--gpe",
        "doc-view--other",
        "doc-view--match",
        "doc-view--evidence",
        "doc-view--cursor",
        "doc-view--key",
        "doc-view--title",
    }

    DEFAULT_CSS = """
    DocView {
        & > #doc-header { height: auto; max-height: 4; padding: 0 1; }
        & > #doc-legend { height: 1; padding: 0 1; color: $text-muted; }
        & > ArticleText { padding: 0 1; }
        & > .doc-view--title { text-style: bold; }
        & > .doc-view--key { color: $text-muted; text-style: bold; }
    }
    """

    class ActorRequested(Message):
        """Enter on a mention: open its actor's profile."""

        def __init__(self, view: DocView, actor_id: int) -> None:
            super().__init__()
            self.view = view
            self.actor_id = actor_id

        @property
        def control(self) -> DocView:
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document: Document | None = None
        self.mentions: list[Mention] = []
        self.query_text: str | None = None
        self.mark: tuple[int, int] | None = None
        """The evidence sentence marked in the text (start, end), if any."""
        self.cursor: int | None = None
        """Index in `linked` of the selected mention."""
        self._shown_hidden: frozenset[str] = frozenset()
        self._header = Content("")
        self._legend_line: Content | None = None
        self._article = ArticleText(id="article")

    def compose(self) -> ComposeResult:
        yield Static(self._header, id="doc-header")
        yield Static(self._legend_line or self._legend(), id="doc-legend")
        yield self._article

    def _set(self, selector: str, content: Content) -> None:
        """Update a line of the header (kept for compose when the pane is not composed yet)."""
        if selector == "#doc-header":
            self._header = content
        else:
            self._legend_line = content
        for static in self.query(selector).results(Static):
            static.update(content)

    @property
    def article(self) -> ArticleText:
        return self._article

    @property
    def hidden(self) -> frozenset[str]:
        """Entity kinds not highlighted (kept by the app for every document view)."""
        return frozenset(getattr(self.app, "hidden_kinds", ()))

    @property
    def linked(self) -> list[Mention]:
        """The mentions that n / N step through: those of a known actor, of a shown kind."""
        from dprk_tui.tui.widgets.highlight import entity_kind

        hidden = self.hidden
        return [
            m for m in self.mentions
            if m.actor_id is not None and entity_kind(m.label, m.actor_type) not in hidden
        ]

    @property
    def selected(self) -> Mention | None:
        """The mention under the cursor, if any."""
        linked = self.linked
        if self.cursor is None or not 0 <= self.cursor < len(linked):
            return None
        return linked[self.cursor]

    # -- showing --------------------------------------------------------------------------------
    def show_message(self, message: str) -> None:
        """Show no document, only `message`."""
        self.document = None
        self.mentions = []
        self.mark = None
        self.cursor = None
        self.border_subtitle = ""
        self._set("#doc-header", Content(one_line(message)))
        self._set("#doc-legend", self._legend())
        self.article.show(Content(""))

    def show_document(
        self,
        document: Document,
        mentions: Sequence[Mention],
        query: str | None = None,
        mark: tuple[int, int] | None = None,
        actor_id: int | None = None,
    ) -> None:
        """Show `document` with its `mentions` highlighted (and the words of `query`, if any).

        `mark` (start, end) marks an evidence sentence and scrolls to it; `actor_id` selects that
        actor's first mention (after the mark, if any) and scrolls to it.
        """
        self.document = document
        self.mentions = list(mentions)
        self.query_text = query
        self.mark = mark
        self.cursor = None
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
        self._set("#doc-header", header)
        if actor_id is not None:
            start = mark[0] if mark else 0
            linked = self.linked
            for index, mention in enumerate(linked):
                if mention.actor_id == actor_id and mention.start >= start:
                    self.cursor = index
                    break
        self.render_text(keep_scroll=False)
        selected = self.selected
        if selected is not None:
            self.article.scroll_to_offset(selected.start)
        elif mark is not None:
            self.article.scroll_to_offset(mark[0])

    def render_text(self, keep_scroll: bool = True) -> None:
        """Draw the text again (after the cursor, the mark or the hidden kinds changed)."""
        if self.document is None:
            self._set("#doc-legend", self._legend())
            return
        selected = self.selected
        hidden = self.hidden
        content, counts = document_content(
            self.document.text,
            self.mentions,
            self.query_text,
            hidden=hidden,
            mark=self.mark,
            cursor=(selected.start, selected.end) if selected else None,
            plain=self.app.no_color,
        )
        self._shown_hidden = hidden
        self._set("#doc-legend", self._legend(counts))
        self.article.show(content, keep_scroll=keep_scroll)
        self.border_subtitle = self._status()

    def sync_hidden(self) -> None:
        """Redraw if the hidden kinds changed since the last drawing (in another view)."""
        if self.hidden != self._shown_hidden:
            self.cursor = None
            self.render_text()

    def _legend(self, counts=None) -> Content:
        keys = {kind: key_for(self, TOGGLE_IDS[kind]) for kind in ENTITY_KINDS}
        return legend_content(counts, self.hidden, keys)

    def _status(self) -> Content:
        """The bottom border: the selected mention, or the marked sentence, and what keys do."""
        selected = self.selected
        if selected is not None:
            total = len(self.linked)
            kind = selected.actor_type or selected.label
            return Content(f"{(self.cursor or 0) + 1}/{total} {one_line(selected.actor)} · {kind} — enter: profile")
        if self.mark is not None:
            return Content("evidence sentence marked — y copies it")
        return Content("")

    # -- actions --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_mention", "previous_mention", "copy_document", "toggle_kind"):
            return self.document is not None or None
        if action == "open_actor":
            return self.selected is not None or None
        if action == "copy_sentence":
            return (self.mark is not None or self.selected is not None) or None
        return True

    def _move(self, step: int) -> None:
        linked = self.linked
        if not linked:
            self.app.notify("No mentions of known actors in this document.", title="Mentions")
            return
        if self.cursor is None:
            start = self.mark[0] if self.mark else 0
            after = [i for i, m in enumerate(linked) if m.start >= start]
            if step > 0:
                self.cursor = after[0] if after else 0
            else:
                self.cursor = (after[0] - 1 if after else len(linked) - 1) % len(linked)
        else:
            self.cursor = (self.cursor + step) % len(linked)
        self.render_text()
        self.app.refresh_bindings()
        selected = self.selected
        if selected is not None:
            self.article.scroll_to_offset(selected.start, only_if_hidden=True)

    def action_next_mention(self) -> None:
        """Select the next mention of a known actor (wrapping round)."""
        self._move(1)

    def action_previous_mention(self) -> None:
        """Select the previous mention of a known actor (wrapping round)."""
        self._move(-1)

    def action_open_actor(self) -> None:
        selected = self.selected
        if selected is not None and selected.actor_id is not None:
            self.post_message(self.ActorRequested(self, selected.actor_id))

    def action_copy_sentence(self) -> None:
        """Copy the marked sentence, else the sentence around the selected mention."""
        if self.document is None:
            return
        text = self.document.text
        if self.mark is not None:
            start, end = self.mark
        elif (selected := self.selected) is not None:
            start, end = sentence_around(text, selected.start, selected.end)
        else:
            return
        sentence = " ".join(text[start:end].split())
        self.app.copy_to_clipboard(sentence)
        self.app.notify(f"{len(sentence):,} characters", title="Sentence copied")

    def action_copy_document(self) -> None:
        """Copy the whole text of the document."""
        if self.document is not None:
            self.app.copy_to_clipboard(self.document.text)
            self.app.notify(f"{len(self.document.text):,} characters", title="Document copied")

    def action_toggle_kind(self, kind: str) -> None:
        """Switch the highlighting of one entity kind off or on (for every document view)."""
        hidden = set(getattr(self.app, "hidden_kinds", set()))
        hidden.symmetric_difference_update({kind})
        self.app.hidden_kinds = hidden  # type: ignore[attr-defined]
        self.cursor = None
        self.render_text()
        self.app.refresh_bindings()
        state = "off" if kind in hidden else "on"
        self.app.notify(f"{ENTITY_NAMES.get(kind, kind)} highlighting {state}", title="Entities")
