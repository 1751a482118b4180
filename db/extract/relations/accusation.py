"""Reported accusations: "He (Kim) noted that the DPRK's arms transfers ... violate U.N.
resolutions" -> Sung Kim ACCUSE North Korea.

A speaker (the subject of a speech verb) says that an actor, or an action of an actor, violates,
undermines, provokes ... (data/relations.json, "reported_accusation"). The speaker accuses the
actor. A negated predicate ("did not violate") accuses nobody.
"""

from __future__ import annotations

from spacy.tokens import Token

from dprk_tui.db.extract.relations.events import Event, EventFinder
from dprk_tui.db.extract.relations.grammar import VERBAL, negated

_UP = frozenset({"xcomp", "conj", "ccomp", "advcl"})


class AccusationFinder:
    """Speaker ACCUSE agent, when the speaker reports the agent's wrongdoing."""

    def __init__(self, finder: EventFinder) -> None:
        self.finder = finder
        self.rules = finder.rules

    def is_predicate(self, token: Token) -> bool:
        return token.pos_ in VERBAL and token.lemma_.lower() in self.rules.accusation_predicates

    def event(self, token: Token) -> Event | None:
        """Speaker ACCUSE agent for one wrongdoing predicate, if it is reported by a speaker."""
        if negated(token):
            return None
        agents = self._agents(token)
        if not agents:
            return None
        speaker = self._speaker(token)
        if speaker is None:
            return None
        sources = self.finder.args.actors(self.finder.subject_tokens(speaker), frozenset(agents))
        targets = [a for a in agents if a not in sources]
        return Event(token, "ACCUSE", sources, targets, rule="accusation-reported") if sources and targets else None

    def _agents(self, predicate: Token) -> list[str]:
        """The actor doing the wrong: the subject, or the owner of an action as subject."""
        args = self.finder.args
        names: list[str] = []
        for subject in self.finder.subject_tokens(predicate):
            found = args.actor_of(subject)
            if not found and subject.pos_ == "NOUN":
                for child in subject.children:
                    if child.dep_ in ("poss", "compound", "nmod"):
                        found += args.actor_of(child)
            names += [n for n in found if n not in names]
        return names

    def _speaker(self, predicate: Token) -> Token | None:
        """The speech verb the predicate is reported under (through complements and conjuncts)."""
        current = predicate
        crossed_complement = False
        for _ in range(8):
            if current.dep_ not in _UP or current.head is current:
                return None
            crossed_complement = crossed_complement or current.dep_ == "ccomp"
            current = current.head
            if crossed_complement and current.lemma_.lower() in self.rules.speech_verbs:
                return current
        return None
