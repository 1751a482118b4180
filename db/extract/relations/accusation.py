"""Reported accusations and demands: "He (Kim) noted that the DPRK's arms transfers ... violate
U.N. resolutions" -> Sung Kim ACCUSE North Korea; "Russia said that Sudan must return the
helicopter" -> Russia REQUEST Sudan.

A speaker (the subject of a speech verb) says that an actor, or an action of an actor, violates,
undermines, provokes ... (data/relations.json, "reported_accusation"): the speaker accuses the
actor. A speaker says that an actor must do something ("reported_demand"): the speaker requests it
of the actor. A negated predicate ("did not violate", "must not") states neither.
"""

from __future__ import annotations

from spacy.tokens import Token

from dprk_tui.db.extract.relations.event import Event
from dprk_tui.db.extract.relations.events import EventFinder
from dprk_tui.db.extract.relations.grammar import VERBAL, negated

_UP = frozenset({"xcomp", "conj", "ccomp", "advcl"})


class AccusationFinder:
    """Speaker ACCUSE agent, when the speaker reports the agent's wrongdoing."""

    def __init__(self, finder: EventFinder) -> None:
        self.finder = finder
        self.rules = finder.rules

    def is_predicate(self, token: Token) -> bool:
        if token.pos_ not in VERBAL:
            return False
        lemma = token.lemma_.lower()
        if lemma in self.rules.accusation_predicates or self._demanded(token):
            return True
        # "poses a threat", "is a violation of": a predicate made of a verb and its object
        return any(
            f"{lemma} {c.lemma_.lower()}" in self.rules.accusation_predicates
            for c in token.children if c.dep_ in ("dobj", "attr")
        )

    def _demanded(self, token: Token) -> bool:
        return any(c.dep_ == "aux" and c.lower_ in self.rules.demand_modals for c in token.children) or (
            self._threat(token)
        )

    def _threat(self, token: Token) -> bool:
        """"X said Y must/will face the worst", "will pay a heavy price": a threat, not a demand."""
        return token.lemma_.lower() in self.rules.threat_predicates and any(
            c.dep_ == "aux" and (c.lower_ in self.rules.demand_modals or c.lower_ in self.rules.future_auxiliaries
                                 or c.lower_ == "would")
            for c in token.children
        )

    def event(self, token: Token) -> Event | None:
        """Speaker ACCUSE agent for a wrongdoing predicate, or speaker REQUEST agent for what the
        agent must do, when a speaker reports it."""
        if negated(token):
            return None
        demand = self._demanded(token)
        agents = self.finder.args.actors(self.finder.subject_tokens(token)) if demand else self._agents(token)
        if not agents:
            return None
        speaker = self._speaker(token)
        if speaker is None or (demand and self.finder.verb_trigger(speaker) is not None):
            return None  # "warned that X must ...": the speech verb states its own event
        sources = self.finder.args.actors(self.finder.subject_tokens(speaker), frozenset(agents))
        targets = [a for a in agents if a not in sources]
        if not sources or not targets:
            return None
        if self._threat(token):
            kind, rule = "THREATEN", "threat-reported"
        elif demand:
            kind, rule = "REQUEST", "demand-reported"
        else:
            kind, rule = "ACCUSE", "accusation-reported"
        return Event(token, kind, sources, targets, rule=rule)

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
