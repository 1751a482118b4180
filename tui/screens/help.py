"""The help screen (`?`): how the browser works, then every key, read from the live bindings.

The text at the top is the screen's own (`HELP`). Keys are gathered when the help opens from the
focused pane and its ancestors up to the app, then from the other panes (`tui.bindings.gather`), so
keymap changes (`App.set_keymap`, the user's keys file) show as they are. Escape, `q` or `?`
closes it.
"""

from __future__ import annotations

from importlib import resources
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Markdown, Static

from dprk_tui.tui.bindings import gather
from dprk_tui.tui.widgets.footer import KeyFooter

KeyRow = tuple[str, str]


def help_text(screen: Screen) -> str:
    """The screen's own help (its HELP markdown, or a file of the `tui` package it names)."""
    text = getattr(screen, "HELP", "") or ""
    if text.endswith(".md") and "\n" not in text:
        try:
            return resources.files("dprk_tui.tui").joinpath(text).read_text(encoding="utf-8")
        except OSError:
            return ""
    return text


def gather_keys(screen: Screen, focused: Widget | None) -> list[tuple[str, list[KeyRow]]]:
    """Sections of (title, [(keys, description)]): the focused chain first, then the other panes."""
    return [
        (title, [(" / ".join(action.keys), action.description) for action in actions])
        for title, actions in gather(screen, focused)
    ]


class HelpScreen(ModalScreen[None]):
    """Every key of the browser, over the main screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close", tooltip="Close the help"),
        Binding("down,j", "scroll('down')", "Scroll down", show=False, id="help.down",
                tooltip="Scroll the help down"),
        Binding("up,k", "scroll('up')", "Scroll up", show=False, id="help.up", tooltip="Scroll the help up"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > #help-box {
            width: 84;
            max-width: 100%;
            height: 90%;
            border: round $accent;
            background: $surface;
        }
        & #help-scroll { padding: 0 1; }
        & Markdown { margin: 0; padding: 0; }
    }
    """

    def __init__(self, screen: Screen, focused: Widget | None) -> None:
        super().__init__()
        self.sections = gather_keys(screen, focused)
        self.text = help_text(screen)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = "Help — keys"
            box.border_subtitle = "escape closes"
            with VerticalScroll(id="help-scroll", can_focus=False):
                if self.text:
                    yield Markdown(self.text, id="help-text")
                yield Static(self.key_table(), id="help-keys")
        yield KeyFooter()

    def key_table(self) -> Table:
        """All sections as one table of keys and what they do."""
        table = Table.grid(padding=(0, 2))
        table.add_column("Key", style="bold", no_wrap=True, min_width=14)
        table.add_column("Action")
        for number, (title, rows) in enumerate(self.sections):
            if number:
                table.add_row("", "")
            table.add_row(Text(title, style="bold underline"), "")
            for keys, description in rows:
                table.add_row(Text(keys), Text(description))
        return table

    @property
    def plain_keys(self) -> str:
        """The key list as plain text (for tests)."""
        return "\n".join(
            f"{title}\n" + "\n".join(f"{keys}  {description}" for keys, description in rows)
            for title, rows in self.sections
        )

    def action_close(self) -> None:
        if self.is_active:  # once: keys typed in a burst may arrive after it closed
            self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        if direction == "down":
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)
