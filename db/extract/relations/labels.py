"""Naming something as a wrong: "terming the DPRK's measures a threat", "called the U.S. sanctions
illegal", "described the drills as a provocation" (KCNA's and ministries' usual way to accuse).

A verb of naming (data/relations.json "labels": verbs) with an object and a label for it (a second
object, a predicate complement or an "as" phrase) whose word is an accusing label ("threat",
"provocation", "illegal"...) makes its subject ACCUSE whoever the object names or belongs to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from dprk_tui.db.extract.relations.event import Event
from dprk_tui.db.extract.relations.grammar import conjuncts, pobjs

if TYPE_CHECKING:
    from dprk_tui.db.extract.relations.events import EventFinder

_LABEL_SLOTS = ("dobj", "oprd", "attr", "xcomp", "acomp", "ccomp")


class LabelReader:
    """ACCUSE events of verbs of naming with an accusing label."""

    def __init__(self, finder: EventFinder) -> None:
        self.finder = finder
        self.rules = finder.rules

    def event(self, verb: Token) -> Event | None:
        if verb.lemma_.lower() not in self.rules.labelling_verbs:
            return None
        slots = [c for c in verb.children if c.dep_ in _LABEL_SLOTS]
        slots += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for p in pobjs(c)]
        # "termed X a threat" parsed with the label hanging on the object
        slots += [g for c in slots if c.dep_ == "dobj" for g in c.children if g.dep_ in ("dobj", "appos", "attr")]
        labels = [t for t in conjuncts(slots) if self._accusing(t)]
        named = [c for c in verb.children if c.dep_ == "dobj" and c not in labels]
        if not labels or not named:
            return None
        args = self.finder.args
        targets: list[str] = []
        for thing in conjuncts(named):
            for name in args.actor_of(thing) or args.owners(thing):
                if name not in targets:
                    targets.append(name)
        sources = [n for n in args.actors(self.finder.subject_tokens(verb)) if n not in targets]
        if not sources or not targets:
            return None
        return Event(verb, "ACCUSE", sources, targets, [], main_clause=self.finder.in_main_clause(verb),
                     rule="label")

    def _accusing(self, token: Token) -> bool:
        if token.lemma_.lower() in self.rules.accusing_labels or token.lower_ in self.rules.accusing_labels:
            return True
        # "a threat to peace", "an act of aggression": the head of a short phrase
        return any(c.dep_ == "amod" and c.lemma_.lower() in self.rules.accusing_labels for c in token.children)
