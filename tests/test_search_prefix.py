"""A prefix query (`talk*`) is searched as the OR of the indexed words it stands for, when they are
1 to MAX_EXPANSION plain ASCII words (db/queries/search_words.py): the same hits as FTS5's own prefix
query; the same ranking when the prefix stands for one word, the ranking of the OR of the words
when it stands for several. Other prefixes are left to FTS5. Each check is against FTS5 itself,
queried directly.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dprk_tui.db.queries.search_words import MAX_EXPANSION
from dprk_tui.db.search import FtsQuery, fts_query, parse
from dprk_tui.db.store import Page, SearchHit, Store


@pytest.fixture(scope="module")
def synth_path(synth_store: Callable[[int, int], Path]) -> Path:
    return synth_store(800, 3)


@pytest.fixture()
def synth(synth_path: Path) -> Iterator[Store]:
    opened = Store.open(synth_path)
    yield opened
    opened.close()


@pytest.fixture()
def copy(synth_path: Path, tmp_path: Path) -> Path:
    """A copy of the store that a test may change."""
    target = tmp_path / "copy.db"
    shutil.copy(synth_path, target)
    return target


def every_hit(store: Store, text: str, size: int = 97) -> list[SearchHit]:
    """Every ranked hit, page after page (the store has fewer hits than the cap)."""
    hits: list[SearchHit] = []
    page = Page(size)
    while True:
        chunk = store.search.page(text, page)
        hits += chunk
        if len(chunk) < size:
            return hits
        page = Page(size, after=chunk[-1].key)


def fts5_ranking(store: Store, match: str) -> list[tuple[float, int]]:
    """(bm25, id) of every hit of `match`, best first, as FTS5 computes them."""
    return sorted(store.reader.db.execute(
        "SELECT bm25(documents_fts), rowid FROM documents_fts WHERE documents_fts MATCH ?", [match]
    ).fetchall())


def matches_run(store: Store, action) -> list[str]:
    """The MATCH expressions of the statements `action` runs on the store's connection."""
    from tests.test_search_memo import traced_sql

    return [sql.split("MATCH ", 1)[1].split("'")[1] for sql in traced_sql(store, action) if "MATCH '" in sql]


def vocabulary(store: Store, low: str, high: str) -> list[str]:
    store.reader.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.rows_test USING fts5vocab(main, documents_fts, row)")
    return [row[0] for row in store.reader.db.execute(
        "SELECT term FROM temp.rows_test WHERE term >= ? AND term < ? ORDER BY term", [low, high])]


def test_the_expression_quotes_the_words_a_prefix_stands_for() -> None:
    query = parse("North sanc*")
    assert query == FtsQuery(("North", "sanc"), prefix=True)
    assert query.expression() == fts_query("North sanc*") == '"North" "sanc" *'
    assert query.expression(["sanctioned", "sanctions"]) == '"North" AND ("sanctioned" OR "sanctions")'
    assert parse("Kim Jong sanc*").expression(["a", "b"]) == '"Kim" "Jong" AND ("a" OR "b")'
    assert parse("sanc*").expression(["a", "b"]) == '("a" OR "b")'
    assert query.expression(["sanctions"]) == '"North" "sanctions"'
    assert FtsQuery(("a",), True).expression(['x"y']) == '"x""y"'
    assert parse("Talk*").prefix_range() == ("talk", "tall")
    assert parse("talk").prefix_range() is None  # no prefix
    assert parse("Chö*").prefix_range() is None and parse("foo_bar*").prefix_range() is None


def test_the_words_of_a_prefix_are_read_from_the_index(synth: Store) -> None:
    """Seeking just past each word lists every word of the range, none twice, none outside it."""
    counts = {}
    for prefix in ("talk", "sanc", "re", "ch", "x", "q", "k", "a", "t", "zzz", "9", "ko"):
        low, high = parse(prefix + "*").prefix_range()
        words = vocabulary(synth, low, high)
        counts[prefix] = len(words)
        expected = words if 1 <= len(words) <= MAX_EXPANSION else None
        assert synth.search.prefixes.words(low, high) == expected, prefix
    assert any(2 <= n <= MAX_EXPANSION for n in counts.values()), counts  # several words: expanded
    assert any(n > MAX_EXPANSION for n in counts.values()), counts  # too many: left to FTS5


def test_a_prefix_of_one_word_ranks_exactly_as_fts5_prefix_query(synth: Store) -> None:
    assert vocabulary(synth, "talk", "tall") == ["talks"]
    assert matches_run(synth, lambda: synth.search.page("talk*", Page(10))) == ['"talks"'] * 2
    hits = every_hit(synth, "talk*")
    assert len(hits) > 200
    assert [(hit.key[0], hit.id) for hit in hits] == fts5_ranking(synth, '"talk" *')
    assert all("\ue000talks\ue001" in hit.snippet.lower() for hit in hits[:50])


def test_a_prefix_of_several_words_finds_the_same_hits_ranked_as_their_or(synth: Store) -> None:
    words = vocabulary(synth, "sanc", "sand")
    assert len(words) >= 2
    either = "(" + " OR ".join(f'"{word}"' for word in words) + ")"
    assert matches_run(synth, lambda: synth.search.page("sanc*", Page(10)))[0] == either
    cases = (("sanc*", '"sanc" *', either), ("North sanc*", '"North" "sanc" *', f'"North" AND {either}'),
             ("North Korea sanc*", '"North" "Korea" "sanc" *', f'"North" "Korea" AND {either}'))
    for text, prefix, expanded in cases:
        hits = every_hit(synth, text)
        assert hits, text
        assert sorted(hit.id for hit in hits) == sorted(rowid for _score, rowid in fts5_ranking(synth, prefix))
        assert [(hit.key[0], hit.id) for hit in hits] == fts5_ranking(synth, expanded)
        assert synth.search.count(text) == len(hits)


@pytest.mark.parametrize("text", ["k*", "Chö*", "zzqq*"])
def test_other_prefixes_are_left_to_fts5(synth: Store, text: str) -> None:
    """Too many words, a letter whose folding FTS5 decides, no word at all: FTS5's prefix query."""
    assert matches_run(synth, lambda: synth.search.page(text, Page(10))) in ([fts_query(text)], [fts_query(text)] * 2)
    assert [(hit.key[0], hit.id) for hit in every_hit(synth, text)] == fts5_ranking(synth, fts_query(text))


def test_a_word_that_is_not_plain_ascii_leaves_the_prefix_to_fts5(copy: Path) -> None:
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "INSERT INTO documents(file, path, title, date, source, words, text, content_hash, ingested_at)"
            " VALUES ('x.txt', 'x.txt', 'Talk漢 here', '2020-01-01', 'KCNA', 2, 'talk漢 here', 'x', '2020')")
    conn.close()
    store = Store.open(copy)
    try:
        assert matches_run(store, lambda: store.search.page("talk*", Page(10)))[0] == '"talk" *'
        hits = every_hit(store, "talk*")
        assert [(hit.key[0], hit.id) for hit in hits] == fts5_ranking(store, '"talk" *')
        assert "Talk漢 here" in {hit.title for hit in hits}
    finally:
        store.close()


def test_a_tokenizer_other_than_the_default_leaves_the_prefix_to_fts5(copy: Path) -> None:
    """The index's words are taken as they are only under the default tokenizer (unicode61)."""
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP TABLE documents_fts")
        conn.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', tokenize='porter')")
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    conn.close()
    store = Store.open(copy)
    try:
        assert matches_run(store, lambda: store.search.page("talk*", Page(10)))[0] == '"talk" *'
        assert [(hit.key[0], hit.id) for hit in every_hit(store, "talk*")] == fts5_ranking(store, '"talk" *')
    finally:
        store.close()
