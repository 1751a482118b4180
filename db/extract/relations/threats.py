"""Conditional threats: "the North could also shut the Kaesong zone if Seoul did not stop the
defectors" -> North Korea THREATEN South Korea; "Washington will respond if Pyongyang tests".

A harmful act (data/relations.json "conditional_threats": verbs, or "take" with an object such as
"countermeasures") that is only possible or announced (a modal or future auxiliary) and depends on
what another actor does (an "if"/"unless" clause with that actor as subject) is a threat from the
one who would act to the one whose conduct is the condition. A negated act threatens nobody.
"""

from __future__ import annotations

from spacy.tokens import Token

from dprk_tui.db.extract.relations.event import Event
from dprk_tui.db.extract.relations.events import EventFinder
from dprk_tui.db.extract.relations.grammar import SUBJECTS, VERBAL, children, negated


class ConditionalThreats:
    """X THREATEN Y for "X could/will <harm> ... if Y ..."."""

    def __init__(self, finder: EventFinder) -> None:
        self.finder = finder
        self.rules = finder.rules

    def is_candidate(self, token: Token) -> bool:
        if token.pos_ not in VERBAL:
            return False
        lemma = token.lemma_.lower()
        if lemma not in self.rules.threat_verbs and not (
            lemma in self.rules.threat_light_verbs
            and any(c.dep_ == "dobj" and c.lemma_.lower() in self.rules.threat_objects for c in token.children)
        ):
            return False
        return any(c.dep_ == "aux" and c.lower_ in self.rules.threat_auxiliaries for c in token.children)

    def event(self, token: Token) -> Event | None:
        if negated(token):
            return None
        conditions = [
            clause for clause in children(token, "advcl")
            if any(m.dep_ == "mark" and m.lower_ in self.rules.conditional_marks for m in clause.children)
        ]
        args = self.finder.args
        targets = args.actors([s for clause in conditions for s in children(clause, *SUBJECTS)])
        sources = [n for n in args.actors(self.finder.subject_tokens(token)) if n not in targets]
        if not sources or not targets:
            return None
        return Event(token, "THREATEN", sources, targets, [], main_clause=self.finder.in_main_clause(token),
                     rule="threat-conditional")
