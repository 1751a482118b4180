"""One document as the relation extractor reads it: the parse with its resolved mentions indexed by
token, the sentences, the relations found so far (for "the two sides"), and what the dictionary
says about each actor (type, state, sector, capitals, nationality words).

Names in a dateline ("SEOUL, South Korea —", "MOSCOW, June 19 (AFP):") and news outlets in
parentheses ("(Yonhap) --", "(dpa/MIA)") are left out: they never take part in a relation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from dprk_tui.db.extract.dictionary import Dictionary
from dprk_tui.db.extract.model import MentionSpan
from dprk_tui.db.extract.names import name_key


class ActorFacts:
    """What the dictionary says about actors, for relations: type, state, capitals."""

    def __init__(self, dictionary: Dictionary) -> None:
        self.dictionary = dictionary
        self.states = {e.country: e.name for e in dictionary.entries if e.type == "GPE" and e.country}

    def capital_state(self, text: str) -> str | None:
        entry = self.dictionary.capitals.get(name_key(text))
        return entry.name if entry is not None else None

    def state_of(self, name: str) -> str | None:
        """The state an actor belongs to (itself for a state); None when unknown."""
        entry = self.dictionary.by_name.get(name)
        if entry is None:
            return None
        if entry.type == "GPE":
            return entry.name
        return self.states.get(entry.country or "")

    def type_of(self, name: str) -> str | None:
        entry = self.dictionary.by_name.get(name)
        return entry.type if entry is not None else None

    def sector_of(self, name: str) -> str | None:
        entry = self.dictionary.by_name.get(name)
        return entry.sector if entry is not None else None

    def demonym_state(self, text: str) -> str | None:
        """The state a nationality word names ("North Korean" -> North Korea), else None."""
        entry = self.dictionary.by_demonym.get(name_key(text))
        return entry.name if entry is not None else None


@dataclass
class Recent:
    """A relation already found, for "the two sides" later on."""

    sentence: int
    start: int
    source: str
    target: str
    type: str


@dataclass
class DocContext:
    """One parsed document with its resolved mentions, indexed by token."""

    doc: Doc
    mentions: list[MentionSpan]
    actor_at: dict[int, MentionSpan] = field(default_factory=dict)
    place_at: dict[int, MentionSpan] = field(default_factory=dict)
    root_of: dict[int, Token] = field(default_factory=dict)  # id(mention) -> its root token
    sentences: list[Span] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)
    named: list[bool] = field(default_factory=list)  # per sentence: holds an actor or place name
    recent: list[Recent] = field(default_factory=list)

    @classmethod
    def build(
        cls, doc: Doc, mentions: list[MentionSpan], credits: frozenset[str] = frozenset(),
        facts: ActorFacts | None = None,
    ) -> DocContext:
        """`credits`: actors (news outlets) that never take part when they stand in parentheses, as
        in a wire credit ("(Yonhap) --", "(dpa/MIA)"); no name in a dateline takes part either
        ("SEOUL, South Korea —", "MOSCOW, June 19 (AFP):", "Singapore:")."""
        context = cls(doc, [])
        text = doc.text
        datelines = _datelines(text, mentions, facts)
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            if mention.actor in credits and _parenthesised(text, mention.start, mention.end):
                continue
            if any(start <= mention.start < end for start, end in datelines):
                continue
            index = context.actor_at if mention.actor else context.place_at
            for token in span:
                index.setdefault(token.i, mention)
            context.root_of[id(mention)] = span.root
            if mention.actor:
                context.mentions.append(mention)
        context.mentions.sort(key=lambda m: m.start)
        context.sentences = list(doc.sents)
        context.sentence_starts = [sent.start for sent in context.sentences]
        context.named = [False] * len(context.sentences)
        for index in (*context.actor_at, *context.place_at):
            context.named[bisect_right(context.sentence_starts, index) - 1] = True
        return context

    def sentence_index(self, token: Token) -> int:
        return bisect_right(self.sentence_starts, token.i) - 1


_WORD = r"[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3}"
_MONTH_DAY = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d{1,2}(?:,[ \t]*\d{4})?"
_DATELINE = re.compile(
    rf"^[ \t]*(?P<prefix>{_WORD}(?:,[ \t]*{_WORD}){{0,2}}(?:,?[ \t]*{_MONTH_DAY})?(?:[ \t]*\([^()\n]{{1,40}}\))?)"
    r"[ \t]*(?:—|–|--|-|:)[ \t]",
    re.MULTILINE,
)


def _datelines(text: str, mentions: list[MentionSpan], facts: ActorFacts | None) -> list[tuple[int, int]]:
    """(start, end) of each line's dateline: places (a capital in capitals, a country), a date, an
    outlet in parentheses, then a dash or colon ("SEOUL, South Korea —", "BRUSSELS, Aug 24 (AFP) -")."""
    found: list[tuple[int, int]] = []
    for match in _DATELINE.finditer(text):
        start, end = match.span("prefix")
        prefix = match.group("prefix")
        inside = [m for m in mentions if start <= m.start < end]
        places = all(
            m.actor is None or (facts is not None and facts.type_of(m.actor) == "GPE") for m in inside
        )
        marked = "(" in prefix or re.search(r"\d", prefix) or re.match(r"[A-Z]{3,}\b", prefix)
        if inside and places or marked and places:
            found.append((start, end))
    return found


def _parenthesised(text: str, start: int, end: int, reach: int = 40) -> bool:
    """Whether text[start:end] stands inside a short pair of parentheses on its line."""
    before = text[max(0, start - reach):start]
    after = text[end:end + reach]
    opening = before.rfind("(")
    closing = after.find(")")
    return (
        opening >= 0 and closing >= 0 and ")" not in before[opening:] and "(" not in after[:closing]
        and "\n" not in before[opening:] and "\n" not in after[:closing]
    )
