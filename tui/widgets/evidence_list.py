"""The evidence of a relation: one row per event, newest first — date, document source, the relation
and the document's title, then the sentence that states it over two lines, the source actor and
the target actor highlighted (each its own style, distinct without colour too) and the trigger
word underlined.

A `PagedTable` of `db.store.Evidence`, three lines a row. Enter opens the document at the sentence
(`Selected`); y copies the sentence; o / t open the source / target actor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from dprk_tui.db.store import Evidence
from dprk_tui.tui.widgets.highlight import evidence_text
from dprk_tui.tui.widgets.paged_table import Column, Fetch, PagedTable, one_line

EVIDENCE_COLUMNS: tuple[Column, ...] = (
    Column("Date", width=10),
    Column("Source", weight=1, min_width=8, optional=True),
    Column("Relation", weight=3, min_width=20),
    Column("Document", weight=3, min_width=12, optional=True),
)

INDENT = "  "
SENTENCE_LINES = 2


def evidence_styles(table: PagedTable) -> dict[str, Style]:
    """The styles of the parts of an evidence sentence, from a widget's component classes."""
    return {
        part: table.get_component_rich_style(f"evidence--{part}", partial=True)
        for part in ("source", "target", "trigger")
    }


def relation_label(row: Evidence) -> str:
    return f"{one_line(row.source_name)} →{one_line(row.type)}→ {one_line(row.target_name)}"


class EvidenceList(PagedTable):
    """The events behind one relation (or between two actors), each with its sentence."""

    help_name = "Evidence list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open document", id="evidence.open",
                tooltip="Open the document at this sentence"),
        Binding("y", "copy_sentence", "Copy sentence", id="evidence.copy",
                tooltip="Copy the sentence under the cursor to the clipboard"),
        Binding("o", "open_actor('source')", "Source actor", show=False, id="evidence.source-actor",
                tooltip="Open the profile of the source actor"),
        Binding("t", "open_actor('target')", "Target actor", show=False, id="evidence.target-actor",
                tooltip="Open the profile of the target actor"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "evidence--source",
        "evidence--target",
        "evidence--trigger",
        "evidence--meta",
    }

    DEFAULT_CSS = """
    EvidenceList {
        & > .evidence--source { color: $entity-person; text-style: bold; }
        & > .evidence--target { color: $entity-org; text-style: bold underline; }
        & > .evidence--trigger { text-style: italic underline; }
        & > .evidence--meta { text-style: bold; }
    }
    EvidenceList:light {
        & > .evidence--source { color: $entity-person-light; }
        & > .evidence--target { color: $entity-org-light; }
    }
    EvidenceList:nocolor {
        & > .evidence--source { text-style: bold; }
        & > .evidence--target { text-style: bold underline; }
        & > .evidence--trigger { text-style: italic; }
    }
    """

    class ActorRequested(Message):
        """`o` or `t`: open the profile of the row's source or target actor."""

        def __init__(self, table: EvidenceList, actor_id: int) -> None:
            super().__init__()
            self.table = table
            self.actor_id = actor_id

        @property
        def control(self) -> EvidenceList:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(EVIDENCE_COLUMNS, id=id, classes=classes)

    def show_evidence(self, fetch: Fetch, first_page: Sequence[Any], message: str) -> None:
        self.set_source(fetch, first_page, message=message, row_height=1 + SENTENCE_LINES)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("select_cursor", "copy_sentence", "open_actor"):
            return self.row_count > 0 or None
        return True

    def action_copy_sentence(self) -> None:
        row = self.cursor_value
        if row is not None:
            sentence = " ".join(row.sentence.split())
            self.app.copy_to_clipboard(sentence)
            self.app.notify(f"{len(sentence):,} characters", title="Sentence copied")

    def action_open_actor(self, which: str) -> None:
        row = self.cursor_value
        if row is not None:
            self.post_message(self.ActorRequested(self, row.source_id if which == "source" else row.target_id))

    def row_cells(self, row: Any) -> Sequence[Text]:
        meta = self.get_component_rich_style("evidence--meta", partial=True)
        return [
            Text(one_line(row.date)[:10] or "undated", style=meta),
            Text(one_line(row.source), style=meta),
            Text(relation_label(row), style=meta),
            Text(one_line(row.title)),
        ]

    def legend(self) -> Content:
        """Which style is which: the source actor, the target actor, the trigger word."""
        styles = evidence_styles(self)
        text = Text(" · ").join(
            Text(label, style=styles[part])
            for label, part in (("source actor", "source"), ("target actor", "target"), ("trigger word", "trigger"))
        )
        return Content.from_rich_text(text)

    def row_lines(self, row: Any) -> Sequence[Sequence[Text] | Text]:
        """The cells, then the sentence over SENTENCE_LINES lines (the last cut with "…")."""
        width = max(8, self.scrollable_content_region.width - len(INDENT))
        sentence = evidence_text(row.sentence, row.marks, row.source_id, row.trigger, evidence_styles(self))
        sentence.no_wrap = False
        lines = sentence.wrap(self.app.console, width, overflow="fold")
        shown = [Text(INDENT) + line for line in list(lines)[:SENTENCE_LINES]]
        if len(lines) > SENTENCE_LINES and shown:
            last = shown[-1]
            last.truncate(width + len(INDENT) - 1)
            last.append("…")
        while len(shown) < SENTENCE_LINES:
            shown.append(Text())
        return [self.row_cells(row), *shown]
