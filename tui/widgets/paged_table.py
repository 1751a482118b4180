"""A table that draws only its visible rows and reads them from a data source a page at a time.

`PagedTable` is a Line-API widget (a `ScrollView` with `render_line`): its virtual height is the row
count, and each frame renders just the rows on screen. Rows come from a `fetch(offset, limit)`
callable, a page (`PAGE_SIZE` rows) at a time, kept in a small LRU cache of pages
(`tui.widgets.keyset_pages`), so a store of a million documents costs the same to browse as one of
five. Pages are read by keyset (each row carries its `key`; the next page is the rows after the
last key), never by OFFSET; when the cursor nears the end of a page the next one is read ahead in
a worker. The row count
may come later than the first page (`set_total`): until then the table shows the rows read so far
and reads on as the cursor moves down. A subclass turns a row into one `Text` per column
(`row_cells`); cells are never parsed as markup.

Keys: up/k, down/j, pageup, pagedown, home/g, end/G; enter posts `PagedTable.Selected`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from dprk_tui.db.clean import INERT
from dprk_tui.tui.widgets.keyset_pages import Fetch, KeysetPages

__all__ = ["Column", "Fetch", "PagedTable", "one_line"]

READ_AHEAD_ROWS = 20
"""The next page is read ahead once the cursor is this close to the end of its page (or two
screenfuls, if more)."""

# Newlines and tabs become spaces; other terminal-unsafe characters U+FFFD (db.clean.INERT).
_CONTROL = {**INERT, **{code: " " for code in range(32)}}


def one_line(value: object) -> str:
    """A value as a single line of plain text: None is empty, newlines and tabs become spaces."""
    if value is None:
        return ""
    return str(value).translate(_CONTROL)


@dataclass(frozen=True)
class Column:
    """One column: a fixed `width`, or (width 0) a flexible share `weight` of what is left."""

    title: str
    width: int = 0
    weight: int = 1
    min_width: int = 8
    justify: Literal["left", "right"] = "left"
    optional: bool = False
    """Dropped (rightmost first) when the table is too narrow for every column."""


class PagedTable(ScrollView, can_focus=True, inherit_bindings=False):
    """A scrolling table over a paged source, with a row cursor."""

    PAGE_SIZE: ClassVar[int] = 100
    CACHE_PAGES: ClassVar[int] = 8

    help_name: str = ""
    """What the help screen and the command palette call this pane."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="table.up", tooltip="Previous row"),
        Binding("down,j", "cursor_down", "Down", show=False, id="table.down", tooltip="Next row"),
        Binding("pageup", "page_up", "Page up", show=False, id="table.page-up",
                tooltip="Up a page of rows"),
        Binding("pagedown", "page_down", "Page down", show=False, id="table.page-down",
                tooltip="Down a page of rows"),
        Binding("home,g", "first_row", "First row", show=False, id="table.first", tooltip="First row"),
        Binding("end,G", "last_row", "Last row", show=False, id="table.last",
                tooltip="Last row (of those read so far while the rows are being counted)"),
        Binding("enter", "select_cursor", "Open", id="table.select", tooltip="Open the row under the cursor"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--message",
    }

    DEFAULT_CSS = """
    PagedTable {
        overflow-x: hidden;
        overflow-y: auto;
        & > .paged-table--header { text-style: bold; color: $text-muted; }
        & > .paged-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .paged-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .paged-table--message { color: $text-muted; text-style: italic; }
    }
    """

    cursor_row: reactive[int] = reactive(0)
    """Index of the row under the cursor."""

    class Highlighted(Message):
        """The cursor moved to a row."""

        def __init__(self, table: PagedTable, index: int, row: Any) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> PagedTable:
            return self.table

    class Selected(Message):
        """Enter was pressed on a row."""

        def __init__(self, table: PagedTable, index: int, row: Any) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        message: str = "Loading…",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns: tuple[Column, ...] = tuple(columns)
        self.pages: KeysetPages | None = None
        """The rows on show (None: only the message)."""
        self.row_height = 1
        self.message = message
        self.generation = 0
        """Bumped by each new source, so that a late count for an old source is ignored."""
        self.count_floor: int | None = None
        """A capped count: the source has more than this many rows (the total stays unknown)."""
        self._reported = False
        self._reading_ahead: tuple[KeysetPages, int] | None = None
        self._column_layout: tuple[tuple[int, tuple[Column, ...]], list[tuple[int, int]]] | None = None

    # -- data -----------------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        """Rows that can be shown: the total once counted, else the rows read so far."""
        return self.pages.row_count if self.pages is not None else 0

    @property
    def total(self) -> int | None:
        """How many rows the source has, once known (None while it is being counted)."""
        return self.pages.total if self.pages is not None else None

    @property
    def more(self) -> bool:
        """The total is not known yet and the last page read was full: there may be more rows."""
        return self.pages is not None and self.pages.more

    def set_source(
        self,
        fetch: Fetch,
        first_page: Sequence[Any] | KeysetPages = (),
        total: int | None = None,
        columns: Sequence[Column] | None = None,
        message: str = "",
        row_height: int = 1,
    ) -> None:
        """Show the rows `fetch` reads; `first_page` is the first PAGE_SIZE rows (already read).

        `total` is the row count when known; without it the table shows the rows read so far and
        reads on as the cursor goes down, until `set_total` gives the count. `message` is shown in
        place of rows when there are none; each row takes `row_height` lines (see `row_lines`).
        `first_page` may instead be the `KeysetPages` a worker has already read (a refresh).
        """
        if columns is not None:
            self.columns = tuple(columns)
        self.row_height = max(1, row_height)
        self.generation += 1
        self.message = message
        self._reported = False
        self.count_floor = None
        if isinstance(first_page, KeysetPages):
            self.pages = first_page
        else:
            self.pages = KeysetPages(
                fetch, first_page, total, page_size=self.PAGE_SIZE, cache_pages=self.CACHE_PAGES
            )
        self._resize_virtual()
        self.set_reactive(PagedTable.cursor_row, 0)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()
        if self.row_count:
            self.post_message(self.Highlighted(self, 0, self.row_at(0)))

    def set_total(self, total: int) -> None:
        """The count of the source's rows has arrived."""
        if self.pages is None:
            return
        self.pages.set_total(total)
        self._resize_virtual()
        if self.cursor_row >= self.row_count:
            self.cursor_row = max(0, self.row_count - 1)
        self.refresh()

    def set_count_floor(self, floor: int) -> None:
        """A capped count has arrived: more than `floor` rows. The total stays unknown, so the
        table reads on as the cursor goes down."""
        if self.pages is not None:
            self.count_floor = floor
            self.refresh()

    def clear_source(self, message: str) -> None:
        """Show no rows, only `message`."""
        self.generation += 1
        self.count_floor = None
        self.pages = None
        self.message = message
        self.virtual_size = Size(0, 0)
        self.set_reactive(PagedTable.cursor_row, 0)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _resize_virtual(self) -> None:
        lines = (self.row_count + (1 if self.more else 0)) * self.row_height
        self.virtual_size = Size(0, lines + 1 if lines else 0)

    def row_at(self, index: int) -> Any | None:
        """The row at `index`, read with its page when not cached; None if out of range."""
        if self.pages is None:
            return None
        try:
            return self.pages.row(index)
        except Exception as exc:  # a read failing mid-draw must not take the app down
            self._report(exc)
            return None

    def read_more(self, until: int) -> None:
        """While the total is unknown, read pages on until row `until` exists or the rows end."""
        if self.pages is None:
            return
        try:
            self.pages.read_more(until)
        except Exception as exc:
            self._report(exc)
            self.pages.set_total(self.pages.read)
        self._resize_virtual()

    def _report(self, error: Exception) -> None:
        """Tell the user once per source that rows could not be read."""
        if not self._reported:
            self._reported = True
            self.app.notify(one_line(error), title="Could not read rows", severity="error", markup=False)

    @property
    def cursor_value(self) -> Any | None:
        """The row under the cursor, or None when the table is empty."""
        return self.row_at(self.cursor_row)

    @property
    def cached_pages(self) -> int:
        """How many pages are held in memory (at most CACHE_PAGES)."""
        return self.pages.cached_pages if self.pages is not None else 0

    @property
    def count_text(self) -> str:
        """The row count for a title: "1,234", "10,000+" when the count stopped there, or "…" while
        it is being counted."""
        if self.total is None and self.count_floor is not None:
            return f"{self.count_floor:,}+"
        return f"{self.total:,}" if self.total is not None else "…"

    def row_identity(self, row: Any) -> Any:
        """What stays the same about a row when the list is read again (its id, else its key):
        a refresh puts the cursor back on the row with the same identity."""
        identity = getattr(row, "id", None)
        return identity if identity is not None else getattr(row, "key", row)

    def row_cells(self, row: Any) -> Sequence[Text]:
        """One `Text` per column for `row`; subclasses implement this."""
        raise NotImplementedError

    def row_lines(self, row: Any) -> Sequence[Sequence[Text] | Text]:
        """The `row_height` lines of `row`: a list of cells (laid out in the columns), or one
        `Text` across the whole width. By default one line of `row_cells`."""
        return [self.row_cells(row)]

    # -- cursor ---------------------------------------------------------------------------------
    @property
    def visible_rows(self) -> int:
        """Whole rows that fit under the header."""
        return max(1, (self.scrollable_content_region.height - 1) // self.row_height)

    def validate_cursor_row(self, value: int) -> int:
        if self.more and value >= self.row_count:
            self.read_more(value)
        return max(0, min(value, self.row_count - 1))

    def watch_cursor_row(self, value: int) -> None:
        self.scroll_to_cursor()
        if self.row_count:
            self.post_message(self.Highlighted(self, value, self.row_at(value)))
        self.read_ahead()

    def read_ahead(self) -> None:
        """When the cursor nears the end of its page, read the next page in a worker (so that going
        on down does not wait for the read on the UI thread)."""
        pages = self.pages
        if pages is None or not self.is_attached:
            return
        number, position = divmod(self.cursor_row, pages.page_size)
        if position < pages.page_size - max(READ_AHEAD_ROWS, 2 * self.visible_rows):
            return
        page = pages.ahead(number + 1)
        if page is None or (pages, number + 1) == self._reading_ahead:
            return
        self._reading_ahead = (pages, number + 1)
        fetch = pages.fetch

        def read() -> None:
            try:
                rows = list(fetch(page))
            except Exception:  # the UI's own read reports it, if it comes to that
                rows = None
            self.app.call_from_thread(self._read_ahead_done, pages, number + 1, rows)

        self.run_worker(read, thread=True, group=f"read-ahead-{id(self)}", exit_on_error=False)

    def _read_ahead_done(self, pages: KeysetPages, number: int, rows: list[Any] | None) -> None:
        if self._reading_ahead == (pages, number):
            self._reading_ahead = None
        if rows is None or pages is not self.pages:
            return
        pages.accept(number, rows)
        self._resize_virtual()  # while uncounted, the rows read so far grew
        self.refresh()

    def scroll_to_cursor(self) -> None:
        """Scroll the least needed to show the cursor row."""
        height = self.row_height
        top = -(-round(self.scroll_y) // height)  # first whole row on screen
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row * height, animate=False, immediate=True)
        elif self.cursor_row >= top + self.visible_rows:
            first = self.cursor_row - self.visible_rows + 1
            self.scroll_to(y=first * height, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= self.visible_rows

    def action_page_down(self) -> None:
        self.cursor_row += self.visible_rows

    def action_first_row(self) -> None:
        self.cursor_row = 0

    def action_last_row(self) -> None:
        self.cursor_row = self.row_count - 1

    def action_select_cursor(self) -> None:
        row = self.cursor_value
        if row is not None:
            self.post_message(self.Selected(self, self.cursor_row, row))

    def _on_click(self, event: events.Click) -> None:
        index = (event.y - 1 + round(self.scroll_y)) // self.row_height
        if event.y >= 1 and 0 <= index < self.row_count:
            self.cursor_row = index
            if event.chain > 1:
                self.action_select_cursor()

    # -- drawing --------------------------------------------------------------------------------
    def _layout(self, width: int) -> list[tuple[int, int]]:
        """(column index, width) of the columns that fit in `width` cells, with 1-cell gaps."""
        key = (width, self.columns)
        if self._column_layout is not None and self._column_layout[0] == key:
            return self._column_layout[1]
        shown = list(range(len(self.columns)))
        while True:
            columns = [self.columns[index] for index in shown]
            fixed = sum(column.width for column in columns) + max(0, len(columns) - 1)
            flexible = [column for column in columns if not column.width]
            spare = width - fixed
            weights = sum(column.weight for column in flexible) or 1
            fits = spare >= sum(column.min_width for column in flexible)
            optional = [index for index in shown if self.columns[index].optional]
            if fits or not optional:
                break
            shown.remove(optional[-1])
        layout: list[tuple[int, int]] = []
        remaining = max(0, spare)
        flexible_left = len(flexible)
        for index in shown:
            column = self.columns[index]
            if column.width:
                layout.append((index, column.width))
                continue
            flexible_left -= 1
            share = remaining if not flexible_left else max(0, spare) * column.weight // weights
            share = min(share, remaining)
            remaining -= share
            layout.append((index, share))
        self._column_layout = (key, layout)
        return layout

    def _line(self, cells: Sequence[Text], width: int, style: Any) -> Strip:
        line = Text(no_wrap=True, end="")
        for number, (index, cell_width) in enumerate(self._layout(width)):
            if number:
                line.append(" ")
            if cell_width <= 0:
                continue
            cell = cells[index].copy() if index < len(cells) else Text()
            cell.no_wrap = True
            cell.truncate(cell_width, overflow="ellipsis")
            pad = cell_width - cell.cell_len
            if self.columns[index].justify == "right":
                line.append(" " * pad)
                line.append_text(cell)
            else:
                line.append_text(cell)
                line.append(" " * pad)
        line.truncate(width, pad=True)
        segments = list(line.render(self.app.console, end=""))
        return Strip(segments, width).apply_style(style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not self.row_count:
            return self._message_line(y, width, base)
        if y == 0:
            header = [Text(column.title) for column in self.columns]
            style = base + self.get_component_rich_style("paged-table--header")
            return self._line(header, width, style)
        index, line_number = divmod(round(self.scroll_y) + y - 1, self.row_height)
        if index >= self.row_count:
            if self.more and index == self.row_count and not line_number:
                style = base + self.get_component_rich_style("paged-table--message")
                return self._full_line(Text("… (more below)"), width, style)
            return Strip.blank(width, base)
        row = self.row_at(index)
        style = base
        if index == self.cursor_row:
            style = base + self.get_component_rich_style("paged-table--cursor")
        if row is None:
            return self._line([Text("…")], width, style) if not line_number else Strip.blank(width, style)
        lines = self.row_lines(row)
        line = lines[line_number] if line_number < len(lines) else Text()
        if isinstance(line, Text):
            return self._full_line(line, width, style)
        return self._line(line, width, style)

    def _full_line(self, text: Text, width: int, style: Any) -> Strip:
        line = text.copy()
        line.no_wrap = True
        line.end = ""
        line.truncate(width, overflow="ellipsis", pad=True)
        return Strip(list(line.render(self.app.console, end="")), width).apply_style(style)

    def _message_line(self, y: int, width: int, base: Any) -> Strip:
        """Line `y` of the message shown instead of rows, wrapped to the width."""
        lines = Text(self.message).wrap(self.app.console, max(1, width))
        if y >= len(lines):
            return Strip.blank(width, base)
        style = base + self.get_component_rich_style("paged-table--message")
        return self._full_line(lines[y], width, style)

    def on_resize(self, event: events.Resize) -> None:
        self._column_layout = None
        self.scroll_to_cursor()
