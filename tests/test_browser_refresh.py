"""The browser open on a store while an ingest writes to it (issue 7): a cheap check
(`PRAGMA data_version`, every two seconds) shows "new data · r refreshes" on the filter line when
another process has written; `r` reads every list and count again, each cursor staying on its row.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from tests.screenshots import settle
from dprk_tui.tui.app import DprkApp
from dprk_tui.tui.screens.main import DATA_VERSION_POLL, MainScreen

NEW_ARTICLE = """ date 2025-03-04 North Korea and Russia sign a new cooperation accord

MOSCOW, March 4 (Yonhap) -- North Korean Foreign Minister Choe Son Hui met Russian Foreign Minister Sergei Lavrov in Moscow on Tuesday, and the two sides signed an accord to expand military cooperation, the Russian foreign ministry said.

Lavrov praised North Korea for its support, while Choe urged Russia to resist pressure from the United States.
"""


@pytest.fixture(autouse=True)
def no_user_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DPRK_TUI_KEYS", "")


@pytest.fixture()
def store_copy(seed_store: Path, tmp_path: Path) -> Path:
    """A private copy of the seed store (the test writes to it)."""
    target = tmp_path / "live.db"
    source = sqlite3.connect(seed_store)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return target


def plain(value) -> str:
    return getattr(value, "plain", str(value))


async def wait_for(pilot, condition, seconds: float) -> bool:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


async def test_new_documents_appear_on_refresh(store_copy: Path, tmp_path: Path) -> None:
    from dprk_tui.db.ingest import ingest

    article = tmp_path / "articles" / "new-accord.txt"
    article.parent.mkdir()
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    app = DprkApp(store_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        documents, relations = main.documents, main.relations
        assert documents.total == 5
        relations_before = relations.total
        documents.cursor_row = 2
        relations.cursor_row = 1
        await pilot.pause()
        chosen_document = documents.cursor_value
        chosen_relation = relations.row_identity(relations.cursor_value)
        assert "new data" not in plain(main.filter_bar.content)

        # The real ingest, on its own connection, while the browser is open on the store.
        summary = await asyncio.to_thread(ingest, [article.parent], store_copy)
        assert summary.added == 1 and not summary.failed

        assert await wait_for(pilot, lambda: main.new_data, DATA_VERSION_POLL * 3)
        await pilot.pause()
        assert "new data · r refreshes" in plain(main.filter_bar.content)
        assert documents.total == 5  # nothing moves until asked
        await pilot.resize_terminal(80, 24)  # at 80 columns the hint and the counts still fit
        await settle(pilot)
        bar = main.filter_bar
        assert plain(bar.content).startswith("new data · r refreshes")
        assert "5 documents" in plain(bar.content) and bar.content.cell_length <= bar.content_region.width

        await pilot.press("r")
        await settle(pilot)
        assert not main.new_data and "new data" not in plain(main.filter_bar.content)
        assert documents.total == 6
        titles = [documents.row_at(index).title for index in range(documents.row_count)]
        assert any("cooperation accord" in title for title in titles), titles
        assert documents.row_at(0).date == "2025-03-04"  # newest first
        assert documents.cursor_value == chosen_document and documents.cursor_row == 3
        assert relations.total > relations_before
        assert relations.row_identity(relations.cursor_value) == chosen_relation
        bar = plain(main.filter_bar.content)
        assert "6 documents" in bar and f"{relations.total} relations" in bar
        assert "(6)" in plain(documents.border_title)


async def test_refresh_is_on_a_key_in_help_and_palette(store_copy: Path) -> None:
    from dprk_tui.tui.bindings import gather
    from dprk_tui.tui.commands import ActionsProvider

    app = DprkApp(store_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        refresh = [action for _section, actions in gather(main, main.focused) for action in actions
                   if action.binding_id == "main.refresh"]
        assert refresh and refresh[0].keys == ("r",)
        provider = ActionsProvider(main)
        assert any(title.startswith("Refresh") for title, _help, _run in provider.commands())
        # No writes: no hint, and r re-reads without moving anything.
        await pilot.pause(DATA_VERSION_POLL + 0.5)
        assert not main.new_data
        await pilot.press("j", "r")
        await settle(pilot)
        assert main.documents.cursor_row == 1 and main.documents.total == 5
