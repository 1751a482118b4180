"""dprk-tui: a keyboard-first terminal browser for archives of news about North Korea's foreign relations.

One installed package, `dprk_tui`, keeps the repository's top-level folders (pyproject.toml maps them
with setuptools' package-dir, in editable and wheel installs alike):

- `dprk_tui.db` is `db/`: the store — reading input files, extraction, writing, schema and queries.
  It never imports textual or `dprk_tui.tui`.
- `dprk_tui.tui` is `tui/`: the Textual browser and the typer command line.
- `seeds/` (linked as `dprk_tui/seeds`) holds the five bundled sample articles (package data, read with
  importlib.resources), the corpus `dprk-tui` opens on when the default store does not exist.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dprk-tui")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
