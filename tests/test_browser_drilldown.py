"""Pilot tests of the drill-down paths, on the seed store:

- relation → evidence → document (at the sentence, marked) → back, back: exactly where you were;
- document mention (n / N, enter) → actor → counterpart → the pair's evidence → back to the mention;
- actor → its documents → the document at the actor's first mention; relation / evidence rows →
  source and target actors (o / t); actor → the main screen filtered to it (f).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content

from dprk_tui.db.store import Page, Store
from tests.screenshots import settle
from dprk_tui.tui.app import DprkApp
from dprk_tui.tui.screens.actor import ActorScreen
from dprk_tui.tui.screens.document import DocumentScreen
from dprk_tui.tui.screens.evidence import EvidenceScreen
from dprk_tui.tui.screens.main import MainScreen

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def no_user_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DPRK_TUI_KEYS", "")


def plain(value) -> str:
    """A border title or subtitle as the user reads it (the getter gives markup)."""
    return value.plain if isinstance(value, Content) else Content.from_markup(value or "").plain


def title(widget) -> str:
    return plain(widget.border_title)


def screen_of(app: DprkApp, kind: type):
    assert isinstance(app.screen, kind), app.screen
    return app.screen


def visible(view, offset: int) -> bool:
    """Whether character `offset` of the document is inside the scrolled-to window."""
    article = view.article
    line = article.line_of(offset)
    top = round(article.scroll_y)
    return top <= line < top + article.scrollable_content_region.height


async def test_relation_evidence_document_and_back(seed_store: Path, store: Store) -> None:
    relations = store.relations.page(Page(100))
    index = next(i for i, row in enumerate(relations) if row.events > 1)
    chosen = relations[index]
    expected = store.evidence.page(chosen.source_id, chosen.type, chosen.target_id)
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = screen_of(app, MainScreen)
        await pilot.press("3")
        main.relations.cursor_row = index
        await pilot.press("enter")
        await settle(pilot)

        evidence = screen_of(app, EvidenceScreen)
        assert title(evidence.evidence) == (
            f"Evidence: {chosen.source} →{chosen.type}→ {chosen.target} ({chosen.events})"
        )
        assert evidence.rows() == expected
        assert app.focused is evidence.evidence
        sentence = app.screen.query_one("#sentence-text").render()
        assert " ".join(expected[0].sentence.split())[:30] in " ".join(str(sentence).split())
        evidence.evidence.cursor_row = 1
        await pilot.press("y")
        assert app.clipboard == " ".join(expected[1].sentence.split())
        await pilot.press("enter")
        await settle(pilot)

        document = screen_of(app, DocumentScreen)
        view = document.view
        row = expected[1]
        assert view.document is not None and view.document.id == row.document_id
        assert view.mark == (row.start, row.end)
        assert view.document.text[row.start:row.end] == row.sentence
        marked = [s for s in view.article.body.spans if str(s.style) == ".doc-view--evidence"]
        assert [(s.start, s.end) for s in marked] == [(row.start, row.end)]
        assert visible(view, row.start)
        assert "evidence sentence marked" in plain(view.border_subtitle)
        await pilot.press("y")
        assert app.clipboard == " ".join(row.sentence.split())

        await pilot.press("escape")
        assert screen_of(app, EvidenceScreen) is evidence
        assert evidence.evidence.cursor_row == 1 and app.focused is evidence.evidence
        await pilot.press("escape")
        assert screen_of(app, MainScreen) is main
        assert main.relations.cursor_row == index and app.focused is main.relations


async def test_mention_actor_counterpart_evidence_and_back(seed_store: Path, store: Store) -> None:
    # A document with a mention of an actor that has counterparts; how many n presses reach it.
    documents = store.documents.page(Page(10))
    for doc_index, row in enumerate(documents):
        linked = [m for m in store.documents.mentions(row.id) if m.actor_id is not None]
        steps = next((i for i, m in enumerate(linked) if store.actors.counterpart_count(m.actor_id)), None)
        if steps is not None:
            break
    else:
        pytest.fail("no mention of an actor with counterparts in the seeds")
    mention = linked[steps]
    counterparts = store.actors.counterpart_page(mention.actor_id)
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = screen_of(app, MainScreen)
        main.documents.cursor_row = doc_index
        await pilot.press("enter")
        await settle(pilot)
        view = main.document_view
        assert app.focused is view.article
        for _ in range(steps + 1):
            await pilot.press("n")
        assert view.selected == mention
        cursor = [s for s in view.article.body.spans if str(s.style) == ".doc-view--cursor"]
        assert [(s.start, s.end) for s in cursor] == [(mention.start, mention.end)]
        assert mention.actor in plain(view.border_subtitle)
        await pilot.press("N", "n")
        assert view.selected == mention
        await pilot.press("enter")
        await settle(pilot)

        actor_screen = screen_of(app, ActorScreen)
        assert actor_screen.actor is not None and actor_screen.actor.id == mention.actor_id
        assert title(actor_screen.card) == f"Actor: {mention.actor}"
        assert title(actor_screen.counterparts) == f"Counterparts ({len(counterparts)})"
        table = actor_screen.counterparts
        assert [table.row_at(i) for i in range(table.row_count)] == counterparts
        assert actor_screen.card.timeline.loaded
        assert app.focused is table
        await pilot.press("enter")
        await settle(pilot)

        pair = screen_of(app, EvidenceScreen)
        other = counterparts[0]
        assert pair.scope.type is None
        expected = store.evidence.pair_page(mention.actor_id, other.id)
        assert pair.rows() == expected and len(expected) == other.events
        assert all({row.source_id, row.target_id} == {mention.actor_id, other.id} for row in expected)
        assert title(pair.evidence).startswith(f"Evidence: {mention.actor} ↔ {other.name}")

        await pilot.press("escape", "escape")
        assert screen_of(app, MainScreen) is main
        assert view.selected == mention and app.focused is view.article


async def test_actor_documents_open_at_the_first_mention(seed_store: Path, store: Store) -> None:
    actor = store.actors.resolve("Choe Son Hui")
    assert actor is not None
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.show_actor(actor.id)
        await settle(pilot)
        screen = screen_of(app, ActorScreen)
        documents = screen.documents
        assert documents.row_count == store.documents.count(screen_filters(actor.id)) == actor_documents(store, actor.id)
        await pilot.press("tab")
        assert app.focused is documents
        await pilot.press("enter")
        await settle(pilot)
        view = screen_of(app, DocumentScreen).view
        assert view.selected is not None and view.selected.actor_id == actor.id
        first = min(m.start for m in view.mentions if m.actor_id == actor.id)
        assert view.selected.start == first
        assert visible(view, first)
        await pilot.press("escape")
        assert screen_of(app, ActorScreen) is screen and app.focused is documents


def screen_filters(actor_id: int):
    from dprk_tui.db.store import Filters

    return Filters(actor_id=actor_id)


def actor_documents(store: Store, actor_id: int) -> int:
    return store.reader.db.execute(
        "SELECT count(DISTINCT document_id) FROM mentions WHERE actor_id = ?", (actor_id,)
    ).fetchone()[0]


async def test_relation_and_evidence_rows_open_their_actors(seed_store: Path, store: Store) -> None:
    top = store.relations.page(Page(1))[0]
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "o")
        await settle(pilot)
        assert screen_of(app, ActorScreen).actor_id == top.source_id
        await pilot.press("escape", "t")
        await settle(pilot)
        assert screen_of(app, ActorScreen).actor_id == top.target_id
        await pilot.press("escape", "enter")
        await settle(pilot)
        screen_of(app, EvidenceScreen)
        await pilot.press("t")
        await settle(pilot)
        assert screen_of(app, ActorScreen).actor_id == top.target_id
        await pilot.press("o")  # the first counterpart's own profile
        await settle(pilot)
        assert screen_of(app, ActorScreen).actor_id == store.actors.counterpart_page(top.target_id)[0].id
        assert len(app.screen_stack) == 4


async def test_actor_filters_the_main_screen(seed_store: Path, store: Store) -> None:
    from dprk_tui.db.store import Filters

    actor = store.actors.resolve("Russia")
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "enter")
        await settle(pilot)
        app.show_actor(actor.id)
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        main = screen_of(app, MainScreen)
        assert app.screen_stack == [main]
        filters = Filters(actor_id=actor.id, actor=actor.name)
        assert main.filters == filters
        assert main.documents.total == store.documents.count(filters)
        assert main.relations.total == store.relations.count(None, filters)
        assert f"actor: {actor.name}" in str(main.filter_bar.render())
        await pilot.press("escape")  # no text focused, no search: escape clears the filters
        await settle(pilot)
        assert not main.filters.active
        assert main.documents.total == store.documents.count()


async def test_comentions_on_request_never_mixed_with_relations(seed_store: Path, store: Store) -> None:
    from dprk_tui.db.store import Comention

    documents = store.documents.page(Page(10))
    app = DprkApp(seed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = screen_of(app, MainScreen)
        await pilot.press("3", "c")
        await settle(pilot)
        table = main.relations
        rows = [table.row_at(i) for i in range(table.row_count)]
        assert rows == store.comentions.page(Page(1000)) and all(isinstance(r, Comention) for r in rows)
        assert title(table) == f"Co-mentions — all ({store.comentions.count()})"
        assert "not relations" in plain(table.border_subtitle)
        assert "Named with" in table.render_line(0).text
        assert "co-mentions" in str(main.filter_bar.render())
        # In one document: enter opens the document at the first sentence naming both.
        await pilot.press("1", "enter")
        await settle(pilot)
        await pilot.press("3")
        first = store.comentions.in_document(documents[0].id)[0]
        assert table.cursor_value == first
        await pilot.press("enter")
        await settle(pilot)
        view = screen_of(app, DocumentScreen).view
        assert view.mark == (first.start, first.end)
        assert first.actor_a_id in {m.actor_id for m in view.mentions if first.start <= m.start < first.end}
        await pilot.press("escape", "c")
        await settle(pilot)
        assert not table.comentions
        assert all(not isinstance(table.row_at(i), Comention) for i in range(table.row_count))
        assert title(table).startswith("Relations — this document")
