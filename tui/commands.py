"""The command palette (ctrl+p or `:`): every action of the screen it is opened over, by name.

`ActionsProvider` lists the live bindings of that screen (the focused pane and its ancestors, then
the other panes: `tui.bindings.gather`), so every key has a command and the palette shows its key;
a few commands have no key of their own (sort the relations by a given column, clear the filters).
Choosing a command runs the action where it is bound, as the key would. Each command's help ends
with its binding id in brackets: the name to use in the user's keys file (`tui.keymap`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from dprk_tui.tui.bindings import gather

Command = tuple[str, str, Callable[[], object]]
"""(title, help, what to run)."""


class ActionsProvider(Provider):
    """Every action reachable from the current screen."""

    def commands(self) -> Iterator[Command]:
        screen = self.screen
        seen: set[tuple[int, str]] = set()
        found = [(section, action) for section, actions in gather(screen, screen.focused) for action in actions]
        # The actions the Footer shows come first, in focus order; then the rest (movement keys).
        found.sort(key=lambda item: not item[1].shown)
        for section, action in found:
            if (id(action.node), action.action) in seen:
                continue
            seen.add((id(action.node), action.action))
            keys = " / ".join(action.keys)
            title = f"{action.description}  ({keys})" if keys else action.description
            help_text = f"{section.replace(' (focused)', '')}: {action.tooltip or action.description}"
            if action.binding_id:  # the id a keys file remaps (tui/keymap.py)
                help_text += f"  [{action.binding_id}]"
            help_text = escape(help_text)  # the palette reads help as markup
            yield title, help_text, partial(self.app.run_action, action.action, action.node)
        yield from self.extra_commands()

    def extra_commands(self) -> Iterator[Command]:
        """Commands without a key: relation sort orders, clearing the filters."""
        from dprk_tui.db.store import RELATION_SORTS
        from dprk_tui.tui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return
        for sort in RELATION_SORTS:
            yield (
                f"Sort relations: {sort.label}",
                "Relations pane: sort order (each backed by an index)",
                partial(self.sort_relations, screen, sort.name),
            )
        if screen.filters.active:
            yield "Clear filters", "Show every document and relation again", screen.action_clear_filters
            filters = screen.filters
            present = {
                "actor": filters.actor_id is not None,
                "type": filters.type is not None,
                "date": filters.dated,
                "source": filters.source is not None,
            }
            for name in (name for name, active in present.items() if active):
                yield (
                    f"Remove the {name} filter",
                    "Keep the other filters",
                    partial(screen.apply_filters, filters.without(name)),
                )

    @staticmethod
    def sort_relations(screen, name: str) -> None:
        screen.relations.sort = name
        screen.load_relations(screen.relations_document)

    async def discover(self) -> Hits:
        for title, help_text, run in self.commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self.commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text)
