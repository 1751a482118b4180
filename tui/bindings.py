"""The live key bindings of a screen, as the help screen and the command palette show them.

Bindings are read from each node's `BindingsMap` with the user's keymap applied (as Textual does
when it dispatches a key), so what the help and the palette say is what the keys do. Sections follow the focus: the focused
widget and its ancestors up to the app first, then the screen's other panes (widgets with the
`pane` class), each named by its `help_name`.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class BoundAction:
    """One action a user can run: where it is bound, its keys and what it does."""

    node: DOMNode
    action: str
    description: str
    keys: tuple[str, ...]
    tooltip: str
    binding_id: str | None
    shown: bool = False
    """Shown in the Footer (the main actions of a pane)."""


def node_name(node: DOMNode) -> str:
    """What a binding namespace is called in the help and the palette."""
    if isinstance(node, Screen):
        return "Everywhere on this screen"
    if node is node.app:
        return "Everywhere"
    name = getattr(node, "help_name", "")
    return name or type(node).__name__


def enabled(node: DOMNode, binding: Binding) -> bool:
    """False for actions the node has switched off with `check_action`."""
    name = binding.action.partition("(")[0]
    if "." in name:
        return True
    try:
        return node.check_action(name, ()) is not False
    except Exception:  # a check that fails must not hide the help
        return True


def key_display(node: DOMNode, binding: Binding) -> str:
    """How a key is written: the app's display ("↓", "?"), but "enter" spelled out."""
    if binding.key == "enter":
        return "enter"
    return node.app.get_key_display(binding)


def live_bindings(node: DOMNode) -> BindingsMap:
    """The node's bindings with the app's keymap applied."""
    bindings = node._bindings.copy()
    keymap = getattr(node.app, "_keymap", None)
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def bound_actions(node: DOMNode, include_disabled: bool = False) -> list[BoundAction]:
    """The described actions bound on `node`, keys grouped per action, in binding order."""
    grouped: dict[tuple[str, str], list[str]] = {}
    found: dict[tuple[str, str], Binding] = {}
    for _key, binding in live_bindings(node):
        if binding.system or not binding.description:
            continue
        if not include_disabled and not enabled(node, binding):
            continue
        ident = (binding.action, binding.description)
        keys = grouped.setdefault(ident, [])
        found.setdefault(ident, binding)
        display = key_display(node, binding)
        if display not in keys:
            keys.append(display)
    return [
        BoundAction(
            node, action, description, tuple(grouped[(action, description)]),
            found[(action, description)].tooltip, found[(action, description)].id,
            found[(action, description)].show,
        )
        for action, description in grouped
    ]


def gather(screen: Screen, focused: Widget | None) -> list[tuple[str, list[BoundAction]]]:
    """Sections of (title, actions): the focused chain first, then the screen's other panes."""
    sections: list[tuple[str, list[BoundAction]]] = []
    seen: set[int] = set()
    chain: list[DOMNode] = list(focused.ancestors_with_self) if focused else [screen, screen.app]
    panes = [pane for pane in screen.query(".pane") if pane.display]
    for node in chain + panes:
        if id(node) in seen:
            continue
        seen.add(id(node))
        actions = bound_actions(node)
        if actions:
            title = node_name(node)
            if node is focused:
                title += " (focused)"
            sections.append((title, actions))
    return sections


def key_for(node: DOMNode, binding_id: str) -> str:
    """The first key bound (after the keymap) to the binding with this id on `node`, or ""."""
    for _key, binding in live_bindings(node):
        if binding.id == binding_id:
            return key_display(node, binding)
    return ""
