"""Snapshot tests (pytest-textual-snapshot): every screen and state of the browser on the seed store,
at 120×40 and 80×24, as SVG (`tests/__snapshots__/test_snapshots/test_screen[NAME].svg`).

Each screen is reached by the same steps `tests/screenshots.py` uses (`SHOTS`: the name, the keys,
the size, any environment such as NO_COLOR); the steps wait for every worker, so pages and counts
are in before the picture is taken. Update the pictures after a deliberate change with
`pytest tests/test_snapshots.py --snapshot-update`, look at them, then `make screenshots`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.screenshots import NARROW, SHOTS, WIDE
from tui.app import DprkApp


def test_every_screen_at_both_sizes() -> None:
    """The shot list covers each screen at 120×40 and at 80×24."""
    sizes = {shot.size for shot in SHOTS.values()}
    assert sizes == {WIDE, NARROW}
    narrow = {name.removesuffix("-80x24") for name, shot in SHOTS.items() if shot.size == NARROW}
    for screen in ("main", "document", "search", "filter-dialog", "filtered", "evidence",
                   "evidence-document", "actor", "help", "palette"):
        assert screen in SHOTS and SHOTS[screen].size == WIDE, screen
        assert screen in narrow, screen
    assert len(SHOTS) >= 16


@pytest.mark.parametrize("name", list(SHOTS))
def test_screen(name: str, seed_store: Path, snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:
    shot = SHOTS[name]
    monkeypatch.setenv("DPRK_TUI_KEYS", "")
    for key, value in shot.env.items():
        monkeypatch.setenv(key, value)
    assert snap_compare(DprkApp(seed_store, theme=shot.theme), run_before=shot.steps, terminal_size=shot.size)
