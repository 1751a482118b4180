"""The pages of date-filtered relation lists found by walking in sort order (db/queries/range_top.py)
stop early: a long range meets a few hundred triples, not every triple of the store, whichever
lists are walked. (That they give exactly the rows of adding up the whole range is checked against
brute force in tests/test_rollups.py.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dprk_tui.db import rollups
from dprk_tui.db.queries import range_top
from dprk_tui.db.queries.paging import date_upper
from dprk_tui.db.store import Store


@pytest.fixture(scope="module")
def store(synth_store: Callable[[int, int], Path]) -> Iterator[Store]:
    opened = Store.open(synth_store(4000, 11))
    yield opened
    opened.close()


def _walk(store: Store, low: str, high: str, sort: str, relation_type: str | None = None,
          source: str | None = None) -> tuple[range_top.RangeTop, list]:
    conn = store.reader.db.conn
    hi = date_upper(high)
    top = range_top.RangeTop(conn, rollups.plan_range(conn, low, hi), low, hi, relation_type, source)
    rows = top.page(sort, 20)
    assert rows is not None
    return top, rows


def _triples(store: Store) -> int:
    return store.reader.value("SELECT count(*) FROM relation_summary")


def _commonest_source(store: Store) -> str:
    return store.reader.value("SELECT doc_source FROM relation_sources GROUP BY doc_source ORDER BY sum(events) DESC")


@pytest.mark.parametrize("sourced", [False, True])
@pytest.mark.parametrize("sort", ["events", "documents", "latest", "earliest"])
@pytest.mark.parametrize(("low", "high"), [("2011", "2024"), ("2015", "2016-06"), ("2019-03-10", "2019-05-20")])
def test_a_page_meets_few_triples(store: Store, sort: str, low: str, high: str, sourced: bool) -> None:
    top, rows = _walk(store, low, high, sort, source=_commonest_source(store) if sourced else None)
    assert len(rows) == 20
    met = len(top._known)
    assert met <= _triples(store) // 2, met  # the summary alone walks all of them for a short range


def test_the_period_lists_stop_a_short_range_early(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary alone must walk far down for a short range; each period's own order bounds it."""
    top, rows = _walk(store, "2019-04", "2019-05", "events")
    with_periods = len(top._known)
    monkeypatch.setattr(range_top, "MAX_PERIOD_LISTS", 0)
    alone, same = _walk(store, "2019-04", "2019-05", "events")
    assert same == rows
    assert with_periods < len(alone._known)


def test_an_empty_range_is_an_empty_page(store: Store) -> None:
    conn = store.reader.db.conn
    for sort in ("events", "documents", "latest", "earliest"):
        top = range_top.RangeTop(conn, rollups.plan_range(conn, "2030", "2031~"), "2030", "2031~", None)
        assert top.page(sort, 20) == []
