"""Mentions the NER does not give, found from the words around them.

- Speakers: a capitalised word the model missed that says something ("Lopez said", "Mills would
  not say") is a person.
- Bylines: a line that opens with "By" names the article's authors ("By Choi He-suk
  (email)", "By Jane Doe and John Roe"); each name of two to four capitalised words is a person.
- "the North" / "the South" stand for the two Koreas in a document about the peninsula: with an
  article before them ("the North", "the United States-backed South"), a possessive after them
  ("South's workers"), or in a headline ("... with South").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from dprk_tui.db.extract.context import ContextRules, Headlines
from dprk_tui.db.extract.dictionary import Dictionary
from dprk_tui.db.extract.model import MentionSpan
from dprk_tui.db.extract.names import display_name, name_key

_POSSESSIVES = {"'s", "’s", "'"}
_NAME = r"[A-Z][\w'’.]*(?:-[A-Za-z][\w'’]*)?"
_BYLINE = re.compile(
    rf"^[ \t]*(?:-[ \t]*)?[Bb][Yy][ \t]+(?P<names>{_NAME}(?:[ \t]+{_NAME}){{0,3}}"
    rf"(?:(?:[ \t]*,[ \t]*|[ \t]+(?:and|AND|&)[ \t]+){_NAME}(?:[ \t]+{_NAME}){{0,3}})*)",
    re.MULTILINE,
)
_SEPARATOR = re.compile(r"[ \t]*,[ \t]*|[ \t]+(?:and|AND|&)[ \t]+")


class MissedNames:
    """See the module doc."""

    def __init__(self, dictionary: Dictionary, rules: ContextRules) -> None:
        self.dictionary = dictionary
        self.rules = rules

    # -- speakers -------------------------------------------------------------------------------
    def speakers(self, doc: Doc, mentions: list[MentionSpan], headlines: Headlines) -> list[MentionSpan]:
        """Capitalised words the model missed that say something: "Lopez said" -> a person."""
        covered: set[int] = set()
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                covered.update(range(span.start, span.end))
        found = []
        for token in doc:
            if token.dep_ != "nsubj" or token.i in covered:
                continue
            if token.head.lemma_.lower() not in self.rules.speech_verbs:
                continue
            if not (token.is_alpha and token.text[:1].isupper() and len(token.text) >= 3):
                continue
            if token.pos_ != "PROPN" and (token.pos_ != "NOUN" or token.is_sent_start):
                continue
            if token.is_stop or any(child.dep_ == "det" for child in token.children):
                continue
            if headlines.contains(token.idx) or self.dictionary.is_known(name_key(token.text)):
                continue
            start = token.i
            while start > 0 and (
                doc[start - 1].dep_ == "compound" and doc[start - 1].head is token
                and doc[start - 1].is_alpha and doc[start - 1].text[:1].isupper()
                and start - 1 not in covered
            ):
                start -= 1
            span = doc[start:token.i + 1]
            found.append(
                MentionSpan(span.start_char, span.end_char, span.text, "PERSON",
                            display_name(span.text, person=True))
            )
        return found

    # -- bylines --------------------------------------------------------------------------------
    def bylines(self, text: str, mentions: list[MentionSpan]) -> list[MentionSpan]:
        """Authors named on a "By ..." line that no mention covers yet."""
        taken = [(m.start, m.end) for m in mentions]
        found = []
        for match in _BYLINE.finditer(text):
            end = match.start("names")
            for part in _SEPARATOR.split(match.group("names")):
                offset = text.index(part, end)
                end = offset + len(part)
                if not 2 <= len(part.split()) <= 4 or any(s < end and offset < e for s, e in taken):
                    continue
                if self.dictionary.lookup(part) is not None:
                    continue  # "By The Associated Press": the agency, found already
                name = display_name(part.title() if part.isupper() else part, person=True)
                found.append(MentionSpan(offset, end, part, "PERSON", name))
        return found

    # -- "the North" / "the South" --------------------------------------------------------------
    def peninsula(
        self, doc: Doc, mentions: list[MentionSpan], headlines: Headlines, text: str | None = None
    ) -> list[MentionSpan]:
        names = self.rules.peninsula_names
        if not any(m.actor in names.values() for m in mentions):
            return mentions  # not a document about the Korean peninsula
        # The NER often tags a bare "North" as a place; such a mention yields to the rule below.
        bare = {
            m.start for m in mentions
            if m.text in names and (m.actor is None or m.actor not in self.dictionary.by_name)
        }
        mentions = [m for m in mentions if m.start not in bare]
        taken = [(m.start, m.end) for m in mentions]
        added = []
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
        for match in pattern.finditer(doc.text if text is None else text):
            found = doc.char_span(match.start(), match.end())
            if found is None:
                continue
            token = found[0]
            actor = names.get(token.text)
            if actor is None or actor not in self.dictionary.by_name:
                continue
            if any(start <= token.idx < end for start, end in taken):
                continue
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if following is not None and following.text[:1].isupper() and following.is_alpha:
                continue  # "the North Atlantic", "South Africa"
            before = doc[token.i - 1] if token.i > 0 else None
            if before is not None and before.is_alpha and before.text[:1].isupper() and not token.is_sent_start:
                continue  # "the Global South"
            window = [doc[i] for i in range(max(0, token.i - 3), token.i)]
            if not (
                any(t.lower_ == "the" for t in window)
                or any(child.dep_ == "det" and child.lower_ == "the" for child in token.children)
                or (following is not None and following.text in _POSSESSIVES)
                or headlines.contains(token.idx)
            ):
                continue  # "the United States-backed South", "South's workers", a headline's "South"
            entry = self.dictionary.by_name[actor]
            added.append(
                MentionSpan(token.idx, token.idx + len(token.text), token.text, entry.type, actor)
            )
        return mentions + added
