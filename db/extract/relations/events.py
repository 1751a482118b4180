"""Events read off the parse: a trigger (verb or event noun) with its acting and acted-upon actors.

Verbs ("Choe met Sun", "Y was criticized by X", "X and Y agreed", "X called on Y to ..."):
the subject acts, or the passive's "by" phrase; the object and the objects of the trigger's
prepositions are acted upon; a subject missing from a complement, participle, conjunct or
"after meeting X" comes from the governing clause ("urged X to meet": X). Reciprocal verbs with
two subjects and no object pair the subjects. A "with" phrase the parser attached too low still
counts for reciprocal verbs ("coordinating a way of resolving the issue *with China*"). "X was in
Y to discuss" gives X and Y; "met Putin and conveyed Kim's greetings" shares the object. Requests
and refusals also reach the parties of what they ask for or refuse ("urged talks between X and
Y", "refused to hold talks with X").

Nouns: nouns.py.
"""

from __future__ import annotations

from spacy.tokens import Token

from dprk_tui.db.extract.relations.arguments import ArgumentResolver
from dprk_tui.db.extract.relations.event import Event
from dprk_tui.db.extract.relations.grammar import (
    CLAUSES, PASSIVE_SUBJECTS, SUBJECTS, VERBAL, agents, children, conjuncts, is_passive, pobjs,
    prep_objects,
)
from dprk_tui.db.extract.relations.labels import LabelReader
from dprk_tui.db.extract.relations.nouns import NOMINAL, NounEvents
from dprk_tui.db.extract.relations.rules import NounTrigger, TriggerRules, VerbTrigger


class EventFinder:
    """Finds the event a token triggers, if any."""

    def __init__(self, rules: TriggerRules, arguments: ArgumentResolver) -> None:
        self.rules = rules
        self.args = arguments
        self.nouns = NounEvents(self)
        self.labels = LabelReader(self)

    # -- triggers -------------------------------------------------------------------------------
    def verb_trigger(self, token: Token) -> VerbTrigger | None:
        if token.pos_ not in VERBAL:
            return None
        lemma = token.lemma_.lower()
        if lemma not in self.rules.phrasal_heads:
            return self.rules.verbs.get(lemma)
        phrasal = self.rules.phrasal_verbs
        for child in token.children:
            if child.dep_ in ("prt", "prep", "advmod") and f"{lemma} {child.lower_}" in phrasal:
                return phrasal[f"{lemma} {child.lower_}"]
            if child.dep_ in ("advcl", "ccomp", "xcomp"):
                for mark in child.children:
                    if mark.dep_ == "mark" and f"{lemma} {mark.lower_}" in phrasal:
                        return phrasal[f"{lemma} {mark.lower_}"]
        return self.rules.verbs.get(lemma)

    def noun_trigger(self, token: Token) -> NounTrigger | None:
        if token.pos_ not in NOMINAL or token.i in self.args.context.actor_at:
            return None
        nouns = self.rules.nouns
        return nouns.get(token.lower_) or nouns.get(token.lemma_.lower())

    def event(self, token: Token) -> Event | None:
        if token.pos_ in VERBAL:
            labelled = self.labels.event(token)
            if labelled is not None:
                return labelled
        verb = self.verb_trigger(token)
        if verb is not None:
            return self.verb_event(token, verb)
        noun = self.noun_trigger(token)
        if noun is not None:
            return self.nouns.event(token, noun)
        adjective = self.rules.adjectives.get(token.lemma_.lower()) if token.pos_ == "ADJ" else None
        if adjective is not None:
            return self.adjective_event(token, adjective)
        return None

    def adjective_event(self, token: Token, trigger: VerbTrigger) -> Event | None:
        """"China and Russia have been more sympathetic to North Korea", "X is critical of Y",
        "Pyongyang and Moscow getting closer": the adjective's subject acts on its preposition's
        object; two subjects with none act on each other."""
        if token.dep_ not in ("acomp", "oprd", "xcomp", "ROOT", "conj", "advcl"):
            return None
        sources = self.args.actors(self.subject_tokens(token))
        targets = self.args.actors(prep_objects(token, trigger.preps or ()), repair=True)
        if trigger.type in self.rules.complement_types:  # "is ready to lift the ban on X"
            targets += self.complement_participants(token, trigger.type)
        targets = [t for t in dict.fromkeys(targets) if t not in sources]
        return Event(token, trigger.type, sources, targets, [], reciprocal=trigger.reciprocal,
                     main_clause=self.in_main_clause(token), rule="adjective")

    # -- verbs ----------------------------------------------------------------------------------
    def verb_event(self, token: Token, trigger: VerbTrigger) -> Event | None:
        if trigger.unless_children and any(c.dep_ in trigger.unless_children for c in token.children):
            return None
        if trigger.requires_complement and not any(
            c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "for") for c in token.children
        ):
            return None
        args = self.args
        passive = is_passive(token)
        if self.is_participle_modifier(token):
            # "the United States-backed South", "Japan, criticized by North Korea": the noun it
            # modifies is acted upon; the agent is the "by" phrase or the name glued to it
            passive = True
            subject_tokens = agents(token) or children(token, "npadvmod", "compound", "nmod")
            object_tokens = [token.head]
        elif passive:
            subject_tokens = agents(token)
            object_tokens = conjuncts(children(token, *PASSIVE_SUBJECTS))
        else:
            subject_tokens = self.subject_tokens(token)
            object_tokens = conjuncts(children(token, "dobj", "dative"))
        if trigger.object == "direct" and not passive:
            context = args.context
            object_actors = list(dict.fromkeys(
                context.actor_at[t.i].actor for t in object_tokens if t.i in context.actor_at
            ))
        else:
            object_actors = args.actors(object_tokens, motion=trigger.motion, repair=True)
        # the thing given, sent or received decides the type ("gave Kim *a letter*"), an actor
        # object keeps the verb's own type ("sent *Choe* to Moscow")
        things = [t for t in object_tokens if t.pos_ in NOMINAL and not args.actor_of(t)]
        head_object = things[0] if things else (object_tokens[0] if object_tokens else None)
        kind = trigger.type_for_object(
            head_object.lemma_.lower() if head_object is not None else None, bool(object_actors) and not things
        )
        if kind is None:
            return None
        targets = list(object_actors) if trigger.object != "no" or passive else []
        rule = "verb-passive" if passive else "verb-subj-obj"
        particles = self.rules.particles
        anchors = [token, *(c for c in token.children if c.dep_ in ("prt", "advmod") and c.lower_ in particles)]
        prep_phrases = [o for a in anchors for o in prep_objects(a, trigger.preps or ())]
        by_prep = args.actors(prep_phrases, motion=trigger.motion, repair=True)
        if kind in self.rules.owner_object_types:  # "complained over Israeli raids"
            by_prep += [n for p in prep_phrases if not args.actor_of(p) for n in args.owners(p, pronouns=False)]
        if by_prep and not targets:
            rule = "verb-prep"
        targets += by_prep
        if head_object is not None and not object_actors and not passive:
            # "received a letter from X", "sent troops to Y": the phrase hangs on the object
            found = args.actors(prep_objects(head_object, trigger.preps or ()), motion=trigger.motion)
            if kind in self.rules.owner_object_types:
                # "condemned South Korea's drills", "rejected a Chinese proposal", "the drills by X",
                # "appreciated the support of North Korea" (a noun whose "of" names its author)
                found += args.owners(head_object) + args.actors(prep_objects(token, ("by",)))
                if head_object.lemma_.lower() not in self.rules.patient_nouns:
                    # "condemns the brutality of the North Korean regime" (not "the arrest of X")
                    found += args.actors(prep_objects(head_object, ("of",)))
                noun = self.noun_trigger(head_object)
                if noun is not None and noun.preps.get("of") == "source":
                    found += args.actors(prep_objects(head_object, ("of",)))
            # "demanded the withdrawal of Serbian forces", "rejected a call for its forces"
            found += args.actors(prep_objects(head_object, self.rules.object_phrase_preps.get(kind, ())))
            if found and not targets:
                rule = "verb-object-phrase"
            targets += found
        if kind in self.rules.complement_types:
            acting = args.actors(subject_tokens, frozenset(targets))  # "walked away from *his* talks"
            found = self.complement_participants(token, kind, anchors, trigger.preps)
            found = [n for n in found if n not in targets and n not in acting]
            if found and not targets:
                rule = "verb-complement"
            targets += found
        sources = args.actors(subject_tokens, frozenset(targets))
        if trigger.object_source and head_object is not None and not object_actors:
            owners = args.actors(children(head_object, "poss"), frozenset(targets))
            sources = owners or sources
        if trigger.direction == "object_acts":
            sources, targets = targets, sources
            rule = "verb-host"
        if not targets and trigger.reciprocal:
            targets = self.low_with(token)
            rule = "verb-with" if targets else "verb-reciprocal"
        if not targets and kind == "CONSULT":
            targets = self.locative(token)
            if targets:
                rule = "verb-locative"
            else:
                targets = self.shared_object(token)
                rule = "verb-shared-object" if targets else rule
        return Event(
            token, kind, sources, [t for t in targets if t not in sources], [],
            reciprocal=trigger.reciprocal, motion=trigger.motion, main_clause=self.in_main_clause(token),
            rule=rule,
        )

    @staticmethod
    def is_participle_modifier(token: Token) -> bool:
        return (
            token.dep_ in ("amod", "acl") and token.tag_ == "VBN" and token.head.pos_ in NOMINAL
            and not any(c.dep_ in PASSIVE_SUBJECTS or c.dep_ in SUBJECTS for c in token.children)
        )

    def subject_tokens(self, verb: Token, depth: int = 0) -> list[Token]:
        """The acting phrase heads of a verb: its subject, the passive agent, or the subject it
        shares with a governing clause (complements, participles, conjuncts)."""
        if is_passive(verb):
            return agents(verb)
        found = children(verb, *SUBJECTS)
        if not found:  # "it is prepared": the parser hangs the subject on the auxiliary
            found = [s for aux in children(verb, "aux", "auxpass") for s in children(aux, *SUBJECTS)]
        if found:
            return conjuncts(found)
        if depth > 4 or verb.head is verb:
            return []
        dep, head = verb.dep_, verb.head
        if dep == "xcomp" and head.pos_ == "ADJ":  # "Russia is willing to work with X"
            return self.subject_tokens(head, depth + 1)
        if dep == "acomp" or (dep in ("xcomp", "conj", "advcl") and head.pos_ in VERBAL):
            if dep == "xcomp":
                controllers = children(head, "dobj")
                if controllers and head.lemma_.lower() in self.rules.object_control_verbs:
                    return conjuncts(controllers)
                raised = children(head, *PASSIVE_SUBJECTS)
                if raised:  # "Xi is set to meet Trump", "Kim is expected to visit"
                    return conjuncts(raised)
            return self.subject_tokens(head, depth + 1)
        if dep == "pcomp" and head.dep_ == "prep" and head.head.pos_ in VERBAL:
            # "After meeting X, Y returned"; "Y was criticized for meeting X"
            governor = head.head
            passive = children(governor, *PASSIVE_SUBJECTS)
            return conjuncts(passive) if passive else self.subject_tokens(governor, depth + 1)
        if dep == "relcl" and head.pos_ in NOMINAL and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            # "has taken measures to mend ties": an infinitive has its governing clause's subject
            if head.dep_ in ("dobj", "attr") and head.head.pos_ in VERBAL:
                return self.subject_tokens(head.head, depth + 1)
            return []
        if dep == "acl" and head.pos_ in NOMINAL:
            # "a delegation visiting Russia"; "issued a statement denouncing ...": its author;
            # "Russia's plans to sign", "Seoul's decision to suspend": the owner of the plan
            owners = children(head, "poss")
            if owners and not self.args.actor_of(head) and self.args.actors(owners):
                return owners
            if not self.args.actor_of(head) and head.dep_ == "dobj" and head.head.pos_ in VERBAL:
                return self.subject_tokens(head.head, depth + 1)
            return [head]
        return []

    def complement_participants(
        self, token: Token, kind: str, anchors: list[Token] | None = None, preps: frozenset[str] | None = None,
    ) -> list[str]:
        """Who a request, refusal, threat, promise or allegation is about: "called for Beijing to
        abide", "urged cooperation between X and Y", "refused to hold talks with X", "threatened to
        cut off electricity to X", "agreed to lift the embargo on X", "alleged that X supplied ..."."""
        args = self.args
        rules = self.rules
        names: list[str] = []
        for child in token.children:
            candidates: list[Token] = []
            if child.dep_ in ("xcomp", "ccomp", "advcl"):
                if kind in rules.complement_subject_types:
                    names += args.actors(children(child, *SUBJECTS, *PASSIVE_SUBJECTS))
                if kind in rules.complement_actor_types and child.dep_ != "advcl":
                    names += self.clause_actors(child, kind)
                if kind in rules.condition_types:
                    # "threatened to ... unless Israel rescinded": the one who must comply
                    for clause in [child, *children(child, "advcl")]:
                        if clause.dep_ == "advcl" and any(
                            c.dep_ == "mark" and c.lower_ in rules.conditional_marks for c in clause.children
                        ):
                            names += args.actors(children(clause, *SUBJECTS))
                candidates = [child, *children(child, "dobj")]
            elif child.dep_ == "dobj" or (child.dep_ == "prep" and child.lower_ == "for"):
                candidates = [child] if child.dep_ == "dobj" else pobjs(child)
            for candidate in conjuncts(candidates):
                names += self._inner_names(candidate, rules, kind)
        # "walked away from talks with X": the events its own prepositions name
        for candidate in (o for a in anchors or [] for o in prep_objects(a, preps or ())):
            names += self._inner_names(candidate, rules, kind)
        return list(dict.fromkeys(names))

    def _inner_names(self, candidate: Token, rules: TriggerRules, kind: str) -> list[str]:
        """Who an event named inside a complement concerns: "refused talks with X": the other
        party; "vetoed U.S. sanctions on X": the one whose act is refused, not its target."""
        inner = self.inner_event(candidate)
        if inner is None:
            return []
        refused = kind in rules.source_only_kinds and inner.type in rules.source_only_types
        return inner.sources if refused else inner.participants

    def clause_actors(self, verb: Token, kind: str) -> list[str]:
        """The actors a clause is about: its subjects, objects and the objects of its argument
        prepositions, or the owners of those phrases ("U.S.-S. Korea drills would bring ...")."""
        args = self.args
        objects = conjuncts(children(verb, "dobj"))
        preps = self.rules.complement_preps.get(kind) or self.rules.complement_preps["_other"]
        phrases = conjuncts([*children(verb, *SUBJECTS, *PASSIVE_SUBJECTS, "dobj", "dative"),
                             *prep_objects(verb, preps), *(p for o in objects for p in prep_objects(o, preps))])
        names: list[str] = []
        for phrase in phrases:
            found = args.actor_of(phrase) or args.owners(phrase)
            names += [n for n in found if n not in names]
        return names

    def inner_event(self, token: Token) -> Event | None:
        verb = self.verb_trigger(token)
        if verb is not None and verb.type not in self.rules.complement_types:
            return self.verb_event(token, verb)
        noun = self.noun_trigger(token)
        return self.nouns.event(token, noun, inner=True) if noun is not None else None

    def low_with(self, verb: Token) -> list[str]:
        """Objects of "with" anywhere in the verb's clause but its subjects (parser attached the
        phrase to an object: "coordinating a way of resolving the issue with China")."""
        stack = [c for c in verb.children if c.dep_ not in SUBJECTS and c.dep_ not in CLAUSES
                 and not (c.dep_ == "conj" and c.pos_ in VERBAL)]
        found: list[Token] = []
        while stack:
            token = stack.pop()
            if token.dep_ == "prep" and token.lower_ == "with":
                found += pobjs(token)
            stack.extend(c for c in token.children if c.dep_ not in CLAUSES and c.dep_ != "relcl")
        return self.args.actors(found)

    def locative(self, token: Token) -> list[str]:
        """"X was in Y to discuss", "X arrived in Y for talks": a state where the clause places X."""
        rules = self.rules
        places = [token]
        if token.dep_ in ("advcl", "xcomp", "pobj", "conj") or token.head.dep_ == "prep":
            head = token.head.head if token.head.dep_ == "prep" else token.head
            places.append(head)
        names: list[str] = []
        for place in places:
            if place.lemma_.lower() not in rules.locative_verbs:
                continue
            for name in self.args.actors(prep_objects(place, rules.locative_preps), motion=True):
                if self.args.facts.type_of(name) == "GPE" and name not in names:
                    names.append(name)
        return names

    def shared_object(self, token: Token) -> list[str]:
        """"met Putin ... and conveyed Kim's greetings": a conjunct shares the first verb's object."""
        if token.dep_ != "conj" or token.head.pos_ not in VERBAL:
            return []
        head = token.head
        return self.args.actors(
            [*children(head, "dobj"), *prep_objects(head, ("with", "to"))]
        )

    @staticmethod
    def in_main_clause(token: Token) -> bool:
        """Not inside a relative or adjectival clause (such events are not what "the two sides"
        later refers to)."""
        current = token
        for _ in range(12):
            if current.dep_ in ("relcl", "acl"):
                return False
            if current.head is current:
                return True
            current = current.head
        return True
