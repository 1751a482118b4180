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
  ("Sun's visit to *Pyongyang*").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from dprk_tui.db.extract.dictionary import Dictionary
from dprk_tui.db.extract.model import MentionSpan
from dprk_tui.db.extract.names import name_key
from dprk_tui.db.extract.relations.grammar import (
    CLAUSES, PASSIVE_SUBJECTS, SUBJECTS, agents, conjuncts, phrase_end, pobjs, prep_objects,
)
from dprk_tui.db.extract.relations.rules import TriggerRules

_SUBJECT_DEPS = SUBJECTS | PASSIVE_SUBJECTS
_CORE_DEPS = _SUBJECT_DEPS | {"dobj", "pobj", "dative", "poss"}
# "The two countries" are the states of the parties of a recent meeting, agreement or cooperation.
_PARTY_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})


class ActorFacts:
    """What the dictionary says about actors, for relations: type, state, capitals."""

    def __init__(self, dictionary: Dictionary) -> None:
        self.dictionary = dictionary
        self.states = {e.country: e.name for e in dictionary.entries if e.type == "GPE" and e.country}

    def capital_state(self, text: str) -> str | None:
        entry = self.dictionary.capitals.get(name_key(text))
        return entry.name if entry is not None else None

    def state_of(self, name: str) -> str | None:
        """The state an actor belongs to (itself for a state); None when unknown."""
        entry = self.dictionary.by_name.get(name)
        if entry is None:
            return None
        if entry.type == "GPE":
            return entry.name
        return self.states.get(entry.country or "")

    def type_of(self, name: str) -> str | None:
        entry = self.dictionary.by_name.get(name)
        return entry.type if entry is not None else None

    def sector_of(self, name: str) -> str | None:
        entry = self.dictionary.by_name.get(name)
        return entry.sector if entry is not None else None

    def demonym_state(self, text: str) -> str | None:
        """The state a nationality word names ("North Korean" -> North Korea), else None."""
        entry = self.dictionary.by_demonym.get(name_key(text))
        return entry.name if entry is not None else None


@dataclass
class Recent:
    """A relation already found, for "the two sides" later on."""

    sentence: int
    start: int
    source: str
    target: str
    type: str


@dataclass
class DocContext:
    """One parsed document with its resolved mentions, indexed by token."""

    doc: Doc
    mentions: list[MentionSpan]
    actor_at: dict[int, MentionSpan] = field(default_factory=dict)
    place_at: dict[int, MentionSpan] = field(default_factory=dict)
    root_of: dict[int, Token] = field(default_factory=dict)  # id(mention) -> its root token
    sentences: list[Span] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)
    named: list[bool] = field(default_factory=list)  # per sentence: holds an actor or place name
    recent: list[Recent] = field(default_factory=list)

    @classmethod
    def build(
        cls, doc: Doc, mentions: list[MentionSpan], credits: frozenset[str] = frozenset(),
        facts: ActorFacts | None = None,
    ) -> DocContext:
        """`credits`: actors (news outlets) that never take part when they stand in parentheses, as
        in a wire credit ("(Yonhap) --", "(dpa/MIA)"); no name in a dateline takes part either
        ("SEOUL, South Korea —", "MOSCOW, June 19 (AFP):", "Singapore:")."""
        context = cls(doc, [])
        text = doc.text
        datelines = _datelines(text, mentions, facts)
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            if mention.actor in credits and _parenthesised(text, mention.start, mention.end):
                continue
            if any(start <= mention.start < end for start, end in datelines):
                continue
            index = context.actor_at if mention.actor else context.place_at
            for token in span:
                index.setdefault(token.i, mention)
            context.root_of[id(mention)] = span.root
            if mention.actor:
                context.mentions.append(mention)
        context.mentions.sort(key=lambda m: m.start)
        context.sentences = list(doc.sents)
        context.sentence_starts = [sent.start for sent in context.sentences]
        context.named = [False] * len(context.sentences)
        for index in (*context.actor_at, *context.place_at):
            context.named[bisect_right(context.sentence_starts, index) - 1] = True
        return context

    def sentence_index(self, token: Token) -> int:
        return bisect_right(self.sentence_starts, token.i) - 1


_WORD = r"[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3}"
_MONTH_DAY = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d{1,2}(?:,[ \t]*\d{4})?"
_DATELINE = re.compile(
    rf"^[ \t]*(?P<prefix>{_WORD}(?:,[ \t]*{_WORD}){{0,2}}(?:,?[ \t]*{_MONTH_DAY})?(?:[ \t]*\([^()\n]{{1,40}}\))?)"
    r"[ \t]*(?:—|–|--|-|:)[ \t]",
    re.MULTILINE,
)


def _datelines(text: str, mentions: list[MentionSpan], facts: ActorFacts | None) -> list[tuple[int, int]]:
    """(start, end) of each line's dateline: places (a capital in capitals, a country), a date, an
    outlet in parentheses, then a dash or colon ("SEOUL, South Korea —", "BRUSSELS, Aug 24 (AFP) -")."""
    found: list[tuple[int, int]] = []
    for match in _DATELINE.finditer(text):
        start, end = match.span("prefix")
        prefix = match.group("prefix")
        inside = [m for m in mentions if start <= m.start < end]
        places = all(
            m.actor is None or (facts is not None and facts.type_of(m.actor) == "GPE") for m in inside
        )
        marked = "(" in prefix or re.search(r"\d", prefix) or re.match(r"[A-Z]{3,}\b", prefix)
        if inside and places or marked and places:
            found.append((start, end))
    return found


def _parenthesised(text: str, start: int, end: int, reach: int = 40) -> bool:
    """Whether text[start:end] stands inside a short pair of parentheses on its line."""
    before = text[max(0, start - reach):start]
    after = text[end:end + reach]
    opening = before.rfind("(")
    closing = after.find(")")
    return (
        opening >= 0 and closing >= 0 and ")" not in before[opening:] and "(" not in after[:closing]
        and "\n" not in before[opening:] and "\n" not in after[:closing]
    )


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
        for child in token.children:
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

    def owners(self, phrase: Token) -> list[str]:
        """Whose a thing is: its possessor, a name or nationality modifying it ("Seoul's offer",
        "U.S. sanctions", "a Chinese proposal"), or the agent of a "by" phrase ("drills by X")."""
        names: list[str] = []
        for child in phrase.children:
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
            candidates = [
                m for m in context.mentions
                if sent.start_char <= m.start < limit and m.label in kinds and m.actor not in avoid
            ]
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
