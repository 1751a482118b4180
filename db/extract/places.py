"""Places and events are not actors: names the dictionary does not know that the text uses for a
place or an event.

The NER often labels a place name PERSON or ORG ("Panmunjom", "Yongbyon", "Joint Security Area").
A name it found that no dictionary entry claims is a place when:
- it is a well-known place of the region (data/context.json `places`: the truce village, the
  demarcation line, nuclear and launch sites, palaces, spaceports...);
- its own head word is a place noun ("Joint Security Area", "Military Demarcation Line",
  "Vostochny Cosmodrome", "Kaesong Industrial Complex") or an event noun ("Pyeongchang Winter
  Olympics", "Olympic Torch", "Asian Games");
- the text says so: it modifies an area or site noun ("Kumsusan state residence", "the Yongbyon
  area"; not "the Acme factory", a firm's), follows an area noun with "of" ("the truce village of
  Panmunjom"; not "the residence of X", a person's), or has a place noun in apposition ("Freedom
  House, a building on the southern side");
- it opens a line in capitals as a dateline ("BRUSSELS, March 3 -").
A name read as a place once is a place throughout the document. Place nouns (areas, sites,
facilities) and event nouns are in data/context.json (`place_nouns`, `event_nouns`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from spacy.tokens import Doc, Span

from dprk_tui.db.extract.dictionary import Dictionary
from dprk_tui.db.extract.model import MentionSpan
from dprk_tui.db.extract.names import name_key

_MODIFIER_DEPS = {"compound", "amod", "nmod", "npadvmod"}
_DATELINE_PUNCT = {",", "--", "—", "–", "-", "("}
_NAME_LABELS = {"PERSON", "ORG", "GPE"}


class PlaceNames:
    """See the module doc."""

    def __init__(
        self, dictionary: Dictionary, places: Iterable[str], place_nouns: Mapping[str, Iterable[str]],
        event_nouns: Iterable[str] = (),
    ) -> None:
        self.dictionary = dictionary
        self.places = frozenset(name_key(place) for place in places)
        areas = frozenset(noun.lower() for noun in place_nouns.get("areas", ()))
        sites = frozenset(noun.lower() for noun in place_nouns.get("sites", ()))
        facilities = frozenset(noun.lower() for noun in place_nouns.get("facilities", ()))
        self.of_nouns = areas  # "the city of X" (but "the residence of X" is a person's)
        self.modified_nouns = areas | sites  # "X state residence" (but "the Acme factory" is a firm's)
        self.nouns = areas | sites | facilities  # "X, a building on the southern side"
        self.heads = self.nouns | frozenset(noun.lower() for noun in event_nouns)

    def without_places(self, doc: Doc, mentions: list[MentionSpan]) -> list[MentionSpan]:
        """The mentions, those of names read as places left without an actor."""
        keys: set[str] = set()
        for mention in mentions:
            if mention.actor in self.dictionary.by_name:
                continue  # a known actor, or a known state's name where it is only a place
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None and self.is_place(span):
                keys.add(name_key(mention.text))
        if not keys:
            return mentions
        return [
            MentionSpan(m.start, m.end, m.text, "LOC", None)
            if self._discovered(m) and name_key(m.text) in keys else m
            for m in mentions
        ]

    def is_place(self, span: Span) -> bool:
        key = name_key(span.text)
        if key in self.places or self._headed_by_place_noun(key):
            return True
        return self._said_to_be_place(span) or self._dateline(span)

    def _discovered(self, mention: MentionSpan) -> bool:
        return (
            mention.actor is not None and mention.actor not in self.dictionary.by_name
            and mention.label in _NAME_LABELS
        )

    def _headed_by_place_noun(self, key: str) -> bool:
        words = key.split()
        if "of" in words[1:]:
            words = words[:words.index("of", 1)]
        return len(words) >= 2 and words[-1] in self.heads

    def _said_to_be_place(self, span: Span) -> bool:
        root = span.root
        head = root.head
        if root.dep_ in _MODIFIER_DEPS and head.i >= span.end:
            while head.dep_ == "compound" and head.head.i > head.i:
                head = head.head  # "Kumsusan state residence": up the compound nouns
            if head.lemma_.lower() in self.modified_nouns:
                return True  # "Kumsusan state residence", "the Yongbyon area"
        head = root.head
        if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in self.of_nouns:
            return head.head.i < head.i and head.head.pos_ == "NOUN"  # "the truce village of Panmunjom"
        return any(
            child.dep_ == "appos" and child.lemma_.lower() in self.nouns and child.pos_ == "NOUN"
            for child in root.children
        )  # "Freedom House, a building on ..."

    @staticmethod
    def _dateline(span: Span) -> bool:
        doc = span.doc
        line_start = span.start == 0 or (doc[span.start - 1].is_space and "\n" in doc[span.start - 1].text)
        following = doc[span.end] if span.end < len(doc) else None
        return (
            line_start and span.text.isupper() and len(span) <= 3
            and following is not None and following.text in _DATELINE_PUNCT
        )
