"""Who visits whom: the direction of meetings (PLOVER: the visitor acts, the host is acted upon).

"X met Y", "talks between X and Y", "X and Y held talks" say nothing of direction; the text around
them often does. A meeting's own place ("met *in Pyongyang*", "talks at a space center *in
Russia's Far East*") names the host state; otherwise the document's visits do ("X visited
Pyongyang", "Y hosted X", "X's trip to Moscow"). When the side that acts in such a meeting belongs
to the host state and the other side to a visiting state, the relation is turned round. Relations
of other types, and meetings whose place and visits say nothing or disagree, keep their order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from dprk_tui.db.extract.model import RelationSpan
from dprk_tui.db.extract.relations.document import ActorFacts, DocContext
from dprk_tui.db.extract.relations.event import Event
from dprk_tui.db.extract.relations.grammar import VERBAL, pobjs

_PLACE_PREPS = ("in", "at", "during")
_MEETING = "CONSULT"


@dataclass
class VisitDirection:
    """Collects a document's visits and symmetric meetings, then orders the meetings."""

    facts: ActorFacts
    context: DocContext
    visits: set[tuple[str, str]] = field(default_factory=set)  # (visiting state, host state)
    meetings: dict[int, str | None] = field(default_factory=dict)  # id(relation) -> host state

    def note(self, event: Event, relations: list[RelationSpan]) -> None:
        """Record what an added event says about visits, and which relations are symmetric meetings."""
        if event.type != _MEETING:
            return
        state_of = self.facts.state_of
        if event.motion or event.rule == "verb-host":
            for relation in relations:
                visitor, host = state_of(relation.source), state_of(relation.target)
                if visitor and host and visitor != host:
                    self.visits.add((visitor, host))
            return
        if not event.reciprocal:
            return
        host = self.place(event.trigger)
        for relation in relations:
            self.meetings[id(relation)] = host

    def place(self, trigger: Token) -> str | None:
        """The state where a meeting takes place, from an "in"/"at" phrase of its trigger or of the
        verb or noun it belongs to."""
        anchors = [trigger]
        if trigger.head is not trigger:
            anchors.append(trigger.head)
            if trigger.head.dep_ == "prep" and trigger.head.head.pos_ in VERBAL:
                anchors.append(trigger.head.head)
        for anchor in anchors:
            for prep in anchor.children:
                if prep.dep_ == "prep" and prep.lower_ in _PLACE_PREPS:
                    state = self._state_in(pobjs(prep), depth=0)
                    if state:
                        return state
        return None

    def _state_in(self, tokens: list[Token], depth: int) -> str | None:
        context = self.context
        for token in tokens:
            mention = context.actor_at.get(token.i)
            if mention is not None and self.facts.type_of(mention.actor or "") == "GPE":
                return mention.actor
            place = context.place_at.get(token.i)
            if place is not None:
                state = (self.facts.capital_state(place.text) or self.facts.demonym_state(place.text)
                         or self.facts.demonym_state(token.text))
                if state:
                    return state
            if depth < 3:
                inner = [c for c in token.children if c.dep_ in ("poss", "compound", "amod", "prep", "pobj", "nmod")]
                inner += [g for c in token.children if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS
                          for g in pobjs(c)]
                state = self._state_in(inner, depth + 1)
                if state:
                    return state
        return None

    def ordered(self, relations: list[RelationSpan]) -> list[RelationSpan]:
        """The relations with each symmetric meeting pointing from the visitor to the host."""
        state_of = self.facts.state_of
        found: dict[tuple[str, str, str, int], RelationSpan] = {}
        for relation in relations:
            if id(relation) in self.meetings:
                source, target = state_of(relation.source), state_of(relation.target)
                host = self.meetings[id(relation)]
                if source and target and source != target and self._hosts(source, target, host):
                    relation = RelationSpan(
                        relation.target, relation.source, relation.type, relation.start, relation.end,
                        relation.trigger, relation.date, (relation.rule or "") + "+visitor-first",
                    )
            found.setdefault((relation.source, relation.target, relation.type, relation.start), relation)
        return list(found.values())

    def _hosts(self, source_state: str, target_state: str, host: str | None) -> bool:
        """Whether the acting side's state hosts the other side's."""
        if host is not None:
            return host == source_state
        return (target_state, source_state) in self.visits and (source_state, target_state) not in self.visits
