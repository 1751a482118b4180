"""The help screen (`?`): how the browser works, then every key, read from the live bindings.

Keys are gathered when the screen opens from the focused pane and its ancestors up to the app,
then from the other panes, so keymap changes (`App.set_keymap`) show as they are. Escape, `q` or
`?` closes it.
"""

from __future__ import annotations

from importlib import resources
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Markdown, Static

PANE_NAMES: dict[str, str] = {
    "documents": "Documents pane",
    "article": "Document pane",
    "relations": "Relations pane",
    "search": "Search input",
}

KeyRow = tuple[str, str]


def _help_text() -> str:
    try:
        return resources.files("tui").joinpath("help.md").read_text(encoding="utf-8")
    except OSError:
        return ""


def node_name(node: DOMNode) -> str:
    """What a binding namespace is called in the help."""
    if isinstance(node, Screen):
        return "Everywhere on this screen"
    if node is node.app:
        return "Everywhere"
    return PANE_NAMES.get(node.id or "", type(node).__name__)


def key_rows(node: DOMNode) -> list[KeyRow]:
    """(keys, description) for each action bound on `node`, its keys joined, in binding order.

    Actions the node switches off with `check_action` are left out.
    """
    app = node.app
    grouped: dict[tuple[str, str], list[str]] = {}
    # `_bindings` is the node's live BindingsMap, with any keymap applied.
    for _key, binding in node._bindings:
        if binding.system or not binding.description or not enabled(node, binding):
            continue
        keys = grouped.setdefault((binding.action, binding.description), [])
        display = "enter" if binding.key == "enter" else app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
    return [(" / ".join(keys), description) for (_action, description), keys in grouped.items()]


def enabled(node: DOMNode, binding: Binding) -> bool:
    """False for actions the node has switched off with `check_action`."""
    name = binding.action.partition("(")[0]
    if "." in name:
        return True
    return node.check_action(name, ()) is not False


def gather_keys(screen: Screen, focused: Widget | None) -> list[tuple[str, list[KeyRow]]]:
    """Sections of (title, rows): the focused chain first, then the other panes."""
    sections: list[tuple[str, list[KeyRow]]] = []
    seen: set[int] = set()
    chain: list[DOMNode] = list(focused.ancestors_with_self) if focused else [screen, screen.app]
    panes = [screen.query_one(f"#{pane_id}") for pane_id in PANE_NAMES if screen.query(f"#{pane_id}")]
    for node in chain + panes:
        if id(node) in seen:
            continue
        seen.add(id(node))
        rows = key_rows(node)
        if rows:
            title = node_name(node)
            if node is focused:
                title += " (focused)"
            sections.append((title, rows))
    return sections


class HelpScreen(ModalScreen[None]):
    """Every key of the browser, over the main screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
        Binding("down,j", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("up,k", "scroll('up')", "Scroll up", show=False, id="help.up"),
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

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = "Help — keys"
            box.border_subtitle = "escape closes"
            with VerticalScroll(id="help-scroll", can_focus=False):
                text = _help_text()
                if text:
                    yield Markdown(text, id="help-text")
                yield Static(self.key_table(), id="help-keys")
        yield Footer()

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
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        if direction == "down":
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)
