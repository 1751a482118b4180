"""Snapshot tests (pytest-textual-snapshot): every screen and state of the browser on the seed store,
at 120×40 and 80×24, as SVG (`tests/__snapshots__/test_snapshots/test_screen[NAME].svg`).

Each screen is reached by the same steps `tests/screenshots.py` uses (`SHOTS`: the name, the keys,
the size, any environment such as NO_COLOR); the steps wait for every worker, so pages and counts
are in before the picture is taken. Update the pictures after a deliberate change with
`pytest tests/test_snapshots.py --snapshot-update`, look at them, then `make screenshots`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.screenshots import NARROW, ROOT, SHOTS, WIDE
from dprk_tui.tui.app import DprkApp


def test_every_screen_at_both_sizes() -> None:
    """Every state in the shot list is taken at 120×40 (NAME) and at 80×24 (NAME-80x24): a new
    state without its twin fails here."""
    sizes = {shot.size for shot in SHOTS.values()}
    assert sizes == {WIDE, NARROW}
    wide = {name for name, shot in SHOTS.items() if shot.size == WIDE}
    narrow = {name for name, shot in SHOTS.items() if shot.size == NARROW}
    assert all(name.endswith("-80x24") for name in narrow), sorted(narrow)
    assert not any(name.endswith("-80x24") for name in wide), sorted(wide)
    assert {name.removesuffix("-80x24") for name in narrow} == wide
    for name in wide:  # the twins show the same state: same steps, environment and theme
        twin = SHOTS[f"{name}-80x24"]
        assert (twin.env, twin.theme) == (SHOTS[name].env, SHOTS[name].theme), name
    for screen in ("main", "document", "mention", "entities-off", "search", "filter-dialog", "filtered",
                   "filtered-empty", "sorted", "comentions", "evidence", "evidence-document", "actor",
                   "actor-from-mention", "pair-evidence", "help", "palette", "no-color", "ansi"):
        assert screen in wide, screen


def test_readme_shows_every_shot() -> None:
    """The README's screen list shows every shot (and only shots that exist)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(screenshots/([\w-]+)\.svg\)", readme))
    assert shown == set(SHOTS), (sorted(set(SHOTS) - shown), sorted(shown - set(SHOTS)))


@pytest.mark.parametrize("name", list(SHOTS))
def test_screen(name: str, seed_store: Path, snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:
    shot = SHOTS[name]
    monkeypatch.setenv("DPRK_TUI_KEYS", "")
    for key, value in shot.env.items():
        monkeypatch.setenv(key, value)
    assert snap_compare(DprkApp(seed_store, theme=shot.theme), run_before=shot.steps, terminal_size=shot.size)
