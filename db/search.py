"""Turn what a user types into a safe FTS5 query: words are quoted, operators are never passed raw.

`parse` keeps the words and whether the last one is a prefix (a trailing `*`); `FtsQuery.expression`
writes the MATCH expression, and can spell the prefix as the OR of the indexed words it stands for
(db/queries/search.py reads them from the index and says what that changes). `fts_query` is both
steps with the prefix left to FTS5.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Letters and digits of any script; FTS5's unicode61 tokenizer splits on everything else.
_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 32


def quote(term: str) -> str:
    """An FTS5 string: `term` matched as plain words, whatever it holds."""
    return '"' + term.replace('"', '""') + '"'


def plain_word(term: str) -> bool:
    """ASCII letters and digits only: FTS5's default tokenizer (unicode61) folds such a word to its
    lower case and nothing else, and reads it back from a quoted string as that one token."""
    return term.isascii() and term.isalnum()


@dataclass(frozen=True)
class FtsQuery:
    """The words a user typed (at most MAX_TERMS); `prefix`: the last one ends with `*`."""

    words: tuple[str, ...]
    prefix: bool = False

    def expression(self, expansion: Sequence[str] | None = None) -> str:
        """The MATCH expression: every word quoted, so each must occur. With `expansion` (the
        indexed words the prefix stands for, at least one) the last word is their OR instead of
        FTS5's prefix query (FTS5 wants an explicit AND before a parenthesis)."""
        quoted = [quote(word) for word in self.words]
        if self.prefix and expansion and len(expansion) > 1:
            either = "(" + " OR ".join(quote(term) for term in expansion) + ")"
            return " ".join([*quoted[:-1], "AND", either]) if len(quoted) > 1 else either
        if self.prefix and expansion:
            quoted[-1] = quote(expansion[0])
        elif self.prefix:
            quoted[-1] += " *"
        return " ".join(quoted)

    def prefix_range(self) -> tuple[str, str] | None:
        """[low, high): the indexed words (folded by the default tokenizer) that the prefix
        matches, when its folding is known (ASCII letters and digits); else None."""
        if not self.prefix or not plain_word(self.words[-1]):
            return None
        low = self.words[-1].lower()
        return low, low[:-1] + chr(ord(low[-1]) + 1)


def parse(text: str) -> FtsQuery | None:
    """The words of `text` (None when it holds no word at all); a trailing `*` on the last word
    keeps its prefix meaning."""
    terms = _TOKEN.findall(text)[:MAX_TERMS]
    if not terms:
        return None
    return FtsQuery(tuple(terms), text.rstrip().endswith("*"))


def fts_query(text: str) -> str | None:
    """Return an FTS5 MATCH expression matching documents that contain every word of `text`.

    Each word is wrapped in double quotes, so FTS5 syntax (AND, NEAR(, *, ^, column:, quotes) in
    user input is matched as plain words. A trailing `*` on the last word keeps its prefix meaning.
    Returns None when `text` holds no word at all.
    """
    parsed = parse(text)
    return None if parsed is None else parsed.expression()
