"""`dprk-tui check` and `dprk-tui repair`: is a store sound, and saving what is readable of one that
is not (db/integrity.py). Registered on the main typer app by `tui/cli.py` (`register(app)`).

Failures are raised as `DprkError`s, which the console entry point prints as one line.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from dprk_tui.db.clean import inert, printable_name

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def check_command(
    db: Annotated[
        Optional[Path],
        typer.Option("--db", help="Store file. Default: $DPRK_TUI_DB, else a file in your user data directory.",
                     show_default=False),
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="SQLite's integrity_check (slower) instead of quick_check.")] = False,
) -> None:
    """Check a store's integrity with SQLite's own check (read-only). Exit 0 when it is sound, 1 with
    the problems when it is damaged."""
    from dprk_tui.db.integrity import check, damaged_message
    from dprk_tui.db.paths import default_store_path

    path = db.expanduser() if db is not None else default_store_path()
    started = time.perf_counter()
    problems = check(path, full=full)
    if problems:
        for problem in problems[1:]:
            err.print(Text(inert(f"  {problem}")))
        err.print(Text(inert(f"dprk-tui: {damaged_message(path, problems)}")))
        raise typer.Exit(1)
    out.print(Text(f"{printable_name(str(path))}: ok ({'integrity' if full else 'quick'} check, "
                   f"{time.perf_counter() - started:.1f} s)"))


def repair_command(
    store: Annotated[Path, typer.Argument(help="The damaged store (never written).", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="The new store to write (must not exist).",
                                         show_default=False, dir_okay=False)],
) -> None:
    """Save what is readable of a damaged store into a new one: SQLite's recovery (the sqlite3 shell's
    .recover), then documents, actors, mentions and relations copied and every index and roll-up
    built again. The damaged store is left as it is."""
    from dprk_tui.db.integrity import repair

    repaired = repair(store.expanduser(), output.expanduser(),
                      progress=lambda line: err.print(Text(inert(f"repair: {line}"))))
    counts = ", ".join(f"{count} {table}" for table, count in repaired.rows.items() if table != "corrections")
    err.print(Text(inert(f"{printable_name(str(output))}: saved {counts}")))


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)
    app.command("repair")(repair_command)
