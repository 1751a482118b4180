"""Which actors a noun phrase stands for, once the parse has said which phrase fills a slot.

A phrase head names an actor when it is (part of) a resolved mention; otherwise, in this order:
- a relative pronoun ("the US, *which* held drills") stands for the noun before it;
- an apposition ("her counterpart, *Sergei Lavrov*", "He (*Kim*)") for its actor;
- a subject or possessive pronoun ("*she* met", "*its* invitation") for the nearest fitting actor
  before it (subjects preferred for subject pronouns), in this sentence or the one before;
- "the two sides" / "both countries" (as a subject) for the parties of a recent relation;
- a title ("Special Representative for North Korea *Sung Kim*") for the person inside the phrase;
- a representative noun ("*DPRK* envoy", "a *Japanese government* mission") for its modifier;
- a capital that the resolver left as a place stands for its state after a motion trigger
  ("Sun's visit to *Pyongyang*");
- named members ("a delegation, *including* Li Hongzhong") and origins ("ministers *from* the
  G7") of a representative noun, a nationality modifying a collective one ("*North Korean*
  officials"), the leader of a "US-led coalition", "one of"/"hundreds of" for what follows.
The document (mentions by token, sentences, actor facts) is document.py's.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from dprk_tui.db.extract.model import MentionSpan
from dprk_tui.db.extract.relations.document import ActorFacts, DocContext
from dprk_tui.db.extract.relations.grammar import (
    CLAUSES, PASSIVE_SUBJECTS, SUBJECTS, agents, conjuncts, phrase_end, pobjs, prep_objects,
)
from dprk_tui.db.extract.relations.rules import TriggerRules

_SUBJECT_DEPS = SUBJECTS | PASSIVE_SUBJECTS
_CORE_DEPS = _SUBJECT_DEPS | {"dobj", "pobj", "dative", "poss"}
# "The two countries" are the states of the parties of a recent meeting, agreement or cooperation.
_PARTY_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})


_QUOTE = re.compile(r'["“”]')


def _quoted(sent: Span) -> list[tuple[int, int]]:
    """Character ranges of the sentence between paired quotation marks."""
    marks = [sent.start_char + m.start() for m in _QUOTE.finditer(sent.text)]
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]


class ArgumentResolver:
    """Turns phrase heads into actor names within one document."""

    def __init__(self, rules: TriggerRules, facts: ActorFacts, context: DocContext) -> None:
        self.rules = rules
        self.facts = facts
        self.context = context

    # -- entry points ---------------------------------------------------------------------------
    def actors(
        self, tokens: list[Token], avoid: frozenset[str] = frozenset(), *, motion: bool = False,
        repair: bool = False,
    ) -> list[str]:
        """The actors the phrases headed by `tokens` (conjuncts included) stand for, in order."""
        names: list[str] = []
        for token in conjuncts(tokens):
            for name in self._glued(token) + self.actor_of(token, avoid, motion=motion, repair=repair):
                if name not in names:
                    names.append(name)
        return names

    def actor_of(
        self, token: Token, avoid: frozenset[str] = frozenset(), *, motion: bool = False,
        repair: bool = False, depth: int = 0,
    ) -> list[str]:
        """The actors one phrase head stands for (usually one; a group anaphor gives two)."""
        context = self.context
        mention = context.actor_at.get(token.i)
        if mention is not None:
            return [mention.actor]  # type: ignore[list-item]
        if depth > 3:
            return []
        if motion and token.i in context.place_at:
            state = self.facts.capital_state(context.place_at[token.i].text)
            if state:
                return [state]
        if token.lower_ in self.rules.relative_pronouns and token.head.dep_ == "relcl":
            return self.actor_of(self._antecedent(token), avoid, motion=motion, depth=depth + 1)
        apposed = self._appositions(token)
        if apposed:
            return apposed
        if token.pos_ == "PRON":
            return self._pronoun(token, avoid)
        group = self._group(token)
        if group:
            return group
        if token.lower_ in self.rules.quantity_nouns or token.lemma_.lower() in self.rules.quantity_nouns:
            # "hundreds of South Korean workers", "one of Moscow's backers"
            inner = prep_objects(token, ("of",))
            if inner:
                return self.actors(inner, avoid, motion=motion)
        if token.pos_ in ("NOUN", "PROPN"):
            lemma = token.lemma_.lower()
            if token.pos_ == "PROPN" or lemma in self.rules.title_nouns:
                person = self._person_in_title(token)
                if person:
                    return [person]
            if lemma in self.rules.representative_nouns or lemma in self.rules.title_nouns:
                # "a delegation, including Li Hongzhong": the named members act
                names = self.actors(prep_objects(token, self.rules.member_preps), avoid)
                if names:
                    return names
            if lemma in self.rules.representative_nouns:
                names = self._modifier_actors(token, avoid, depth)
                if names:
                    return names
            if lemma in self.rules.representative_nouns or lemma in self.rules.title_nouns:
                # "ministers from the G7", "the foreign minister of Russia"
                names = self.actors(prep_objects(token, self.rules.origin_preps), avoid)
                if names:
                    return names
            if repair and token.pos_ == "NOUN":
                return self._apposition_repair(token)
        return []

    def _glued(self, token: Token) -> list[str]:
        """"Choe Son Hui and Sergey Lavrov" parsed as one name with an "and" inside: the first
        name hangs on the second as a modifier that has the conjunction ("North Korean leader Kim
        Jong Un and Russian counterpart Vladimir Putin met": all before "and" modifies "Putin")."""
        own = self.context.actor_at.get(token.i)
        if own is None:
            return []
        names: list[str] = []
        for child in token.children:
            if child.dep_ not in ("nmod", "compound"):
                continue
            subtree = list(child.subtree)
            if not any(t.dep_ == "cc" and t.lower_ in ("and", "&") for t in subtree):
                continue
            for inner in subtree:
                mention = self.context.actor_at.get(inner.i)
                if mention is not None and mention is not own and mention.actor not in names:
                    names.append(mention.actor)  # type: ignore[arg-type]
        return names

    def state_of(self, name: str) -> str | None:
        """The state an actor belongs to (itself for a state)."""
        return self.facts.state_of(name)

    # -- kinds of phrase ------------------------------------------------------------------------
    def _antecedent(self, pronoun: Token) -> Token:
        """What a relative pronoun stands for: the noun right before it (the parser often hangs
        the clause on an earlier conjunct), else the noun the clause modifies."""
        doc = self.context.doc
        index = pronoun.i - 1
        while index >= 0 and doc[index].is_punct:
            index -= 1
        if index >= 0 and doc[index].pos_ in ("NOUN", "PROPN"):
            return doc[index]
        return pronoun.head.head

    def _appositions(self, token: Token) -> list[str]:
        """The actors in apposition to a phrase; also an apposition the parser hung on the first
        conjunct though it follows this one ("Kim and Russian counterpart *Vladimir Putin*")."""
        candidates = list(token.children)
        if token.dep_ == "conj":
            candidates += [c for c in token.head.children if c.i > token.i and c.left_edge.i == token.right_edge.i + 1]
        for child in candidates:
            if child.dep_ == "appos":
                names = [
                    m.actor for t in conjuncts([child])
                    if (m := self.context.actor_at.get(t.i)) is not None and m.actor
                ]
                if names:
                    return list(dict.fromkeys(names))
        return []

    def _person_in_title(self, token: Token) -> str | None:
        """The person named inside a title phrase; the last one when there are several."""
        found: list[tuple[int, str]] = []
        stack = [token]
        while stack:
            current = stack.pop()
            mention = self.context.actor_at.get(current.i)
            if mention is not None and mention.label == "PERSON" and mention.actor:
                found.append((current.i, mention.actor))
            stack.extend(
                child for child in current.children
                if child.dep_ in ("compound", "prep", "pobj", "flat", "nmod", "amod", "nummod")
            )
        return max(found)[1] if found else None

    def _modifier_actors(self, token: Token, avoid: frozenset[str], depth: int) -> list[str]:
        """"DPRK envoy", "its delegation", "a delegation led by X": the actor it represents."""
        names: list[str] = []
        lemma = token.lemma_.lower()
        for child in token.children:
            if child.dep_ == "amod" and child.lemma_.lower() in self.rules.leading_verbs:
                # "the US-led coalition"
                found = [n for glued in child.children if glued.dep_ in ("npadvmod", "compound", "nmod")
                         for n in self.actor_of(glued, avoid, depth=depth + 1)]
            elif child.dep_ in ("compound", "poss", "nmod", "amod"):
                found = self.actor_of(child, avoid, depth=depth + 1)
                if not found and (token.tag_ in ("NNS", "NNPS") or lemma not in self.rules.individual_nouns):
                    # "North Korean officials", "the Chinese government" (one unnamed diplomat is a person)
                    found = self.nationality(child)
            elif child.dep_ == "acl" and child.lemma_.lower() in self.rules.leading_verbs:
                found = [n for agent in agents(child) for n in self.actor_of(agent, avoid, depth=depth + 1)]
            else:
                continue
            names += [name for name in found if name not in names]
        return names

    def owners(self, phrase: Token, pronouns: bool = True) -> list[str]:
        """Whose a thing is: its possessor, a name or nationality modifying it ("Seoul's offer",
        "U.S. sanctions", "a Chinese proposal"), or the agent of a "by" phrase ("drills by X");
        `pronouns`: whether a possessive pronoun counts ("*his* talks")."""
        names: list[str] = []
        for child in phrase.children:
            if child.pos_ == "PRON" and not pronouns:
                continue
            if child.dep_ in ("poss", "compound", "nmod", "amod"):
                found = self.actor_of(child) or self.nationality(child)
            elif child.dep_ == "prep" and child.lower_ == "by":
                found = self.actors(pobjs(child))
            elif child.dep_ == "acl":
                found = self.actors(agents(child))
            else:
                continue
            names += [n for n in found if n not in names]
        return names

    def nationality(self, token: Token) -> list[str]:
        """The state a nationality modifier names ("*North Korean* officials", "a *Chinese*
        proposal"); nationality words are not actors, but as modifiers they say whose it is."""
        if token.dep_ not in ("amod", "compound", "nmod", "npadvmod"):
            return []
        mention = self.context.place_at.get(token.i)
        state = self.facts.demonym_state(mention.text if mention is not None else token.text)
        return [state] if state else []

    def _apposition_repair(self, token: Token) -> list[str]:
        """"his counterparts, Kim Gunn and Hiroyuki Namazu" when the parser attached the names
        elsewhere: actors right after the phrase and a comma, in no core argument slot."""
        doc = self.context.doc
        end = phrase_end(token)
        if end + 1 >= len(doc) or doc[end].text != ",":
            return []
        mention = self.context.actor_at.get(end + 1)
        if mention is None:
            return []
        root = self.context.root_of.get(id(mention))
        if root is None or root.dep_ in _CORE_DEPS or root.dep_ in CLAUSES:
            return []
        names = [mention.actor]
        for other in root.conjuncts:
            extra = self.context.actor_at.get(other.i)
            if extra is not None and extra.actor not in names:
                names.append(extra.actor)
        return names  # type: ignore[return-value]

    def _pronoun(self, token: Token, avoid: frozenset[str]) -> list[str]:
        lower = token.lower_
        if lower in self.rules.person_pronouns:
            kinds = {"PERSON"}
        elif lower in self.rules.thing_pronouns:
            kinds = {"GPE", "ORG"}
        else:
            return []
        if token.dep_ not in _SUBJECT_DEPS and token.dep_ != "poss":
            return []  # objects ("describing him") are too often someone else
        context = self.context
        index = context.sentence_index(token)
        nearby: list[list[MentionSpan]] = []
        for sentence in (index, index - 1):
            if sentence < 0:
                break
            sent = context.sentences[sentence]
            limit = token.idx if sentence == index else sent.end_char
            quoted = _quoted(sent) if sentence == index else []
            inside = any(start <= token.idx < end for start, end in quoted)
            candidates = [
                m for m in context.mentions
                if sent.start_char <= m.start < limit and m.label in kinds and m.actor not in avoid
                and (inside or not any(start <= m.start < end for start, end in quoted))
            ]  # '"The U.S. should ...," *it* warned': not a name inside the quotation
            candidates.reverse()  # nearest first
            nearby.append(candidates)
        if token.dep_ in _SUBJECT_DEPS:
            # a subject pronoun takes up a subject, or a name of the clause governing its own
            # ("the split in the Council since *it* started"), else the subject of the sentence
            # before ("Faced with conflicts with Washington, *it* is reaching out": not Washington)
            clause = token.head
            governing = [m for m in nearby[0] if self._outside(m, clause)] if clause.dep_ in CLAUSES else []
            for candidates in ([m for m in nearby[0] if self._in_subject(m)], governing, *(
                [m for m in c if self._in_subject(m)] for c in nearby[1:]
            )):
                if candidates:
                    return [candidates[0].actor]  # type: ignore[list-item]
        for candidates in nearby:
            if candidates:
                return [candidates[0].actor]  # type: ignore[list-item]
        return []

    def _outside(self, mention: MentionSpan, clause: Token) -> bool:
        """Whether a mention stands outside a clause (not in its subtree)."""
        root = self.context.root_of.get(id(mention))
        return root is not None and not (clause.left_edge.i <= root.i <= clause.right_edge.i)

    def _in_subject(self, mention: MentionSpan) -> bool:
        root = self.context.root_of.get(id(mention))
        while root is not None and root.dep_ in ("compound", "appos", "conj", "poss"):
            root = root.head
        return root is not None and root.dep_ in _SUBJECT_DEPS

    def _group(self, token: Token) -> list[str]:
        """"the two sides" (as a subject): the parties of the latest meeting before; "the two
        leaders": of the latest meeting between two persons; "both countries": the states of the
        parties of a meeting, agreement or cooperation in this sentence or the three before."""
        kind = self.rules.group_nouns.get(token.lemma_.lower())
        if kind is None or token.dep_ not in _SUBJECT_DEPS or token.tag_ not in ("NNS", "NNPS"):
            return []
        if not any(c.lower_ in self.rules.group_quantifiers for c in token.children):
            return []
        index = self.context.sentence_index(token)
        earlier = [r for r in reversed(self.context.recent) if r.start < token.idx]
        if kind == "states":
            for recent in earlier:
                if recent.type in _PARTY_TYPES and recent.sentence >= index - 3:
                    states = [self.state_of(recent.source), self.state_of(recent.target)]
                    if None not in states and states[0] != states[1]:
                        return states  # type: ignore[return-value]
            return []
        for recent in earlier:
            if recent.type != "CONSULT":
                continue
            if kind == "persons" and not (
                self.facts.type_of(recent.source) == "PERSON" == self.facts.type_of(recent.target)
            ):
                continue
            return [recent.source, recent.target]
        return []
