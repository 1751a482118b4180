"""Names of organisations that the dictionary does not know: which part of a long "X of Y" name is
the organisation, and what a bare head noun ("the Council") refers to.

A name completed over "of" (spans.py) is read from its last "of" whose tail is a known actor:
- the tail is a state: the organisation is that state's ("the Council of Ministers of the Republic
  of Cuba" is "Council of Ministers of Cuba", the dictionary's "<body> of <state>" convention); the
  state is mentioned too;
- the tail is a known organisation, or a national body's generic name ("the Foreign Ministry",
  see bodies.py), and the part before it has a complement of its own ("the
  Institute for Japan Studies of the DPRK Foreign Ministry", "the Department of U.S. Affairs of the
  Foreign Ministry"): the part before it names a unit, the tail its parent, each a mention;
- otherwise the whole is one name, its parent under the parent's canonical name ("Central Military
  Commission of North Korea's Workers' Party" is the "Central Military Commission of the Workers'
  Party of Korea"; "Standing Committee of the National People's Congress"); an unknown tail stays
  as written ("Renmin University of China"). A known parent is mentioned too, as the dictionary's
  own long names mention theirs ("Presidium of the Supreme People's Assembly").

An acronym defined in brackets after a name ("(IDP)") stands for that name in the document.

A capitalised head noun standing alone ("the Council", "the Assembly", "the Party") refers to the
latest organisation before it in the document whose name has that head ("United Nations Security
Council", "Workers' Party of Korea").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Span

from dprk_tui.db.extract.dictionary import ActorEntry, Dictionary
from dprk_tui.db.extract.model import MentionSpan
from dprk_tui.db.extract.names import display_name, name_key

_COMPLEMENTS = {"of", "for", "on"}
_DEFINED = re.compile(r"[ \t]*\(([A-Z][A-Z&]{1,7})\)")

Lookup = Callable[[str], "ActorEntry | None"]


class OrganisationNames:
    """See the module doc."""

    def __init__(
        self, dictionary: Dictionary, lookup: Lookup | None = None,
        is_body: Callable[[str], bool] | None = None,
    ) -> None:
        self.dictionary = dictionary
        self.lookup: Lookup = lookup or dictionary.lookup
        self.is_body = is_body or (lambda text: False)

    # -- "X of Y" -------------------------------------------------------------------------------
    def mentions(self, span: Span) -> list[MentionSpan]:
        """The mentions a completed organisation name makes (the first is the organisation)."""
        entry, state = self._known(span)
        if entry is not None:
            nested = [_mention(state[0], "GPE", state[1].name)] if state is not None else []
            return [_mention(span, entry.type, entry.name), *nested]
        for index in range(1, len(span) - 1):
            if span[index].lower_ != "of":
                continue
            head = span[:index]
            if len(head) > 3 and head[-3].text == "(" and head[-1].text == ")":
                head = head[:-3]  # "Institute for Disarmament and Peace (IDP)"
            tail = span[index + 1 + (span[index + 1].lower_ == "the"):]
            if not len(tail):
                continue
            entry, _ = self._known(tail)
            if entry is not None and entry.type == "PERSON":
                continue
            if entry is None and not self.is_body(tail.text):
                continue
            parent = entry.name if entry is not None else display_name(tail.text, person=False)
            if entry is not None and entry.type == "GPE":
                return [self._named(span, f"{head.text} of {parent}"), _mention(tail, "GPE", parent)]
            if any(token.lower_ in _COMPLEMENTS for token in head[1:]):
                return [self._named(head, head.text), _mention(tail, "ORG", parent)]
            article = "" if parent.lower().startswith("the ") else "the "
            return [self._named(span, f"{head.text} of {article}{parent}"), _mention(tail, "ORG", parent)]
        return [self._named(span, span.text)]

    def _known(self, span: Span) -> tuple[ActorEntry | None, tuple[Span, ActorEntry] | None]:
        """The known actor a name stands for, also when it ends in "of <a state's other name>"
        ("Ministry of Foreign Affairs of the Democratic People's Republic of Korea"), with that
        state's span; a state by its name only, never by its capital ("... of Tehran")."""
        entry = self.lookup(span.text)
        if entry is not None:
            return entry, None
        for index in range(len(span) - 2, 0, -1):
            if span[index].lower_ != "of":
                continue
            tail = span[index + 1 + (span[index + 1].lower_ == "the"):]
            state = self.lookup(tail.text) if len(tail) else None
            if state is not None and state.type == "GPE":
                entry = self.lookup(f"{span[:index].text} of {state.name}")
                return (entry, (tail, state)) if entry is not None else (None, None)
        return None, None

    def _named(self, span: Span, name: str) -> MentionSpan:
        known = self.lookup(name)
        return _mention(span, "ORG", known.name if known else display_name(name, person=False))

    # -- "the Council" --------------------------------------------------------------------------
    def heads(self, doc: Doc, mentions: list[MentionSpan]) -> list[MentionSpan]:
        """Bare head nouns linked to the latest organisation with that head (see the module doc).
        One-word organisation mentions that the dictionary does not know are the candidates."""
        ordered = sorted(mentions, key=lambda m: m.start)
        latest: dict[str, str] = {}
        out = []
        for mention in ordered:
            key = name_key(mention.text)
            unknown = mention.actor is None or mention.actor not in self.dictionary.by_name
            if (
                unknown and mention.label == "ORG" and " " not in key and key in latest
                and mention.text[:1].isupper() and self.dictionary.lookup(mention.text) is None
            ):
                mention = MentionSpan(mention.start, mention.end, mention.text, "ORG", latest[key])
            elif mention.actor and mention.label == "ORG" and " " in name_key(mention.actor):
                latest[head_word(mention.actor)] = mention.actor
            out.append(mention)
        return out


def acronyms(text: str, mentions: list[MentionSpan], known: Callable[[str], bool]) -> list[MentionSpan]:
    """An acronym defined in brackets right after a name ("the Institute for Disarmament and Peace
    (IDP)") stands for that name's actor in the whole document: the bracketed acronym becomes a
    mention, and so do unknown mentions spelled like it. The acronym's letters must be initials of
    the name, in order; `known` tells acronyms the dictionary already has, which keep theirs."""
    defined: dict[str, str] = {}
    added = []
    starts = {m.start for m in mentions}
    for mention in mentions:
        if not mention.actor or mention.label not in ("ORG", "GPE"):
            continue
        match = _DEFINED.match(text, mention.end)
        if match is None or known(match.group(1)) or not _initials(match.group(1), mention.text):
            continue
        acronym = match.group(1)
        defined.setdefault(acronym, mention.actor)
        if match.start(1) not in starts:
            added.append(MentionSpan(match.start(1), match.end(1), acronym, mention.label, mention.actor))
    if not defined:
        return mentions
    out = []
    for m in mentions:
        actor = defined.get(m.text)
        if actor is not None and m.actor != actor:
            m = MentionSpan(m.start, m.end, m.text, "ORG" if m.label not in ("ORG", "GPE") else m.label, actor)
        out.append(m)
    return out + added


def _initials(acronym: str, name: str) -> bool:
    """Whether the letters of `acronym` are initials of the capitalised words of `name`, in order."""
    initials = "".join(word[0] for word in re.split(r"[\s\-]+", name) if word[:1].isupper())
    letters = iter(initials)
    return acronym[:1] == initials[:1] and all(letter in letters for letter in acronym.replace("&", ""))


def head_word(name: str) -> str:
    """The head noun of an organisation's name: the word before its first "of"/"for", else its last
    word ("Workers' Party of Korea" -> "party", "United Nations Security Council" -> "council")."""
    words = name_key(name).split()
    for index, word in enumerate(words):
        if word in _COMPLEMENTS and index > 0:
            return words[index - 1]
    return words[-1]


def _mention(span: Span, label: str, actor: str) -> MentionSpan:
    return MentionSpan(span.start_char, span.end_char, span.text, label, actor)
