"""What several test modules share (no test module imports another): the real extractor, made once
per session; scoring a store against gold annotations; a mention's actor; child processes."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL = SHARED / "real"
REAL_GOLD = SHARED / "gold" / "real"
SEED_GOLD = SHARED / "gold" / "seeds"


@functools.cache
def real_extractor():
    """The real spaCy extractor, loaded once per test session."""
    from dprk_tui.db.extract.pipeline import Extractor

    return Extractor()


def score_store(path: Path, gold: Path):
    """`dprk-tui eval`'s report of the store at `path` against the gold annotations in `gold`."""
    from dprk_tui.db.evaluate import load_gold, score
    from dprk_tui.db.export import export_rows
    from dprk_tui.db.store import Store

    store = Store.open(path)
    try:
        rows = {table: list(export_rows(store, table)) for table in ("documents", "actors", "mentions", "relations")}
    finally:
        store.close()
    return score(load_gold(gold), rows["documents"], rows["actors"], rows["mentions"], rows["relations"])


def actor_at(extractor, text: str, surface: str, nth: int = 0, date: str | None = None) -> str | None:
    """The actor of the `nth` mention written `surface` in `text`, or None."""
    start = [m.start() for m in re.finditer(re.escape(surface), text)][nth]
    for mention in extractor.extract(text, date).mentions:
        if mention.start == start and mention.text == surface:
            return mention.actor
    return None


def child_processes(parent: int, marker: bytes) -> list[int]:
    """The processes whose parent is `parent` and whose command line holds `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and marker in command:
            found.append(int(entry.name))
    return sorted(found)


def wait_until(condition: Callable[[], object], seconds: float, what: str) -> object:
    """Poll `condition` until it returns something true (returned), or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
