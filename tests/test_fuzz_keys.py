"""Keys and sizes (issue #7): 10,000 seeded random key presses over every screen of the browser,
with the terminal resized between 20x8 and 300x100, raise no exception and never end the app.

Speed: `pilot.press` waits for the app to go idle after every key (about 60 ms), so 10,000 keys
would take ten minutes. Here keys are posted to the app in batches (`KEYS_PER_BATCH`), exactly as
the terminal driver posts them (the same `events.Key`, to the app, which routes each one through
the bindings to the focused widget of the screen on top at that moment), and the test waits for
the app to go idle after each batch. That is a fast typist, not a shortcut: every key is handled,
in order, by the real dispatch. Worker results and screen changes may land between keys of a
batch, as they would for a user.

The quit keys are left out (they end the app, which is tested elsewhere); `action_quit` is
replaced by a counter so that a quit reached another way (the command palette) does not end the
run either.
"""

from __future__ import annotations

import ast
import random
import time
import unicodedata
from pathlib import Path

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from tests.screenshots import settle

ROOT = Path(__file__).resolve().parent.parent
KEY_PRESSES = 10_000
KEYS_PER_BATCH = 100
RESIZE_EVERY = 400
SEED = 20261122
QUIT_KEYS = {"q", "ctrl+q"}
SIZES = ((20, 8), (300, 100), (80, 24), (21, 9), (299, 99))
GENERAL_KEYS = (
    "up", "down", "left", "right", "pageup", "pagedown", "home", "end", "enter", "escape", "tab",
    "shift+tab", "space", "backspace", "delete", "ctrl+c", "ctrl+a", "ctrl+e", "ctrl+k", "ctrl+u",
    "ctrl+w", "x", "K", "i", "m", "R", "u", "2", "0", "9", "minus", "full_stop", "comma", "asterisk",
    "quotation_mark", "left_square_bracket", "right_square_bracket", "f1", "f5", "ctrl+l",
)


def bound_keys() -> set[str]:
    """Every key named in a Binding(...) in tui/ (so new bindings are fuzzed too)."""
    keys: set[str] = set()
    for path in (ROOT / "tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Binding"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                keys.update(key.strip() for key in str(node.args[0].value).split(","))
    return keys


def key_event(key: str) -> events.Key:
    """The event the terminal driver would post for `key` (as Textual's own pilot builds it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        character: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


async def test_ten_thousand_random_keys_at_every_size(seed_store: Path) -> None:
    from dprk_tui.tui.app import DprkApp

    vocabulary = sorted((bound_keys() | set(GENERAL_KEYS)) - QUIT_KEYS)
    assert {"enter", "escape", "slash", "question_mark", "tab"} <= set(vocabulary)
    rng = random.Random(SEED)
    app = DprkApp(seed_store)
    quits: list[int] = []
    app.action_quit = lambda: quits.append(1)  # type: ignore[method-assign]
    screens: set[str] = set()
    sizes: list[tuple[int, int]] = []
    pressed: list[str] = []
    started = time.perf_counter()
    try:
        await _fuzz(app, rng, vocabulary, screens, sizes, pressed)
    except BaseException:
        print(f"failed at size {sizes[-1] if sizes else None} after: {pressed[-120:]}")
        raise
    elapsed = time.perf_counter() - started
    print(f"{KEY_PRESSES} keys in {elapsed:.1f} s ({1000 * elapsed / KEY_PRESSES:.1f} ms/key),"
          f" {len(sizes)} sizes, screens: {sorted(screens)}, quits asked: {len(quits)}")
    assert app.return_code in (None, 0)
    assert len(screens) >= 4, screens  # the walk reached the drill-down screens, not just the main one
    assert min(sizes) == (20, 8) and max(sizes) == (300, 100)


async def _fuzz(app, rng: random.Random, vocabulary: list[str], screens: set[str],
                sizes: list[tuple[int, int]], pressed: list[str]) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sent = 0
        while sent < KEY_PRESSES:
            if sent % RESIZE_EVERY == 0:
                size = SIZES[len(sizes)] if len(sizes) < len(SIZES) else (rng.randint(20, 300), rng.randint(8, 100))
                sizes.append(size)
                await pilot.resize_terminal(*size)
            for _ in range(min(KEYS_PER_BATCH, KEY_PRESSES - sent)):
                pressed.append(rng.choice(vocabulary))
                app.post_message(key_event(pressed[-1]))
                sent += 1
            await pilot.pause()
            screens.add(type(app.screen).__name__)
            assert app.is_running and app._exception is None, f"after {sent} keys"
        await settle(pilot)
        assert app.is_running and app._exception is None


async def test_keys_in_one_burst_before_the_palette_is_laid_out(seed_store: Path) -> None:
    """Found by the fuzz, keys in one burst (as a fast typist over SSH sends them): ctrl+p then
    pagedown crashed Textual 8.2.8's command palette (KeyError); f, enter, escape closed the filter
    screen twice, and the second close popped the main screen (ScreenStackError)."""
    from dprk_tui.tui.app import DprkApp

    bursts = {
        ("ctrl+p", "pagedown"): "_CommandPalette",
        ("colon", "x", "pageup", "pagedown", "down", "up"): "_CommandPalette",
        ("f", "enter", "escape"): "MainScreen",  # the filter screen closed twice: popped the last screen
        ("f", "enter", "enter"): "MainScreen",
    }
    for burst, screen in bursts.items():
        app = DprkApp(seed_store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for key in burst:
                app.post_message(key_event(key))
            await settle(pilot)
            assert app.is_running and app._exception is None, burst
            assert type(app.screen).__name__ == screen, burst
