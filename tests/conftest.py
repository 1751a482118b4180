"""Shared fixtures: one store built by the real pipeline (spaCy + SQLite) from seeds/, per session.

The environment is pinned so that tests never read a developer's own store or actor dictionary.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "gold" / "seeds"
needs_gold = pytest.mark.skipif(
    not GOLD.is_dir(), reason="../shared/gold (hand annotations) is not beside this checkout"
)

_SANDBOX = Path(tempfile.mkdtemp(prefix="dprk-tui-tests-"))
os.environ["DPRK_TUI_ACTORS"] = str(_SANDBOX / "no-user-actors.jsonl")
os.environ["DPRK_TUI_DB"] = str(_SANDBOX / "default-store.db")
os.environ.pop("DPRK_TUI_MODEL", None)


def build_seed_store(path: Path) -> Path:
    """Build a store from seeds/ with the real pipeline; fail loudly if any seed does not go in."""
    from dprk_tui.db.ingest import ingest

    summary = ingest([SEEDS], path)
    if summary.added != 5 or summary.failed:
        raise RuntimeError(f"seed store: added {summary.added}, failed {summary.failed}")
    return path


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path to the store built once per session from the five seed articles."""
    return build_seed_store(tmp_path_factory.mktemp("store") / "seeds.db")


@pytest.fixture(scope="session")
def synth_store(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int, int], Path]:
    """`synth_store(documents, seed)`: the path of a synthetic store (db/synth.py), built once per
    session for each (documents, seed). Tests read it; one that writes works on a copy."""
    from dprk_tui.db.synth import synthesize

    built: dict[tuple[int, int], Path] = {}

    def make(documents: int, seed: int) -> Path:
        if (documents, seed) not in built:
            path = tmp_path_factory.mktemp(f"synth-{documents}-{seed}") / "synth.db"
            synthesize(path, documents, seed=seed)
            built[(documents, seed)] = path
        return built[(documents, seed)]

    return make


@pytest.fixture()
def store(seed_store: Path):
    """An open read Store on the seed store."""
    from dprk_tui.db.store import Store

    opened = Store.open(seed_store)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def extractor():
    """The real spaCy extractor, one per session (tests/helpers.py)."""
    from tests.helpers import real_extractor

    return real_extractor()


@pytest.fixture(scope="session")
def real_report(tmp_path_factory: pytest.TempPathFactory):
    """The 30 real development articles (../shared/real), ingested once by the real pipeline and
    scored against ../shared/gold/real; skipped where ../shared is not beside the checkout."""
    from dprk_tui.db.ingest import ingest
    from tests.helpers import REAL, REAL_GOLD, real_extractor, score_store

    if not (REAL.is_dir() and REAL_GOLD.is_dir()):
        pytest.skip("../shared/real and ../shared/gold/real (the development articles) are not beside this checkout")
    path = tmp_path_factory.mktemp("real") / "real.db"
    summary = ingest([REAL], path, extractor=real_extractor())
    assert summary.added == len(list(REAL.glob("*.txt"))) and not summary.failed, summary
    return score_store(path, REAL_GOLD)
