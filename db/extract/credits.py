"""Photo credits and image-agency tags: the names in them are not actors.

A caption's credit ("REUTERS/Jason Lee/File Photo", "(Xie Huanchi/Xinhua via Reuters)",
"/VCG Photo", "NTD Photo" on a line of its own, "Credit: AFP", "Image: UN Photo/Handout via
Xinhua/IMAGO", "PHOTO: REUTERS") names who took or sold a picture; it states nothing about the
story. Bylines, datelines and wire tags ("(dpa/MIA) –", a closing "REUTERS") are not credits: they
name the article's own sources (see ../shared/gold/README.md).

Two shapes are recognised, on one line each:
- a credit marker (`credit_markers`: Credit, Photo, Image...) with a colon, followed by at most
  `_MARKED_WORDS` words up to the end of the line; or a marker without a colon followed by
  capitalised words only ("Photo Xinhua.");
- the tail of a line (after its last sentence, or its last bracket) made only of capitalised words
  and credit words (`credit_words`: via, file, photo, handout, pool...), holding a slash, ending in
  a photo word, or in brackets with "via" ("(Yonhap via Antara)").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

_MARKED_WORDS = 8
_TAIL_WORDS = 8
_PHOTO_WORDS = {"photo", "photos", "photograph", "picture", "pictures", "image", "images"}


class CreditFinder:
    """The character ranges of credits in a text (see the module doc)."""

    def __init__(self, markers: Iterable[str], credit_words: Iterable[str]) -> None:
        alternatives = "|".join(sorted((re.escape(m) for m in markers), key=len, reverse=True))
        self._marked = re.compile(
            rf"(?:^|(?<=[\s.,;)\]])|(?<=[a-z]))(?:{alternatives})(?!\w)(?P<colon>\s*:)?[ \t]*(?P<body>[^\n]*)$",
            re.IGNORECASE | re.MULTILINE,
        )
        self.credit_words = frozenset(word.lower() for word in credit_words) | _PHOTO_WORDS

    def ranges(self, text: str) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for match in self._marked.finditer(text):
            body = match.group("body")
            words = body.split()
            if not words or len(words) > _MARKED_WORDS:
                continue
            if match.group("colon") or all(self._credit_word(w) for w in words):
                found.append((match.start("body"), match.end("body")))
        start = 0
        for line in text.split("\n"):
            tail = self._tail(line)
            if tail is not None:
                found.append((start + tail[0], start + tail[1]))
            start += len(line) + 1
        return sorted(found)

    def _tail(self, line: str) -> tuple[int, int] | None:
        stripped = line.rstrip()
        if not stripped:
            return None
        if stripped.endswith(")") and "(" in stripped:
            begin = stripped.rindex("(")
        else:
            cut = max(stripped.rfind(". "), stripped.rfind(".\t"))
            begin = cut + 2 if cut >= 0 else 0
        tail = stripped[begin:].strip(" ()")
        words = re.split(r"[\s/]+", tail.rstrip("."))
        words = [w for w in words if w]
        if not words or len(words) > _TAIL_WORDS:
            return None
        bracketed = stripped.endswith(")")
        if "/" not in tail and words[-1].lower() not in _PHOTO_WORDS and not (bracketed and "via" in words):
            return None
        if begin == 0 and not any(w.lower() in self.credit_words for w in words):
            return None  # a whole line of capitalised words and slashes may be a headline
        if not all(self._credit_word(w) for w in words):
            return None
        return begin, len(stripped)

    def _credit_word(self, word: str) -> bool:
        word = word.strip(".,()")
        return not word or word[:1].isupper() or word.lower() in self.credit_words


def inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether `text[start:end]` lies inside one of the sorted `ranges`."""
    index = bisect_right(ranges, (start, float("inf"))) - 1
    return index >= 0 and ranges[index][0] <= start and end <= ranges[index][1]
