"""Pilot tests of how a search reaches the screen: after enter nothing changes until the first hits
arrive (the worker reading them is not held up by the UI thread), then the hits, the pane title, the
filter line and the focus change together; slow hits, or a key typed before them, show "Searching
for …" and move to the list; the count waits for the hits to be drawn; unchanged titles and rows
are not redrawn.

The store's `search.page` is held on a `threading.Event` to put the browser in the state between
enter and the hits for as long as a test needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import dprk_tui.tui.screens.main_search as search_module
from dprk_tui.db.store import SearchHit, Store
from tests.screenshots import settle
from tests.test_browser import line, main_screen, title
from dprk_tui.tui.app import DprkApp
from dprk_tui.tui.widgets.paged_table import PagedTable

SIZE = (120, 40)


@pytest.fixture()
def release() -> Iterator[threading.Event]:
    """Set to let held searches go on (always set at the end, so no worker thread is left waiting)."""
    event = threading.Event()
    yield event
    event.set()


def hold_searches(app: DprkApp, release: threading.Event, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the app's store wait for `release` before reading a page of search hits."""
    assert app.store is not None
    original: Callable[..., Any] = app.store.search.page

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(app.store.search, "page", held)


async def test_nothing_changes_until_the_hits_arrive(
    seed_store: Path, store: Store, release: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "SEARCH_GRACE", 30.0)
    hits = store.search.top("Russia")
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        hold_searches(app, release, monkeypatch)
        before = title(screen.documents)
        await pilot.press("slash", *"Russia", "enter")
        await pilot.pause()
        assert screen.searching and screen.search_bar.waiting
        assert title(screen.documents) == before  # not "Searching …": the screen waits
        assert screen.focused is screen.search_bar
        release.set()
        await settle(pilot)
        assert not screen.searching and not screen.search_bar.waiting
        assert title(screen.documents) == f"Search: Russia ({len(hits)})"
        assert screen.documents.cursor_value == hits[0]
        assert screen.focused is screen.documents  # moved with the hits


async def test_slow_hits_show_searching_and_move_to_the_list(
    seed_store: Path, release: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "SEARCH_GRACE", 0.05)
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        hold_searches(app, release, monkeypatch)
        await pilot.press("slash", *"Russia", "enter")
        await pilot.pause(0.3)
        assert "Searching for “Russia”" in line(screen.documents, 0)
        assert title(screen.documents) == "Search: Russia (…)"
        assert screen.focused is screen.documents
        assert not screen.search_bar.waiting
        release.set()
        await settle(pilot)
        assert isinstance(screen.documents.cursor_value, SearchHit)


async def test_a_key_before_the_hits_goes_to_the_list(
    seed_store: Path, store: Store, release: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typed ahead, j is not typed into the search bar: the list takes the focus and the key."""
    monkeypatch.setattr(search_module, "SEARCH_GRACE", 30.0)
    hits = store.search.top("Korea")
    assert len(hits) > 1
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        hold_searches(app, release, monkeypatch)
        await pilot.press("slash", *"Korea", "enter", "j")
        await pilot.pause()
        assert screen.search_bar.value == "Korea"
        assert screen.focused is screen.documents
        assert "Searching for “Korea”" in line(screen.documents, 0)
        release.set()
        await settle(pilot)
        assert screen.documents.cursor_value == hits[0]
        await pilot.press("j")  # the list has the keys now
        assert screen.documents.cursor_value == hits[1]
        assert screen.search_bar.value == "Korea"


async def test_escape_before_the_hits_closes_the_search(
    seed_store: Path, store: Store, release: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "SEARCH_GRACE", 30.0)
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        hold_searches(app, release, monkeypatch)
        await pilot.press("slash", *"Russia", "enter", "escape")
        await pilot.pause()
        release.set()
        await settle(pilot)
        assert screen.query_text is None and not screen.search_bar.display
        assert title(screen.documents) == f"Documents ({store.documents.count()})"
        await pilot.press("slash", "x")  # the bar types again
        assert screen.search_bar.value == "x"


async def test_the_count_waits_for_the_hits_to_be_drawn(
    seed_store: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting while the hits are being laid out and drawn would slow both (they share the GIL)."""
    monkeypatch.setattr(PagedTable, "PAGE_SIZE", 2)  # a first page that does not tell the count
    assert store.search.count("Korea") > 2
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        table = screen.documents
        drawn: list[bool] = []
        counted: list[bool] = []
        render_line = table.render_line

        def recording_render_line(y: int) -> Any:
            if isinstance(table.row_at(0), SearchHit):
                drawn.append(True)
            return render_line(y)

        counter = app.count_store
        assert counter is not None
        search_count = counter.search.count

        def recording_count(*args: Any, **kwargs: Any) -> int:
            counted.append(bool(drawn))
            return search_count(*args, **kwargs)

        monkeypatch.setattr(table, "render_line", recording_render_line)
        monkeypatch.setattr(counter.search, "count", recording_count)
        await pilot.press("slash", *"Korea", "enter")
        await settle(pilot)
        assert counted == [True]
        assert table.total == store.search.count("Korea")


async def test_unchanged_titles_do_not_redraw_the_panes(seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"Russia", "enter")
        await settle(pilot)
        screen = main_screen(app)
        refreshed: list[str] = []
        for pane in (screen.documents, screen.relations):
            refresh = pane.refresh

            def counting(*args: Any, _refresh: Any = refresh, _name: str = pane.id or "", **kwargs: Any) -> Any:
                refreshed.append(_name)
                return _refresh(*args, **kwargs)

            monkeypatch.setattr(pane, "refresh", counting)
        screen.update_titles()
        assert refreshed == []
        screen.query_text = "Korea"  # a title that changes is set
        screen.update_titles()
        assert refreshed == ["documents"]


async def test_a_hit_row_is_drawn_again_when_its_document_opens(seed_store: Path) -> None:
    """A hit's two lines are made once per row; opening its document (bold title) makes them anew."""
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"Korea", "enter")
        await settle(pilot)
        table = main_screen(app).documents
        hit = table.row_at(1)  # not under the cursor (the cursor row has a style of its own)
        assert isinstance(hit, SearchHit)

        def title_bold() -> bool:
            strip = table.render_line(3)  # the header, the first hit's two lines, then this hit
            assert hit.title[:8] in strip.text
            return any(hit.title[:8] in text and style is not None and style.bold for text, style, _ in strip)

        assert "Korea" in table.render_line(4).text
        assert not title_bold()
        table.mark_open(hit.id)
        assert title_bold()
        assert "Korea" in table.render_line(4).text


async def test_full_collections_wait_for_idle_moments_while_the_app_runs(seed_store: Path) -> None:
    """After the store opens, what start-up made is out of the garbage collector's sight and the
    oldest generation is collected only at idle moments (tui/idle_gc.py); when the app ends both
    are as before."""
    import gc

    thresholds = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold()[2] > 1_000_000
        assert app.idle_gc.active
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_the_idle_collector_collects_only_when_idle_and_due() -> None:
    import gc
    import time

    from dprk_tui.tui import idle_gc

    collector = idle_gc.IdleCollector()
    collector.start()
    try:
        for _ in range(idle_gc.FULL_PACE):
            gc.collect(1)  # each counts towards the next full collection
        assert gc.get_count()[2] >= idle_gc.FULL_PACE
        collector.touch()
        assert not collector.tick()  # a key was just pressed
        collector.last_input = time.monotonic() - idle_gc.IDLE_SECONDS - 1
        assert collector.tick()
        assert gc.get_count()[2] == 0
        assert not collector.tick()  # nothing due now
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0
