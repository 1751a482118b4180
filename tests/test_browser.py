"""Pilot tests of the browser on the seed store: panes, keys, search, help, empty and broken stores,
and text that looks like markup."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.content import Content

from dprk_tui.db.connection import connect
from dprk_tui.db.store import Store
from tests.screenshots import settle
import dprk_tui.tui as tui
from dprk_tui.tui.app import DprkApp
from dprk_tui.tui.screens.help import HelpScreen
from dprk_tui.tui.screens.main import MainScreen
from dprk_tui.tui.widgets.paged_table import PagedTable

ROOT = Path(tui.__file__).resolve().parent.parent
MARKUP_TITLE = "[b]x[/b] [/x] KCNA [Reuters]"


def title(widget) -> str:
    """A border title as plain text."""
    return Content.from_markup(widget.border_title or "").plain


def line(table: PagedTable, y: int) -> str:
    """Line `y` of a table as the user sees it."""
    return table.render_line(y).text


def main_screen(app: DprkApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


@pytest.fixture()
def store(seed_store: Path):
    opened = Store.open(seed_store)
    yield opened
    opened.close()


def make_store(path: Path, documents: list[tuple[str, str]]) -> Path:
    """A store with these (title, text) documents and nothing else."""
    db = connect(path, create=True)
    for number, (doc_title, text) in enumerate(documents, 1):
        db.execute(
            "INSERT INTO documents (file, path, title, date, source, words, text, content_hash,"
            " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [f"{number}.txt", f"/in/{number}.txt", doc_title, "2024-01-0%d" % number, "KCNA",
             len(text.split()), text, f"hash{number}", "2024-01-01T00:00:00"],
        )
    db.conn.commit()
    db.conn.close()
    return path


def test_import_is_light() -> None:
    """Importing the app never loads spaCy or the extraction package."""
    code = (
        "import sys, dprk_tui.tui.app\n"
        "bad = [m for m in sys.modules if m == 'spacy' or m.startswith(('spacy.', 'db.extract'))]\n"
        "print(bad)\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout + result.stderr


async def test_panes_have_titles(seed_store: Path, store: Store) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        count = store.documents.count()
        assert title(screen.documents) == f"Documents ({count})"
        assert title(screen.document_view) == "Document"
        assert title(screen.relations) == f"Relations — all ({store.relations.count()})"
        assert screen.documents.row_count == count == 5
        first = store.documents.slice(0, 1)[0]
        assert first.title[:20] in line(screen.documents, 1)
        assert "Title" in line(screen.documents, 0)
        assert "Source" in line(screen.relations, 0)
        assert screen.focused is screen.documents


async def test_tab_cycles_focus(seed_store: Path) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        order = [screen.documents, screen.document_view.article, screen.relations]
        seen = []
        for _ in range(3):
            seen.append(screen.focused)
            await pilot.press("tab")
        assert seen == order
        assert screen.focused is screen.documents
        await pilot.press("shift+tab")
        assert screen.focused is screen.relations
        await pilot.press("2")
        assert screen.focused is screen.document_view.article


async def test_keys_move_the_document_cursor(seed_store: Path, store: Store) -> None:
    rows = store.documents.slice(0, 10)
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = main_screen(app).documents
        await pilot.press("j", "down")
        assert table.cursor_row == 2
        assert table.cursor_value == rows[2]
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("up", "up")
        assert table.cursor_row == 0
        await pilot.press("G")
        assert table.cursor_row == len(rows) - 1
        await pilot.press("g")
        assert table.cursor_row == 0
        table.action_page_down()
        assert table.cursor_row == len(rows) - 1
        table.action_cursor_down()
        assert table.cursor_row == len(rows) - 1


async def test_rows_are_read_a_page_at_a_time(
    seed_store: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PagedTable, "PAGE_SIZE", 2)
    monkeypatch.setattr(PagedTable, "CACHE_PAGES", 2)
    rows = store.documents.slice(0, 10)
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = main_screen(app).documents
        table.action_last_row()
        await pilot.pause()
        assert table.cursor_value == rows[-1]
        assert [table.row_at(index) for index in range(len(rows))] == rows
        assert table.cached_pages == 2
        assert rows[-1].title[:20] in line(table, len(rows))


async def test_enter_opens_document_and_narrows_relations(seed_store: Path, store: Store) -> None:
    rows = store.documents.slice(0, 10)
    total = store.relations.count()
    index, chosen = next(
        (i, row) for i, row in enumerate(rows) if 0 < store.relations.count(row.id) < total
    )
    narrowed = store.relations.count(chosen.id)
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.documents.cursor_row = index
        await pilot.press("enter")
        await settle(pilot)
        view = screen.document_view
        assert view.document is not None and view.document.id == chosen.id
        body = view.article.body
        assert body.plain == store.documents.get(chosen.id).text
        mentions = store.documents.mentions(chosen.id)
        entity_spans = [span for span in body.spans if str(span.style).startswith(".doc-view--")]
        assert len(entity_spans) == len(mentions) > 0
        assert [(s.start, s.end) for s in entity_spans] == [(m.start, m.end) for m in mentions]
        assert screen.relations.row_count == narrowed
        assert title(screen.relations) == f"Relations — this document ({narrowed})"
        assert screen.focused is view.article
        await pilot.press("a")
        await settle(pilot)
        assert screen.relations.row_count == total
        assert title(screen.relations) == f"Relations — all ({total})"
        await pilot.press("escape")
        assert screen.focused is screen.documents


async def test_search_lists_hits_and_escape_restores(seed_store: Path, store: Store) -> None:
    hits = store.search.top("Russia")
    assert 0 < len(hits) == store.search.count("Russia")
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("slash")
        assert screen.focused is screen.search_bar
        await pilot.press(*"Russia", "enter")
        await settle(pilot)
        table = screen.documents
        assert title(table) == f"Search: Russia ({len(hits)})"
        assert table.row_count == len(hits)
        assert table.cursor_value == hits[0]
        assert "Russia" in line(table, 2)  # the snippet under the first hit
        assert screen.focused is table
        await pilot.press("escape")
        await settle(pilot)
        assert title(table) == f"Documents ({store.documents.count()})"
        assert table.row_count == store.documents.count()
        assert not screen.search_bar.display


async def test_search_input_is_never_parsed(seed_store: Path) -> None:
    """FTS5 syntax and markup in a query are plain words; no hits is a message, not a crash."""
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("slash")
        screen.search_bar.value = 'zzqx NEAR( "unclosed * [/x] [b]'
        await pilot.press("enter")
        await settle(pilot)
        assert title(screen.documents) == 'Search: zzqx NEAR( "unclosed * [/x] [b] (0)'
        assert "No documents match" in line(screen.documents, 0)


async def test_help_lists_keys_and_escape_closes(seed_store: Path) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = help_screen.plain_keys
        for expected in ("Documents pane (focused)", "↓ / j  Down", "/  Search", "q  Quit",
                         "?  Help", "a  All relations", "tab  Next pane", "Document pane",
                         "Relations pane"):
            assert expected in keys, expected
        assert "Open" not in keys.split("Relations pane", 1)[1].split("\n\n", 1)[0]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_q_quits(seed_store: Path) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app._exit
    assert app.return_code == 0


async def test_markup_in_titles_and_text_shows_literally(tmp_path: Path) -> None:
    text = f"{MARKUP_TITLE}\n\nPyongyang [KCNA] said [/x] nothing [bold]at all[/]."
    path = make_store(tmp_path / "markup.db", [(MARKUP_TITLE, text)])
    app = DprkApp(path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert MARKUP_TITLE in line(screen.documents, 1)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.document_view.article.body.plain == text
        header = screen.document_view.query_one("#doc-header").render()
        assert MARKUP_TITLE in str(header)


async def test_empty_store_says_so(tmp_path: Path) -> None:
    path = make_store(tmp_path / "empty.db", [])
    app = DprkApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert "No documents — run dprk-tui ingest PATH" in line(screen.documents, 0)
        assert "No relations" in line(screen.relations, 0)
        assert title(screen.documents) == "Documents (0)"
        await pilot.press("enter", "j", "G", "tab", "enter", "a")
        await settle(pilot)
        assert app.is_running


async def test_missing_store_exits_with_code_1(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    app = DprkApp(missing)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    assert app.return_code == 1
    code = (
        "import sys\nfrom dprk_tui.tui.app import DprkApp\n"
        f"app = DprkApp({str(missing)!r})\napp.run(headless=True)\n"
        "raise SystemExit(app.return_code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 1
    assert "no store here" in " ".join((result.stderr + result.stdout).split())
    assert "Traceback" not in result.stderr + result.stdout


async def test_a_store_missing_a_table_ends_the_browser_with_the_reason(seed_store: Path, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    damaged = tmp_path / "damaged.db"
    shutil.copy(seed_store, damaged)
    with sqlite3.connect(damaged) as conn:
        conn.execute("DROP TABLE relation_summary")
    conn.close()
    app = DprkApp(damaged)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    assert app.return_code == 1
    result = subprocess.run([sys.executable, "-m", "dprk_tui", "--db", str(damaged)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no relation_summary table" in lines[0] and "dprk-tui repair" in lines[0], lines


async def test_narrow_terminal_keeps_every_pane(seed_store: Path, store: Store) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        for pane in (screen.documents, screen.document_view, screen.relations):
            assert pane.outer_size.width >= 36 and pane.outer_size.height >= 8, pane
        assert store.documents.slice(0, 1)[0].title[:8] in line(screen.documents, 1)
        assert "Target" in line(screen.relations, 0)


async def test_no_color_keeps_entity_types_apart(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = main_screen(app).document_view
        looks = {
            kind: view.get_component_rich_style(f"doc-view--{kind}", partial=True)
            for kind in ("person", "org", "gpe", "other")
        }
        marks = {(s.bold, s.underline, s.italic) for s in looks.values()}
        assert len(marks) == 4, looks
