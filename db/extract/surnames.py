"""Bare surnames ("Choe", "Kim", "Trump") linked to the person the document means by them.

Inside one document a bare surname stands for a person of that surname named in full in it:
- the nearest full mention before it wins, unless the words right before the surname are a title
  ("Vice Marshal Choe") that fits exactly one of the candidates: the title stood before that
  person's full name in this document, or the dictionary records the person in such a role on the
  document's date;
- with no full mention before it, the nearest one after it; very short surnames ("No", "O", "Ri")
  link only to a full mention before them, and only when tagged as a proper noun, unless the NER
  took the word itself for a person ("President Xi" in a headline above "Xi Jinping");
- with no full mention at all, a dictionary person of that surname is chosen only when exactly one
  of them held a recorded role on the document's date ("Trump" in 2018), or exactly one of them led
  a state or its ruling party then ("Kim" in 2023; in an undated document, the one leading today).
  Never by frequency.
- when several persons of the surname are named in full, a title before the bare surname that
  fits one of them decides; else the nearest full mention before it, passing over persons
  introduced only through a relative ("his daughter Kim Ju Ae") and persons named inside a phrase
  about another person ("Kim Yo Jong, the sister of leader Kim Jong Un, said"); a bare given name
  goes to the one person so named in full ("Otto" after "Otto Warmbier").
A bare surname that several dictionary persons could be (and none is named in full) is left without
an actor rather than becoming a one-word actor of its own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Span, Token

from dprk_tui.db.extract.dictionary import ActorEntry, Dictionary
from dprk_tui.db.extract.model import MentionSpan
from dprk_tui.db.extract.names import name_key

_TITLE_WINDOW = 6  # tokens looked at before a name for a title
_HYPHENS = {"-", "‐", "‑"}


class SurnameLinker:
    """Links bare-surname tokens to full mentions of the same document (see the module doc)."""

    def __init__(
        self,
        dictionary: Dictionary,
        short_length: int,
        east_asian: Iterable[str],
        name_dependencies: Iterable[str],
        relative_nouns: Iterable[str] = (),
        leader_rank: Callable[[ActorEntry, str | None], int | None] | None = None,
    ) -> None:
        self.dictionary = dictionary
        self.short_length = short_length
        self.east_asian = frozenset(name_key(name) for name in east_asian)
        self.name_dependencies = frozenset(name_dependencies)
        self.relative_nouns = frozenset(noun.lower() for noun in relative_nouns)
        self.leader_rank = leader_rank or (lambda entry, date: None)

    # -- which surnames a full name has ---------------------------------------------------------
    def surname_of(self, mention: MentionSpan) -> str | None:
        """The surname key of a full-name mention: the dictionary's, or for an unknown name the
        first word when it is an East Asian family name in first position ("Kim Gunn",
        "Lim Byeong-cheol", "Wang Yajun"), else the last word ("Paul Elliott")."""
        entry = self.dictionary.by_name.get(mention.actor or "")
        if entry is not None:
            return name_key(entry.surname) if entry.type == "PERSON" and entry.surname else None
        words = name_key(mention.actor or "").split()
        if len(words) < 2:
            return None
        hyphenated_given = len(words) >= 3 and "-" in mention.text.split()[-1]
        return words[0] if words[0] in self.east_asian or hyphenated_given else words[-1]

    def _spellings(self, mention: MentionSpan) -> set[str]:
        """Other spellings of a known person's family name, from the aliases that romanise it
        differently ("Choi Son Hui" for Choe Son Hui: a bare "Choi" is she too)."""
        entry = self.dictionary.by_name.get(mention.actor or "")
        if entry is None or entry.type != "PERSON":
            return set()
        firsts = (name_key(alias).split()[:1] for alias in entry.aliases)
        return {first[0] for first in firsts if first and first[0] in self.east_asian}

    # -- linking --------------------------------------------------------------------------------
    def link(self, doc: Doc, mentions: list[MentionSpan], date: str | None) -> list[MentionSpan]:
        mentions = self._without_middle_names(mentions)
        full = [
            m for m in mentions
            if m.actor and self._is_person(m) and len(m.text.split()) >= 2
        ]
        by_surname: dict[str, list[MentionSpan]] = {}
        by_given: dict[str, list[MentionSpan]] = {}
        for mention in sorted(full, key=lambda m: m.start):
            surname = self.surname_of(mention)
            if surname:
                for spelling in {surname, *self._spellings(mention)}:
                    by_surname.setdefault(spelling, []).append(mention)
                given = name_key(mention.actor or "").split()[0]
                if given != surname:
                    by_given.setdefault(given, []).append(mention)
        secondary = self._secondary(doc, full)
        embedded = _embedded(doc, full)
        known = self.dictionary.surnames
        titles_before: dict[str, set[str]] = {}
        for mention in full:
            first = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            token = first[0] if first is not None and len(first) and first[0].idx == mention.start else None
            title = self._title_before(doc, token) if token is not None else None
            if title:
                titles_before.setdefault(mention.actor or "", set()).add(title)
        covered = sorted((m.start, m.end) for m in mentions if len(m.text.split()) >= 2)
        starts = [start for start, _ in covered]
        single = {m.start: m for m in mentions if len(m.text.split()) == 1}
        linked: list[MentionSpan] = []
        unlinked: set[int] = set()
        for token in doc:
            if not token.is_alpha or not token.text[:1].isupper():
                continue
            unit = _hyphenated(doc, token)
            key = name_key(unit.text)
            if key not in by_surname and key not in known:
                unit = doc[token.i:token.i + 1]
                key = name_key(token.text)
                if key not in by_surname and key not in known and key not in by_given:
                    continue
            index = bisect_right(starts, token.idx) - 1
            if index >= 0 and covered[index][0] <= token.idx < covered[index][1]:
                continue  # part of a full name or a longer name
            existing = single.get(token.idx)
            if existing is not None and self._named_otherwise(existing):
                continue  # the dictionary says this word is a state or an organisation
            short = len(key) <= self.short_length
            tagged = existing is not None and existing.label == "PERSON" and not token.is_stop
            if not self._used_as_name(unit.root, described=key in by_surname or key in by_given):
                continue
            actor = None
            if key in by_surname:
                candidates = by_surname[key]
                primary = [m for m in candidates if m.actor not in secondary]
                actor = self._choose(
                    doc, token, primary or candidates, titles_before, date, short and not tagged, embedded
                )
            elif key in by_given and key not in known:
                if not short and len({m.actor for m in by_given[key]}) == 1 and (token.pos_ == "PROPN" or tagged):
                    actor = by_given[key][0].actor  # "Otto" after "Otto Warmbier"
            elif (not short or tagged) and self._alone_as_name(unit.root, existing):
                holders = self.dictionary.surname_holders(key, date)
                leader = self._leader(holders or known.get(key, []), date)  # undated: today's
                if len(holders) == 1:
                    actor = holders[0].name
                elif leader is not None:
                    actor = leader.name  # "Kim" alone in 2023: the leader, not his officials
                elif len(holders) > 1 and existing is not None and existing.actor not in self.dictionary.by_name:
                    unlinked.add(token.idx)  # several known people: not an actor called "Kim"
            if actor is not None:
                linked.append(MentionSpan(unit.start_char, unit.end_char, unit.text, "PERSON", actor))
        if not linked and not unlinked:
            return mentions
        taken = [(m.start, m.end) for m in linked]
        kept = []
        for m in mentions:
            if any(m.start < end and start < m.end for start, end in taken):
                continue
            if m.start in unlinked and len(m.text.split()) == 1:
                m = MentionSpan(m.start, m.end, m.text, m.label, None)
            kept.append(m)
        return kept + linked

    def _leader(self, holders: list[ActorEntry], date: str | None) -> ActorEntry | None:
        """The one person among `holders` in the highest leader's role on `date`, if one."""
        ranked = [(rank, entry) for entry in holders if (rank := self.leader_rank(entry, date)) is not None]
        if not ranked:
            return None
        best = min(rank for rank, _ in ranked)
        top = [entry for rank, entry in ranked if rank == best]
        return top[0] if len(top) == 1 else None

    def _without_middle_names(self, mentions: list[MentionSpan]) -> list[MentionSpan]:
        """"Otto Frederick Warmbier" is the "Otto Warmbier" of the same document: an unknown name
        of three or more words whose first and last words are another person's name."""
        persons = {
            name_key(m.actor or ""): m.actor for m in mentions
            if m.actor and self._is_person(m) and len((m.actor or "").split()) == 2
        }
        if not persons:
            return mentions
        out = []
        for m in mentions:
            words = name_key(m.actor or "").split()
            if len(words) >= 3 and m.actor not in self.dictionary.by_name and self._is_person(m):
                shorter = persons.get(f"{words[0]} {words[-1]}")
                if shorter is not None:
                    m = MentionSpan(m.start, m.end, m.text, m.label, shorter)
            out.append(m)
        return out

    def _used_as_name(self, token: Token, described: bool = False) -> bool:
        """A word read as a name: a proper noun, or a noun phrase of its own ("No said",
        "Trump said"); never with an article ("The Sun"), as a determiner ("No details") or as a
        common noun's modifier ("Power cuts"). A proper noun with an article and an adjective is
        a name when the document names that person in full ("a smiling Moon")."""
        if any(child.dep_ == "det" for child in token.children):
            described = described and token.pos_ == "PROPN" and any(
                child.dep_ == "amod" and child.i < token.i for child in token.children
            )
            if not described:
                return False
        return token.pos_ == "PROPN" or token.dep_ in self.name_dependencies

    def _secondary(self, doc: Doc, full: list[MentionSpan]) -> set[str]:
        """Persons introduced only through a relative ("his daughter Kim Ju Ae", "first lady Kim
        Jung-sook") and never the subject of a clause: a bare surname shared with someone else in
        the document means that other person, the one the story is about."""
        introduced: dict[str, bool] = {}
        for mention in full:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            before = doc[span.start - 1] if span.start > 0 else None
            relative = (
                (root.dep_ in ("appos", "compound") and root.head.lemma_.lower() in self.relative_nouns)
                or any(c.dep_ == "appos" and c.lemma_.lower() in self.relative_nouns for c in root.children)
                or (before is not None and before.lemma_.lower() in self.relative_nouns)
            )
            subject = root.dep_ in ("nsubj", "nsubjpass")
            actor = mention.actor or ""
            introduced[actor] = introduced.get(actor, True) and relative and not subject
        return {actor for actor, only in introduced.items() if only}

    def _alone_as_name(self, token: Token, existing: MentionSpan | None) -> bool:
        """A surname with no full mention in the document must also be a proper noun, or a word
        the NER took for a person or organisation."""
        return self._used_as_name(token) and (
            token.pos_ == "PROPN" or (existing is not None and existing.label in ("PERSON", "ORG"))
        )

    def _is_person(self, mention: MentionSpan) -> bool:
        entry = self.dictionary.by_name.get(mention.actor or "")
        return entry.type == "PERSON" if entry is not None else mention.label == "PERSON"

    def _named_otherwise(self, mention: MentionSpan) -> bool:
        entry = self.dictionary.by_name.get(mention.actor or "")
        return entry is not None and entry.type != "PERSON"

    def _choose(
        self,
        doc: Doc,
        token: Token,
        candidates: list[MentionSpan],
        titles_before: dict[str, set[str]],
        date: str | None,
        short: bool,
        embedded: frozenset[int] | set[int] = frozenset(),
    ) -> str | None:
        before = [m for m in candidates if m.start < token.idx]
        if short and not before:
            return None
        if len({m.actor for m in candidates}) > 1:
            title = self._title_before(doc, token)
            if title:
                fitting = {
                    m.actor for m in candidates
                    if title in titles_before.get(m.actor or "", set())
                    or self._role_fits(m.actor or "", title, date)
                }
                if len(fitting) == 1:
                    return fitting.pop()
        if before:
            prominent = [m for m in before if m.start not in embedded] or before
            return max(prominent, key=lambda m: m.start).actor
        return min(candidates, key=lambda m: m.start).actor

    def _title_before(self, doc: Doc, token: Token) -> str | None:
        """The title written right before a token ("Vice Marshal" Choe), within its sentence."""
        words: list[str] = []
        first = max(token.sent.start, token.i - _TITLE_WINDOW)
        for index in range(token.i - 1, first - 1, -1):
            key = name_key(doc[index].text)
            if not key:
                break
            words.insert(0, key)
        return self.dictionary.titles.trailing(words) if words else None

    def _role_fits(self, actor: str, title: str, date: str | None) -> bool:
        entry = self.dictionary.by_name.get(actor)
        if entry is None:
            return False
        wanted = set(title.split())
        return any(wanted <= set(name_key(role.title).split()) for role in entry.roles_on(date))


def _hyphenated(doc: Doc, token: Token) -> Span:
    """A hyphenated name written without spaces ("Thomas-Greenfield") starting at `token`, or the
    token alone."""
    i = token.i
    if (
        i + 2 < len(doc) and doc[i + 1].text in _HYPHENS and not token.whitespace_
        and not doc[i + 1].whitespace_ and doc[i + 2].is_alpha
    ):
        return doc[i:i + 3]
    return doc[i:i + 1]


_NOMINAL_LINKS = {"prep", "pobj", "appos", "poss", "compound", "nmod", "npadvmod"}


def _embedded(doc: Doc, full: list[MentionSpan]) -> set[int]:
    """Start offsets of person mentions inside a noun phrase about another person ("Kim Yo Jong,
    the sister of leader Kim Jong Un, said"): reached from their root through prepositions,
    appositions and possessives without passing a verb. They are not what the sentence is about,
    so a later bare surname looks past them."""
    owner: dict[int, int] = {}
    roots: dict[int, Token] = {}
    for mention in full:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        roots[mention.start] = span.root
        for token in span:
            owner[token.i] = mention.start
    found = set()
    for start, token in roots.items():
        while token.dep_ in _NOMINAL_LINKS and token.head is not token:
            token = token.head
            if owner.get(token.i, start) != start:
                found.add(start)
                break
    return found
