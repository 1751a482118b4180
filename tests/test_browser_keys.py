"""Keys and looks: every action in the command palette and the help, the user keys file, no default
key that terminals or tmux swallow, entity types toggled and copied, readable in 16 and 256 colours
and under NO_COLOR, usable at 80×24, and `dprk-tui serve`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from textual.binding import Binding
from textual.command import CommandPalette

from dprk_tui.db.store import DocumentQueries, Store
from tests.screenshots import settle
from dprk_tui.tui.app import ENTITY_COLOURS, DprkApp
from dprk_tui.tui.bindings import gather
from dprk_tui.tui.commands import ActionsProvider
from dprk_tui.tui.app import known_bindings
from dprk_tui.tui.screens.actor import ActorScreen
from dprk_tui.tui.screens.evidence import EvidenceScreen
from dprk_tui.tui.screens.help import HelpScreen
from dprk_tui.tui.screens.main import MainScreen
from dprk_tui.tui.serve import browser_command

ROOT = Path(__file__).resolve().parent.parent
SWALLOWED = {"ctrl+enter", "ctrl+b", "ctrl+a", "ctrl+s", "ctrl+z", "ctrl+\\", "ctrl+space"}


@pytest.fixture(autouse=True)
def no_user_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DPRK_TUI_KEYS", "")


def all_bindings() -> list[tuple[str, Binding]]:
    from dprk_tui.tui.app import DprkApp as App
    from dprk_tui.tui.screens.document import DocumentScreen
    from dprk_tui.tui.screens.filters import FilterScreen
    from dprk_tui.tui.widgets.actor_card import ActorCard
    from dprk_tui.tui.widgets.article_text import ArticleText
    from dprk_tui.tui.widgets.counterpart_table import CounterpartTable
    from dprk_tui.tui.widgets.doc_list import DocList
    from dprk_tui.tui.widgets.doc_view import DocView
    from dprk_tui.tui.widgets.evidence_list import EvidenceList
    from dprk_tui.tui.widgets.paged_table import PagedTable
    from dprk_tui.tui.widgets.relation_table import RelationTable
    from dprk_tui.tui.widgets.search_bar import SearchBar

    found = []
    for owner in (App, MainScreen, EvidenceScreen, DocumentScreen, ActorScreen, FilterScreen, HelpScreen,
                  PagedTable, DocList, RelationTable, EvidenceList, CounterpartTable, DocView, ArticleText,
                  ActorCard, SearchBar):
        for binding in owner.__dict__.get("BINDINGS", []):
            found.append((owner.__name__, binding))
    return found


def test_no_default_key_is_one_terminals_swallow() -> None:
    for owner, binding in all_bindings():
        for key in binding.key.split(","):
            assert key not in SWALLOWED, (owner, key)
            assert "alt+" not in key and "meta+" not in key, (owner, key)


def test_every_binding_has_an_id_and_a_tooltip() -> None:
    ids: dict[str, str] = {}
    for owner, binding in all_bindings():
        assert binding.id, (owner, binding.key)
        assert binding.tooltip, (owner, binding.id)
        assert ids.setdefault(binding.id, owner) == owner, f"{binding.id} is used twice"
    assert set(ids) == set(known_bindings())


async def test_palette_lists_every_action_and_runs_it(seed_store: Path) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        main = app.screen
        provider = ActionsProvider(main)
        commands = {title: run for title, _help, run in provider.commands()}
        for _section, actions in gather(main, main.focused):
            for action in actions:
                assert any(title.startswith(action.description) for title in commands), action
        assert "Sort  (s)" in commands and "Evidence  (enter)" in commands
        assert "Sort relations: latest first" in commands
        await commands["Sort  (s)"]()
        await settle(pilot)
        assert main.relations.sort == "documents"
        commands["Sort relations: earliest first"]()
        await settle(pilot)
        assert main.relations.sort == "earliest"
        hits = [hit async for hit in provider.search("evid")]
        assert hits and hits[0].text.startswith("Evidence")
        await pilot.press("colon")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape", "ctrl+p")
        assert isinstance(app.screen, CommandPalette)


async def test_help_is_built_from_the_live_bindings_of_each_screen(seed_store: Path, store: Store) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        keys = app.screen.plain_keys
        for expected in ("Documents pane (focused)", "f  Filter", "/  Search", "^p / :  Commands",
                         "Document pane", "n  Next mention", "P  Persons on/off", "Relations pane",
                         "s  Sort", "o  Source actor", "enter  Evidence"):
            assert expected in keys, expected
        await pilot.press("escape", "3", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert "Evidence list (focused)" in help_screen.plain_keys
        assert "y  Copy sentence" in help_screen.plain_keys
        assert "**Evidence**" in help_screen.text


async def test_user_keys_file_remaps_and_reports(seed_store: Path, tmp_path: Path) -> None:
    keys = tmp_path / "keys.toml"
    keys.write_text('[keys]\n"relations.sort" = "z"\n"main.filters" = "F"\n"no.such.binding" = "x"\n')
    app = DprkApp(seed_store, keymap_file=keys)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        assert any("no.such.binding" in problem for problem in app.keymap_problems)
        await pilot.press("3", "s")
        await settle(pilot)
        assert main.relations.sort == "events"
        await pilot.press("z")
        await settle(pilot)
        assert main.relations.sort == "documents"
        assert "z sorts" in str(main.relations.border_subtitle)
        assert "F filters" in str(main.filter_bar.render())
        await pilot.press("question_mark")
        assert "z  Sort" in app.screen.plain_keys and "F  Filter" in app.screen.plain_keys


async def test_keys_file_in_json_and_a_broken_one(seed_store: Path, tmp_path: Path) -> None:
    good = tmp_path / "keys.json"
    good.write_text(json.dumps({"document.next-mention": "m"}))
    broken = tmp_path / "broken.toml"
    broken.write_text("this is [not toml")
    for path, problems in ((good, 0), (broken, 1)):
        app = DprkApp(seed_store, keymap_file=path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert len(app.keymap_problems) == problems
            assert app.is_running
            if not problems:
                await pilot.press("enter", "m")
                await settle(pilot)
                assert app.screen.document_view.selected is not None


async def test_entity_types_toggle_and_copy(seed_store: Path, store: Store) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.document_view
        people = [s for s in view.article.body.spans if str(s.style) == ".doc-view--person"]
        assert people
        await pilot.press("P")
        assert app.hidden_kinds == {"person"}
        assert not [s for s in view.article.body.spans if str(s.style) == ".doc-view--person"]
        assert "PERSON" in view.query_one("#doc-legend").render().plain
        assert "off" in view.query_one("#doc-legend").render().plain
        await pilot.press("n")
        assert view.selected is not None and view.selected.actor_type != "PERSON"
        await pilot.press("P", "n")
        assert not app.hidden_kinds
        await pilot.press("Y")
        assert app.clipboard == view.document.text
        await pilot.press("y")  # the selected mention's sentence
        assert view.selected.text in app.clipboard and len(app.clipboard) < len(view.document.text)


def test_entity_colours_stay_apart_in_16_and_256_colours() -> None:
    kinds = ("entity-person", "entity-org", "entity-gpe", "entity-other")
    for system in (ColorSystem.STANDARD, ColorSystem.EIGHT_BIT):
        for suffix in ("", "-light"):
            numbers = [Color.parse(ENTITY_COLOURS[kind + suffix]).downgrade(system).number for kind in kinds]
            assert len(set(numbers)) == len(numbers), (system, suffix, numbers)


async def test_no_color_keeps_evidence_roles_apart(seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3", "enter")
        await settle(pilot)
        from dprk_tui.tui.widgets.evidence_list import evidence_styles

        styles = evidence_styles(app.screen.evidence)
        looks = {(s.bold, s.underline, s.italic) for s in styles.values()}
        assert len(looks) == 3, styles
        await pilot.press("enter", "n")
        await settle(pilot)
        spans = {str(s.style) for s in app.screen.view.article.body.spans}
        assert "reverse" in spans  # the marked sentence
        assert any("underline" in style and "bold" in style for style in spans if "reverse" in style)


async def test_80x24_nothing_important_is_cut_off(seed_store: Path, store: Store) -> None:
    app = DprkApp(seed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        assert main.has_class("-narrow")
        assert main.documents.outer_size.height >= 8 and main.relations.outer_size.height >= 8
        assert "Title" in main.documents.render_line(0).text
        header = main.relations.render_line(0).text
        for column in ("Source", "Type", "Target", "Count"):
            assert column in header
        await pilot.press("enter")
        await settle(pilot)
        assert main.document_view.display and not main.documents.display
        assert main.document_view.outer_size.width == 80
        await pilot.press("escape")
        await pilot.pause()
        assert main.documents.display and not main.document_view.display
        assert app.focused is main.documents
        await pilot.press("tab", "tab")  # the document pane is in the cycle (shown when reached)
        await pilot.pause()
        assert app.focused is main.relations
        await pilot.press("3", "enter")
        await settle(pilot)
        evidence = app.screen
        assert evidence.query_one("#evidence-sentence").outer_size.height >= 3
        assert evidence.evidence.outer_size.height >= 8
        await pilot.press("t")
        await settle(pilot)
        actor = app.screen
        assert isinstance(actor, ActorScreen)
        assert actor.counterparts.outer_size.height >= 8
        assert actor.counterparts.outer_size.width >= 40
        assert "Counterpart" in actor.counterparts.render_line(0).text


async def test_footer_fits_80_columns_most_important_keys_first(seed_store: Path) -> None:
    """At 80 columns every screen's footer shows whole keys only, help and the command palette
    always among them; the keys it leaves out are in the help. At 120 columns nothing is left out
    on the main screen."""
    from textual.widgets._footer import FooterKey

    from dprk_tui.tui.widgets.footer import KeyFooter

    def check(screen) -> KeyFooter:
        modal = isinstance(screen, HelpScreen)  # its own keys only: close, scroll
        footer = screen.query_one(KeyFooter)
        keys = list(footer.query(FooterKey))
        assert keys
        right = footer.region.right
        for key in keys:
            assert key.region.right <= right and key.region.width >= len(key.key_display), key.description
        plain = [key for key in keys if "-command-palette" not in key.classes]
        palette = [key for key in keys if "-command-palette" in key.classes]
        assert modal or palette
        assert all(key.region.right <= palette[0].region.x for key in plain) if palette else True
        assert modal or "help" in {key.action for key in plain}
        helped = {action.action for _section, actions in gather(screen, screen.focused) for action in actions}
        assert set(footer.left_out) <= helped
        return footer

    app = DprkApp(seed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        check(app.screen)
        for steps in (("enter",), ("escape", "3", "enter"), ("t",), ("question_mark",)):
            await pilot.press(*steps)
            await settle(pilot)
            check(app.screen)
        await pilot.press("escape", "escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("1", "enter")  # the document's keys are many: some are left out, never cut
        await settle(pilot)
        assert check(app.screen).left_out
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not check(app.screen).left_out


async def test_first_paint_does_not_wait_for_counts(seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first page shows at once; the count arrives later from a worker ("…" until then)."""
    import threading

    from dprk_tui.tui.widgets.paged_table import PagedTable

    monkeypatch.setattr(PagedTable, "PAGE_SIZE", 2)
    release = threading.Event()
    original = DocumentQueries.count

    def slow_count(self, *args, **kwargs):
        release.wait(10)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DocumentQueries, "count", slow_count)
    app = DprkApp(seed_store)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        for _ in range(300):
            await pilot.pause(0.01)
            if main.documents.row_count:
                break
        assert main.documents.row_count == 2 and main.documents.total is None
        assert str(main.documents.border_title).endswith("(…)")
        assert "… documents" in str(main.filter_bar.render())
        main.documents.action_cursor_down()
        main.documents.action_cursor_down()  # reads on past the first page while counting
        assert main.documents.cursor_row == 2 and main.documents.row_count == 4
        release.set()
        await settle(pilot)
        assert main.documents.total == main.documents.row_count == 5
        assert str(main.documents.border_title).endswith("(5)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_the_browser_in_a_web_page(seed_store: Path) -> None:
    command = browser_command(Path("/data/my store.db"))
    assert command.startswith(f"exec {sys.executable}") and "'/data/my store.db'" in command
    port = free_port()
    server = subprocess.Popen(  # tests/test_serve.py: who is admitted
        [sys.executable, "-m", "dprk_tui", "serve", "--db", str(seed_store), "--port", str(port),
         "--token", "browser-keys-token"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        page = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?token=browser-keys-token", timeout=2) as response:
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(0.1)
        assert "textual" in page.lower() and f"127.0.0.1:{port}" in page
    finally:
        server.terminate()
        server.wait(10)


async def test_bursts_of_keys_never_close_the_main_screen(seed_store: Path) -> None:
    """Keys typed faster than screens open and close (a fast typist over SSH): every drill-down
    closes once, and the main screen is never popped."""
    from textual import events

    bursts = [
        ("3", "enter", "escape", "escape", "escape"),
        ("3", "enter", "enter", "escape", "escape", "escape", "escape"),
        ("3", "enter", "enter", "n", "enter", "escape", "escape", "escape", "escape", "escape"),
        ("3", "t", "f", "f", "escape"),
        ("question_mark", "escape", "escape", "question_mark", "q"),
    ]
    for burst in bursts:
        app = DprkApp(seed_store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for key in burst:
                app.post_message(events.Key(key, "?" if key == "question_mark" else (key if len(key) == 1 else None)))
            await settle(pilot)
            assert app.is_running and app._exception is None, burst
            assert isinstance(app.screen, MainScreen) and len(app.screen_stack) == 1, (burst, app.screen_stack)
