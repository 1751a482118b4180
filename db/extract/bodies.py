"""National bodies named through their state: "Russia's foreign ministry", "Moscow's foreign
ministry", "North Korea's Workers' Party", and an unqualified "the Foreign Ministry".

The dictionary names a state's body with the state's nationality word ("Russian foreign ministry")
or "of <state>" ("Ministry of Foreign Affairs of Russia"). Stripping that qualifier from every such
form gives the generic names of national bodies ("foreign ministry", "ministry of foreign
affairs", "defense ministry"), each with the body of every state that has one. Then:
- a state, its capital or its acronym with a possessive, followed by a generic name, is that
  state's body, mentioned over the whole phrase;
- a name with a possessive state qualifier ("North Korea's Workers' Party") is looked up as the
  body of that state;
- an unqualified generic name ("a Foreign Ministry spokesman") is the body of the state the
  document is about: of the states that have such a body, the one named most in the document, when
  it leads them and no other state is named more (a KCNA statement quoted in a US paper names North
  Korea as often as the United States, which has no foreign ministry); otherwise it stays
  unresolved.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from spacy.tokens import Doc

from dprk_tui.db.extract.dictionary import ActorEntry, Dictionary
from dprk_tui.db.extract.model import MentionSpan
from dprk_tui.db.extract.names import name_key

_POSSESSIVE = re.compile(r"^(?:the\s+)?(.+?)['’]s?\s+(.+)$", re.IGNORECASE)
_POSSESSIVE_MARKS = {"'s", "’s", "'", "’"}
_LONGEST = 5  # words of a generic name after a possessive


class NationalBodies:
    """See the module doc."""

    def __init__(self, dictionary: Dictionary) -> None:
        self.dictionary = dictionary
        self.generic: dict[str, dict[str, ActorEntry]] = {}
        states = {e.country: e for e in dictionary.entries if e.type == "GPE" and e.country}
        for entry in dictionary.entries:
            state = states.get(entry.country or "")
            if entry.type != "ORG" or state is None:
                continue
            for form in entry.surface_forms:
                for generic in _generic_keys(name_key(form), _state_keys(state)):
                    if generic and generic not in dictionary.by_key:
                        self.generic.setdefault(generic, {}).setdefault(state.country or "", entry)

    def is_generic(self, text: str) -> bool:
        return name_key(text) in self.generic

    def qualified(self, text: str) -> ActorEntry | None:
        """The body a name with a possessive state qualifier stands for, or None."""
        match = _POSSESSIVE.match(text.strip())
        if match is None:
            return None
        state = self.dictionary.state_of(name_key(match.group(1)))
        if state is None or not state.country:
            return None
        rest = match.group(2)
        found = self.generic.get(name_key(rest), {}).get(state.country)
        if found is not None:
            return found
        entry = self.dictionary.lookup(rest)
        return entry if entry is not None and entry.country == state.country else None

    def possessed(self, doc: Doc, mentions: Iterable[MentionSpan], text: str) -> list[MentionSpan]:
        """Mentions of "<state>'s <generic name>" over the whole phrase (`text` is the doc's)."""
        by_name = self.dictionary.by_name
        found = []
        for mention in mentions:
            if text[mention.end:mention.end + 1] not in ("'", "’"):
                continue  # the possessive is glued to the name
            entry = by_name.get(mention.actor or "") or self.dictionary.capitals.get(name_key(mention.text))
            if entry is None or entry.type != "GPE" or not entry.country:
                continue
            after = doc.char_span(mention.end, mention.end + 1, alignment_mode="expand")
            end = after[0].i if after is not None and len(after) else None
            if end is None or doc[end].idx != mention.end or doc[end].text not in _POSSESSIVE_MARKS:
                continue
            first = end + 1
            for last in range(min(len(doc), first + _LONGEST), first, -1):
                words = doc[first:last]
                if any(token.is_punct or token.is_space for token in words):
                    continue
                body = self.generic.get(name_key(words.text), {}).get(entry.country)
                if body is not None:
                    start = mention.start
                    found.append(MentionSpan(start, words.end_char, text[start:words.end_char], "ORG", body.name))
                    break
        return found

    def unqualified(self, mentions: list[MentionSpan]) -> list[MentionSpan]:
        """Unknown organisations with a generic name linked to the body of the document's state."""
        targets = [
            i for i, m in enumerate(mentions)
            if m.label == "ORG" and m.actor not in self.dictionary.by_name and name_key(m.text) in self.generic
        ]
        if not targets:
            return mentions
        by_name = self.dictionary.by_name
        counts = Counter(
            by_name[m.actor].country for m in mentions
            if m.actor in by_name and by_name[m.actor].type == "GPE" and by_name[m.actor].country
        )
        out = list(mentions)
        for index in targets:
            bodies = self.generic[name_key(out[index].text)]
            ranked = sorted(((counts.get(c, 0), c) for c in bodies), reverse=True)
            best = ranked[0][0]
            if best and (len(ranked) == 1 or ranked[1][0] < best) and best >= max(counts.values()):
                m = out[index]
                out[index] = MentionSpan(m.start, m.end, m.text, "ORG", bodies[ranked[0][1]].name)
        return out


def _state_keys(state: ActorEntry) -> list[str]:
    keys = {name_key(form) for form in state.surface_forms}
    keys.update(name_key(demonym) for demonym in state.demonyms)
    return sorted(keys, key=len, reverse=True)


def _generic_keys(key: str, state_keys: list[str]) -> Iterable[str]:
    """`key` without a leading state or nationality qualifier, or without "of (the) <state>"."""
    for state in state_keys:
        if key.startswith(state + " "):
            yield key[len(state) + 1:]
        for tail in (f" of {state}", f" of the {state}"):
            if key.endswith(tail):
                yield key[: -len(tail)]

