"""Write SVG screenshots of the browser on the seed store to screenshots/ (`make screenshots`).

Run as `python -m tests.screenshots [OUT_DIR]`. The store is built by the same function the test
fixtures use (the real pipeline over seeds/). The screens are the ones the snapshot tests check:
`SHOTS` names each one, the steps that lead to it and the terminal size.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerState

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "screenshots"
WIDE = (120, 40)
NARROW = (80, 24)

Steps = Callable[[Pilot], Awaitable[None]]


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
    """Stop the search input's cursor blinking, so screenshots are the same every time."""
    from tui.widgets.search_bar import SearchBar

    for bar in pilot.app.screen.query(SearchBar):
        bar.cursor_blink = False


async def main_screen(pilot: Pilot) -> None:
    """The store just opened: every document, nothing chosen, all relations."""
    await no_blink(pilot)
    await settle(pilot)


async def chosen_document(pilot: Pilot) -> None:
    """The second document opened: its text highlighted, relations narrowed to it."""
    await main_screen(pilot)
    await pilot.press("j", "enter")
    await settle(pilot)


async def search_results(pilot: Pilot) -> None:
    """The hits of a search for "Russia"."""
    await main_screen(pilot)
    await pilot.press("slash", *"Russia", "enter")
    await settle(pilot)


async def help_screen(pilot: Pilot) -> None:
    """The help screen over the main screen."""
    await main_screen(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


SHOTS: dict[str, tuple[Steps, tuple[int, int]]] = {
    "main": (main_screen, WIDE),
    "document": (chosen_document, WIDE),
    "search": (search_results, WIDE),
    "help": (help_screen, WIDE),
    "main-80x24": (main_screen, NARROW),
}


async def take(db_path: Path, name: str, out_dir: Path) -> Path:
    """Open the browser on `db_path`, walk to screen `name` and save it as `name`.svg."""
    from tui.app import DprkApp

    steps, size = SHOTS[name]
    app = DprkApp(db_path)
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        saved = app.save_screenshot(f"{name}.svg", str(out_dir))
        await pilot.press("q")
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
