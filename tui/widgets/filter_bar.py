"""The line under the title that always says what is on show: the active search and filters, and how
many documents and relations they leave ("…" while those are being counted).

    Filters: actor Kim Jong Un · type CONSULT │ 3 documents · 4 relations │ f filters · escape clears
"""

from __future__ import annotations

from textual.content import Content, Span
from textual.widgets import Static

from dprk_tui.db.store import Filters
from dprk_tui.tui.widgets.paged_table import one_line


def plural(count: str, noun: str) -> str:
    """ "1" document, "2" documents, "…" documents."""
    return f"{count} {noun}" if count == "1" else f"{count} {noun}s"


class FilterBar(Static):
    """One line: search, filters, counts."""

    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $text-muted;
        &.-active { color: $text; background: $accent 20%; }
    }
    """

    _shown: tuple | None = None
    """The arguments of the last `show`, to lay the line out again on resize."""

    def show(
        self,
        filters: Filters,
        query: str | None,
        documents: str,
        relations: str,
        filter_key: str = "f",
        clear_key: str = "escape",
        relations_noun: str = "relation",
        notice: str = "",
    ) -> None:
        """Say what narrows the lists and how many rows they hold (counts as text: "12" or "…").
        `notice` comes first, highlighted (e.g. "new data · r refreshes"), so no width cuts it.
        When the line is wider than the bar, the key hint goes first (the Footer and help have
        the keys), then "All documents, no filters" shortens, so the counts stay in view."""
        self._shown = (filters, query, documents, relations, filter_key, clear_key, relations_noun, notice)
        parts: list[Content] = []
        if notice:
            parts.append(Content(notice, spans=[Span(0, len(notice), "bold reverse")]))
            parts.append(Content(" "))
        narrowed = filters.describe()
        if query:
            narrowed.insert(0, f"search “{one_line(query)}”")
        if narrowed:
            label = "Showing: "
            parts.append(Content(label, spans=[Span(0, len(label), "bold")]))
            parts.append(Content(" · ".join(one_line(part) for part in narrowed)))
        else:
            parts.append(Content("All documents, no filters"))
        counts = f"  │ {plural(documents, 'document')} · {plural(relations, relations_noun)} │ "
        parts.append(Content(counts))
        hint = f"{filter_key} filters" + (f" · {clear_key} clears" if narrowed else "")
        parts.append(Content(hint, spans=[Span(0, len(hint), "dim")]))
        room = self.content_region.width
        if room and sum(part.cell_length for part in parts) > room:
            parts.pop()
            parts[-1] = Content(counts.rstrip("│ "))
            if not narrowed and sum(part.cell_length for part in parts) > room:
                index = next(i for i, part in enumerate(parts) if part.plain == "All documents, no filters")
                parts[index] = Content("No filters")
        self.set_class(bool(narrowed), "-active")
        self.update(Content.assemble(*parts))

    def on_resize(self) -> None:
        """Lay the line out again for the new width."""
        if self._shown is not None:
            self.show(*self._shown)
