"""`dprk-tui check` and `dprk-tui repair`: is a store sound, and saving what is readable of one that
is not (db/integrity.py). Registered on the main typer app by `tui/cli.py` (`register(app)`).

Failures are raised as `DprkError`s, which the console entry point prints as one line.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from dprk_tui.db.clean import inert, printable_name
from dprk_tui.tui.cli_options import DbOption, err, out, store_path


def check_command(
    db: DbOption = None,
    full: Annotated[bool, typer.Option("--full", help="SQLite's integrity_check (slower) instead of quick_check.")] = False,
) -> None:
    """Check a store's integrity with SQLite's own check (read-only). Exit 0 when it is sound, 1 with
    the problems when it is damaged."""
    from dprk_tui.db.integrity import check, damaged_message

    path = store_path(db)
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
