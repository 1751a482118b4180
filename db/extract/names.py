"""Name normalisation: the key under which spelling variants of one name fold together.

"Choe Son-hui", "CHOE SON HUI" and "Choe Son Hui" share a key; so do "U.S." and "US", and
"Workers' Party of Korea" and "Workers Party of Korea". Titles and honorifics are stripped by
`strip_titles` with the list in data/titles.json.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_APOSTROPHES = "'’`´‘"
_HYPHENS = "-‐‑‒–—_"
_POSSESSIVE = re.compile(r"['’]s?$")


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(text: str) -> str:
    """The folded form of a name: accents, case, hyphens, periods, apostrophes, a leading "the"
    and a trailing possessive removed, spacing collapsed."""
    text = fold_accents(text).casefold().strip()
    text = _POSSESSIVE.sub("", text) if text.endswith(("'s", "’s", "s'", "s’")) else text
    for ch in _HYPHENS:
        text = text.replace(ch, " ")
    for ch in _APOSTROPHES:
        text = text.replace(ch, "")
    text = text.replace(".", "")
    text = re.sub(r"[^\w ]+", " ", text)
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def display_name(text: str, *, person: bool) -> str:
    """A canonical display form for a name not in the dictionary.

    Persons: hyphenated Korean given names become spaced and capitalised ("Lim Byeong-cheol" ->
    "Lim Byeong Cheol"); organisations keep their spelling. Both lose a possessive and spacing runs.
    """
    text = " ".join(text.split())
    text = re.sub(r"['’]s$", "", text)
    if not person:
        return text
    parts = re.split(r"[\s\-‐‑]+", text)
    return " ".join(part[:1].upper() + part[1:] if part.islower() or part[:1].islower() else part
                    for part in parts if part)


class TitleStripper:
    """Removes leading titles and honorifics ("Foreign Minister", "Vice Marshal") from a name."""

    def __init__(self, titles: Iterable[str]) -> None:
        keys = sorted({name_key(title) for title in titles if title.strip()}, key=len, reverse=True)
        self._pattern = re.compile(r"^(?:(?:" + "|".join(re.escape(k) for k in keys) + r")\s+)+") if keys else None

    def strip(self, key: str) -> str:
        """Strip titles from a name *key* (see name_key)."""
        if self._pattern is None:
            return key
        return self._pattern.sub("", key).strip()
