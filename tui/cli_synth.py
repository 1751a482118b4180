"""`dprk-tui synth`: build a synthetic store for demos and benchmarks (see db/synth.py).

Registered on the main typer app by `tui/cli.py` (`register(app)`); db.synth is imported only when
the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

err = Console(stderr=True, highlight=False, soft_wrap=True)


def synth_command(
    db: Annotated[
        Path,
        typer.Option("--db", help="Store file to create.", show_default=False, dir_okay=False),
    ],
    docs: Annotated[int, typer.Option("--docs", min=1, help="How many documents.")] = 1_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same store).")] = 0,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Build a synthetic store: articles of realistic length dated 2010–2026, with actor mentions
    and relations drawn from the actor dictionary (no spaCy; about 1M documents in 5 minutes)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from dprk_tui.db.synth import synthesize

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("documents", total=docs)

        def report(phase: str, done: int, total: int) -> None:
            if phase == "documents":
                progress.update(task, completed=done)
            elif phase == "rollups" and not done:
                progress.update(task, description="date roll-ups", completed=0, total=None)
            elif phase == "index" and not done:
                progress.update(task, description="full-text index", completed=0, total=None)

        summary = synthesize(db.expanduser(), docs, seed=seed, force=force, progress=report)
    err.print(
        Text(
            f"{db}: {summary.documents:,} documents, {summary.mentions:,} mentions,"
            f" {summary.relations:,} relations ({summary.triples:,} source/type/target)"
            f" in {summary.seconds:.1f} s"
        )
    )


def register(app: typer.Typer) -> None:
    """Add the `synth` command to the `dprk-tui` app."""
    app.command("synth")(synth_command)
