"""`dprk-tui actors`: list the store's actors and correct them (alias, merge, rename).

Corrections are stored in the store and applied at once to its mentions, relations, relation
aggregates and actor counts; every later ingest into that store applies them again (see
db/corrections.py). `actors corrections` exports them as JSON lines, `actors import` replays such
a file on another store. The dictionary of known actors is the bundled one with the user's file
(its path is in `dprk-tui actors --help`) merged over it by canonical name.
Heavy modules are imported inside the commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from dprk_tui.db.clean import inert
from dprk_tui.db.extract.dictionary import user_dictionary_path
from dprk_tui.tui.cli_options import err, fail, out, store_path, write_file

_DB_HELP = "Store file. Default: $DPRK_TUI_DB, else a file in your user data directory."
DbOption = Annotated[
    Optional[Path], typer.Option("--db", help=_DB_HELP, show_default=False, dir_okay=False)
]

app = typer.Typer(
    name="actors",
    help=(
        "List and correct actors (alias, merge, rename: kept in the store, applied at once and on "
        f"every later ingest). Your actor dictionary: {user_dictionary_path()}\n\n"
        "That file has the format of the bundled dictionary (db/extract/data/README.md) and is "
        "merged over it by canonical name; set DPRK_TUI_ACTORS to use another file."
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _connect(db: Path | None, *, write: bool = False):
    """The store; for a command that changes it, one that this user can write (else one line)."""
    from dprk_tui.db.connection import connect

    return connect(store_path(db), writable=write)


def _report(outcome) -> None:

    c = outcome.correction
    if outcome.unchanged:
        err.print(Text(f"{c.kind}: nothing to change ({c.value!r} -> {c.target!r} already holds)"))
        return
    parts = []
    if outcome.mentions:
        parts.append(f"{outcome.mentions} mention(s) moved")
    if outcome.relations:
        parts.append(f"{outcome.relations} relation end(s) moved")
    if outcome.merged:
        parts.append("merged " + ", ".join(outcome.merged))
    detail = f" ({'; '.join(parts)})" if parts else ""
    verb = {"alias": "is now an alias of", "merge": "merged into", "rename": "renamed to"}[c.kind]
    err.print(Text(f"{c.value!r} {verb} {c.target!r}{detail}"))


def _correct(db: Path | None, kind: str, value: str, target: str) -> None:
    from dprk_tui.db.corrections import Correction, make

    database = _connect(db, write=True)
    try:
        _report(make(database.conn, Correction(kind, value, target)))
    finally:
        database.conn.close()


@app.command("list")
def list_command(
    db: DbOption = None,
    query: Annotated[
        Optional[str], typer.Option("--query", "-q", help="Only actors with a name or alias containing this.")
    ] = None,
    include_all: Annotated[
        bool, typer.Option("--all", help="Also dictionary actors that no document mentions.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1_000_000, help="Most actors to print.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Actors, most mentioned first: name, type, country, documents, mentions and aliases."""
    from dprk_tui.db.extract.names import name_key
    from dprk_tui.db.queries.actor_list import list_actors

    key = None
    if query is not None:
        key = name_key(query)
        if not key:
            fail(f"--query {query!r}: give letters or digits to look for", 2)
    database = _connect(db)
    try:
        actors = list_actors(database.conn, key=key, include_all=include_all, limit=limit)
    finally:
        database.conn.close()
    if not actors:
        err.print(Text("no actors match" + (f" {query!r}" if query else "")))
        raise typer.Exit(1)
    for actor in actors:
        if as_json:
            sys.stdout.write(json.dumps(actor.as_json(), ensure_ascii=False) + "\n")
            continue
        aliases = actor.aliases
        shown = "; ".join(aliases[:6]) + (f"; … (+{len(aliases) - 6})" if len(aliases) > 6 else "")
        out.print(Text(inert(
            f"{actor.name}  {actor.type} {actor.country or '-'}  docs {actor.documents}  mentions {actor.mentions}"
            + ("  (found in text)" if actor.origin == "discovered" else "")
            + (f"  aka {shown}" if shown else "")
        )))


@app.command("alias")
def alias_command(
    name: Annotated[str, typer.Argument(help="The actor (its name or an alias).")],
    alias: Annotated[str, typer.Argument(help="Another way the text names it.")],
    db: DbOption = None,
) -> None:
    """Make ALIAS a name of actor NAME.

    Mentions written ALIAS that have no actor, and an actor found in text under that name, become
    NAME's; mentions that context linked to another actor stay as they are.
    """
    _correct(db, "alias", alias, name)


@app.command("merge")
def merge_command(
    source: Annotated[str, typer.Argument(metavar="FROM", help="The actor to merge away.")],
    target: Annotated[str, typer.Argument(metavar="INTO", help="The actor that stays.")],
    db: DbOption = None,
) -> None:
    """Merge actor FROM into INTO: its mentions, relations, aliases and roles become INTO's."""
    _correct(db, "merge", source, target)


@app.command("rename")
def rename_command(
    old: Annotated[str, typer.Argument(help="The actor (its name or an alias).")],
    new: Annotated[str, typer.Argument(help="Its new canonical name (the old one stays an alias).")],
    db: DbOption = None,
) -> None:
    """Give actor OLD the canonical name NEW."""
    _correct(db, "rename", old, new)


@app.command("corrections")
def corrections_command(
    db: DbOption = None,
    output: Annotated[
        Optional[Path], typer.Option("-o", "--output", help="File to write (default: stdout).", dir_okay=False)
    ] = None,
) -> None:
    """Export the store's corrections as JSON lines, oldest first (`actors import` replays them)."""
    from dprk_tui.db.corrections import list_corrections, write_jsonl

    database = _connect(db)
    try:
        records = list_corrections(database.conn)
    finally:
        database.conn.close()
    if output is None:
        write_jsonl(records, sys.stdout)
        return
    count = write_file(output, lambda stream: write_jsonl(records, stream))
    err.print(Text(f"{output}: {count} correction(s)"))


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="JSON lines written by `dprk-tui actors corrections`.", dir_okay=False)],
    db: DbOption = None,
) -> None:
    """Replay corrections from a file on a store, in order; stops at the first one that fails."""
    from dprk_tui.db.corrections import make, read_jsonl

    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{file}: cannot read ({getattr(exc, 'strerror', None) or exc})")
    records = list(read_jsonl(lines, str(file)))  # every line checked before anything changes
    database = _connect(db, write=True)
    try:
        for record in records:
            _report(make(database.conn, record))
    finally:
        database.conn.close()
