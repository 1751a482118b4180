"""Turn a parsed document's entities into mentions linked to actors.

- Dictionary names (entity-ruler matches) link to their actor; other entities are looked up by
  name key with titles stripped; unknown persons and organisations become new actors, unknown
  places stay places (no actor).
- A capital stands for its state when the state acts ("Moscow seeks dialogue"), but is a place in
  a dateline ("SEOUL -- ") or after a locative preposition ("in Moscow", "a visit to Moscow").
- A bare surname links to the person of that surname named in full in the same document: the
  nearest full mention before it, else the nearest after it. Never by global frequency.
- Capitalised "the North" / "the South" stand for the two Koreas (peninsula context).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from db.extract.dictionary import DATA_DIR, ActorEntry, Dictionary
from db.extract.model import Extraction, MentionSpan, NewActor
from db.extract.names import display_name, name_key


@dataclass(frozen=True)
class ContextRules:
    entity_labels: frozenset[str]
    actor_labels: frozenset[str]
    locative_prepositions: frozenset[str]
    motion_words: frozenset[str]
    peninsula_names: dict[str, str]
    leading_words: frozenset[str]

    @classmethod
    def load(cls, path: Path = DATA_DIR / "context.json") -> ContextRules:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            entity_labels=frozenset(data["entity_labels"]),
            actor_labels=frozenset(data["actor_labels"]),
            locative_prepositions=frozenset(data["locative_prepositions"]),
            motion_words=frozenset(data["motion_words"]),
            peninsula_names=dict(data["peninsula_names"]),
            leading_words=frozenset(data["leading_words"]),
        )


class Resolver:
    """Links entities to actors using the dictionary and the document's own context."""

    def __init__(self, dictionary: Dictionary, rules: ContextRules | None = None) -> None:
        self.dictionary = dictionary
        self.rules = rules or ContextRules.load()

    # -- entry point ----------------------------------------------------------------------------
    def resolve(self, doc: Doc) -> Extraction:
        result = Extraction()
        mentions: list[MentionSpan] = []
        for ent in doc.ents:
            if ent.label_ not in self.rules.entity_labels:
                continue
            span = self._trim(ent)
            if span is None:
                continue
            mention = self._mention(span, ent, result)
            if mention is not None:
                mentions.append(mention)
        mentions = self._link_surnames(doc, mentions)
        mentions = self._peninsula_names(doc, mentions)
        result.mentions = sorted(mentions, key=lambda m: m.start)
        return result

    # -- single entities ------------------------------------------------------------------------
    def _trim(self, ent: Span) -> Span | None:
        """Drop leading articles and titles, and a trailing possessive, from an entity span."""
        start, end = ent.start, ent.end
        doc = ent.doc
        while start < end and (
            doc[start].lower_ in self.rules.leading_words or doc[start].is_punct
        ):
            start += 1
        while end > start and (doc[end - 1].lower_ in {"'s", "’s", "'"} or doc[end - 1].is_punct):
            end -= 1
        if start >= end:
            return None
        if ent.label_ == "PERSON" and not ent.ent_id_:
            # Titles the NER swallowed ("Vice Marshal Hyon Yong Chol"): drop words the title list knows.
            while end - start > 1 and self.dictionary.titles.strip(doc[start].lower_) == "":
                start += 1
        return doc[start:end]

    def _mention(self, span: Span, ent: Span, result: Extraction) -> MentionSpan | None:
        label = ent.label_
        text = span.text
        entry: ActorEntry | None = None
        if ent.ent_id_:
            entry = self.dictionary.by_name.get(ent.ent_id_)
            if entry and entry.capital and name_key(text) == name_key(entry.capital):
                if self._is_place(span):
                    return MentionSpan(span.start_char, span.end_char, text, "GPE", None)
        elif label in self.rules.actor_labels:
            entry = self.dictionary.lookup(text)
            if entry is None and name_key(text) in self.dictionary.capitals:
                entry = self.dictionary.capitals[name_key(text)]
                if self._is_place(span):
                    return MentionSpan(span.start_char, span.end_char, text, "GPE", None)
        if entry is not None:
            return MentionSpan(span.start_char, span.end_char, text, entry.type, entry.name)
        if label in ("PERSON", "ORG") and self._plausible_name(span):
            name = display_name(text, person=label == "PERSON")
            result.new_actors.setdefault(name, NewActor(name, label))
            return MentionSpan(span.start_char, span.end_char, text, label, name)
        if name_key(text) in self.dictionary.demonym_keys:
            label = "NORP"
        return MentionSpan(span.start_char, span.end_char, text, label, None)

    @staticmethod
    def _plausible_name(span: Span) -> bool:
        words = [token for token in span if token.is_alpha]
        return bool(words) and span[0].text[:1].isupper() and len(span.text) >= 2

    def _is_place(self, span: Span) -> bool:
        """A capital used as a place: a dateline, or the object of a locative preposition."""
        head = span.root
        sent = span.sent
        if span.start == sent.start or (span.start > 0 and span.doc[span.start - 1].text == "\n"):
            following = span.doc[span.end] if span.end < len(span.doc) else None
            if span.text.isupper() or (following is not None and following.text in {",", "--", "—"}):
                return True
        if head.dep_ == "pobj":
            prep = head.head
            if prep.lower_ in self.rules.locative_prepositions:
                return True
            if prep.lower_ == "to" and prep.head.lemma_.lower() in self.rules.motion_words:
                return True
        return False

    # -- bare surnames --------------------------------------------------------------------------
    def _surnames_of(self, mention: MentionSpan) -> list[str]:
        entry = self.dictionary.by_name.get(mention.actor or "")
        if entry is not None:
            return [name_key(entry.surname)] if entry.surname else []
        # A name not in the dictionary: "Paul Elliott" -> Elliott; Korean order with a hyphenated
        # or three-part given name ("Lim Byeong-cheol", "Hyon Yong Chol") -> the first word.
        words = name_key(mention.actor or "").split()
        if len(words) < 2:
            return []
        korean_order = len(words) >= 3 or "-" in mention.text
        return [words[0]] if korean_order else [words[-1]]

    def _link_surnames(self, doc: Doc, mentions: list[MentionSpan]) -> list[MentionSpan]:
        full = [m for m in mentions if m.label == "PERSON" and m.actor and len(m.text.split()) >= 2]
        by_surname: dict[str, list[MentionSpan]] = {}
        for mention in full:
            for surname in self._surnames_of(mention):
                by_surname.setdefault(surname, []).append(mention)
        if not by_surname:
            return mentions
        covered = sorted((m.start, m.end) for m in mentions if len(m.text.split()) >= 2)
        starts = [start for start, _ in covered]
        linked: list[MentionSpan] = []
        for token in doc:
            key = name_key(token.text)
            if key not in by_surname or not token.text[:1].isupper() or not token.is_alpha:
                continue
            index = bisect_right(starts, token.idx) - 1
            if index >= 0 and covered[index][0] <= token.idx < covered[index][1]:
                continue  # part of a full name
            candidates = by_surname[key]
            before = [m for m in candidates if m.start < token.idx]
            chosen = max(before, key=lambda m: m.start) if before else min(
                candidates, key=lambda m: m.start
            )
            linked.append(
                MentionSpan(token.idx, token.idx + len(token.text), token.text, "PERSON", chosen.actor)
            )
        if not linked:
            return mentions
        taken = [(m.start, m.end) for m in linked]
        kept = [
            m for m in mentions if not any(m.start < end and start < m.end for start, end in taken)
        ]
        return kept + linked

    # -- "the North" / "the South" --------------------------------------------------------------
    def _peninsula_names(self, doc: Doc, mentions: list[MentionSpan]) -> list[MentionSpan]:
        names = self.rules.peninsula_names
        # The NER often tags a bare "North" as a place; such a mention yields to the rule below.
        bare = {m.start for m in mentions if m.actor is None and m.text in names}
        mentions = [m for m in mentions if m.start not in bare]
        taken = [(m.start, m.end) for m in mentions]
        added = []
        for token in doc:
            actor = names.get(token.text)
            if actor is None or actor not in self.dictionary.by_name:
                continue
            if any(start <= token.idx < end for start, end in taken):
                continue
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if following is not None and following.text[:1].isupper() and following.is_alpha:
                continue  # "the North Atlantic", "South Africa"
            window = [doc[i] for i in range(max(0, token.i - 3), token.i)]
            if not any(t.lower_ == "the" for t in window):
                continue
            entry = self.dictionary.by_name[actor]
            added.append(
                MentionSpan(token.idx, token.idx + len(token.text), token.text, entry.type, actor)
            )
        return mentions + added
