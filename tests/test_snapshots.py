"""Snapshot tests (pytest-textual-snapshot): the browser's screens on the seed store, as SVG.

Each screen is reached by the same steps `tests/screenshots.py` uses (`SHOTS`); the steps wait for
every worker, so the store is open and the panes filled before the picture is taken.
Update the pictures after a deliberate change with `pytest tests/test_snapshots.py --snapshot-update`
and look at them before committing.
"""

from __future__ import annotations

from pathlib import Path

from tests.screenshots import SHOTS
from tui.app import DprkApp


def snapshot(name: str, seed_store: Path, snap_compare) -> bool:
    steps, size = SHOTS[name]
    return snap_compare(DprkApp(seed_store), run_before=steps, terminal_size=size)


def test_main_screen(seed_store: Path, snap_compare) -> None:
    assert snapshot("main", seed_store, snap_compare)


def test_chosen_document(seed_store: Path, snap_compare) -> None:
    assert snapshot("document", seed_store, snap_compare)


def test_search_results(seed_store: Path, snap_compare) -> None:
    assert snapshot("search", seed_store, snap_compare)


def test_help_screen(seed_store: Path, snap_compare) -> None:
    assert snapshot("help", seed_store, snap_compare)


def test_main_screen_80x24(seed_store: Path, snap_compare) -> None:
    assert snapshot("main-80x24", seed_store, snap_compare)
