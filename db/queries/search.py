"""Full-text search: ranked hits with snippets, and their count (`store.search`, a `SearchQueries`).

Exact bm25 ranking must score every hit (about 1 µs a hit: 0.8 s for 720k hits at 1M documents),
so when there are at least `cap` hits (10,000 by default) only the `cap` most recently added hits
(the highest rowids, within the filters) are ranked; below the cap every hit is ranked exactly.
`SearchScope.limited` says which; the browser and the command line tell the user.

A page takes two statements. (1) One FTS5 walk, newest hit first, tests the filters and computes
`bm25()` only for the hits that pass, stopping after `cap` of them: that gives the ranked set, its
scores and its bound (the rowid of the cap-th newest hit) at once. For the first page SQLite then
keeps the page's best `limit` by (score, id) and counts the set (no 10,000 rows cross into
Python); for any other page it returns the whole set ordered by (score, id), and Python cuts the
page from it. Ties are broken by id exactly. (2) `snippet()` and the documents' columns for the
page's ids only, walking the hits between the lowest and the highest of them. Measured at 1M
documents this is faster than FTS5's own `ORDER BY rank` over `rowid >= bound` with the snippets
in the same statement (which needs the bound first, and ranks every hit above the bound before
SQLite tests the filters); bench/README.md has the figures. What bounds both: bm25 counts, once per
statement, every document holding each term (its IDF), whatever the bound; `snippet()` does not.

A prefix (`talk*`) is searched as the OR of the indexed words it stands for when they are at most
MAX_EXPANSION and plain ASCII (db/queries/search_words.py) (listed from an fts5vocab table, a seek per word): FTS5 would
otherwise merge the doclists of all of them before the first hit, in every statement and again
for bm25's IDF (a first page at 1M documents: `talk*`, one word, 26 against 87 ms; `re*`, 24
words, 0.12 against 1.2 s; bench/search.py --prefixes). The hits are the same. The ranking is the
same when the prefix stands for one word; when it stands for several, bm25 weighs each word by its
own rarity, as for the query `talk OR talks OR talked`, instead of counting them all as one word
(a document with a rarer form ranks higher). Prefixes of other letters, or standing for more
words, are left to FTS5.

Pages are keyed by (score, id, bound): a later page walks `rowid >= bound` again, so the list stays
the same set of hits while it is paged. Each connection remembers (SearchMemo, db/queries/search_memo.py) the ranked sets it
read whole, the scopes and the prefixes' words while the store is unchanged (`PRAGMA data_version`
and the connection's own changes): the second page reads the whole set, the pages after it (and
the first, read again) cost only the snippet statement, and a count after a page costs nothing.

What the user typed never reaches MATCH raw (`db.search.parse` quotes every word, and the words a
prefix stands for come from the index, quoted too).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from dprk_tui.db.queries.filters import NO_FILTERS, Filters
from dprk_tui.db.queries.paging import FIRST_PAGE, Key, Page
from dprk_tui.db.queries.documents import DocumentQueries
from dprk_tui.db.queries.reader import Reader
from dprk_tui.db.queries.search_memo import (
    MEMO_SETS,
    MEMO_SMALL,
    NO_HITS,
    Order,
    SearchMemo,
    SearchScope,
    remember,
)
from dprk_tui.db.queries.search_words import PrefixWords
from dprk_tui.db.search import parse

# Private-use characters mark the matched words in search snippets; article text never holds them.
MARK_START = "\ue000"
MARK_END = "\ue001"

SEARCH_CAP = 10_000
"""Hits counted, and ranked, at most: beyond it, the most recently added SEARCH_CAP hits."""
WIDE_RATIO = 5
"""Dates or a source that leave more than 1/WIDE_RATIO of the documents are tested by probing each
hit's document; narrower ones through the set of their documents' ids."""


@dataclass(frozen=True)
class SearchHit:
    """A full-text hit; `snippet` marks matched words with MARK_START / MARK_END."""

    id: int
    date: str | None
    source: str | None
    title: str
    file: str
    snippet: str
    key: Key = field(default=(), compare=False, repr=False)


def _filter_key(filters: Filters) -> tuple:
    return (filters.actor_id, filters.type, filters.date_from, filters.date_to, filters.source)


def _cut(order: Order, page: Page) -> Order:
    """The page's part of a ranked set."""
    limit = page.limit
    if page.after is not None:
        start = bisect_right(order, (page.after[0], page.after[1]))
        return order[start : start + limit]
    if page.before is not None:
        end = bisect_left(order, (page.before[0], page.before[1]))
        return order[max(0, end - limit) : end]
    if page.from_end:
        return order[-limit:]
    return order[:limit]


class SearchQueries:
    """Search, read through `reader`; the filters are narrowed as `documents` narrows its list.
    `memo` is what this connection remembers of its searches, `prefixes` spells out prefixes."""

    def __init__(self, reader: Reader, documents: DocumentQueries) -> None:
        self.reader = reader
        self.documents = documents
        self.memo = SearchMemo(reader)
        self.prefixes = PrefixWords(reader, self.memo)

    # -- what is ranked -------------------------------------------------------------------------
    def scope(
        self, text: str, filters: Filters = NO_FILTERS, cap: int = SEARCH_CAP
    ) -> SearchScope:
        """Count the hits up to `cap`, newest first, and find the rowid bound of the ranked set."""
        parsed = parse(text)
        if parsed is None:
            return NO_HITS
        with self.reader.lock:
            return self._count_scope(self.prefixes.match(parsed), filters, cap)

    def _count_scope(self, query: str, filters: Filters, cap: int) -> SearchScope:
        memo = self.memo.current()
        known = memo.scopes.get((query, _filter_key(filters), cap))
        if known is not None:
            return known
        joined, where, params = self._filtered(filters)
        clause = "".join(f" AND ({term})" for term in where)
        hits, lowest = self.reader.rows(
            "SELECT count(*), min(id) FROM (SELECT documents_fts.rowid AS id FROM documents_fts"
            f"{joined} WHERE documents_fts MATCH ?{clause}"
            " ORDER BY documents_fts.rowid DESC LIMIT ?)",
            (query, *params, max(1, cap)),
        )[0]
        return self._note_scope(query, filters, cap, hits, lowest)

    def _note_scope(self, query: str, filters: Filters, cap: int, hits: int, lowest: int | None) -> SearchScope:
        limited = hits >= cap
        scope = SearchScope(hits, limited, lowest if limited and lowest is not None else 0)
        remember(self.memo.scopes, (query, _filter_key(filters), cap), scope, MEMO_SMALL)
        return scope

    def _filtered(self, filters: Filters) -> tuple[str, list[str], list[Any]]:
        """(join, WHERE terms, parameters) that narrow FTS5 hits to `filters`, testing each hit's
        rowid without reading its `documents` row where that is cheaper (at 1M documents a probe
        of that 7.6 GB table per hit is slow, seconds when cold): dates and source through the set
        of their ids, read from a covering index (`idx_documents_sort` / `idx_documents_source`)
        once per statement, unless they leave more than 1/WIDE_RATIO of the documents (then the
        set costs more than probing the hits: 1.5 s for every date); an actor or a type by an
        index probe per hit (a rare actor: the set of its documents).
        The unary `+` keeps SQLite from handing a set to FTS5 as rowid look-ups (FTS5 would
        evaluate MATCH once per id: seconds for a prefix query). The same narrowing as
        `DocumentQueries.conditions`; tests/test_search_cap.py checks that they agree."""
        hit = "documents_fts.rowid"
        terms: list[str] = []
        params: list[Any] = []
        joined = ""
        if filters.source is not None or filters.dated:
            columns = Filters(source=filters.source, date_from=filters.date_from, date_to=filters.date_to)
            where, values = self.documents.conditions(columns)
            chosen = f"SELECT d.id FROM documents d WHERE {' AND '.join(where)}"
            wide = (self.reader.value("SELECT max(id) FROM documents") or 0) // WIDE_RATIO
            if self.reader.value(f"SELECT count(*) FROM ({chosen} LIMIT ?)", [*values, wide + 1]) > wide:
                joined = " CROSS JOIN documents d ON d.id = documents_fts.rowid"
                terms += where
            else:
                terms.append(f"+{hit} IN ({chosen})")
            params += values
        if filters.actor_id is not None and filters.type is not None:
            related = "r.type = ? AND (r.source_id = ? OR r.target_id = ?)"
            if self.documents.actor_is_rare(filters.actor_id):
                terms.append(f"+{hit} IN (SELECT r.document_id FROM relations r WHERE {related})")
            else:
                terms.append(f"EXISTS (SELECT 1 FROM relations r WHERE r.document_id = {hit} AND {related})")
            params += [filters.type, filters.actor_id, filters.actor_id]
        elif filters.actor_id is not None:
            if self.documents.actor_is_rare(filters.actor_id):
                terms.append(f"+{hit} IN (SELECT m.document_id FROM mentions m WHERE m.actor_id = ?)")
            else:
                terms.append(f"EXISTS (SELECT 1 FROM mentions m WHERE m.actor_id = ? AND m.document_id = {hit})")
            params.append(filters.actor_id)
        elif filters.type is not None:
            terms.append(f"EXISTS (SELECT 1 FROM relations r WHERE r.document_id = {hit} AND r.type = ?)")
            params.append(filters.type)
        return joined, terms, params

    # -- pages ----------------------------------------------------------------------------------
    def page(
        self,
        text: str,
        page: Page = FIRST_PAGE,
        filters: Filters = NO_FILTERS,
        cap: int = SEARCH_CAP,
    ) -> list[SearchHit]:
        """Ranked full-text hits for what a user typed, best first; no words -> no hits.

        At most `cap` hits are ranked: the most recently added ones when there are more (see
        `scope`). A page after or before a key keeps the ranked set of the first page.
        """
        parsed = parse(text)
        if parsed is None or page.limit == 0:
            return []
        key = page.after if page.after is not None else page.before
        if key is not None and len(key) != 3:
            raise ValueError(f"a key of {len(key)} values for a search order of 3")
        with self.reader.lock:
            return self._ranked_page(self.prefixes.match(parsed), filters, page, cap, key)

    def _ranked_page(
        self, query: str, filters: Filters, page: Page, cap: int, key: Key | None
    ) -> list[SearchHit]:
        """A page of the ranked set (see the module docstring); call with the lock held."""
        memo = self.memo.current()
        if key is not None:
            bound = int(key[2])
        else:
            scope = memo.scopes.get((query, _filter_key(filters), cap))
            bound = scope.bound if scope is not None else None
        order = None if bound is None else memo.sets.get((query, _filter_key(filters), bound))
        if order is None and key is None and not page.from_end:
            chosen, bound = self._best(query, filters, page.limit, cap)
        else:
            if order is None:
                order, bound = self._ranked(query, filters, cap, bound)
            chosen = _cut(order, page)
        return self._hits(query, chosen, bound)

    def _scored(self, filters: Filters, bounded: bool) -> tuple[str, list[Any]]:
        """The walk that scores the hits (`bounded`: rowid >= a bound, its parameter second), and
        the filters' parameters."""
        joined, where, params = self._filtered(filters)
        clause = "".join(f" AND ({term})" for term in where)
        bound = " AND documents_fts.rowid >= ?" if bounded else ""
        return (
            "SELECT documents_fts.rowid AS id, bm25(documents_fts) AS score"
            f" FROM documents_fts{joined} WHERE documents_fts MATCH ?{bound}{clause}"
        ), params

    def _best(self, query: str, filters: Filters, limit: int, cap: int) -> tuple[Order, int]:
        """The first `limit` of the ranked set and its bound, ordered and counted by SQLite."""
        scored, params = self._scored(filters, bounded=False)
        rows = self.reader.rows(
            f"WITH hits AS MATERIALIZED ({scored} ORDER BY documents_fts.rowid DESC LIMIT ?)"
            " SELECT score, id, (SELECT count(*) FROM hits), (SELECT min(id) FROM hits)"
            " FROM hits ORDER BY score, id LIMIT ?",
            (query, *params, max(1, cap), limit),
        )
        if not rows:
            return [], self._note_scope(query, filters, cap, 0, None).bound
        scope = self._note_scope(query, filters, cap, rows[0][2], rows[0][3])
        return [(score, rowid) for score, rowid, _hits, _lowest in rows], scope.bound

    def _ranked(self, query: str, filters: Filters, cap: int, bound: int | None) -> tuple[Order, int]:
        """The whole ranked set, best first: `rowid >= bound`, or (no bound) the `cap` newest
        hits; remembered for the pages that follow."""
        if bound is None:
            scored, params = self._scored(filters, bounded=False)
            rows = self.reader.rows(
                f"SELECT score, id FROM ({scored} ORDER BY documents_fts.rowid DESC LIMIT ?) ORDER BY score, id",
                (query, *params, max(1, cap)),
            )
            lowest = min((rowid for _score, rowid in rows), default=None)
            bound = self._note_scope(query, filters, cap, len(rows), lowest).bound
        else:
            scored, params = self._scored(filters, bounded=True)
            rows = self.reader.rows(f"SELECT score, id FROM ({scored}) ORDER BY score, id", (query, bound, *params))
        remember(self.memo.sets, (query, _filter_key(filters), bound), rows, MEMO_SETS)
        return rows, bound

    def _hits(self, query: str, chosen: Order, bound: int) -> list[SearchHit]:
        """The page's hits with their snippets and documents, in the order of `chosen`."""
        if not chosen:
            return []
        ids = [rowid for _score, rowid in chosen]
        marks = ", ".join("?" * len(ids))
        details = {
            row[0]: row
            for row in self.reader.rows(
                "SELECT documents_fts.rowid,"
                f" snippet(documents_fts, 1, '{MARK_START}', '{MARK_END}', '…', 16),"
                " d.date, d.source, d.title, d.file FROM documents_fts"
                " CROSS JOIN documents d ON d.id = documents_fts.rowid"
                " WHERE documents_fts MATCH ? AND documents_fts.rowid BETWEEN ? AND ?"
                f" AND +documents_fts.rowid IN ({marks})",
                (query, min(ids), max(ids), *ids),
            )
        }
        return [
            SearchHit(rowid, *details[rowid][2:], details[rowid][1] or "", key=(score, rowid, bound))
            for score, rowid in chosen
            if rowid in details
        ]

    def top(self, text: str, limit: int = 50) -> list[SearchHit]:
        """The best `limit` hits (for the command line)."""
        return self.page(text, Page(limit=limit))

    def count(self, text: str, cap: int = SEARCH_CAP, filters: Filters = NO_FILTERS) -> int:
        """How many documents match, counted up to `cap` (a larger count reads as `cap`); with the
        same `cap`, exactly the number of hits `page` ranks."""
        return self.scope(text, filters, cap).hits
