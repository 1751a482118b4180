"""Entity spans corrected before mention resolution.

The statistical NER and the phrase rulers leave a few systematic faults that no dictionary entry
can repair, so each entity is first:
- cut at a line break (a name never runs from a headline into the next line: "President Xi\\n");
- rid of a headline verb it swallowed at either end ("Kim Visits" in "Kim Visits China, Meets
  President Xi", "Condemns North"); an entity that is only such a verb is dropped;
- for an organisation cut short at "of"/"for"/"on" ("the Institute for" + "Japan" + "Studies of
  the DPRK Foreign Ministry", "Renmin University of" + "China", "Standing Committee of the" +
  "National People's Congress"), or followed by "of" and a capitalised name ("the Foreign Affairs
  Committee" + "of the National People's Congress"), completed over the capitalised words and
  entities after such connectors; the entities it swallows are dropped (orgnames.py names it);
- for a dictionary organisation preceded by capitalised proper nouns the dictionary does not
  know ("Kurdistan" + "Workers' Party"), extended to that longer, different name;
- for a two-word dictionary person opened by an East Asian family name and followed by one more
  short capitalised word on the same line ("Park Jin" + "Hyok"), extended to that longer, different
  name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dprk_tui.db.extract.dictionary import Dictionary
from dprk_tui.db.extract.names import name_key

_CONNECTORS = {"of", "for", "on"}
_OPENING = {"(", "["}
_JOINERS = {"'s", "’s", "'", "’", "-", "‐", "‑", "&"}
# Entities of these kinds end a name being completed.
_STOP_LABELS = {"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
_LONGEST_PREFIX = 3  # capitalised words taken before a known organisation's name
_GIVEN_NAME_LENGTH = 5  # longest romanised syllable taken as a further given name ("Hyok")


@dataclass(frozen=True)
class Entity:
    """An entity after correction: its tokens, NER label and the dictionary name a ruler gave it."""

    span: Span
    label: str
    ent_id: str = ""


class EntitySpans:
    """Applies the corrections of the module doc to a parsed document's entities."""

    def __init__(
        self, dictionary: Dictionary, headline_verbs: Iterable[str], family_names: Iterable[str]
    ) -> None:
        self.dictionary = dictionary
        self.headline_verbs = frozenset(word.lower() for word in headline_verbs)
        self.family_names = frozenset(family_names)

    def entities(self, doc: Doc) -> tuple[list[Entity], set[int]]:
        """The corrected entities, and the start offsets of the organisation names completed."""
        out: list[Entity] = []
        completed: set[int] = set()
        covered_until = -1
        for ent in doc.ents:
            if ent.start < covered_until:
                continue  # swallowed by a completed name
            span = self._one_line(ent)
            if span is not None:
                span = self._without_headline_verb(span)
            if span is None:
                continue
            ent_id = ent.ent_id_ if (span.start, span.end) == (ent.start, ent.end) else ""
            if ent.label_ == "ORG" and not ent.ent_id_:
                longer = self._complete_organisation(span)
                if longer is not None:
                    span, ent_id = longer, ""
                    completed.add(span.start_char)
                    covered_until = span.end
            elif ent.label_ == "ORG" and ent.ent_id_:
                first = self._unknown_words_before(span)
                if first < span.start:  # "Kurdistan" + "Workers' Party": another party
                    while out and out[-1].span.end > first:
                        out.pop()
                    span, ent_id = doc[first:span.end], ""
            elif ent.label_ == "PERSON" and ent.ent_id_:
                longer = self._longer_name(span)
                if longer is not None:
                    span, ent_id = longer, ""
                    covered_until = span.end
            out.append(Entity(span, ent.label_, ent_id))
        return out, completed

    # -- lines and headline verbs ---------------------------------------------------------------
    @staticmethod
    def _one_line(span: Span) -> Span | None:
        """The span up to its first line break or opening bracket ("Institute for Disarmament and
        Peace (IDP"), without white space at either end."""
        doc = span.doc
        start, end = span.start, span.end
        for token in span:
            if token.i > start and ((token.is_space and "\n" in token.text) or token.text in _OPENING):
                end = token.i
                break
        while start < end and doc[start].is_space:
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        return doc[start:end] if start < end else None

    def _without_headline_verb(self, span: Span) -> Span | None:
        """The span without a headline verb at either end ("Kim Visits", "Condemns North")."""
        while len(span) and span[-1].text[:1].isupper() and span[-1].lower_ in self.headline_verbs:
            span = span[:-1]
        while len(span) and span[0].text[:1].isupper() and span[0].lower_ in self.headline_verbs:
            span = span[1:]
        return span if len(span) else None

    # -- organisations cut short ----------------------------------------------------------------
    def _complete_organisation(self, span: Span) -> Span | None:
        """The organisation name continued over "of/for/on (the) Capitalised Words", or None when
        the NER's span was whole."""
        doc = span.doc
        end = span.end
        while end - 1 > span.start and (doc[end - 1].lower_ in _CONNECTORS or doc[end - 1].lower_ == "the"):
            end -= 1  # "Standing Committee of the" -> "Standing Committee", then continued below
        # Cut short before its complement ("Institute for", "Committee on"), a name goes on after
        # any connector; a whole-looking name only after "of" ("Committee" + "of the NPC"), as
        # "a report by Acme Media on North Korea" is no name.
        connectors = _CONNECTORS if end < span.end else {"of"}
        grown = end
        while True:
            after = _after_acronym(doc, grown)  # "Institute for Disarmament and Peace (IDP) of"
            if after >= len(doc) or doc[after].lower_ not in connectors:
                break
            index = after + 1
            if index < len(doc) and doc[index].lower_ == "the":
                index += 1
            run = self._capitalised_run(doc, index)
            if run == index:
                break
            grown = run
        return doc[span.start:grown] if grown > span.end else None

    @staticmethod
    def _capitalised_run(doc: Doc, start: int) -> int:
        """The end of the capitalised words (and "'s", hyphens, "&" between them) from `start`."""
        index = start
        while index < len(doc):
            token = doc[index]
            if token.is_space or (index > start and token.is_sent_start) or token.ent_type_ in _STOP_LABELS:
                break
            if token.text[:1].isupper():
                index += 1
            elif (
                token.text in _JOINERS and index > start and index + 1 < len(doc)
                and doc[index + 1].text[:1].isupper() and not doc[index - 1].whitespace_
            ):
                index += 1
            else:
                break
        return index

    # -- a known name inside a longer one -------------------------------------------------------
    def _unknown_words_before(self, span: Span) -> int:
        """Where a longer name begins that a known organisation's name ends: capitalised proper
        nouns glued before it that the dictionary does not know ("Kurdistan Workers' Party")."""
        doc = span.doc
        first = span.start
        while first > 0 and span.start - first < _LONGEST_PREFIX:
            token = doc[first - 1]
            if not (
                token.is_alpha and token.text[:1].isupper() and token.whitespace_ == " "
                and token.pos_ == "PROPN" and not token.tag_.startswith("VB")
                and token.ent_type_ not in _STOP_LABELS
                and token.lower_ not in self.headline_verbs
                and not self.dictionary.is_known(name_key(token.text))
                and self.dictionary.state_of(name_key(token.text)) is None
            ):
                break
            first -= 1
        return first

    # -- a known name that goes on ------------------------------------------------------------------
    def _longer_name(self, span: Span) -> Span | None:
        """"Park Jin" + "Hyok": a different person whose name begins with a known one."""
        doc = span.doc
        if len(span) != 2 or span[0].text not in self.family_names or span.end >= len(doc):
            return None
        after = doc[span.end]
        if not self._given_name(after) or not span[-1].whitespace_ == " ":
            return None
        following = doc[span.end + 1] if span.end + 1 < len(doc) else None
        if following is not None and following.text[:1].isupper() and following.is_alpha:
            return None  # a run of capitalised words: not obviously one name
        return doc[span.start:span.end + 1]

    def _given_name(self, token: Token) -> bool:
        key = name_key(token.text)
        return (
            token.is_alpha and token.text[:1].isupper() and token.text[1:].islower()
            and len(token.text) <= _GIVEN_NAME_LENGTH
            and token.pos_ == "PROPN" and not token.is_stop  # not "Xi Jinping Again"
            and token.ent_type_ in ("", "PERSON")
            and not token.tag_.startswith("VB")
            and not token.is_sent_start
            and token.lower_ not in self.headline_verbs
            and not self.dictionary.is_known(key)
        )


def _after_acronym(doc: Doc, index: int) -> int:
    """The index after a bracketed acronym at `index` ("(IDP)"), or `index` when there is none."""
    if (
        index + 2 < len(doc) and doc[index].text == "(" and doc[index + 2].text == ")"
        and doc[index + 1].text.isupper() and doc[index + 1].is_alpha
    ):
        return index + 3
    return index
