"""The key line at the bottom of every screen, made to fit the terminal's width.

Textual's `Footer` lays out every shown key in one row and cuts off whatever passes the right edge
(at 80 columns that was help and the command palette). `KeyFooter` measures its keys first: when
they do not all fit it switches to the compact style, and if that is not enough it leaves out the
least important keys — the last in focus order (the focused pane's keys come first, then the
screen's, then the app's) — while help (`?`), quit and the command palette always stay, since they
lead to every other key. Nothing is lost: help and the palette list every action.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported by textual.widgets; textual is pinned

KEEP_ACTIONS = frozenset({"help", "app.help", "quit", "app.quit"})
"""Shown whatever the width: they lead to every other key (help) or out (quit)."""


def key_width(key: FooterKey, compact: bool) -> int:
    """Cells a footer key takes: "key description" with the Footer's padding and margins."""
    label = cell_len(key.key_display)
    if not key.description:
        return label + (1 if compact else 0)
    if compact:  # key, space, description, then a 1-cell margin
        return label + 1 + cell_len(key.description) + 1
    return 1 + label + 1 + cell_len(key.description) + 1


def palette_width(key: FooterKey, compact: bool) -> int:
    """The command palette key, docked right after a 1-cell separator."""
    return 1 + 1 + cell_len(key.key_display) + 1 + cell_len(key.description) + (0 if compact else 1)


class KeyFooter(Footer):
    """A Footer that shows as many keys as fit, the most important first."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._laid_out_width = 0
        self.left_out: tuple[str, ...] = ()
        """The actions not shown at this width (help and the palette still list them)."""

    def compose(self):
        items = list(super().compose())
        width = self.size.width or self.app.size.width
        self._laid_out_width = width
        keys = [item for item in items if isinstance(item, FooterKey) and "-command-palette" not in item.classes]
        palettes = [item for item in items if isinstance(item, FooterKey) and "-command-palette" in item.classes]
        if len(keys) + len(palettes) != len(items):  # grouped keys: leave Textual's layout alone
            self.left_out = ()
            yield from items
            return
        compact = False
        shown = self._fit(keys, palettes, width, compact)
        if len(shown) < len(keys):
            compact = True
            shown = self._fit(keys, palettes, width, compact)
        self.set_reactive(Footer.compact, compact)
        self.set_class(compact, "-compact")
        self.left_out = tuple(key.action for key in keys if key not in shown)
        yield from (key for key in keys if key in shown)
        yield from palettes

    @staticmethod
    def _fit(keys: list[FooterKey], palettes: Iterable[FooterKey], width: int, compact: bool) -> list[FooterKey]:
        """The keys that fit beside the palette key, dropping the least important first."""
        room = width - sum(palette_width(key, compact) for key in palettes)
        shown = list(keys)
        droppable = [key for key in keys if key.action not in KEEP_ACTIONS]
        while shown and sum(key_width(key, compact) for key in shown) > room and droppable:
            shown.remove(droppable.pop())
        return shown

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_width and self.is_attached:
            self.call_after_refresh(self.recompose)

