"""Write SVG screenshots of the browser on the seed store to screenshots/ (`make screenshots`).

Run as `python -m tests.screenshots [OUT_DIR]`. The store is built by the same function the test
fixtures use (the real pipeline over seeds/). The screens are the ones the snapshot tests check:
`SHOTS` names each one, the steps that lead to it, the terminal size and any environment (NO_COLOR).
Every step waits for the workers it starts (`settle`), so pages and counts are in before the
picture is taken; cursors do not blink and notifications are cleared.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerState

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "screenshots"
WIDE = (120, 40)
NARROW = (80, 24)

Steps = Callable[[Pilot], Awaitable[None]]
Step = str | Callable[[Pilot], Awaitable[None]]

# Never read the developer's own keys file.
os.environ.setdefault("DPRK_TUI_KEYS", "")


async def settle(pilot: Pilot) -> None:
    """Wait until no worker is pending or running (workers may start others) and the screen has
    caught up."""
    app = pilot.app
    for _ in range(100):
        await pilot.pause()
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            await pilot.pause()
            return
        await app.workers.wait_for_complete(busy)
    raise TimeoutError("workers did not finish")


async def no_blink(pilot: Pilot) -> None:
    """Stop every text cursor blinking (search, filters, command palette), so pictures repeat."""
    from textual.widgets import Input

    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False


async def main_screen(pilot: Pilot) -> None:
    """The store just opened: every document, nothing chosen, all relations."""
    await no_blink(pilot)
    await settle(pilot)


def walk(*steps: Step) -> Steps:
    """From the main screen, press keys (strings) or run steps (coroutines), settling after each."""

    async def run(pilot: Pilot) -> None:
        await main_screen(pilot)
        for step in steps:
            if isinstance(step, str):
                await pilot.press(step)
            else:
                await step(pilot)
            await settle(pilot)
        await no_blink(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.05)
        await settle(pilot)

    return run


def fill(selector: str, value: str) -> Step:
    """Set a text field's value (faster than typing it)."""

    async def run(pilot: Pilot) -> None:
        from textual.widgets import Input

        field = pilot.app.screen.query_one(selector, Input)
        field.value = value
        field.cursor_position = len(value)

    return run


def actor(name: str) -> Step:
    """Open an actor's profile by name (as enter on one of its mentions would)."""

    async def run(pilot: Pilot) -> None:
        found = pilot.app.store.actors.resolve(name)
        assert found is not None, name
        pilot.app.show_actor(found.id)

    return run


async def new_data(pilot: Pilot) -> None:
    """Another process has written to the store since the lists were read: the main screen's
    change check runs against an older `PRAGMA data_version` (as after an ingest's commit)."""
    screen = pilot.app.screen
    screen.data_version = -1
    screen.check_for_new_data()


@dataclass(frozen=True)
class Shot:
    """One screen: how to reach it, at what size, with what environment."""

    steps: Steps
    size: tuple[int, int] = WIDE
    env: dict[str, str] = field(default_factory=dict)
    about: str = ""
    theme: str | None = None
    """The theme the app starts in (as `dprk-tui --theme`); None: the default."""


OPEN_SECOND = ("j", "enter")
"""The second document (newest first) opened."""
EVIDENCE = ("3", "enter")
"""The first relation's evidence."""
FILTERED = ("f", fill("#filter-actor", "North Korea"), fill("#filter-type", "COOPERATE"), "enter")
EMPTY = ("f", fill("#filter-from", "2030"), "enter")
"""A date range no document is in."""
PERSON = "Choe Son Hui"
"""The actor whose profile the pictures show (a person with roles)."""
PAIR = (actor(PERSON), "enter")
"""An actor → its first counterpart → the pair's evidence."""

SHOTS: dict[str, Shot] = {
    "main": Shot(walk(), WIDE, about="The store just opened"),
    "main-80x24": Shot(walk(), NARROW, about="The same at 80×24"),
    "document": Shot(walk(*OPEN_SECOND), WIDE, about="A document opened; Relations narrowed to it"),
    "document-80x24": Shot(walk(*OPEN_SECOND), NARROW, about="At 80×24 the document takes the list's place"),
    "mention": Shot(walk(*OPEN_SECOND, "n", "n", "n"), WIDE, about="n steps to an actor mention"),
    "mention-80x24": Shot(walk(*OPEN_SECOND, "n", "n", "n"), NARROW, about="A selected mention at 80×24"),
    "entities-off": Shot(walk(*OPEN_SECOND, "P", "L"), WIDE, about="Persons and places switched off"),
    "entities-off-80x24": Shot(walk(*OPEN_SECOND, "P", "L"), NARROW, about="Entity types off at 80×24"),
    "search": Shot(walk("slash", *"Russia", "enter"), WIDE, about="Ranked search hits with snippets"),
    "search-80x24": Shot(walk("slash", *"Russia", "enter"), NARROW, about="Search at 80×24"),
    "filter-dialog": Shot(walk("f", fill("#filter-actor", "Choe S")), WIDE, about="The filter dialog, completing an actor"),
    "filter-dialog-80x24": Shot(walk("f", fill("#filter-actor", "Choe S")), NARROW, about="The filter dialog at 80×24"),
    "filtered": Shot(walk(*FILTERED), WIDE, about="Filtered to North Korea, COOPERATE"),
    "filtered-80x24": Shot(walk(*FILTERED), NARROW, about="Filtered, at 80×24"),
    "filtered-empty": Shot(walk(*EMPTY), WIDE, about="Filters that leave nothing"),
    "filtered-empty-80x24": Shot(walk(*EMPTY), NARROW, about="Filters that leave nothing, at 80×24"),
    "new-data": Shot(walk(new_data), WIDE, about="An ingest wrote to the store: r refreshes"),
    "new-data-80x24": Shot(walk(new_data), NARROW, about="New data, at 80×24"),
    "sorted": Shot(walk("3", "s", "s"), WIDE, about="Relations sorted latest first"),
    "sorted-80x24": Shot(walk("3", "s", "s"), NARROW, about="Sorted latest first, at 80×24"),
    "comentions": Shot(walk("3", "c"), WIDE, about="Co-mentions on request, apart from relations"),
    "comentions-80x24": Shot(walk(*OPEN_SECOND, "3", "c"), NARROW, about="A document's co-mentions at 80×24"),
    "evidence": Shot(walk(*EVIDENCE), WIDE, about="The evidence of a relation"),
    "evidence-80x24": Shot(walk(*EVIDENCE), NARROW, about="Evidence at 80×24"),
    "evidence-document": Shot(walk(*EVIDENCE, "j", "enter"), WIDE, about="The document at the sentence, marked"),
    "evidence-document-80x24": Shot(walk(*EVIDENCE, "j", "enter"), NARROW, about="The same at 80×24"),
    "actor": Shot(walk(actor(PERSON)), WIDE, about="An actor's profile"),
    "actor-80x24": Shot(walk(actor(PERSON)), NARROW, about="An actor's profile at 80×24"),
    "actor-from-mention": Shot(walk(*EVIDENCE, "enter", "n", "enter"), WIDE,
                               about="Evidence → document → mention → its actor"),
    "actor-from-mention-80x24": Shot(walk(*EVIDENCE, "enter", "n", "enter"), NARROW,
                                     about="Evidence → document → mention → its actor, at 80×24"),
    "pair-evidence": Shot(walk(*PAIR), WIDE, about="Every event between an actor and a counterpart"),
    "pair-evidence-80x24": Shot(walk(*PAIR), NARROW, about="A pair's events at 80×24"),
    "help": Shot(walk("question_mark"), WIDE, about="Help: the keys of the focused pane and the screen"),
    "help-80x24": Shot(walk("3", "question_mark"), NARROW, about="Help at 80×24"),
    "palette": Shot(walk("3", "ctrl+p", *"sort"), WIDE, about="The command palette"),
    "palette-80x24": Shot(walk("colon", *"filter"), NARROW, about="The command palette (:) at 80×24"),
    "no-color": Shot(walk(*EVIDENCE, "enter", "n"), WIDE, env={"NO_COLOR": "1"},
                     about="NO_COLOR: entity types by text style"),
    "no-color-80x24": Shot(walk(*EVIDENCE, "enter", "n"), NARROW, env={"NO_COLOR": "1"},
                           about="NO_COLOR at 80×24"),
    "ansi": Shot(walk(*OPEN_SECOND), WIDE, about="The 16-colour ANSI theme (--theme ansi-dark)",
                 theme="ansi-dark"),
    "ansi-80x24": Shot(walk(*OPEN_SECOND), NARROW, about="The ANSI theme at 80×24", theme="ansi-dark"),
}


async def take(db_path: Path, name: str, out_dir: Path) -> Path:
    """Open the browser on `db_path`, walk to screen `name` and save it as `name`.svg."""
    from dprk_tui.tui.app import DprkApp

    shot = SHOTS[name]
    saved_env = {key: os.environ.get(key) for key in shot.env}
    os.environ.update(shot.env)
    try:
        app = DprkApp(db_path, theme=shot.theme)
        async with app.run_test(size=shot.size) as pilot:
            await shot.steps(pilot)
            saved = app.save_screenshot(f"{name}.svg", str(out_dir))
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Path(saved)


def main(argv: list[str] | None = None) -> int:
    from tests.conftest import build_seed_store

    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dprk-tui-screenshots-") as tmp:
        db_path = build_seed_store(Path(tmp) / "seeds.db")
        for name in SHOTS:
            print(asyncio.run(take(db_path, name, out_dir)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
