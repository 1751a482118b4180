"""Relations stated by a sentence, read off spaCy's dependency parse.

For each trigger (a verb or event noun listed in data/relations.json) in a sentence:
- verbs: the subject (or passive agent) is the source; the direct object, or the object of a
  preposition such as "with"/"to"/"for", is the target; conjoined subjects and objects each count;
- nouns: "X's visit to Y", "talks between X and Y", "held talks with Y" (the verb's subject acts);
- negated triggers ("did not meet") and merely possible or expected ones ("could", "is expected
  to") give nothing; planned or promised meetings become AGREE.
Only pairs of two different actors, both resolved, become relations; co-mention alone never does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from db.extract.dictionary import DATA_DIR
from db.extract.model import MentionSpan, RelationSpan

_SUBJECTS = {"nsubj", "csubj"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
_OBJECTS = {"dobj", "dative", "attr", "oprd"}


@dataclass(frozen=True)
class TriggerRules:
    verbs: dict[str, str]
    nouns: dict[str, str]
    object_prepositions: frozenset[str]
    pair_prepositions: frozenset[str]
    modal_auxiliaries: frozenset[str]
    modal_heads: frozenset[str]
    planning_heads: frozenset[str]

    @classmethod
    def load(cls, path: Path = DATA_DIR / "relations.json") -> TriggerRules:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            verbs=dict(data["verbs"]),
            nouns=dict(data["nouns"]),
            object_prepositions=frozenset(data["object_prepositions"]),
            pair_prepositions=frozenset(data["pair_prepositions"]),
            modal_auxiliaries=frozenset(data["modal_auxiliaries"]),
            modal_heads=frozenset(data["modal_heads"]),
            planning_heads=frozenset(data["planning_heads"]),
        )


class RelationExtractor:
    """Finds typed, directed relations between resolved actor mentions, sentence by sentence."""

    def __init__(self, rules: TriggerRules | None = None) -> None:
        self.rules = rules or TriggerRules.load()

    def extract(self, doc: Doc, mentions: list[MentionSpan], date: str | None) -> list[RelationSpan]:
        actors_by_token: dict[int, MentionSpan] = {}
        for mention in mentions:
            if mention.actor is None:
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                actors_by_token[token.i] = mention
        found: dict[tuple[str, str, str, int], RelationSpan] = {}
        for sent in doc.sents:
            for token in sent:
                for source, target, kind in self._from_trigger(token, actors_by_token):
                    if source == target:
                        continue
                    start, end = _evidence(sent)
                    key = (source, target, kind, start)
                    found.setdefault(
                        key, RelationSpan(source, target, kind, start, end, token.text, date)
                    )
        return list(found.values())

    # -- triggers -------------------------------------------------------------------------------
    def _from_trigger(
        self, token: Token, actors: dict[int, MentionSpan]
    ) -> Iterable[tuple[str, str, str]]:
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX") and lemma in self.rules.verbs:
            kind = self.rules.verbs[lemma]
            if self._negated(token) or self._merely_possible(token):
                return
            kind = self._planned(token, kind)
            sources = self._actors_of(self._subjects(token), actors)
            targets = self._actors_of(self._objects(token), actors)
            if self._is_passive(token):
                sources, targets = self._actors_of(self._agents(token), actors), self._actors_of(
                    [c for c in token.children if c.dep_ in _PASSIVE_SUBJECTS], actors
                )
            for source in sources:
                for target in targets:
                    yield source, target, kind
        elif token.pos_ in ("NOUN", "PROPN") and (lemma in self.rules.nouns or token.lower_ in self.rules.nouns):
            kind = self.rules.nouns.get(token.lower_) or self.rules.nouns[lemma]
            if self._negated(token.head) or self._merely_possible(token):
                return
            pair = [c for c in token.children if c.dep_ == "prep" and c.lower_ in self.rules.pair_prepositions]
            for prep in pair:
                members = self._actors_of(self._with_conjuncts(_pobjs(prep)), actors)
                for index, source in enumerate(members):
                    for target in members[index + 1:]:
                        yield source, target, kind
            sources = self._actors_of([c for c in token.children if c.dep_ == "poss"], actors)
            if not sources and token.dep_ in _OBJECTS and token.head.pos_ in ("VERB", "AUX"):
                if not self._negated(token.head) and not self._merely_possible(token.head):
                    sources = self._actors_of(self._subjects(token.head), actors)
            targets = self._actors_of(self._prep_objects(token), actors)
            for source in sources:
                for target in targets:
                    yield source, target, kind

    # -- grammar helpers ------------------------------------------------------------------------
    def _negated(self, token: Token) -> bool:
        return any(child.dep_ == "neg" for child in token.children)

    def _merely_possible(self, token: Token) -> bool:
        if any(c.dep_ == "aux" and c.lower_ in self.rules.modal_auxiliaries for c in token.children):
            return True
        head = token
        for _ in range(3):
            if head.dep_ in ("xcomp", "ccomp", "acomp", "amod", "compound") or head.head.lower_ in self.rules.modal_heads:
                if head.head.lemma_.lower() in self.rules.modal_heads and head.head.lemma_.lower() not in self.rules.planning_heads:
                    return True
            if head.head is head:
                break
            head = head.head
        return any(c.lemma_.lower() in self.rules.modal_heads and c.dep_ == "amod" for c in token.children)

    def _planned(self, token: Token, kind: str) -> str:
        if token.dep_ == "xcomp" and token.head.lemma_.lower() in self.rules.planning_heads:
            return "AGREE"
        return kind

    @staticmethod
    def _is_passive(token: Token) -> bool:
        return any(c.dep_ in _PASSIVE_SUBJECTS for c in token.children)

    def _subjects(self, token: Token) -> list[Token]:
        subjects = [c for c in token.children if c.dep_ in _SUBJECTS]
        if not subjects and token.dep_ in ("xcomp", "conj", "advcl") and token.head is not token:
            subjects = [c for c in token.head.children if c.dep_ in _SUBJECTS]
        return self._with_conjuncts(subjects)

    def _agents(self, token: Token) -> list[Token]:
        return self._with_conjuncts(
            [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        )

    def _objects(self, token: Token) -> list[Token]:
        objects = [c for c in token.children if c.dep_ in _OBJECTS]
        objects += self._prep_objects(token)
        for particle in (c for c in token.children if c.dep_ == "prt"):
            objects += [g for g in particle.children if g.dep_ == "pobj"]
        return self._with_conjuncts(objects)

    def _prep_objects(self, token: Token) -> list[Token]:
        return self._with_conjuncts(
            [
                pobj
                for prep in token.children
                if prep.dep_ == "prep" and prep.lower_ in self.rules.object_prepositions
                for pobj in _pobjs(prep)
            ]
        )

    @staticmethod
    def _with_conjuncts(tokens: list[Token]) -> list[Token]:
        out: list[Token] = []
        for token in tokens:
            out.append(token)
            out.extend(token.conjuncts)
        return out

    @staticmethod
    def _actors_of(tokens: list[Token], actors: dict[int, MentionSpan]) -> list[str]:
        """The actor each phrase head names: itself, or an apposition/compound/possessor of it."""
        names: list[str] = []
        for token in tokens:
            mention = actors.get(token.i)
            if mention is None:
                for child in token.children:
                    if child.dep_ in ("appos", "compound", "poss", "nmod") and child.i in actors:
                        mention = actors[child.i]
                        break
            if mention is not None and mention.actor not in names:
                names.append(mention.actor)
        return names


def _pobjs(prep: Token) -> list[Token]:
    return [child for child in prep.children if child.dep_ == "pobj"]


def _evidence(sent: Span) -> tuple[int, int]:
    """The sentence's character offsets, without surrounding white space."""
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.end_char - (len(text) - len(text.rstrip()))
    return start, end
