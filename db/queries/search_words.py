"""The words a prefix stands for: `talk*` is searched as the OR of the indexed words that start
with "talk" when they are at most MAX_EXPANSION and plain ASCII, listed from an fts5vocab table
(one seek per word). Otherwise FTS5 merges the doclists of all of them before the first hit, in
every statement and again for bm25's IDF; db/queries/search.py says what this changes in the
ranking. `SearchQueries` holds one `PrefixWords`, which keeps what it learns in the search's memo.
"""

from __future__ import annotations

import sqlite3

from dprk_tui.db.queries.reader import Reader
from dprk_tui.db.queries.search_memo import MEMO_SMALL, SearchMemo, remember
from dprk_tui.db.search import FtsQuery, plain_word

MAX_EXPANSION = 30
"""A prefix standing for at most this many indexed words is searched as their OR."""
WORDS_TABLE = "temp.documents_fts_words"
"""The fts5vocab table (one row per indexed instance) that lists a prefix's words; per connection."""


class PrefixWords:
    """MATCH expressions with their prefix spelled out where that is cheaper, read through
    `reader` and remembered in `memo`."""

    def __init__(self, reader: Reader, memo: SearchMemo) -> None:
        self.reader = reader
        self.memo = memo

    def match(self, parsed: FtsQuery) -> str:
        """The MATCH expression for `parsed`, its prefix spelled out when that is cheaper (call with
        the reader's lock held)."""
        span = parsed.prefix_range()
        if span is None:
            return parsed.expression()
        memo = self.memo.current()
        if span[0] not in memo.words:
            remember(memo.words, span[0], self.words(*span), MEMO_SMALL)
        return parsed.expression(memo.words[span[0]])

    def words(self, low: str, high: str) -> list[str] | None:
        """The indexed words in [low, high), if there are 1 to MAX_EXPANSION of them, all plain.
        Each is found by a seek just past the previous one (`word + "\\x01"`: no token holds a
        control character), not by stepping over its instances."""
        if not self._words_table():
            return None
        words: list[str] = []
        start = low
        while len(words) <= MAX_EXPANSION:
            row = self.reader.rows(
                f"SELECT term FROM {WORDS_TABLE} WHERE term >= ? AND term < ? LIMIT 1", (start, high)
            )
            if not row:
                break
            words.append(row[0][0])
            start = row[0][0] + "\x01"
        if not words or len(words) > MAX_EXPANSION or not all(map(plain_word, words)):
            return None
        return words

    def _words_table(self) -> bool:
        """Create WORDS_TABLE once per connection; False when the index's words cannot be taken as
        they are (a tokenizer or detail option other than the default) or it cannot be made."""
        memo = self.memo
        if memo.words_table is None:
            sql = self.reader.value("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'") or ""
            memo.words_table = "tokenize" not in sql.lower() and "detail" not in sql.lower()
            if memo.words_table:
                try:
                    self.reader.rows(
                        f"CREATE VIRTUAL TABLE IF NOT EXISTS {WORDS_TABLE}"
                        " USING fts5vocab(main, documents_fts, instance)"
                    )
                except sqlite3.DatabaseError:
                    memo.words_table = False
        return memo.words_table
