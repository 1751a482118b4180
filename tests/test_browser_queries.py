"""The read queries behind the browser (db/queries): keyset pages agree with the whole order in both
directions, filters narrow as documented, evidence and actor queries return what the store holds,
and no query the browser makes scans a table without an index.

Most tests run on a synthetic store of 3,000 documents (db.synth: real schema, known relations), big
enough that every list has many pages and that SQLite's plans are the ones a corpus gets.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from dprk_tui.db.queries.filters import Filters
from dprk_tui.db.queries.paging import Keyset, Page
from dprk_tui.db.store import RELATION_SORTS, Store

PAGE = 97  # not a divisor of anything, so that pages end mid-date and mid-count


@pytest.fixture(scope="module")
def big_path(synth_store: Callable[[int, int], Path]) -> Path:
    return synth_store(3000, 7)


@pytest.fixture()
def big(big_path: Path):
    opened = Store.open(big_path)
    yield opened
    opened.close()


def walk_forward(read: Callable[[Page], Sequence[Any]], size: int = PAGE) -> list[Any]:
    rows: list[Any] = []
    page = Page(size)
    while True:
        chunk = list(read(page))
        rows += chunk
        if len(chunk) < size:
            return rows
        page = Page(size, after=chunk[-1].key)


def walk_backward(read: Callable[[Page], Sequence[Any]], size: int = PAGE) -> list[Any]:
    rows: list[Any] = []
    page = Page(size, from_end=True)
    while True:
        chunk = list(read(page))
        rows = chunk + rows
        if len(chunk) < size:
            return rows
        page = Page(size, before=chunk[0].key)


def agree(read: Callable[[Page], Sequence[Any]], everything: Sequence[Any]) -> None:
    """Forward and backward keyset walks both give exactly `everything`, in order."""
    forward = walk_forward(read)
    assert forward == list(everything)
    assert walk_backward(read) == forward
    assert len({row.key for row in forward}) == len(forward), "keys must be unique"


# -- paging ----------------------------------------------------------------------------------------
def test_keyset_clause_seeks_on_the_first_key() -> None:
    order = Keyset(("a", "b"), descending=True)
    assert order.clause(Page(5)) == ("", [], "a DESC, b DESC", False)
    where, params, by, backwards = order.clause(Page(5, after=(3, 4)))
    assert where == "a <= ? AND (a, b) < (?, ?)" and params == [3, 3, 4] and not backwards
    where, params, by, backwards = order.clause(Page(5, before=(3, 4)))
    assert where == "a >= ? AND (a, b) > (?, ?)" and by == "a, b" and backwards
    assert order.clause(Page(5, from_end=True))[2:] == ("a, b", True)
    with pytest.raises(ValueError):
        Page(5, after=(1,), from_end=True)
    with pytest.raises(ValueError):
        order.clause(Page(5, after=(1,)))


def test_documents_page_newest_first_undated_last(big: Store) -> None:
    everything = big.reader.db.execute(
        "SELECT id FROM documents ORDER BY coalesce(date, '') DESC, id DESC"
    ).fetchall()
    rows = walk_forward(big.documents.page)
    assert [row.id for row in rows] == [row[0] for row in everything]
    assert rows[-1].date is None, "the synthetic store has undated documents; they come last"
    agree(big.documents.page, rows)
    assert big.documents.count() == len(rows) == 3000


@pytest.mark.parametrize("sort", [sort.name for sort in RELATION_SORTS])
def test_relation_sorts_page_both_ways(big: Store, sort: str) -> None:
    rows = walk_forward(lambda page: big.relations.page(page, sort=sort))
    assert len(rows) == big.relations.count() > PAGE * 3
    agree(lambda page: big.relations.page(page, sort=sort), rows)
    column = {"events": "events", "documents": "documents", "latest": "last_date", "earliest": "first_date"}[sort]
    values = [getattr(row, column) or "" for row in rows]
    if sort == "earliest":
        dated = [value for value in values if value]
        assert dated == sorted(dated)
    else:
        assert values == sorted(values, reverse=True)


def test_filters_narrow_documents_and_relations(big: Store) -> None:
    actor_id, name = big.reader.db.execute(
        "SELECT id, name FROM actors WHERE documents > 0 ORDER BY documents DESC LIMIT 1"
    ).fetchone()
    kind = big.relations.types()[0]
    source = big.documents.sources("", 1)[0]
    cases = {
        "actor": Filters(actor_id=actor_id, actor=name),
        "type": Filters(type=kind),
        "dates": Filters(date_from="2015", date_to="2016-06"),
        "source": Filters(source=source),
        "all": Filters(actor_id=actor_id, actor=name, type=kind, date_from="2012", source=source),
    }
    for label, filters in cases.items():
        documents = walk_forward(lambda page: big.documents.page(page, filters))
        assert len(documents) == big.documents.count(filters), label
        assert 0 < len(documents) < 3000, label
        for row in documents[:50]:
            if filters.source:
                assert row.source == source
            if filters.date_from:
                assert row.date is not None and row.date[:4] >= filters.date_from[:4]
        relations = walk_forward(lambda page: big.relations.page(page, filters))
        assert len(relations) == big.relations.count(None, filters), label
        for row in relations:
            if filters.actor_id:
                assert actor_id in (row.source_id, row.target_id)
            if filters.type:
                assert row.type == kind
            if filters.date_from and row.first_date:
                assert row.first_date >= filters.date_from
        agree(lambda page: big.relations.page(page, filters), relations)
    # Dates: the events inside the range only, so a range shrinks the counts.
    everything = {(r.source_id, r.type, r.target_id): r.events for r in walk_forward(big.relations.page)}
    dated = walk_forward(lambda page: big.relations.page(page, cases["dates"]))
    assert all(row.events <= everything[(row.source_id, row.type, row.target_id)] for row in dated)


def test_actor_and_type_together_mean_the_actor_in_a_relation_of_that_type(big: Store) -> None:
    actor_id = big.reader.db.execute("SELECT id FROM actors ORDER BY documents DESC LIMIT 1").fetchone()[0]
    kind = big.relations.types()[0]
    filters = Filters(actor_id=actor_id, type=kind)
    expected = {
        row[0]
        for row in big.reader.db.execute(
            "SELECT document_id FROM relations WHERE type = ? AND ? IN (source_id, target_id)",
            (kind, actor_id),
        ).fetchall()
    }
    assert {row.id for row in walk_forward(lambda page: big.documents.page(page, filters))} == expected


def test_rare_and_common_actor_filters_agree_with_mentions(big: Store) -> None:
    rows = big.reader.db.execute("SELECT id FROM actors WHERE documents > 0 ORDER BY documents").fetchall()
    for (actor_id,) in (rows[0], rows[len(rows) // 2], rows[-1]):
        expected = {
            row[0] for row in big.reader.db.execute(
                "SELECT DISTINCT document_id FROM mentions WHERE actor_id = ?", (actor_id,)
            ).fetchall()
        }
        filters = Filters(actor_id=actor_id)
        found = walk_forward(lambda page: big.documents.page(page, filters))
        assert {row.id for row in found} == expected
        assert big.documents.count(filters) == len(expected)


def test_evidence_pages_and_sentences(big: Store) -> None:
    top = big.relations.page(Page(1))[0]
    read = lambda page: big.evidence.page(top.source_id, top.type, top.target_id, page)  # noqa: E731
    rows = walk_forward(read)
    assert len(rows) == top.events == big.evidence.count(top.source_id, top.type, top.target_id)
    agree(read, rows)
    for row in rows[:20]:
        text = big.documents.get(row.document_id).text
        assert row.sentence == text[row.start:row.end]
        assert {actor for _, _, actor in row.marks} <= {row.source_id, row.target_id}
        for start, end, _actor in row.marks:
            assert 0 <= start < end <= len(row.sentence)
    pair = walk_forward(lambda page: big.evidence.pair_page(top.source_id, top.target_id, page))
    assert len(pair) == big.evidence.pair_count(top.source_id, top.target_id) >= len(rows)
    assert all({row.source_id, row.target_id} == {top.source_id, top.target_id} for row in pair)


def test_actor_profile_counterparts_and_timeline(big: Store) -> None:
    actor_id = big.reader.db.execute("SELECT id FROM actors ORDER BY documents DESC LIMIT 1").fetchone()[0]
    actor = big.actors.get(actor_id)
    assert actor is not None and actor.mentions > 0 and actor.documents > 0
    read = lambda page: big.actors.counterpart_page(actor_id, page)  # noqa: E731
    counterparts = walk_forward(read)
    assert len(counterparts) == big.actors.counterpart_count(actor_id) > PAGE
    agree(read, counterparts)
    assert [c.events for c in counterparts] == sorted((c.events for c in counterparts), reverse=True)
    for counterpart in counterparts[:10]:
        assert counterpart.events == sum(count for _, count in counterpart.types)
        assert counterpart.events == counterpart.outgoing + counterpart.incoming
        assert counterpart.events == big.evidence.pair_count(actor_id, counterpart.id)
    timeline = big.actors.timeline(actor_id)
    assert [month for month, _ in timeline] == sorted(month for month, _ in timeline)
    dated = big.reader.db.execute(
        "SELECT count(*) FROM relations WHERE date IS NOT NULL AND ? IN (source_id, target_id)",
        (actor_id,),
    ).fetchone()[0]
    assert sum(count for _, count in timeline) == dated


def test_search_pages_by_rank(big: Store) -> None:
    word = big.reader.db.execute("SELECT name FROM actors ORDER BY documents DESC LIMIT 1").fetchone()[0].split()[0]
    hits = walk_forward(lambda page: big.search.page(word, page))
    assert len(hits) == big.search.count(word) > PAGE
    agree(lambda page: big.search.page(word, page), hits)
    scores = [hit.key[0] for hit in hits]
    assert scores == sorted(scores)
    filtered = walk_forward(lambda page: big.search.page(word, page, Filters(date_from="2018")))
    assert 0 < len(filtered) < len(hits)
    assert all(hit.date and hit.date >= "2018" for hit in filtered)


def test_seed_store_profile_and_lookup(store: Store) -> None:
    found = store.actors.resolve("Choe Son-hui")
    assert found is not None and found.name == "Choe Son Hui"
    actor = store.actors.get(found.id)
    assert actor.type == "PERSON" and actor.country == "PRK"
    assert any("Foreign Affairs" in role.title for role in actor.roles)
    assert store.actors.names("choe s")[0].name.startswith("Choe S")
    assert store.actors.resolve("   ") is None and store.actors.get(10**9) is None
    assert set(store.relations.types()) == {row.type for row in store.relations.page(Page(1000))}
    assert store.documents.sources("") == sorted(store.documents.sources(""))


# -- plans -----------------------------------------------------------------------------------------
LARGE_TABLES = ("documents", "mentions", "relations", "relation_summary", "actors", "aliases")
FULL_SCAN = re.compile(r"^SCAN (\w+)(?: AS \w+)?$")


def browser_queries(store: Store) -> list[tuple[str, Callable[[], Any]]]:
    """Every kind of query the browser makes, with realistic arguments."""
    top = store.relations.page(Page(1))[0]
    actor_id = top.source_id
    first = store.documents.page(Page(10))
    hits = store.search.page("korea", Page(10))
    filters = [Filters(actor_id=actor_id), Filters(type=top.type), Filters(date_from="2015", date_to="2016"),
               Filters(source=first[0].source), Filters(actor_id=actor_id, type=top.type)]
    calls: list[tuple[str, Callable[[], Any]]] = [
        ("documents", lambda: store.documents.page(Page(10))),
        ("documents after", lambda: store.documents.page(Page(10, after=first[-1].key))),
        ("documents before", lambda: store.documents.page(Page(10, before=first[-1].key))),
        ("documents end", lambda: store.documents.page(Page(10, from_end=True))),
        ("document", lambda: store.documents.get(first[0].id)),
        ("mentions", lambda: store.documents.mentions(first[0].id)),
        ("search", lambda: store.search.page("korea", Page(10))),
        ("search after", lambda: store.search.page("korea", Page(10, after=hits[-1].key))),
        ("relations in a document", lambda: store.relations.page(Page(10), document_id=first[0].id)),
        ("evidence", lambda: store.evidence.page(top.source_id, top.type, top.target_id, Page(10))),
        ("pair evidence", lambda: store.evidence.pair_page(top.source_id, top.target_id, Page(10))),
        ("actor", lambda: store.actors.get(actor_id)),
        ("counterparts", lambda: store.actors.counterpart_page(actor_id, Page(10))),
        ("timeline", lambda: store.actors.timeline(actor_id)),
        ("actor names", lambda: store.actors.names("kim")),
        ("resolve", lambda: store.actors.resolve("Kim Jong Un")),
        ("types", store.relations.types),
        ("sources", lambda: store.documents.sources("")),
    ]
    for sort in RELATION_SORTS:
        calls.append((f"relations by {sort.name}", lambda s=sort.name: store.relations.page(Page(10), sort=s)))
    for number, narrowing in enumerate(filters):
        calls.append((f"documents filtered {number}", lambda f=narrowing: store.documents.page(Page(10), f)))
        calls.append((f"relations filtered {number}", lambda f=narrowing: store.relations.page(Page(10), f)))
        calls.append((f"search filtered {number}", lambda f=narrowing: store.search.page("korea", Page(10), f)))
    return calls


def test_no_page_query_scans_a_table_without_an_index(big: Store) -> None:
    """Pages, profiles and look-ups seek by index (a SCAN ... USING INDEX in key order, stopped by
    LIMIT, is how a first page is read; a bare SCAN of a large table is not allowed)."""
    statements: list[str] = []
    big.reader.db.conn.set_trace_callback(statements.append)
    try:
        for label, call in browser_queries(big):
            statements.clear()
            call()
            assert statements, label
            for sql in statements:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                plan = [row[3] for row in big.reader.db.conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
                scans = [m.group(1) for line in plan if (m := FULL_SCAN.match(line))]
                assert not set(scans) & set(LARGE_TABLES), (label, sql, plan)
                assert "OFFSET" not in sql.upper(), (label, sql)
    finally:
        big.reader.db.conn.set_trace_callback(None)


def test_relation_sorts_each_have_their_index(big: Store) -> None:
    for sort in RELATION_SORTS:
        rows = big.relations.page(Page(10), sort=sort.name)
        sql = (
            "SELECT 1 FROM relation_summary s WHERE "
            + sort.keyset.clause(Page(10, after=rows[-1].key))[0]
            + " ORDER BY " + sort.keyset.clause(Page(10))[2] + " LIMIT 10"
        )
        plan = " ".join(row[3] for row in big.reader.db.conn.execute("EXPLAIN QUERY PLAN " + sql, rows[-1].key[:1] + rows[-1].key))
        assert f"idx_relation_summary_{sort.name}" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


def test_store_is_safe_from_threads(big: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        counts = list(pool.map(lambda _: len(big.documents.page(Page(50))), range(20)))
    assert counts == [50] * 20
    with pytest.raises(sqlite3.OperationalError):
        big.reader.rows("SELECT * FROM no_such_table")
