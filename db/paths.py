"""Where things live: the default store (user data directory, or DPRK_TUI_DB) and the bundled seeds."""

from __future__ import annotations

import os
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def default_store_path() -> Path:
    override = os.environ.get("DPRK_TUI_DB")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("dprk-tui")) / "dprk.db"
