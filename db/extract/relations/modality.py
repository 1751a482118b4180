"""Did the event happen? Asserted, planned (a promise, plan or agreement: AGREE) or unreal.

Unreal: negated ("did not meet", "no talks"), merely possible or expected ("could", "is expected
to", "possible summit"), conditional ("if Choe meets"), refused or cancelled ("refused to meet"),
or only requested ("urged talks between X and Y": the request is the relation).
Planned: future ("will meet"), planned or promised ("agreed to meet", "is prepared for a summit",
"upcoming talks"). The heads that decide are words in data/relations.json, found by walking up
the parse from the trigger through complements, objects and prepositions, never across an
adverbial or relative clause.
"""

from __future__ import annotations

from enum import Enum

from spacy.tokens import Token

from dprk_tui.db.extract.relations.grammar import is_content_clause
from dprk_tui.db.extract.relations.rules import TriggerRules

_WALK_UP = frozenset(
    {"xcomp", "ccomp", "acomp", "pcomp", "dobj", "pobj", "prep", "compound", "acl", "attr", "oprd",
     "amod", "nsubjpass", "appos", "dative", "advmod"}
)


class Mood(Enum):
    ASSERTED = "asserted"
    PLANNED = "planned"
    UNREAL = "unreal"


class ModalityJudge:
    """Classifies trigger tokens by the words around and above them."""

    def __init__(self, rules: TriggerRules) -> None:
        self.rules = rules

    def mood(self, token: Token) -> tuple[Mood, Token | None]:
        """The event's mood, and for PLANNED the head that plans it (None for "will")."""
        mood = self._local(token)
        planner: Token | None = None
        if mood is Mood.UNREAL:
            return mood, None
        current = token
        crossed: str | None = None  # the last preposition walked through
        for _ in range(10):
            dep = current.dep_
            if dep == "conj":
                current = current.head
                continue
            if dep == "relcl" and is_content_clause(current):
                dep = "ccomp"  # a content clause the parser hung on a noun as a relative clause
            elif dep not in _WALK_UP or current.head is current:
                break
            if is_content_clause(current):
                crossed = "that"
            head = current.head
            if head.pos_ == "ADP" or head.dep_ in ("prep", "agent"):
                if head.lower_ in self.rules.negative_heads or head.lower_ in self.rules.unreal_heads:
                    return Mood.UNREAL, None  # "met without X", "instead of talks"
                if crossed != "that":
                    crossed = head.lower_
                current = head
                continue
            if (crossed is None or crossed in self.rules.claim_preps) and _forms(head) & self.rules.claim_heads:
                return Mood.UNREAL, None  # "accused X of supplying ...", "accusations that X ..."
            if crossed == "that" and any(
                c.dep_ == "dobj" and _forms(c) & self.rules.claim_heads for c in head.children
            ):
                return Mood.UNREAL, None  # "drew accusations from X that Y supplied ..."
            if head.pos_ in ("VERB", "AUX"):
                crossed = None
            verdict = self._head_class(head)
            if verdict is Mood.UNREAL:
                return Mood.UNREAL, None
            if verdict is Mood.PLANNED and planner is None:
                mood, planner = Mood.PLANNED, head
            if dep != "ccomp":
                local = self._local(head)
                if local is Mood.UNREAL:
                    return Mood.UNREAL, None
                if local is Mood.PLANNED and mood is Mood.ASSERTED:
                    mood = Mood.PLANNED
            current = head
        return mood, planner

    # -- pieces ---------------------------------------------------------------------------------
    def _head_class(self, head: Token) -> Mood | None:
        rules = self.rules
        forms = _forms(head)
        particles = [c.lower_ for c in head.children if c.dep_ == "prt"]
        forms |= {f"{form} {particle}" for form in forms for particle in particles}
        for word in forms:
            if word in rules.request_heads or word in rules.negative_heads or word in rules.unreal_heads:
                return Mood.UNREAL
        if forms & rules.plan_heads:
            return Mood.PLANNED
        return None

    def _local(self, token: Token) -> Mood:
        """Negation, modal and future auxiliaries, conditionals, and modifiers of event nouns."""
        rules = self.rules
        mood = Mood.ASSERTED
        for child in token.children:
            dep, lower = child.dep_, child.lower_
            if dep == "neg":
                return Mood.UNREAL
            if dep == "det" and lower in rules.negative_determiners:
                return Mood.UNREAL
            if dep == "aux":
                if lower in rules.modal_auxiliaries:
                    return Mood.UNREAL
                if lower in rules.future_auxiliaries:
                    mood = Mood.PLANNED
                elif lower == "would":
                    if token.dep_ == "ccomp" and token.head.lemma_.lower() in rules.reporting_verbs:
                        mood = Mood.PLANNED
                    else:
                        return Mood.UNREAL
            if dep == "mark" and lower in rules.conditional_marks:
                return Mood.UNREAL
            if dep in ("amod", "compound", "advmod") and token.pos_ in ("NOUN", "PROPN"):
                word = child.lemma_.lower()
                if lower in rules.unreal_modifiers or word in rules.unreal_modifiers:
                    return Mood.UNREAL
                if lower in rules.plan_modifiers or word in rules.plan_modifiers:
                    mood = Mood.PLANNED
        return mood


def _forms(token: Token) -> set[str]:
    """The lemma and the plain forms of a word: the lemmatizer sometimes errs ("hopes" -> "hop")."""
    lower = token.lower_
    forms = {token.lemma_.lower(), lower}
    if lower.endswith("s"):
        forms.add(lower[:-1])
    if lower.endswith(("es", "ed")):
        forms.add(lower[:-2])
    if lower.endswith("ed"):
        forms.add(lower[:-1])
    if lower.endswith("ing"):
        forms |= {lower[:-3], lower[:-3] + "e"}
    return forms
