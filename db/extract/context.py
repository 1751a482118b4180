"""The context rules of mention resolution: the word lists of data/context.json, and the
headline lines of a document (title-case lines, where capitalisation says nothing about names)."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from dprk_tui.db.extract.dictionary import DATA_DIR


@dataclass(frozen=True)
class ContextRules:
    """The word lists of data/context.json."""

    entity_labels: frozenset[str]
    actor_labels: frozenset[str]
    locative_prepositions: frozenset[str]
    state_place_prepositions: frozenset[str]
    motion_prepositions: frozenset[str]
    motion_words: frozenset[str]
    peninsula_names: dict[str, str]
    leading_words: frozenset[str]
    speech_verbs: frozenset[str]
    name_dependencies: frozenset[str]
    demonym_suffixes: tuple[str, ...]
    portfolio_heads: frozenset[str]
    headline_min_words: int
    headline_share: float
    short_surname_length: int
    east_asian_surnames: tuple[str, ...]
    headline_verbs: frozenset[str]
    places: tuple[str, ...]
    place_nouns: dict[str, tuple[str, ...]]
    event_nouns: tuple[str, ...]
    credit_markers: tuple[str, ...]
    credit_words: tuple[str, ...]
    relative_nouns: tuple[str, ...]

    @classmethod
    def load(cls, path: Path = DATA_DIR / "context.json") -> ContextRules:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            entity_labels=frozenset(data["entity_labels"]),
            actor_labels=frozenset(data["actor_labels"]),
            locative_prepositions=frozenset(data["locative_prepositions"]),
            state_place_prepositions=frozenset(data["state_place_prepositions"]),
            motion_prepositions=frozenset(data["motion_prepositions"]),
            motion_words=frozenset(data["motion_words"]),
            peninsula_names=dict(data["peninsula_names"]),
            leading_words=frozenset(data["leading_words"]),
            speech_verbs=frozenset(data["speech_verbs"]),
            name_dependencies=frozenset(data["name_dependencies"]),
            demonym_suffixes=tuple(data["demonym_suffixes"]),
            portfolio_heads=frozenset(data["portfolio_heads"]),
            headline_min_words=int(data["headline"]["min_words"]),
            headline_share=float(data["headline"]["capitalised_share"]),
            short_surname_length=int(data["short_surname_length"]),
            east_asian_surnames=tuple(data["east_asian_surnames"]),
            headline_verbs=frozenset(data["headline_verbs"]),
            places=tuple(data["places"]),
            place_nouns={kind: tuple(nouns) for kind, nouns in data["place_nouns"].items()},
            event_nouns=tuple(data["event_nouns"]),
            credit_markers=tuple(data["credit_markers"]),
            credit_words=tuple(data["credit_words"]),
            relative_nouns=tuple(data["relative_nouns"]),
        )


class Headlines:
    """The character ranges of title-case lines ("Korea, US Discuss Coordination over ..."): most
    of their content words are capitalised."""

    def __init__(self, doc: Doc, min_words: int, share: float, text: str | None = None) -> None:
        text = doc.text if text is None else text
        line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        counts: dict[int, list[int]] = {}
        for token in doc:
            if not token.is_alpha or token.is_stop or len(token.text) < 2:
                continue
            line = bisect_right(line_starts, token.idx) - 1
            tally = counts.setdefault(line, [0, 0])
            tally[0] += 1
            tally[1] += token.text[:1].isupper()
        self.ranges: list[tuple[int, int]] = []
        for line, (words, capitalised) in sorted(counts.items()):
            if words >= min_words and capitalised >= share * words:
                end = line_starts[line + 1] if line + 1 < len(line_starts) else len(text)
                self.ranges.append((line_starts[line], end))
        self._starts = [start for start, _ in self.ranges]

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def contains(self, offset: int) -> bool:
        index = bisect_right(self._starts, offset) - 1
        return index >= 0 and self.ranges[index][0] <= offset < self.ranges[index][1]
