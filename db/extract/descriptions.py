"""Role descriptions that stand for a person: "the North Korean leader", "the DPRK's foreign
minister", "Russia's defence minister".

A description is a state (a nationality word, or a state named with a possessive or right before
it) followed by role words from data/descriptions.json, ending the noun phrase (no name follows:
"DPRK Foreign Minister Ri Su Yong" names the person already). It becomes a PERSON mention of the one
person of that state who held a matching role on the document's date, from the dictionary's dated
roles. No date, no match, or two holders: nothing is resolved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from dprk_tui.db.extract.dictionary import DATA_DIR, ActorEntry, Dictionary
from dprk_tui.db.extract.model import MentionSpan
from dprk_tui.db.extract.names import name_key

DESCRIPTIONS_FILE = DATA_DIR / "descriptions.json"


@dataclass(frozen=True)
class DescriptionRules:
    """data/descriptions.json: role words -> role titles in order of preference."""

    descriptions: dict[tuple[str, ...], tuple[str, ...]]
    possessive_marks: frozenset[str]

    @classmethod
    def load(cls, path: Path = DESCRIPTIONS_FILE) -> DescriptionRules:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            descriptions={
                tuple(words.lower().split()): tuple(title.lower() for title in titles)
                for words, titles in data["descriptions"].items()
            },
            possessive_marks=frozenset(data["possessive_marks"]),
        )

    @property
    def longest(self) -> int:
        return max(map(len, self.descriptions), default=0)


def title_matches(title: str, wanted: str) -> bool:
    """"President of the United States" is a "president"; "Vice President" is not."""
    title = title.lower()
    return title == wanted or title.startswith((wanted + " of ", wanted + " ("))


class DescriptionLinker:
    """Finds role descriptions in a parsed document and links them to the role's holder."""

    def __init__(self, dictionary: Dictionary, rules: DescriptionRules | None = None) -> None:
        self.dictionary = dictionary
        self.rules = rules or DescriptionRules.load()
        self._people: dict[str, list[ActorEntry]] = {}
        for entry in dictionary.by_name.values():
            if entry.type == "PERSON" and entry.country and entry.roles:
                self._people.setdefault(entry.country, []).append(entry)

    def holder(self, country: str, titles: tuple[str, ...], date: str) -> ActorEntry | None:
        """The one person of `country` holding the first of `titles` that someone held on `date`."""
        for wanted in titles:
            found = [
                entry for entry in self._people.get(country, ())
                if any(title_matches(role.title, wanted) for role in entry.roles_on(date))
            ]
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def link(self, doc: Doc, mentions: list[MentionSpan], date: str | None) -> list[MentionSpan]:
        """`mentions` with each description after a state turned into a mention of its holder (a
        nationality word and the role words become one mention)."""
        if date is None or not self.rules.descriptions:
            return mentions
        taken = sorted((m.start, m.end) for m in mentions)
        result = list(mentions)
        for mention in mentions:
            country = self._state_of(mention)
            if country is None:
                continue
            found = self._description_after(doc, mention, taken)
            if found is None:
                continue
            start_char, end_char, titles = found
            entry = self.holder(country, titles, date)
            if entry is None:
                continue
            if mention.label == "NORP":  # "North Korean leader": one mention
                result.remove(mention)
                start_char = mention.start
            result.append(MentionSpan(start_char, end_char, doc.text[start_char:end_char], "PERSON", entry.name))
        return result

    def _state_of(self, mention: MentionSpan) -> str | None:
        """The ISO3 code of the state a nationality word or a state mention names."""
        if mention.label == "NORP" and mention.actor is None:
            entry = self.dictionary.by_demonym.get(name_key(mention.text))
        elif mention.label == "GPE" and mention.actor:
            entry = self.dictionary.by_name.get(mention.actor)
        else:
            return None
        return entry.country if entry is not None and entry.type == "GPE" else None

    def _description_after(
        self, doc: Doc, mention: MentionSpan, taken: list[tuple[int, int]]
    ) -> tuple[int, int, tuple[str, ...]] | None:
        """(start, end, titles) of role words right after `mention` (after a possessive for a
        state) that end their noun phrase and overlap no other mention."""
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            return None
        index = span.end
        if index < len(doc) and doc[index].text in self.rules.possessive_marks and mention.label == "GPE":
            index += 1
        for size in range(self.rules.longest, 0, -1):
            words = doc[index:index + size]
            if len(words) < size:
                continue
            titles = self.rules.descriptions.get(tuple(token.lower_ for token in words))
            if titles is None:
                continue
            following = doc[words.end] if words.end < len(doc) else None
            if following is not None and (following.pos_ == "PROPN" or following.ent_type_ == "PERSON"):
                return None  # a title before a name: the name is the mention
            start, end = words.start_char, words.end_char
            if any(s < end and start < e for s, e in taken):
                return None
            return start, end, titles
        return None
