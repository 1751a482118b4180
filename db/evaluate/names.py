"""How the scorer compares names: case, apostrophes, hyphens and possessives folded."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_POSSESSIVE = re.compile(r"'s\b")
_DASHES = re.compile(r"[\-\u2010-\u2015\u2212\u00ad]")
_VANISH = re.compile(r"['.]")


def _fold(name: str, hyphen: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().translate(_APOSTROPHES)
    text = _POSSESSIVE.sub("", text)
    text = _DASHES.sub(hyphen, text)
    text = _VANISH.sub("", text)
    text = "".join(c if (c.isalnum() or c.isspace()) else " " for c in text)
    words = text.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def normalize_name(name: str) -> str:
    """Fold a name for comparison: "The U.S.'s Kim Jong-un" -> "us kim jong un"."""
    return " ".join(_fold(name, " "))


def name_key(name: str) -> str:
    """The comparison key of a name: `normalize_name` without spaces ("kimjongun")."""
    return normalize_name(name).replace(" ", "")


def is_one_word(name: str) -> bool:
    return len(_fold(name, "")) == 1


