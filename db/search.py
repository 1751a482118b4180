"""Turn what a user types into a safe FTS5 query: words are quoted, operators are never passed raw."""

from __future__ import annotations

import re

# Letters and digits of any script; FTS5's unicode61 tokenizer splits on everything else.
_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 32


def fts_query(text: str) -> str | None:
    """Return an FTS5 MATCH expression matching documents that contain every word of `text`.

    Each word is wrapped in double quotes, so FTS5 syntax (AND, NEAR(, *, ^, column:, quotes) in
    user input is matched as plain words. A trailing `*` on the last word keeps its prefix meaning.
    Returns None when `text` holds no word at all.
    """
    terms = _TOKEN.findall(text)[:MAX_TERMS]
    if not terms:
        return None
    quoted = [f'"{term}"' for term in terms]
    if text.rstrip().endswith("*"):
        quoted[-1] += " *"
    return " ".join(quoted)
