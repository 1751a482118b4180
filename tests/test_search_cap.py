"""A million articles (issue 6): search ranks at most `cap` hits, and filtered counts stop at a cap.

Search: below the cap every hit is ranked by bm25 (then id); at the cap or above, only the `cap`
most recently added hits (highest ids, within the filters) are ranked, and `SearchScope.limited`
says so, as the browser does. The cap is lowered here so that a store of 1,500 documents takes the
bounded path; each check is against a brute-force ranking computed in Python from bm25 of every hit.
Pages must join up with no duplicate and no gap, forwards and backwards, also where equal scores
straddle a page end (the store has runs of equal scores; pages of 1 and 7 cut through them).

Counts: with an actor alone exact (actors.documents); with other filters counted up to cap + 1,
shown as "cap+" while the list still reads on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from dprk_tui.db.store import NO_FILTERS, Filters, Page, Store
from tests.screenshots import settle

WORD = "talks"  # common in the synthetic articles: hundreds of hits in 1,500 documents
CAP = 60


@pytest.fixture(scope="module")
def synth_path(synth_store: Callable[[int, int], Path]) -> Path:
    return synth_store(1500, 5)


@pytest.fixture()
def synth(synth_path: Path):
    opened = Store.open(synth_path)
    yield opened
    opened.close()


def expected_order(store: Store, text: str, cap: int, keep: Callable[[int], bool] = lambda _id: True) -> list[int]:
    """Brute force: every hit's bm25; the `cap` newest hits that `keep` passes; by (score, id)."""
    from dprk_tui.db.search import fts_query

    scores = dict(store.reader.db.execute(
        "SELECT rowid, bm25(documents_fts) FROM documents_fts WHERE documents_fts MATCH ?", [fts_query(text)]
    ).fetchall())
    newest = sorted((i for i in scores if keep(i)), reverse=True)[:cap]
    return sorted(newest, key=lambda i: (scores[i], i))


def walk(read: Callable[[Page], Sequence[Any]], size: int, backward: bool = False) -> list[Any]:
    rows: list[Any] = []
    page = Page(size, from_end=True) if backward else Page(size)
    while True:
        chunk = list(read(page))
        rows = chunk + rows if backward else rows + chunk
        if len(chunk) < size:
            return rows
        page = Page(size, before=chunk[0].key) if backward else Page(size, after=chunk[-1].key)


def test_the_store_has_ties_and_more_hits_than_the_cap(synth: Store) -> None:
    """The fixture exercises what it must: many hits, and runs of equal scores among the ranked."""
    order = expected_order(synth, WORD, CAP)
    assert synth.search.count(WORD, cap=10_000) > 4 * CAP
    scores = [hit.key[0] for hit in synth.search.page(WORD, Page(CAP), cap=CAP)]
    assert len(scores) == len(order) == CAP
    assert len(set(scores)) < len(scores), "no equal scores: the tie-breaking path is not exercised"


@pytest.mark.parametrize("size", [1, 7, 13, CAP, 200])
def test_capped_ranking_pages_join_up_both_ways(synth: Store, size: int) -> None:
    read = lambda page: synth.search.page(WORD, page, cap=CAP)
    forward = walk(read, size)
    assert [hit.id for hit in forward] == expected_order(synth, WORD, CAP)
    assert [hit.key[:2] for hit in forward] == sorted(hit.key[:2] for hit in forward)
    assert len({hit.id for hit in forward}) == len(forward) == CAP
    assert walk(read, size, backward=True) == forward


def test_scope_says_when_ranking_was_limited(synth: Store) -> None:
    hits = synth.search.count(WORD, cap=10_000)
    limited = synth.search.scope(WORD, cap=CAP)
    assert limited.limited and limited.hits == CAP == synth.search.count(WORD, cap=CAP)
    assert limited.bound == min(expected_order(synth, WORD, CAP))
    exact = synth.search.scope(WORD, cap=hits + 1)
    assert not exact.limited and exact.hits == hits and exact.bound == 0
    everything = walk(lambda page: synth.search.page(WORD, page, cap=hits + 1), 97)
    assert [hit.id for hit in everything] == expected_order(synth, WORD, hits + 1)
    assert not synth.search.scope("zzqqxx", cap=CAP).limited and synth.search.page("zzqqxx", cap=CAP) == []
    assert synth.search.scope("   ").hits == 0 and synth.search.page("NEAR(zzqqxx", cap=CAP) == []


def test_a_later_page_keeps_the_ranked_set_of_the_first(synth: Store) -> None:
    """The key carries the bound: page 2 is read within the set page 1 was read from."""
    first = synth.search.page(WORD, Page(10), cap=CAP)
    bound = first[0].key[2]
    assert bound == synth.search.scope(WORD, cap=CAP).bound > 0
    second = synth.search.page(WORD, Page(10, after=first[-1].key), cap=10_000)  # the key, not the cap, decides
    assert [hit.id for hit in first + second] == expected_order(synth, WORD, CAP)[:20]
    with pytest.raises(ValueError):
        synth.search.page(WORD, Page(10, after=first[-1].key[:2]))


def test_filtered_search_ranks_the_newest_filtered_hits(synth: Store) -> None:
    dates = dict(synth.reader.db.execute("SELECT id, coalesce(date, '') FROM documents").fetchall())
    filters = Filters(date_from="2018")
    read = lambda page: synth.search.page(WORD, page, filters, cap=40)
    expected = expected_order(synth, WORD, 40, keep=lambda i: dates[i] >= "2018")
    assert [hit.id for hit in walk(read, 9)] == expected
    assert [hit.id for hit in walk(read, 9, backward=True)] == expected
    scope = synth.search.scope(WORD, filters, cap=40)
    assert scope.limited and scope.bound == min(expected)
    assert all(hit.date and hit.date >= "2018" for hit in read(Page(40)))
    source = synth.documents.sources("", 1)[0]
    narrowed = walk(lambda page: synth.search.page(WORD, page, Filters(source=source), cap=10_000), 50)
    sources = dict(synth.reader.db.execute("SELECT id, source FROM documents").fetchall())
    assert [hit.id for hit in narrowed] == expected_order(synth, WORD, 10_000, keep=lambda i: sources[i] == source)


def test_search_filters_narrow_as_the_document_list_does(synth: Store) -> None:
    """Search tests filters on each hit's rowid (db.queries.search._filtered), the document list
    on its rows (DocumentQueries.conditions): every kind of filter must leave the same documents."""
    from dprk_tui.db.search import fts_query

    common, rare = (row[0] for row in synth.reader.db.execute(
        "SELECT id FROM actors WHERE documents > 0 ORDER BY documents DESC").fetchall()[::60][:2])
    assert synth.documents.actor_is_rare(rare) and not synth.documents.actor_is_rare(common)
    kind, source = synth.relations.types()[0], synth.documents.sources("", 1)[0]
    hits = {row[0] for row in synth.reader.db.execute(
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [fts_query(WORD)]).fetchall()}
    cases = [Filters(actor_id=common), Filters(actor_id=rare), Filters(type=kind),
             Filters(actor_id=common, type=kind), Filters(actor_id=rare, type=kind),
             Filters(date_from="2014", date_to="2016-06"), Filters(date_to="2012"), Filters(source=source),
             Filters(date_from="2011"), Filters(date_from="2011", type=kind),  # wide: hits are probed
             Filters(source=source, date_from="2015"), Filters(actor_id=common, type=kind, source=source)]
    import dprk_tui.db.queries.search as search_module

    sqls: list[str] = []
    synth.reader.db.conn.set_trace_callback(sqls.append)
    for filters in (Filters(date_from="2011"), Filters(date_from="2014", date_to="2016-06")):
        synth.search.page(WORD, Page(5), filters)
    synth.reader.db.conn.set_trace_callback(None)
    ranking = [sql for sql in sqls if "bm25(" in sql]
    assert "CROSS JOIN documents d" in ranking[0] and "+documents_fts.rowid IN (SELECT d.id" in ranking[1]
    assert search_module.WIDE_RATIO == 5
    nonempty = 0
    for filters in cases:
        listed = {row.id for row in walk(lambda page: synth.documents.page(page, filters), 500)}  # noqa: B023
        found = walk(lambda page: synth.search.page(WORD, page, filters, cap=10_000), 37)  # noqa: B023
        assert [hit.id for hit in found] == expected_order(synth, WORD, 10_000, keep=lambda i: i in listed), filters  # noqa: B023
        assert {hit.id for hit in found} == hits & listed, filters
        assert synth.search.count(WORD, filters=filters) == len(found)
        nonempty += bool(found)
    assert nonempty >= len(cases) - 2


# -- filtered document counts ------------------------------------------------------------------
def test_filtered_counts_are_exact_or_capped(synth: Store) -> None:
    actor_id, documents = synth.reader.db.execute(
        "SELECT id, documents FROM actors ORDER BY documents DESC LIMIT 1").fetchone()
    exact = Filters(actor_id=actor_id)
    assert synth.documents.count(exact, cap=10) == documents == synth.documents.count(exact, cap=None) > 10
    kind = synth.relations.types()[0]
    for filters in (Filters(type=kind), Filters(date_from="2015", date_to="2020"),
                    Filters(actor_id=actor_id, type=kind), Filters(source=synth.documents.sources("", 1)[0])):
        full = synth.documents.count(filters, cap=None)
        assert full > 10
        assert synth.documents.count(filters, cap=10) == 11  # "more than 10"
        assert synth.documents.count(filters, cap=full) == full  # at or below the cap: exact
        assert synth.documents.count(filters) == full  # the default cap (10,000) is above 1,500
    assert synth.documents.count(NO_FILTERS, cap=10) == 1500  # the whole corpus: exact
    assert not synth.documents.count_is_capped(NO_FILTERS) and not synth.documents.count_is_capped(exact)
    assert synth.documents.count_is_capped(Filters(type=kind)) and synth.documents.count_is_capped(Filters(actor_id=actor_id, date_to="2020"))


# -- what the browser says -------------------------------------------------------------------------
def plain(value: Any) -> str:
    from textual.content import Content

    return value.plain if isinstance(value, Content) else str(value or "")


async def test_browser_says_when_ranking_and_counts_were_capped(
    synth_path: Path, synth: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dprk_tui.tui.screens.main as main_module
    import dprk_tui.tui.screens.main_search as search_module
    from dprk_tui.tui.app import DprkApp

    monkeypatch.setenv("DPRK_TUI_KEYS", "")
    monkeypatch.setattr(search_module, "SEARCH_CAP", CAP)
    monkeypatch.setattr(search_module, "COUNT_CAP", 100)
    app = DprkApp(synth_path)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        main = app.screen
        assert isinstance(main, main_module.MainScreen)
        assert plain(main.documents.border_title) == "Documents (1,500)"  # exact, above the cap
        actor_id, documents = synth.reader.db.execute(
            "SELECT id, documents FROM actors ORDER BY documents DESC LIMIT 1").fetchone()
        main.apply_filters(Filters(actor_id=actor_id, actor="A"))
        await settle(pilot)
        assert plain(main.documents.border_title) == f"Documents — filtered ({documents:,})" and documents > 100
        main.apply_filters(Filters(type=synth.relations.types()[0]))
        await settle(pilot)
        assert plain(main.documents.border_title) == "Documents — filtered (100+)"
        assert "100+ documents" in str(main.filter_bar.render())
        assert main.documents.more and main.documents.total is None  # the list reads on
        main.apply_filters(NO_FILTERS)
        await settle(pilot)
        await pilot.press("slash", *WORD, "enter")
        await settle(pilot)
        assert plain(main.documents.border_title) == f"Search: {WORD} ({CAP}+)"
        assert plain(main.documents.border_subtitle) == f"best of the {CAP} added last"
        assert "60+ documents" in str(main.filter_bar.render())
        assert [main.documents.row_at(i).id for i in range(CAP)] == expected_order(synth, WORD, CAP)
        assert main.documents.row_at(CAP) is None
        await pilot.press("escape", "slash", *"Lavrov", "enter")
        await settle(pilot)
        assert plain(main.documents.border_subtitle) == ""
