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


def compact_key(text: str) -> str:
    """`name_key` without spaces: "Kim Jongun" and "Kim Jong Un" meet here (romanisations differ in
    where they split a given name). Used as a last resort, never to tell two names apart."""
    return name_key(text).replace(" ", "")


def is_acronym(text: str) -> bool:
    """A short all-capital form ("US", "U.S.", "WHO", "SPA"): its key is also an ordinary word."""
    letters = text.replace(".", "").replace("&", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 6


def display_name(text: str, *, person: bool) -> str:
    """A canonical display form for a name not in the dictionary.

    Persons: hyphenated Korean given names become spaced and capitalised ("Lim Byeong-cheol" ->
    "Lim Byeong Cheol"), names in capitals title case ("TONG-HYUNG KIM" -> "Tong Hyung Kim");
    organisations keep their spelling. Both lose a possessive and spacing runs.
    """
    text = " ".join(text.split())
    text = re.sub(r"['’]s$", "", text)
    if not person:
        return text
    if text.isupper() and " " in text:
        text = text.title()  # "JOHN DOE" in a byline
    parts = re.split(r"[\s\-‐‑]+", text)
    return " ".join(part[:1].upper() + part[1:] if part.islower() or part[:1].islower() else part
                    for part in parts if part)


class TitleStripper:
    """Removes leading titles and honorifics ("Foreign Minister", "Vice Marshal") from a name."""

    def __init__(self, titles: Iterable[str]) -> None:
        keys = sorted({name_key(title) for title in titles if title.strip()}, key=len, reverse=True)
        self.keys: frozenset[str] = frozenset(keys)
        self._longest = max((len(key.split()) for key in keys), default=0)
        self._pattern = re.compile(r"^(?:(?:" + "|".join(re.escape(k) for k in keys) + r")\s+)+") if keys else None

    def strip(self, key: str) -> str:
        """Strip titles from a name *key* (see name_key)."""
        if self._pattern is None:
            return key
        return self._pattern.sub("", key).strip()

    def leading(self, words: list[str]) -> int:
        """How many of `words` (each a name key) at the start are titles, several in a row allowed
        ("respected", "Supreme Leader", "Comrade"); the longest title wins at each step."""
        start = 0
        while start < len(words):
            for size in range(min(self._longest, len(words) - start), 0, -1):
                if " ".join(words[start:start + size]) in self.keys:
                    start += size
                    break
            else:
                break
        return start

    def trailing(self, words: list[str]) -> str | None:
        """The longest title that `words` (name keys) end with, e.g. the title before a bare
        surname ("... Vice Marshal" -> "vice marshal"), or None."""
        for size in range(min(self._longest, len(words)), 0, -1):
            candidate = " ".join(words[len(words) - size:])
            if candidate in self.keys:
                return candidate
        return None
