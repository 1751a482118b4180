"""Events stated by nouns: "X's visit to Y", "talks between X and Y", "arms transfers from X to Y",
"U.S. sanctions on Y", "drills staged by X and Y".

Possessors, name compounds, "by" participles and the noun's prepositions fill the roles (per noun
in data/relations.json); a side still missing comes from the subject of a light verb ("held talks
with Y", "paid a visit to Y") or of the clause an adjunct belongs to ("*in* talks with Y, X said"),
unless that verb is itself the trigger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from dprk_tui.db.extract.relations.event import Event
from dprk_tui.db.extract.relations.grammar import (
    PASSIVE_SUBJECTS, SUBJECTS, VERBAL, agents, children, is_content_clause, pobjs, prep_objects,
)
from dprk_tui.db.extract.relations.rules import NounTrigger

if TYPE_CHECKING:
    from dprk_tui.db.extract.relations.events import EventFinder

NOMINAL = frozenset({"NOUN", "PROPN"})


class NounEvents:
    """Reads the event of a noun trigger; composed into an EventFinder (whose verb helpers it uses)."""

    def __init__(self, finder: EventFinder) -> None:
        self.finder = finder
        self.rules = finder.rules
        self.args = finder.args

    def event(self, token: Token, trigger: NounTrigger, inner: bool = False) -> Event | None:
        """The event of a noun trigger; `inner`: only its own participants, for the request or
        refusal that governs it ("ruled out talks with X")."""
        if any(c.dep_ == "prep" and c.lower_ in trigger.unless_preps for c in token.children):
            return None
        if trigger.holder:
            return self.holder_event(token, trigger)
        if trigger.governors and not self.governed(token, trigger.governors):
            return None
        args = self.args
        heads = [token]
        if token.dep_ == "compound" and token.head.pos_ in NOMINAL:
            heads.append(token.head)
        sources: list[str] = []
        targets: list[str] = []
        pair: list[str] = []
        named: list[str] = []
        rule = "noun-args"
        for head in heads:
            for child in head.children:
                if child in heads:
                    continue
                if child.dep_ == "poss":
                    sources += args.actor_of(child)
                elif child.dep_ in ("compound", "nmod"):
                    named += args.actor_of(child)
                elif child.dep_ == "acl":  # "the drills staged by X and Y"
                    sources += args.actors(agents(child))
                elif child.dep_ == "prep":
                    role = trigger.preps.get(child.lower_)
                    if role is None:
                        continue
                    names = args.actors(pobjs(child), motion=trigger.motion and role == "target",
                                        repair=role == "target")
                    {"source": sources, "target": targets, "pair": pair}[role].extend(names)
        named = list(dict.fromkeys(named))
        if len(named) < 2 and trigger.reciprocal and not (pair or targets or sources):
            # "the strategic and traditional DPRK-Russia relations": names glued before the noun
            glued = self.left_names(token)
            if len(glued) >= 2:
                named = glued
        if len(named) >= 2:
            pair += named
        elif named:
            sources += named
        if pair:
            rule = "noun-between"
        governor, via_object = (None, False) if inner else self.governor(heads[-1], trigger.governors)
        complete = pair or (sources and targets) or (trigger.reciprocal and len(set(sources)) >= 2)
        if not complete and governor is not None:
            recipients = args.actors(children(governor, "dative") + prep_objects(governor, ("to",)))
            handed = via_object and sources and not targets and recipients
            if via_object and not handed and self.verb_decides(governor, heads[-1]):
                return None  # "held talks": the verb's own event; "gave Kim a letter from Putin": two
            filler = args.actors(self.finder.subject_tokens(governor))
            rule = "noun-light-verb" if via_object else "noun-adjunct"
            if handed:
                # "Shoigu gave Kim a letter from Putin": from its author to its recipient
                targets = [n for n in recipients if n not in sources]
                filler = []
            if not sources:
                sources = [n for n in filler if n not in targets]
            elif not targets and (trigger.reciprocal or not via_object):
                # "held talks with", "at the invitation of X, Y visited"; not "Y reaffirmed X's pledge"
                targets = [n for n in filler if n not in sources]
            if not targets:
                wanted = [p for p, role in trigger.preps.items() if role == "target"]
                targets = args.actors(prep_objects(governor, wanted), motion=trigger.motion)
        if not targets and not pair and trigger.type in self.rules.complement_subject_types:
            # "accusations from X that Y had been transferring weapons", "demands that Y ease ..."
            targets = [n for n in self.content_subjects(heads[-1]) if n not in sources]
            if targets:
                rule = "noun-that-clause"
        if trigger.type == "CONSULT" and sources and not targets and not pair and governor is not None:
            targets = self.finder.locative(governor)
            rule = "noun-locative"
        return Event(
            token, trigger.type, list(dict.fromkeys(sources)),
            [t for t in dict.fromkeys(targets) if t not in sources], list(dict.fromkeys(pair)),
            reciprocal=trigger.reciprocal, motion=trigger.motion,
            main_clause=self.finder.in_main_clause(token), rule=rule,
        )

    def holder_event(self, token: Token, trigger: NounTrigger) -> Event | None:
        """"Pyongyang has become one of Moscow's biggest backers", "China is North Korea's main
        ally", "Russia, a close partner of North Korea", "U.S. ally South Korea": the one the noun
        is said of acts; its possessor, modifier or "of"/"to" object is acted upon."""
        args = self.args
        targets = args.actors(children(token, "poss", "compound", "nmod"))
        targets += args.actors(prep_objects(token, ("of", "to", "for")))
        phrase = token
        while phrase.dep_ == "pobj" and phrase.head.lower_ == "of" and (
            phrase.head.head.lemma_.lower() in self.rules.quantity_nouns
        ):
            phrase = phrase.head.head  # "one of Moscow's backers"
        while phrase.dep_ == "conj":
            phrase = phrase.head
        sources: list[str] = []
        if phrase.dep_ in ("attr", "oprd") and phrase.head.pos_ in VERBAL:
            sources = args.actors(self.finder.subject_tokens(phrase.head))
        elif phrase.dep_ in ("appos", "compound", "nmod"):
            sources = args.actor_of(phrase.head)
        sources += [n for c in children(token, "appos") for n in args.actor_of(c)]
        sources = [n for n in dict.fromkeys(sources) if n not in targets]
        if not sources or not targets:
            return None
        return Event(token, trigger.type, sources, list(dict.fromkeys(targets)), [],
                     main_clause=self.finder.in_main_clause(token), rule="noun-holder")

    def governed(self, noun: Token, governors: frozenset[str]) -> bool:
        """Whether a noun (or the phrase it coordinates with) is the object of one of `governors`."""
        current = noun
        while current.dep_ == "conj" and current.head is not current:
            current = current.head
        return current.dep_ in ("dobj", "pobj", "nsubjpass") and current.head.lemma_.lower() in governors

    def content_subjects(self, noun: Token) -> list[str]:
        """The subjects of the "that" clause stating a noun's content, which the parser may hang on
        a word of the noun's own phrase ("accusations from X that Y ...") or, extraposed, on the
        verb the noun is the object of ("drew accusations from X that Y ...")."""
        stack = list(noun.children)
        if noun.dep_ == "dobj":
            stack += [c for c in noun.head.children if c.dep_ == "ccomp" and c.i > noun.i]
        while stack:
            token = stack.pop()
            if token.dep_ in ("relcl", "acl", "ccomp") and is_content_clause(token):
                return self.args.actors(children(token, *SUBJECTS, *PASSIVE_SUBJECTS))
            if token.dep_ in ("prep", "pobj", "compound", "amod", "appos"):
                stack.extend(token.children)
        return []

    def left_names(self, noun: Token) -> list[str]:
        """Distinct actors named in the modifiers before a noun, within its own phrase."""
        names: list[str] = []
        for left in noun.lefts:
            if left.dep_ in ("poss", "det", "prep", "relcl", "acl"):
                continue
            for token in left.subtree:
                mention = self.args.context.actor_at.get(token.i)
                if mention is not None and mention.actor not in names:
                    names.append(mention.actor)  # type: ignore[arg-type]
        return names

    def governor(self, phrase: Token, governors: frozenset[str] = frozenset()) -> tuple[Token | None, bool]:
        """The verb whose subject takes part in a noun's event, and whether the noun is its object:
        a light verb of which it is the object ("held talks"), or the verb its adjunct phrase
        modifies ("in talks with Y, X said")."""
        current = phrase
        for _ in range(4):
            while current.dep_ == "conj" and current.head is not current:
                current = current.head
            head = current.head
            if current.dep_ == "dobj" and head.pos_ in VERBAL:
                lemma = head.lemma_.lower()
                if lemma in self.rules.light_verbs or lemma in governors or self.finder.verb_trigger(head):
                    return head, True
                return None, False
            if current.dep_ == "pobj" and head.dep_ == "prep":
                if head.lower_ == "of" and head.head.lemma_.lower() in self.rules.quantity_nouns:
                    current = head.head
                    continue
                if head.lower_ in self.rules.adjunct_preps and head.head.pos_ in VERBAL:
                    return head.head, False
            return None, False
        return None, False

    def verb_decides(self, verb: Token, noun: Token) -> bool:
        """A governing verb that is itself a trigger for this object states the event itself."""
        trigger = self.finder.verb_trigger(verb)
        return trigger is not None and trigger.type_for_object(noun.lemma_.lower(), False) is not None
