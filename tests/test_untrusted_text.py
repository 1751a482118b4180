"""Untrusted text (issue #7): article text, titles, sources, file names and actor names that hold
markup-like brackets ("[b]", "[/x]", "[link=…]") or terminal control sequences (ESC, CSI, OSC 52
clipboard writes, BEL, backspace, C1 controls, bidi overrides) display inertly in every pane, in
search output and in export; nothing raw reaches the terminal.

Two stores: one built by the real ingest from hostile files (ingest normalises what it stores),
and one written straight through the store writer with the raw characters, as a store edited by
other tools could hold them (the browser must not trust its store). The browser is walked over
its screens under `run_test`, and after every key what it would write to the terminal is taken
from its compositor: no text segment may hold a terminal-unsafe character, and brackets show
literally.
"""

from __future__ import annotations

import hashlib
import os
import pty
import re
import select
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events

from dprk_tui.db.article import Article
from dprk_tui.db.clean import INERT, printable_name
from dprk_tui.db.connection import connect
from dprk_tui.db.extract.model import Extraction, MentionSpan, NewActor, RelationSpan
from dprk_tui.db.writer import StoreWriter
from tests.screenshots import settle
from tests.test_hostile_ingest import ROOT, run_dprk, shared_extractor, world_dir

MARKUP = "[b]bold[/b] [/x] [link=https://evil.example]click[/link]"
CONTROLS = "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b31m\x07\x08\u202eevil\u2066\x7f\x1b[0m"
HOSTILE = f"{MARKUP} {CONTROLS}"


def unsafe(text: str) -> list[str]:
    """The terminal-unsafe characters in `text` (tab and newline are fine)."""
    return sorted({repr(char) for char in text if ord(char) in INERT})


# -- the two stores ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ingested_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hostile files through the real ingest."""
    from dprk_tui.db.ingest import ingest

    folder = tmp_path_factory.mktemp("untrusted")
    corpus = folder / "in"
    corpus.mkdir()
    (corpus / f"esc-{CONTROLS}-name.txt").write_text(
        f"\x1b[1m{MARKUP} headline \x1b]52;c;ZXZpbA==\x07of the day\x1b[0m here now\n\n"
        "Pyongyang, Jan. 5 (KCNA) -- [link=https://evil.example]North Korean leader Kim Jong"
        " Un[/link] met Russian Foreign Minister Sergei Lavrov \u202ein Pyongyang\u202c on Friday"
        f" [/x]. Bell\x07 and backspace\x08 and {CONTROLS} done.\n"
    )
    (corpus / "bidi-\u202etxt.exe-\u2066.txt").write_text(
        f"By [/]Staff Writer\n\nSeoul, March 3 (Yonhap) -- South Korean President Yoon Suk Yeol"
        f" urged North Korea to return to talks [b]now[/b], {CONTROLS} officials said.\n"
    )
    store = folder / "ingested.db"
    summary = ingest([corpus], store, extractor=shared_extractor())
    assert summary.added == 2 and not summary.failed, summary
    return store


KIM = f"Kim [b]Jong[/b] {CONTROLS}Un"
LAVROV = "Lavrov\u202e[/x]\x9b2J"


@pytest.fixture(scope="module")
def raw_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the raw characters in every field the browser shows."""
    path = tmp_path_factory.mktemp("raw") / "raw.db"
    db = connect(path, create=True)
    writer = StoreWriter(db)
    for number in range(3):
        head = f"Pyongyang {CONTROLS}(KCNA) -- "
        sentence = f"{KIM} met {LAVROV} in [link=x]Pyongyang[/link] {number}."
        text = f"{head}{sentence}\n\nMore {HOSTILE} text\x07 here.\n"
        start = len(head)
        kim = (start, start + len(KIM))
        lavrov_start = text.index(LAVROV)
        article = Article(
            file=f"{CONTROLS}-{number}.txt", path=f"/in/{CONTROLS}/{number}.txt",
            title=f"{HOSTILE} title {number}", date=f"2024-01-0{number + 1}", source=f"KC{CONTROLS}NA",
            text=text, words=len(text.split()),
            content_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        )
        extraction = Extraction(
            mentions=[
                MentionSpan(kim[0], kim[1], KIM, "PERSON", KIM),
                MentionSpan(lavrov_start, lavrov_start + len(LAVROV), LAVROV, "PERSON", LAVROV),
            ],
            relations=[RelationSpan(KIM, LAVROV, "CONSULT", start, start + len(sentence), "met")],
            new_actors={KIM: NewActor(KIM, "PERSON"), LAVROV: NewActor(LAVROV, "PERSON")},
        )
        assert writer.add(article, extraction) is not None
    db.conn.close()
    return path


# -- the store ingest writes holds no terminal-unsafe character ------------------------------------------
def test_ingest_stores_no_terminal_unsafe_character(ingested_store: Path) -> None:
    db = connect(ingested_store)
    try:
        columns = {
            "documents": ("file", "path", "title", "source", "text"),
            "actors": ("name",),
            "aliases": ("alias",),
            "mentions": ("text",),
        }
        for table, names in columns.items():
            for name in names:
                for (value,) in db.execute(f"SELECT {name} FROM {table}").fetchall():
                    if value is not None:
                        assert unsafe(value) == [], (table, name, value)
        titles = [row[0] for row in db.execute("SELECT title FROM documents").fetchall()]
        assert any(MARKUP in title for title in titles), titles
        files = [row[0] for row in db.execute("SELECT file FROM documents").fetchall()]
        assert printable_name(f"esc-{CONTROLS}-name.txt") in files
        assert printable_name("bidi-\u202etxt.exe-\u2066.txt") in files
    finally:
        db.conn.close()


# -- the browser ----------------------------------------------------------------------------------------------
def rendered_lines(app) -> list[str]:
    """What the app would draw now, as text lines; asserts that no text segment holds a
    terminal-unsafe character (Textual writes segment text to the terminal as it is)."""
    update = app.screen._compositor.render_full_update()
    lines = []
    for line in update.strips:
        texts = [segment.text for strip in line for segment in strip]
        for text in texts:
            assert unsafe(text) == [], (type(app.screen).__name__, text)
        lines.append("".join(texts))
    return lines


WALK: tuple[tuple[str, ...], ...] = (
    (),  # the main screen as it opens
    ("enter",),  # open the first document
    ("n",), ("n",),  # walk its mentions (the status line names the actor)
    ("enter",),  # the actor under the mention
    ("escape",),
    ("3",), ("enter",),  # the Relations pane: evidence of a relation
    ("o",),  # its source actor
    ("tab",), ("enter",),
    ("escape",), ("escape",), ("escape",),
    ("y",),  # copy a sentence: a notification
    ("slash", "K", "i", "m", "enter"),  # search
    ("j", "enter"),
    ("question_mark",), ("escape",),
    ("f",), ("escape",),
)


async def walk(store: Path) -> tuple[set[str], str]:
    """Walk the browser over its screens; return the screens seen and all the text drawn."""
    from dprk_tui.tui.app import DprkApp

    app = DprkApp(store)
    screens: set[str] = set()
    drawn: list[str] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        for keys in WALK:
            if keys:
                await pilot.press(*keys)
            await settle(pilot)
            screens.add(type(app.screen).__name__)
            drawn.extend(rendered_lines(app))
        # Pasting hostile text into the search input (the terminal sends a paste to the app).
        await pilot.press("slash")
        app.post_message(events.Paste(f"Kim {HOSTILE}"))
        await settle(pilot)
        drawn.extend(rendered_lines(app))
        await pilot.press("enter")
        await settle(pilot)
        drawn.extend(rendered_lines(app))
        assert app.is_running
    return screens, "\n".join(drawn)


async def test_browser_shows_ingested_hostile_text_inertly(ingested_store: Path) -> None:
    screens, drawn = await walk(ingested_store)
    assert {"MainScreen", "HelpScreen"} <= screens and len(screens) >= 5, screens
    assert MARKUP in drawn  # brackets shown as they are, never parsed as markup
    assert "\\x1b" in drawn  # the escaped file name


async def test_browser_shows_raw_hostile_store_inertly(raw_store: Path) -> None:
    screens, drawn = await walk(raw_store)
    assert {"MainScreen", "HelpScreen"} <= screens and len(screens) >= 5, screens
    assert "[b]bold[/b]" in drawn and "[link=x]Pyongyang[/link]" in drawn
    assert "Kim [b]Jong[/b]" in drawn  # an actor name with brackets, literally
    assert "\ufffd" in drawn  # each unsafe character is shown as U+FFFD


# -- the command line -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def home() -> Iterator[Path]:
    folder = world_dir("dprk-untrusted-")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("which", ["ingested", "raw"])
def test_search_output_is_inert(which: str, ingested_store: Path, raw_store: Path, home: Path) -> None:
    store = ingested_store if which == "ingested" else raw_store
    result = run_dprk("search", "Kim", "--db", store, home=home)
    assert result.returncode == 0, result.stderr.decode()
    output = result.stdout.decode("utf-8")
    assert "bold[/b]" in output and output.count("\n") >= 1
    assert unsafe(output) == []


def test_export_to_a_pipe_is_the_store_as_it_is(ingested_store: Path, raw_store: Path, home: Path) -> None:
    """Export is data: piped, it writes what the store holds (JSON escapes C0 controls, CSV does
    not). A store made by ingest holds nothing terminal-unsafe, so its export holds none either."""
    for fmt in ("csv", "jsonl", "json"):
        result = run_dprk("export", "documents", "--format", fmt, "--db", ingested_store, home=home)
        assert result.returncode == 0
        output = result.stdout.decode("utf-8")
        assert unsafe(output.replace("\r", "")) == [] and MARKUP in output
    raw = run_dprk("export", "documents", "--format", "csv", "--db", raw_store, home=home)
    assert "\x1b]52;c;" in raw.stdout.decode("utf-8")


def run_in_terminal(*args: str | Path, home: Path) -> str:
    """Run dprk-tui with stdout on a pseudo-terminal; what the terminal received."""
    leader, follower = pty.openpty()
    environment = {**os.environ, "HOME": str(home), "DPRK_TUI_ACTORS": str(home / "none.jsonl"),
                   "COLUMNS": "200"}
    process = subprocess.Popen([sys.executable, "-m", "dprk_tui", *map(str, args)], cwd=ROOT,
                               env=environment, stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    received = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        received += chunk
    process.wait(timeout=60)
    os.close(leader)
    assert process.returncode == 0, process.stderr.read().decode()
    return received.decode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_to_a_terminal_is_inert(fmt: str, raw_store: Path, home: Path) -> None:
    shown = run_in_terminal("export", "documents", "--format", fmt, "--db", raw_store, home=home)
    assert "[b]bold[/b]" in shown and "\ufffd" in shown
    assert unsafe(shown.replace("\r", "")) == []


def test_search_in_a_terminal_is_inert(raw_store: Path, home: Path) -> None:
    """On a terminal rich adds its own styles; the store's characters must not get through."""
    shown = run_in_terminal("search", "Kim", "--db", raw_store, home=home)
    text = re.sub(r"\x1b\[[0-9;]*m", "", shown)  # rich's own colour codes
    assert "bold[/b]" in text and "\ufffd[2J" in text  # the store's ESC became U+FFFD
    assert unsafe(text.replace("\r", "")) == []


# -- search and filter input --------------------------------------------------------------------------------
HOSTILE_QUERIES: tuple[str, ...] = (
    '"Russia', "Russia\"", "'", '""', "Russia AND", "AND", "OR NOT", "NOT Russia", "NEAR(",
    "NEAR(Kim Choe, 5)", "Kim*", "*", "**", "^Kim", "title:Kim", "text:", "documents_fts:x",
    "{Kim Choe}", "Kim + Choe", "Kim - Choe", "Choe Son-hui", "(Kim", "Kim)", "[b]Kim[/b]", "[/x]",
    "'; DROP TABLE documents; --", "%", "_", "\\", "\x00Kim", "\x1b[2JKim", "\u202eKim",
    "🇰🇵 🚀 Kim", "Ким Чен Ын", "김정은", "e\u0301", "Kim " * 2_500, "x" * 10_000,
)


def test_hostile_queries_give_results_or_nothing_never_an_error(store) -> None:
    from dprk_tui.db.store import Filters

    baseline = {hit.id for hit in store.search.top("Russia")}
    assert baseline
    for query in HOSTILE_QUERIES:
        started = time.perf_counter()
        hits = store.search.top(query, limit=20)
        count = store.search.count(query)
        narrowed = store.search.page(query, filters=Filters(source="KCNA", date_from="2019"))
        assert isinstance(hits, list) and isinstance(narrowed, list) and count >= len(hits), query
        assert time.perf_counter() - started < 2, f"{query[:20]!r} took too long"
    assert {hit.id for hit in store.search.top('"Russia')} == baseline  # an unbalanced quote is ignored
    assert {hit.id for hit in store.search.top("Russia AND")} <= baseline
    assert store.search.top("Choe Son-hui")  # a hyphen is no FTS5 column filter


def test_hostile_filter_values_are_values(store) -> None:
    from dprk_tui.db.store import Filters

    for value in ("'; DROP TABLE documents; --", "KCNA' OR '1'='1", "[b]", "\x1b[2J", "x" * 10_000):
        filters = Filters(source=value, type=value, actor=value)
        assert store.documents.count(filters) == 0
        assert store.relations.count(filters=filters) == 0
        assert store.documents.sources(value) == []
        assert isinstance(store.actors.names(value), list)  # a prefix look-up: "[b]" finds "BBC"
        store.actors.resolve(value)
    assert store.documents.count() == 5
    with pytest.raises(ValueError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        Filters(date_from="2019-01-01' OR 1=1")


class _Recorder:
    """Stands in for a store's sqlite3 connection and records every statement and its parameters."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self.statements: list[tuple[str, object]] = []

    def execute(self, sql: str, parameters=()):
        self.statements.append((sql, parameters))
        return self._connection.execute(sql, parameters)

    def executemany(self, sql: str, parameters):
        self.statements.append((sql, parameters))
        return self._connection.executemany(sql, parameters)

    def __getattr__(self, name: str):
        return getattr(self._connection, name)


def test_user_text_reaches_sql_only_as_parameters(seed_store: Path) -> None:
    """Every read the browser and the CLI make with text a user typed, called with a canary: the
    canary is bound as a parameter in some statements and spliced into none."""
    from dprk_tui.db.store import Filters, Store

    canary = "zqcanary7"
    opened = Store.open(seed_store)
    recorder = _Recorder(opened.reader.db.conn)
    opened.reader.db.conn = recorder  # type: ignore[assignment]
    try:
        typed = f"{canary} NEAR( \"x' OR 1=1 --"
        filters = Filters(source=typed, type=typed, actor=typed, date_from="2019", date_to="2024")
        opened.search.top(typed)
        opened.search.count(typed)
        opened.search.page(typed, filters=filters)
        opened.documents.page(filters=filters)
        opened.documents.count(filters)
        opened.relations.page(filters=filters)
        opened.relations.count(filters=filters)
        opened.documents.sources(typed)
        opened.actors.names(typed)
        opened.actors.resolve(typed)
        actor = opened.actors.resolve("Kim Jong Un")
        assert actor is not None
        opened.documents.page(filters=Filters(actor_id=actor.id, actor=typed, type=typed, source=typed))
    finally:
        opened.reader.db.conn = recorder._connection  # type: ignore[assignment]
        opened.close()
    assert len(recorder.statements) >= 10
    spliced = [sql for sql, _ in recorder.statements if canary in sql.lower()]
    assert spliced == []
    bound = [params for sql, params in recorder.statements if canary in repr(params).lower()]
    assert len(bound) >= 8


SQL_FRAGMENT_PARAMETERS: dict[tuple[str, str, str], str] = {
    ("db/export.py", "export_rows", "table"): "checked against TABLES before it is used",
    ("db/queries/documents.py", "conditions", "alias"): "a table alias given by db/ callers",
    ("db/queries/paging.py", "keyset_sql", "columns"): "column lists written in the query modules",
    ("db/queries/paging.py", "keyset_sql", "source"): "FROM clauses written in the query modules",
    ("db/queries/relations.py", "_actor_type_terms", "alias"): "a table alias written in that module",
    ("db/rollups.py", "_derive", "scope"): "an actor-id condition with ? from rollups._scope",
    ("db/rollups.py", "_months", "scope"): "an actor-id condition with ? from rollups._scope",
    ("db/rollups.py", "_derive_source_periods", "scope"): "an actor-id condition with ? from rollups._scope",
    ("db/rollups.py", "_derive_source_periods", "counted"): "an SQL expression from rollups._counted",
    ("db/integrity.py", "_salvage_table", "table"): "a name from integrity.BASE_TABLES",
    ("db/integrity.py", "_past_damage", "select"): "a SELECT that _salvage_table builds from the schema's columns",
    ("db/integrity.py", "_rows_in_gap", "select"): "a SELECT that _salvage_table builds from the schema's columns",
}
"""Function parameters that are spliced into SQL text, each reviewed: none carries user text."""
_SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|MATCH|FROM|JOIN|PRAGMA|VALUES|LIMIT)\b|[=<>] \?")


def test_no_sql_is_built_from_a_text_parameter() -> None:
    """Static check over db/ and tui/: an f-string that looks like SQL may interpolate a function's
    text parameter only where that was reviewed (SQL_FRAGMENT_PARAMETERS); values go as `?`."""
    import ast

    found: set[tuple[str, str, str]] = set()
    for path in sorted([*(ROOT / "db").rglob("*.py"), *(ROOT / "tui").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
            texts = {
                argument.arg for argument in arguments
                if argument.arg not in ("self", "cls")
                and (argument.annotation is None or "str" in ast.unparse(argument.annotation))
            }
            for node in ast.walk(function):
                if not isinstance(node, ast.JoinedStr):
                    continue
                literal = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
                if not _SQL_WORDS.search(literal):
                    continue
                for part in node.values:
                    if isinstance(part, ast.FormattedValue):
                        for name in ast.walk(part.value):
                            if isinstance(name, ast.Name) and name.id in texts:
                                found.add((str(path.relative_to(ROOT)), function.name, name.id))
    assert found - set(SQL_FRAGMENT_PARAMETERS) == set(), "review these, then list them or use ?"


async def test_hostile_queries_and_filters_in_the_browser(seed_store: Path) -> None:
    """Pasted into the search input and every filter field (typing cannot enter control
    characters; pasting can): a result or a message, never a crash, and the text shown inertly."""
    from textual.widgets import Input

    from dprk_tui.tui.app import DprkApp

    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for query in HOSTILE_QUERIES[::3] + ("x" * 10_000,):
            await pilot.press("slash")
            app.screen.query_one("#search", Input).value = ""
            app.post_message(events.Paste(query))  # as the terminal delivers pasted text
            await pilot.press("enter")
            await settle(pilot)
            rendered_lines(app)
            assert type(app.screen).__name__ == "MainScreen"
        await pilot.press("escape")
        for value in ("'; DROP TABLE documents; --", "[b]x[/b] [/x]", "\x1b[2J\u202e", "9999-99-99", "x" * 300):
            await pilot.press("f")
            await settle(pilot)
            for field in app.screen.query(Input):
                field.value = ""
                field.focus()
                app.post_message(events.Paste(value))
                await pilot.pause()
            rendered_lines(app)
            await pilot.press("enter")
            await settle(pilot)
            lines = rendered_lines(app)
            if type(app.screen).__name__ == "FilterScreen":  # it says what is wrong and stays
                assert any(line.strip() for line in lines)
                await pilot.press("escape")
                await settle(pilot)
        assert app.is_running
        assert type(app.screen).__name__ == "MainScreen"


def test_hostile_queries_on_the_command_line(seed_store: Path, home: Path) -> None:
    for query in ('"Russia', "NEAR(", "x" * 10_000):
        result = run_dprk("search", query, "--db", seed_store, home=home)
        output = result.stderr.decode() + result.stdout.decode()
        assert "Traceback" not in output and "unexpected error" not in output
        assert result.returncode in (0, 1)
        if result.returncode == 1:
            assert len(result.stderr.decode().strip().splitlines()) == 1
    assert run_dprk("search", '"Russia', "--db", seed_store, home=home).returncode == 0
