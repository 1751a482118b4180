"""What an event reading produces: who did what to whom, before modality is judged."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from spacy.tokens import Token


@dataclass
class Event:
    """Who did what to whom, before modality is judged."""

    trigger: Token
    type: str
    sources: list[str]
    targets: list[str]
    pair: list[str] = field(default_factory=list)
    reciprocal: bool = False
    motion: bool = False
    main_clause: bool = True
    rule: str = "verb"

    @property
    def participants(self) -> list[str]:
        return list(dict.fromkeys([*self.sources, *self.targets, *self.pair]))

    def pairs(self) -> list[tuple[str, str]]:
        """(source, target) pairs, in text order for undirected participants."""
        if self.sources and self.targets:
            found = [(s, t) for s in self.sources for t in self.targets]
        elif len(self.pair) >= 2:
            found = list(combinations(self.pair, 2))
        elif self.reciprocal and len(self.sources) >= 2 and not self.targets:
            found = list(combinations(self.sources, 2))
        else:
            found = []
        return [(s, t) for s, t in found if s != t]
