"""Pilot tests of filtering and search: the filter dialog (completion, validation, clear, cancel),
what filters do to documents, search hits and relations, the filter line and pane titles (always
saying what is on show and how many), and escape peeling one layer at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Input

from dprk_tui.db.store import Filters, Store
from tests.screenshots import settle
from dprk_tui.tui.app import DprkApp
from dprk_tui.tui.screens.filters import FilterScreen
from dprk_tui.tui.screens.main import MainScreen

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def no_user_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DPRK_TUI_KEYS", "")


def plain(value) -> str:
    return value.plain if isinstance(value, Content) else Content.from_markup(value or "").plain


def bar_text(main: MainScreen) -> str:
    return str(main.filter_bar.render())


async def open_dialog(pilot, **fields: str) -> FilterScreen:
    await pilot.press("f")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, FilterScreen)
    for name, value in fields.items():
        dialog.query_one(f"#filter-{name}", Input).value = value
    return dialog


async def test_filters_narrow_every_pane_and_say_so(seed_store: Path, store: Store) -> None:
    actor = store.actors.resolve("Choe Son-hui")
    kinds = store.relations.types()
    kind = "CONSULT" if "CONSULT" in kinds else kinds[0]
    filters = Filters(actor_id=actor.id, actor=actor.name, type=kind)
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert "All documents, no filters" in bar_text(main)
        await open_dialog(pilot, actor="choe son-hui", type=kind.lower())
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is main and main.filters == filters
        documents = store.documents.count(filters)
        relations = store.relations.count(None, filters)
        assert plain(main.documents.border_title) == f"Documents — filtered ({documents})"
        assert plain(main.relations.border_title) == f"Relations — filtered ({relations})"
        text = bar_text(main)
        assert f"actor: {actor.name}" in text and f"type: {kind}" in text
        assert f"{documents} document" in text and f"{relations} relation" in text
        rows = [main.relations.row_at(i) for i in range(main.relations.row_count)]
        assert rows and all(actor.id in (r.source_id, r.target_id) and r.type == kind for r in rows)

        # The dialog opens with the active filters; escape leaves them as they were.
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#filter-actor", Input).value == actor.name
        await pilot.press("escape")
        assert app.screen is main and main.filters == filters

        # Escape on the main screen clears the filters.
        await pilot.press("escape")
        await settle(pilot)
        assert not main.filters.active
        assert main.documents.total == store.documents.count()
        assert "All documents, no filters" in bar_text(main)


async def test_dates_and_source_and_an_empty_result(seed_store: Path, store: Store) -> None:
    source = store.documents.sources("")[0]
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.screen
        await open_dialog(pilot, source=source, **{"from": "2010", "to": "2030-12"})
        await pilot.press("enter")
        await settle(pilot)
        assert main.filters == Filters(source=source, date_from="2010", date_to="2030-12")
        rows = [main.documents.row_at(i) for i in range(main.documents.row_count)]
        assert rows and all(row.source == source for row in rows)
        assert "date: 2010 – 2030-12" in bar_text(main) and f"source: {source}" in bar_text(main)

        await open_dialog(pilot, source="", **{"from": "2031", "to": ""})
        await pilot.press("enter")
        await settle(pilot)
        assert main.documents.total == 0 and main.relations.total == 0
        assert "No documents match these filters" in main.documents.render_line(0).text
        assert "0 documents · 0 relations" in bar_text(main)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"actor": "Nobody Atall Zzz"}, "No actor called"),
        ({"from": "2019-13-x"}, "is not YYYY"),
        ({"type": "HUGGED"}, "No relation type"),
        ({"from": "2020", "to": "2019"}, "From is after To"),
    ],
)
async def test_the_dialog_refuses_what_it_cannot_use(
    seed_store: Path, fields: dict[str, str], message: str
) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_dialog(pilot, **fields)
        await pilot.press("enter")
        assert app.screen is dialog
        assert message in str(dialog.query_one("#filter-error").render())
        await pilot.press("ctrl+r")
        assert all(not field.value for field in dialog.query(Input))
        assert not str(dialog.query_one("#filter-error").render()).strip()
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen) and not app.screen.filters.active


async def test_actor_completion(seed_store: Path) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_dialog(pilot)
        field = dialog.query_one("#filter-actor", Input)
        await pilot.press(*"choe s")
        await settle(pilot)
        await pilot.pause(0.1)
        suggestion = field._suggestion
        assert suggestion.startswith("choe s") and suggestion.lower() in {"choe son hui", "choe sang mok"}
        await pilot.press("right")
        assert field.value == suggestion
        await pilot.press("enter")
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen) and main.filters.actor.lower() == suggestion.lower()


async def test_search_with_filters_and_escape_order(seed_store: Path, store: Store) -> None:
    source = store.documents.sources("")[0]
    filters = Filters(source=source)
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.screen
        await open_dialog(pilot, source=source)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("slash", *"Korea", "enter")
        await settle(pilot)
        hits = store.search.page("Korea", filters=filters)
        assert main.documents.total == store.search.count("Korea", filters=filters) == len(hits)
        assert [main.documents.row_at(i) for i in range(len(hits))] == hits
        assert plain(main.documents.border_title) == f"Search: Korea ({len(hits)})"
        assert "search “Korea”" in bar_text(main) and f"source: {source}" in bar_text(main)
        # escape: out of the search first, then the filters
        await pilot.press("escape")
        await settle(pilot)
        assert main.query_text is None and main.filters == filters
        await pilot.press("escape")
        await settle(pilot)
        assert not main.filters.active


async def test_palette_removes_one_filter(seed_store: Path, store: Store) -> None:
    from dprk_tui.tui.commands import ActionsProvider

    actor = store.actors.resolve("Russia")
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.screen
        main.apply_filters(Filters(actor_id=actor.id, actor=actor.name, date_from="2015"))
        await settle(pilot)
        commands = {title: run for title, _help, run in ActionsProvider(main).commands()}
        assert "Clear filters" in commands and "Remove the date filter" in commands
        assert "Remove the type filter" not in commands
        commands["Remove the date filter"]()
        await settle(pilot)
        assert main.filters == Filters(actor_id=actor.id, actor=actor.name)


async def test_comentions_honour_the_filters(
    seed_store: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Co-mentions (c) keep to the actor, dates and source; the type does not apply and the pane
    says so; with too many documents in a date range the dates are not applied, and it says so."""
    from dprk_tui.db.queries import comentions as comention_queries
    from dprk_tui.db.store import Comention, Page

    korea = store.actors.resolve("North Korea")
    assert korea is not None
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.screen
        await pilot.press("3", "c")
        await settle(pilot)
        table = main.relations
        every = [table.row_at(i) for i in range(table.row_count)]

        main.apply_filters(Filters(actor_id=korea.id, actor="North Korea"))
        await settle(pilot)
        rows = [table.row_at(i) for i in range(table.row_count)]
        assert rows and all(korea.id in (r.actor_a_id, r.actor_b_id) for r in rows)
        assert rows == [r for r in every if korea.id in (r.actor_a_id, r.actor_b_id)]
        assert plain(table.border_title) == f"Co-mentions — filtered ({len(rows)})"
        assert "within the filters" in plain(table.border_subtitle)

        dated = Filters(date_from="2023")
        in_range = store.documents.page(Page(100), dated)
        expected: dict[tuple[int, int], int] = {}
        for document in in_range:
            for row in store.comentions.in_document(document.id):
                pair = (row.actor_a_id, row.actor_b_id)
                expected[pair] = expected.get(pair, 0) + row.sentences
        main.apply_filters(dated)
        await settle(pilot)
        rows = [table.row_at(i) for i in range(table.row_count)]
        assert all(isinstance(r, Comention) for r in rows)
        assert {(r.actor_a_id, r.actor_b_id): r.sentences for r in rows} == expected
        assert all(r.first_date >= "2023" for r in rows)
        assert table.total == len(expected) < len(every)

        main.apply_filters(Filters(type="CONSULT"))
        await settle(pilot)
        assert table.total == len(every)
        assert "type filter does not apply" in plain(table.border_subtitle)

        monkeypatch.setattr(comention_queries, "DOCUMENT_CAP", 1)
        main.apply_filters(dated)
        await settle(pilot)
        assert table.total == len(every)
        assert "except dates, source" in plain(table.border_subtitle)
