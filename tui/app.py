"""The dprk-tui browser: `DprkApp(db_path).run()`.

The app opens the store in a worker thread (the first frame never waits on disk) — two connections:
one for the pages the panes draw, one for counts over the corpus, so that a slow count never holds
up a page — then hands it to the main screen, which fills its three panes. A store that cannot be
opened ends the app with exit code 1 and the store's one-line message, never a traceback.

Drill-down screens are pushed over the main screen (`show_relation_evidence`, `show_pair_evidence`,
`show_document`, `show_actor`); escape pops them, so you come back to exactly where you were.
The command palette (ctrl+p or `:`) lists every action; keys can be remapped in a user keys file
(`tui.keymap`).

Importing this module is cheap: it imports Textual and the read API (`db.store`), never spaCy or
the extraction package.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette, SimpleProvider
from textual.screen import Screen
from textual.theme import ThemeProvider

from dprk_tui.db.clean import INERT
from dprk_tui.db.errors import DprkError
from dprk_tui.db.store import Filters, RelationRow, Store
from dprk_tui.tui.commands import ActionsProvider
from dprk_tui.tui.idle_gc import IdleCollector
from dprk_tui.tui.keymap import KnownBinding, split_keys
from dprk_tui.tui.screens.help import HelpScreen
from dprk_tui.tui.screens.main import MainScreen


class _CommandPalette(CommandPalette):
    """Textual 8.2.8's palette, safe from keys typed in one burst (#7): page up/down before its
    list is laid out raised KeyError (OptionList._move_page) and are ignored; an enter or escape
    that reaches it after it closed popped the screen below it (ScreenStackError) and does not;
    a command search that ends after it closed raised NoMatches and now updates nothing."""

    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down") and not self.query_one(CommandList).scrollable_content_region:
            return
        super()._action_command_list(action)

    def dismiss(self, result: object = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete.nothing()
        return super().dismiss(result)

    # Its command search (a worker) may finish after it closed: then there is nothing to update.
    def _refresh_command_list(self, command_list: CommandList, commands: list, clear_current: bool) -> None:
        if self.is_active:
            super()._refresh_command_list(command_list, commands, clear_current)

    def _watch__list_visible(self) -> None:
        if self.is_active:
            super()._watch__list_visible()

    async def _watch__show_busy(self) -> None:
        if self.is_active:
            await super()._watch__show_busy()


_PASTE_SAFE = {code: None for code in INERT}
IDLE_GC_CHECK = 1.0
"""Seconds between two looks at whether a full garbage collection can run now (tui/idle_gc.py)."""
"""Paste filter (#7): control, C1 and bidi characters are dropped; tabs and newlines are kept."""

ENTITY_COLOURS: dict[str, str] = {
    "entity-person": "#f0a35e",
    "entity-org": "#5fb3f0",
    "entity-gpe": "#7fd45a",
    "entity-other": "#d77fd7",
    "entity-match": "#f5e06e",
    "entity-evidence": "#5fb3f0",
    # On light themes:
    "entity-person-light": "#b35900",
    "entity-org-light": "#0b5cad",
    "entity-gpe-light": "#2e7d0f",
    "entity-other-light": "#7b3fb0",
    "entity-match-light": "#e0b800",
    "entity-evidence-light": "#0b5cad",
}
"""Default entity colours (dark and light themes); a theme may override any of these variables.
Chosen so that each type keeps its own colour when a 16- or 256-colour terminal rounds them."""


class DprkApp(App[None]):
    """Browse one store: documents, a document with its mentions, relations, evidence, actors."""

    CSS_PATH = "app.tcss"
    TITLE = "dprk-tui"
    COMMANDS: ClassVar = App.COMMANDS | {ActionsProvider}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave dprk-tui"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit-now",
                tooltip="Leave dprk-tui from anywhere, even a text field"),
        Binding("question_mark", "help", "Help", id="app.help",
                tooltip="Every key of the focused pane and the screen"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.commands",
                tooltip="Find any action by name"),
        Binding("colon", "command_palette", "Commands", show=False, id="app.commands-colon",
                tooltip="Find any action by name (as ctrl+p)"),
    ]

    def __init__(
        self, db_path: Path | str, *, keymap_file: Path | None | bool = True, theme: str | None = None
    ) -> None:
        """`keymap_file`: the user keys file to read (True: the default place; None/False: none).
        `theme`: a Textual theme name to start in (e.g. ansi-dark for a 16-colour terminal)."""
        super().__init__()
        if theme is not None:
            self.theme = theme
        self.db_path = Path(db_path)
        self.store: Store | None = None
        self.count_store: Store | None = None
        self.idle_gc = IdleCollector()
        """Full garbage collections at idle moments, once the store is open (tui/idle_gc.py)."""
        self.hidden_kinds: set[str] = set()
        """Entity kinds the document views do not highlight (P / O / L / X)."""
        self.keymap_problems: list[str] = []
        self.sub_title = str(self.db_path)
        self._keymap_file = keymap_file

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(ENTITY_COLOURS)

    async def on_event(self, event: events.Event) -> None:
        """Pasted text is untrusted (#7): terminal-unsafe characters never reach an input."""
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = event.text.translate(_PASTE_SAFE)
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.idle_gc.touch()
        await super().on_event(event)

    def on_mount(self) -> None:
        self.apply_user_keymap()
        self.open_store()

    def apply_user_keymap(self) -> None:
        """Read the user's keys file (if any) and apply it; report problems, never fail."""
        from dprk_tui.tui.keymap import keymap_path, load_keymap

        if self._keymap_file is False or self._keymap_file is None:
            return
        path = keymap_path() if self._keymap_file is True else Path(self._keymap_file)
        keymap, self.keymap_problems = load_keymap(path, known_bindings(), RESERVED_BINDINGS, type(self).__name__)
        if keymap:
            self.set_keymap(keymap)
        for problem in self.keymap_problems[:3]:
            self.notify(problem, title="Keys file", severity="warning", timeout=8, markup=False)

    @work(thread=True, exclusive=True, group="store", exit_on_error=False)
    def open_store(self) -> None:
        """Open the store off the UI thread; on failure exit with code 1 and its message."""
        try:
            store = Store.open(self.db_path)
            counter = Store.open(self.db_path)
        except (DprkError, sqlite3.Error, OSError) as exc:
            self.call_from_thread(self.exit, None, 1, Text(f"dprk-tui: {exc}"))
            return
        self.call_from_thread(self._store_opened, store, counter)

    def _store_opened(self, store: Store, counter: Store) -> None:
        self.store = store
        self.count_store = counter
        screen = self.main_screen
        if screen is not None and screen.mounted:
            screen.store_ready()
        if not self.idle_gc.active:
            self.call_after_refresh(self.idle_gc.start)
            self.set_interval(IDLE_GC_CHECK, self.idle_gc.tick)

    @property
    def main_screen(self) -> MainScreen | None:
        """The main screen, wherever it is in the stack."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    # -- drill-down -----------------------------------------------------------------------------
    def show_relation_evidence(
        self, row: RelationRow, filters: Filters, document_id: int | None = None
    ) -> None:
        """The evidence of one aggregated relation (within the filters' dates and source)."""
        from dprk_tui.tui.screens.evidence import EvidenceScope, EvidenceScreen

        scope = EvidenceScope(row.source_id, row.source, row.target_id, row.target, row.type, filters, document_id)
        self.push_screen(EvidenceScreen(scope))

    def show_pair_evidence(self, actor_id: int, actor: str, other_id: int, other: str) -> None:
        """Every event between two actors, either way round."""
        from dprk_tui.tui.screens.evidence import EvidenceScope, EvidenceScreen

        self.push_screen(EvidenceScreen(EvidenceScope(actor_id, actor, other_id, other)))

    def show_document(
        self, document_id: int, mark: tuple[int, int] | None = None, actor_id: int | None = None
    ) -> None:
        """One document over the whole screen, at a sentence or at an actor's first mention."""
        from dprk_tui.tui.screens.document import DocumentScreen

        self.push_screen(DocumentScreen(document_id, mark=mark, actor_id=actor_id))

    def show_actor(self, actor_id: int) -> None:
        """An actor's profile."""
        from dprk_tui.tui.screens.actor import ActorScreen

        self.push_screen(ActorScreen(actor_id))

    def filter_main_by_actor(self, actor_id: int, name: str) -> None:
        """Back to the main screen, everything narrowed to one actor."""
        main = self.main_screen
        if main is None:
            return
        while self.screen is not main:
            self.pop_screen()
        main.filter_by_actor(actor_id, name)

    # -- actions --------------------------------------------------------------------------------
    def action_command_palette(self) -> None:
        """The command palette, safe from keys typed in one burst (#7): see `_CommandPalette`;
        ctrl+p, escape, ctrl+p raised DuplicateIds with Textual's fixed palette id."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(_CommandPalette())  # no fixed id: a closing one may still hold it

    def search_commands(self, commands, placeholder: str = "Search for commands…"):
        """Textual's command list, in the palette that is safe from key bursts (#7)."""
        return self.push_screen(
            _CommandPalette(providers=[SimpleProvider(self.screen, commands)], placeholder=placeholder)
        )

    def search_themes(self) -> None:
        """Textual's theme search, in the palette that is safe from key bursts (#7)."""
        self.push_screen(_CommandPalette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def action_help(self) -> None:
        """Show every key (from the live bindings) over the current screen."""
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen, self.screen.focused))

    def on_unmount(self) -> None:
        self.idle_gc.stop()
        for store in (self.store, self.count_store):
            if store is not None:
                store.close()
        self.store = None
        self.count_store = None


RESERVED_BINDINGS = ("app.quit", "app.quit-now", "app.help", "app.commands")
"""Bindings a keys file may move but never take a key from: quit, help and the command palette."""


def known_bindings() -> dict[str, KnownBinding]:
    """Every binding id of the browser, with the class that declares it and its default keys (what
    the keys file is checked against)."""
    from dprk_tui.tui.screens.actor import ActorScreen
    from dprk_tui.tui.screens.document import DocumentScreen
    from dprk_tui.tui.screens.evidence import EvidenceScreen
    from dprk_tui.tui.screens.filters import FilterScreen
    from dprk_tui.tui.widgets.actor_card import ActorCard
    from dprk_tui.tui.widgets.article_text import ArticleText
    from dprk_tui.tui.widgets.counterpart_table import CounterpartTable
    from dprk_tui.tui.widgets.doc_list import DocList
    from dprk_tui.tui.widgets.doc_view import DocView
    from dprk_tui.tui.widgets.evidence_list import EvidenceList
    from dprk_tui.tui.widgets.paged_table import PagedTable
    from dprk_tui.tui.widgets.relation_table import RelationTable
    from dprk_tui.tui.widgets.search_bar import SearchBar

    found: dict[str, KnownBinding] = {}
    for owner in (DprkApp, MainScreen, EvidenceScreen, DocumentScreen, ActorScreen, FilterScreen,
                  HelpScreen, PagedTable, DocList, RelationTable, EvidenceList, CounterpartTable,
                  DocView, ArticleText, ActorCard, SearchBar):
        for binding in owner.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                found.setdefault(binding.id, KnownBinding(binding.id, owner.__name__, split_keys(binding.key),
                                                          binding.description or binding.action))
    return found
