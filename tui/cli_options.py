"""What every `dprk-tui` command shares: the consoles, the `--db` option, the one-line failure
(`fail` raises `Exit`, which the console entry point prints), the store a `--db` names, and writing
an output file whole or not at all. Imported by tui/cli.py and by each command module; imports
none of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated, Optional

import typer
from rich.console import Console

from dprk_tui.db.paths import default_store_path

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

DbOption = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        help="Store file. Default: $DPRK_TUI_DB, else a file in your user data directory.",
        show_default=False,
    ),
]


class Exit(Exception):
    """Leave with a one-line message and an exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = 1) -> None:
    raise Exit(message, code)


def store_path(db: Path | None) -> Path:
    """The store a `--db` names, else $DPRK_TUI_DB, else the default store."""
    return db.expanduser() if db is not None else default_store_path()


def write_file(output: Path, write: Callable[[IO[str]], int]) -> int:
    """Write `output` whole or not at all: into `output.part`, then renamed over it. Returns what
    `write` returns (the number of records); a failure is one line naming the file."""
    temporary = output.with_name(output.name + ".part")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as stream:
            count = write(stream)
        os.replace(temporary, output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        fail(f"{output}: cannot write ({exc.strerror or exc})")
    return count
