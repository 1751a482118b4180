"""The browser over a store of thousands of documents (db.synth): lists page by keyset in both
directions with a bounded cache, counts arrive after the first page, and every statement the UI
sends to SQLite during a session through every screen uses an index (no bare table scan, no
OFFSET)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dprk_tui.db.store import Page, Store
from tests.screenshots import settle
from dprk_tui.tui.app import DprkApp
from dprk_tui.tui.screens.actor import ActorScreen
from dprk_tui.tui.screens.document import DocumentScreen
from dprk_tui.tui.screens.evidence import EvidenceScreen
from dprk_tui.tui.widgets.paged_table import PagedTable

LARGE_TABLES = {"documents", "mentions", "relations", "relation_summary", "actors", "aliases"}
BARE_SCAN = re.compile(r"^SCAN (\w+)(?: AS \w+)?$")


@pytest.fixture(autouse=True)
def no_user_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DPRK_TUI_KEYS", "")


@pytest.fixture(scope="module")
def big_store(synth_store: Callable[[int, int], Path]) -> Path:
    return synth_store(3000, 11)


async def test_lists_page_by_key_both_ways(big_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PagedTable, "PAGE_SIZE", 40)
    monkeypatch.setattr(PagedTable, "CACHE_PAGES", 3)
    store = Store.open(big_store)
    everything = store.documents.page(Page(3000))
    store.close()
    pages: list[Page] = []
    app = DprkApp(big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.documents
        original = table.pages.fetch
        table.pages.fetch = lambda page: pages.append(page) or original(page)
        assert table.total == 3000
        table.action_last_row()  # the last page, read from the end
        await pilot.pause()
        assert table.cursor_value == everything[-1]
        assert pages[-1].from_end and pages[-1].limit == 3000 - 74 * 40
        for _ in range(10):  # up, page by page: each read before the first key of the page below
            table.action_page_up()
            await pilot.pause()
        assert table.cursor_value == everything[table.cursor_row]
        assert all(page.before is not None for page in pages[1:])
        assert table.cached_pages <= 3
        table.action_first_row()
        for _ in range(5):
            table.action_page_down()
            await pilot.pause()
        assert table.cursor_value == everything[table.cursor_row]
        assert [table.row_at(i) for i in range(table.cursor_row - 30, table.cursor_row)] == (
            everything[table.cursor_row - 30 : table.cursor_row]
        )
        table.cursor_row = 1500  # a jump: walks by key from the nearest page it knows
        await pilot.pause()
        assert table.cursor_value == everything[1500]


async def test_every_statement_of_a_session_uses_an_index(big_store: Path) -> None:
    statements: list[str] = []
    app = DprkApp(big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for store in (app.store, app.count_store):
            store.reader.db.conn.set_trace_callback(statements.append)
        main = app.screen
        main.documents.action_page_down()
        main.documents.action_page_down()
        main.documents.action_last_row()
        await pilot.press("enter")  # a document
        await settle(pilot)
        await pilot.press("n", "n", "a", "3")
        await settle(pilot)
        for _ in range(4):  # every sort order, and a page further down each
            await pilot.press("s")
            await settle(pilot)
            main.relations.action_last_row()
        main.relations.action_first_row()
        await pilot.press("enter")  # evidence
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        app.screen.evidence.action_last_row()
        await pilot.press("enter")  # the document at the sentence
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("n", "enter")  # an actor
        await settle(pilot)
        assert isinstance(app.screen, ActorScreen)
        app.screen.counterparts.action_last_row()
        await pilot.press("enter")  # the pair's evidence
        await settle(pilot)
        await pilot.press("escape", "tab", "enter")  # one of the actor's documents
        await settle(pilot)
        await pilot.press("escape", "f")  # back to the main screen, filtered to the actor
        await settle(pilot)
        assert app.screen is main and main.filters.actor_id is not None
        await pilot.press("slash", *"korea", "enter")
        await settle(pilot)
        main.documents.action_page_down()
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#filter-from").value = "2015"
        app.screen.query_one("#filter-source").value = main.documents.row_at(0).source or ""
        await pilot.press("enter")
        await settle(pilot)
        assert main.query_text == "korea" and main.filters.date_from == "2015"
        for store in (app.store, app.count_store):
            store.reader.db.conn.set_trace_callback(None)
        plans = Store.open(big_store)
        try:
            checked = 0
            for sql in set(statements):
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                assert not re.search(r"\bOFFSET\b", sql, re.IGNORECASE), sql
                plan = [row[3] for row in plans.reader.db.conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
                scans = {m.group(1) for line in plan if (m := BARE_SCAN.match(line))}
                assert not scans & LARGE_TABLES, (sql, plan)
                checked += 1
            assert checked > 30
        finally:
            plans.close()


def test_keyset_pages_count_later_and_walk_to_a_jump() -> None:
    """KeysetPages alone, over a list of rows with keys: reads on while uncounted, then jumps."""
    from dataclasses import dataclass

    from dprk_tui.tui.widgets.keyset_pages import KeysetPages

    @dataclass(frozen=True)
    class Row:
        n: int

        @property
        def key(self) -> tuple[int]:
            return (self.n,)

    rows = [Row(n) for n in range(1000)]
    reads: list[Page] = []

    def fetch(page: Page) -> list[Row]:
        reads.append(page)
        if page.after is not None:
            return rows[page.after[0] + 1 : page.after[0] + 1 + page.limit]
        if page.before is not None:
            return rows[max(0, page.before[0] - page.limit) : page.before[0]]
        if page.from_end:
            return rows[-page.limit :]
        return rows[: page.limit]

    pages = KeysetPages(fetch, rows[:50], page_size=50, cache_pages=2)
    assert pages.total is None and pages.row_count == 50 and pages.more
    pages.read_more(120)
    assert pages.row_count == 150 and [p.after for p in reads] == [(49,), (99,)]
    pages.set_total(1000)
    assert pages.row(999) == rows[999] and reads[-1] == Page(50, from_end=True)
    assert pages.row(520) == rows[520]  # walks from the nearest known page, by key
    assert all(p.after is not None or p.before is not None or p.from_end for p in reads)
    assert pages.cached_pages == 2
    short = KeysetPages(fetch, rows[:7], page_size=50)
    assert short.total == 7 and not short.more


async def test_next_page_is_read_ahead_in_a_worker(big_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Search hits (counted late, read on as the cursor goes down) and documents: when the cursor
    nears the end of a page, the next page is read in a worker, not on the UI thread."""
    import threading

    monkeypatch.setattr(PagedTable, "PAGE_SIZE", 40)
    app = DprkApp(big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        for steps in ((), ("slash", *"korea", "enter")):
            await pilot.press(*steps)
            await settle(pilot)
            table = main.documents
            assert table.row_count >= 120
            reads: list[tuple[Page, bool]] = []
            original = table.pages.fetch
            table.pages.fetch = lambda page, original=original: (
                reads.append((page, threading.current_thread() is threading.main_thread())) or original(page)
            )
            for row in range(0, 100, 3):  # down, a few rows at a time, letting workers run
                table.cursor_row = row
                await settle(pilot)
            assert table.cursor_value == table.row_at(99)
            assert len(reads) >= 2 and all(page.after is not None for page, _ in reads)
            assert not [page for page, on_ui in reads if on_ui], reads


def test_keyset_pages_read_ahead_and_accept() -> None:
    from dprk_tui.tui.widgets.keyset_pages import KeysetPages

    class Row(tuple):
        @property
        def key(self):
            return self

    rows = [Row((n,)) for n in range(95)]

    def fetch(page: Page) -> list[Row]:
        start = page.after[0] + 1 if page.after is not None else 0
        return rows[start : start + page.limit]

    pages = KeysetPages(fetch, rows[:40], page_size=40)
    assert pages.ahead(0) is None and pages.ahead(2) is None  # first page / no key before it
    page = pages.ahead(1)
    assert page == Page(40, after=(39,))
    pages.accept(1, fetch(page))
    assert pages.read == 80 and pages.total is None and pages.ahead(1) is None
    pages.accept(2, fetch(pages.ahead(2)))
    assert pages.total == 95 and pages.row(94) == rows[94] and pages.ahead(3) is None
