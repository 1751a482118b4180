"""The dprk-tui browser: `DprkApp(db_path).run()`.

The app opens the store in a worker thread (the first frame never waits on disk), then hands it to
the main screen, which fills its three panes. A store that cannot be opened ends the app with exit
code 1 and the store's one-line message, never a traceback.

Importing this module is cheap: it imports Textual and the read API (`db.store`), never spaCy or
the extraction package.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from db.errors import DprkError
from db.store import Store
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen

ENTITY_COLOURS: dict[str, str] = {
    "entity-person": "#f0a35e",
    "entity-org": "#5fb3f0",
    "entity-gpe": "#8fce6a",
    "entity-other": "#c79be8",
    "entity-match": "#f5e06e",
    # On light themes:
    "entity-person-light": "#b35900",
    "entity-org-light": "#0b5cad",
    "entity-gpe-light": "#2e7d0f",
    "entity-other-light": "#7b3fb0",
    "entity-match-light": "#e0b800",
}
"""Default entity colours (dark and light themes); a theme may override any of these variables."""


class DprkApp(App[None]):
    """Browse one store: documents, a document with its mentions, and relations."""

    CSS_PATH = "app.tcss"
    TITLE = "dprk-tui"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit-now"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(self, db_path: Path | str) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.store: Store | None = None
        self.sub_title = str(self.db_path)

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(ENTITY_COLOURS)

    def on_mount(self) -> None:
        self.open_store()

    @work(thread=True, exclusive=True, group="store", exit_on_error=False)
    def open_store(self) -> None:
        """Open the store off the UI thread; on failure exit with code 1 and its message."""
        try:
            store = Store.open(self.db_path)
        except (DprkError, sqlite3.Error, OSError) as exc:
            self.call_from_thread(self.exit, None, 1, Text(f"dprk-tui: {exc}"))
            return
        self.call_from_thread(self._store_opened, store)

    def _store_opened(self, store: Store) -> None:
        self.store = store
        screen = self.get_screen_stack_main()
        if screen is not None and screen.mounted:
            screen.store_ready()

    def get_screen_stack_main(self) -> MainScreen | None:
        """The main screen, wherever it is in the stack."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def action_help(self) -> None:
        """Show every key (from the live bindings) over the current screen."""
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen, self.screen.focused))

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
