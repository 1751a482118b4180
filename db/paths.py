"""Where things live: the default store (user data directory, or DPRK_TUI_DB) and the bundled seeds.

The seeds are package data of `dprk_tui` (`dprk_tui/seeds`, a link to the repository's seeds/
folder), found with importlib.resources, so an editable install, a wheel, pipx and uv tool installs
all find them.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path



def seed_files() -> list[Path]:
    """The bundled seed articles, as files on disk, in name order."""
    root = resources.files("dprk_tui").joinpath("seeds")
    return sorted(Path(str(entry)) for entry in root.iterdir() if entry.name.endswith(".txt"))


def seeds_dir() -> Path:
    """The folder that holds the bundled seed articles."""
    files = seed_files()
    if not files:
        raise FileNotFoundError("no seed articles in the installed package (dprk_tui/seeds)")
    return files[0].parent


def default_store_path() -> Path:
    override = os.environ.get("DPRK_TUI_DB")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("dprk-tui")) / "dprk.db"
