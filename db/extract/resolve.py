"""Turn a parsed document's entities into mentions linked to actors.

- Dictionary names (entity-ruler matches) link to their actor; other entities are looked up by
  name key with titles stripped; unknown persons and organisations become new actors (their
  spelling variants fold together by name key); unknown places stay places (no actor).
- A capital stands for its state when the state acts ("Moscow seeks dialogue"), but is a place in
  a dateline ("SEOUL -- ") or after a locative preposition ("in Moscow", "a visit to Moscow"). A
  state named as the place of a thing ("the war in Ukraine") is a place too.
- Nationality words ("North Korean") are not actors; a word the model took for one but which reads
  as a name ("spoke with Vorontsov") is a person.
- Names the model missed (missed.py): a capitalised word that says something ("Lopez said") is
  a person, and so is a name on a "By ..." line.
- A parent body named inside a body's name ("Presidium of the Supreme People's Assembly") is
  mentioned too; the portfolio of a minister ("Minister of the People's Armed Forces") is not an
  actor; an unknown organisation seen only in title-case headlines is headline capitalisation,
  not an actor.
- Before resolution, entity spans are corrected (spans.py); organisation names cut at "of" are
  read by their tail (orgnames.py), national bodies through their state (bodies.py); places and
  events (places.py) and names in photo credits (credits.py) are not actors.
- Bare surnames: see surnames.py. "the North" / "the South" stand for the two Koreas in a
  document about the peninsula (missed.py).
- Role descriptions ("the North Korean leader", "the DPRK's foreign minister"): see
  descriptions.py; the holder of the role on the document's date.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from spacy.tokens import Doc, Span

from dprk_tui.db.extract.bodies import NationalBodies
from dprk_tui.db.extract.context import ContextRules, Headlines
from dprk_tui.db.extract.credits import CreditFinder, inside
from dprk_tui.db.extract.descriptions import DescriptionLinker, title_matches
from dprk_tui.db.extract.dictionary import ActorEntry, Dictionary
from dprk_tui.db.extract.missed import MissedNames
from dprk_tui.db.extract.model import Extraction, MentionSpan, NewActor
from dprk_tui.db.extract.names import display_name, name_key
from dprk_tui.db.extract.orgnames import OrganisationNames, acronyms
from dprk_tui.db.extract.places import PlaceNames
from dprk_tui.db.extract.spans import Entity, EntitySpans
from dprk_tui.db.extract.surnames import SurnameLinker

_POSSESSIVES = {"'s", "’s", "'"}


class Resolver:
    """Links entities to actors using the dictionary and the document's own context."""

    def __init__(self, dictionary: Dictionary, rules: ContextRules | None = None) -> None:
        self.dictionary = dictionary
        self.rules = rules or ContextRules.load()
        self.descriptions = DescriptionLinker(dictionary)
        self.surnames = SurnameLinker(
            dictionary, self.rules.short_surname_length, self.rules.east_asian_surnames,
            self.rules.name_dependencies, self.rules.relative_nouns, self._leader_rank,
        )
        self._surname_words = frozenset(self.rules.east_asian_surnames)
        self.spans = EntitySpans(dictionary, self.rules.headline_verbs, self.rules.east_asian_surnames)
        self.bodies = NationalBodies(dictionary)
        self.missed = MissedNames(dictionary, self.rules)
        self.credits = CreditFinder(self.rules.credit_markers, self.rules.credit_words)
        self.places = PlaceNames(
            dictionary, self.rules.places, self.rules.place_nouns, self.rules.event_nouns
        )
        self.organisations = OrganisationNames(dictionary, self._lookup, self.bodies.is_generic)

    # -- entry point ----------------------------------------------------------------------------
    def resolve(self, doc: Doc, date: str | None = None) -> Extraction:
        """Mentions (with actors) and the new actors of one parsed document published on `date`."""
        text = doc.text  # built from the tokens on each access: once per document
        headlines = Headlines(doc, self.rules.headline_min_words, self.rules.headline_share, text)
        mentions: list[MentionSpan] = []
        ambiguous: list[tuple[int, Span, list[ActorEntry]]] = []
        entities, completed = self.spans.entities(doc)
        for ent in entities:
            if ent.label not in self.rules.entity_labels:
                continue
            span = self._trim(ent)
            if span is None:
                continue
            candidates = self.dictionary.ambiguous(span.text) if ent.label in self.rules.actor_labels else []
            if candidates:  # chosen below, from the rest of the document
                ambiguous.append((len(mentions), span, candidates))
                mentions.append(MentionSpan(span.start_char, span.end_char, span.text, candidates[0].type))
                continue
            if ent.span.start_char in completed:
                if not (self._is_portfolio(span) or self._inside_title(span)):
                    mentions.extend(self.organisations.mentions(span))
                continue
            mention = self._mention(span, ent)
            if mention is not None:
                mentions.append(mention)
                mentions.extend(self._nested(mention))
        if ambiguous:
            self._choose_among(doc, mentions, ambiguous)
        credits = self.credits.ranges(text)
        if credits:  # names in photo credits are no actors
            mentions = [
                replace(m, actor=None) if inside(credits, m.start, m.end) else m for m in mentions
            ]
        mentions.extend(self.bodies.possessed(doc, mentions, text))
        mentions.extend(self.missed.speakers(doc, mentions, headlines))
        mentions.extend(self.missed.bylines(text, mentions))
        mentions = self._without_headline_organisations(mentions, headlines)
        mentions = self._consolidate_types(mentions)
        mentions = self.places.without_places(doc, mentions)
        mentions = self.bodies.unqualified(mentions)
        mentions = self.organisations.heads(doc, mentions)
        mentions = acronyms(text, mentions, lambda word: self.dictionary.lookup(word) is not None)
        mentions = self.surnames.link(doc, mentions, date)
        mentions = self.missed.peninsula(doc, mentions, headlines, text)
        mentions = self.descriptions.link(doc, mentions, date)
        result = Extraction(mentions=sorted(mentions, key=lambda m: (m.start, -m.end)))
        for mention in result.mentions:
            if mention.actor and mention.actor not in self.dictionary.by_name:
                result.new_actors.setdefault(mention.actor, NewActor(mention.actor, mention.label))
        return result

    def _leader_rank(self, entry: ActorEntry, date: str | None) -> int | None:
        """How high a person led a state or its ruling party on `date` (without a date: in a role
        not yet ended): the place in descriptions.json's "leader" list (supreme leader and party
        chief before president before prime minister) of the first such role, None for none. A
        bare title ("President") counts only as "<title> of <a state>"."""
        titles = self.descriptions.rules.descriptions.get(("leader",), ())
        roles = entry.roles_on(date) if date else [role for role in entry.roles if role.end is None]
        for rank, title in enumerate(titles):
            for role in roles:
                if not title_matches(role.title, title):
                    continue
                rest = role.title[len(title):].strip()
                if " of " in title or not rest.lower().startswith("of "):
                    return rank
                state = self.dictionary.state_of(name_key(rest[3:]))
                if state is not None and state.type == "GPE":
                    return rank
        return None

    def _lookup(self, text: str) -> ActorEntry | None:
        """The dictionary's actor for a name, also through a possessive state ("Russia's ...")."""
        return self.dictionary.lookup(text) or self.bodies.qualified(text)

    def _trim(self, ent: Entity) -> Span | None:
        """Drop leading articles and titles, and a trailing possessive, from an entity span."""
        start, end = ent.span.start, ent.span.end
        doc = ent.span.doc
        while start < end and (
            doc[start].lower_ in self.rules.leading_words or doc[start].is_punct
        ):
            start += 1
        while end > start and (
            doc[end - 1].lower_ in _POSSESSIVES or doc[end - 1].is_punct
            or (doc[end - 1].is_stop and doc[end - 1].is_lower)  # "Great Hall of the People in"
        ):
            end -= 1
        if start >= end:
            return None
        if ent.label == "PERSON" and not ent.ent_id:
            if end - start > 1:
                # Titles the NER swallowed ("Vice Marshal Hyon Yong Chol", "Gen. Kim").
                words = [name_key(token.text) for token in doc[start:end - 1]]
                start += self.dictionary.titles.leading(words)
            before = doc[start - 1] if start > 0 else None
            if before is not None and before.text in self._surname_words and start <= before.head.i < end:
                start -= 1  # a one-letter family name the NER left out ("O Su Yong")
        return doc[start:end]

    def _mention(self, span: Span, ent: Entity) -> MentionSpan | None:
        label = ent.label
        text = span.text
        key = name_key(text)
        entry: ActorEntry | None = None
        if ent.ent_id:
            entry = self.dictionary.by_name.get(ent.ent_id)
        elif label in self.rules.actor_labels:
            entry = self._lookup(text) or self.dictionary.capitals.get(key)
        if entry is not None:
            if entry.type == "GPE" and self._is_place_of(entry, key, span):
                return MentionSpan(span.start_char, span.end_char, text, "GPE", None)
            return MentionSpan(span.start_char, span.end_char, text, entry.type, entry.name)
        if label == "ORG" and (self._is_portfolio(span) or self._inside_title(span)):
            return None
        if key in self.dictionary.demonym_keys:  # "N. Korean" taken for a person's name
            return MentionSpan(span.start_char, span.end_char, text, "NORP", None)
        if label in ("PERSON", "ORG") and self._plausible_name(span):
            name = display_name(text, person=label == "PERSON")
            return MentionSpan(span.start_char, span.end_char, text, label, name)
        if label == "NORP" and self._reads_as_name(span):
            return MentionSpan(span.start_char, span.end_char, text, "PERSON", display_name(text, person=True))
        return MentionSpan(span.start_char, span.end_char, text, label, None)

    @staticmethod
    def _plausible_name(span: Span) -> bool:
        words = [token for token in span if token.is_alpha]
        return bool(words) and span[0].text[:1].isupper() and len(span.text) >= 2

    def _is_place_of(self, entry: ActorEntry, key: str, span: Span) -> bool:
        """A state's name or capital used for a place rather than for the state acting."""
        if entry.capital and key == name_key(entry.capital):
            return self._is_place(span)
        if key not in self.dictionary.by_key:
            return False  # "the Japanese government" always acts
        head = span.root
        prep = head.head
        return (
            head.dep_ == "pobj"
            and prep.lower_ in self.rules.state_place_prepositions
            and prep.head.pos_ == "NOUN"
        )

    def _is_place(self, span: Span) -> bool:
        """A capital used as a place: a dateline, or the object of a locative preposition, or of
        "to"/"from" after a word of motion ("a visit to Moscow", "returned from Beijing"; but
        "offers from Washington" is the state acting)."""
        head = span.root
        doc = span.doc
        line_start = span.start == 0 or (doc[span.start - 1].is_space and "\n" in doc[span.start - 1].text)
        if line_start or span.start == span.sent.start:
            following = doc[span.end] if span.end < len(doc) else None
            if span.text.isupper() or (following is not None and following.text in {",", "--", "—", "-"}):
                return True
        if head.dep_ == "pobj":
            prep = head.head
            if prep.lower_ in self.rules.locative_prepositions:
                return True
            if prep.lower_ in self.rules.motion_prepositions and prep.head.lemma_.lower() in self.rules.motion_words:
                return True
        return False

    def _is_portfolio(self, span: Span) -> bool:
        """An unknown organisation that is a minister's portfolio: "Minister of (the) X"."""
        doc = span.doc
        index = span.start - 1
        if index >= 0 and doc[index].lower_ == "the":
            index -= 1
        return (
            index >= 1 and doc[index].lower_ == "of"
            and doc[index - 1].lower_ in self.rules.portfolio_heads
        )

    def _inside_title(self, span: Span) -> bool:
        """An unknown organisation that is a word of a title written around it ("Chief Cabinet
        Secretary", "Secretary of State", "president of the State Affairs")."""
        doc = span.doc
        keys = self.dictionary.titles.keys
        for first in range(max(0, span.start - 4), span.start + 1):
            for last in range(span.end, min(len(doc), span.end + 3) + 1):
                if (first, last) != (span.start, span.end) and name_key(doc[first:last].text) in keys:
                    return True
        return False

    def _reads_as_name(self, span: Span) -> bool:
        """A one-word "nationality" that is really a surname: a singular proper noun used as a
        noun phrase of its own, without a determiner, not shaped like a nationality word."""
        if len(span) != 1:
            return False
        token = span[0]
        key = name_key(token.text)
        return (
            token.tag_ == "NNP"
            and token.dep_ in self.rules.name_dependencies
            and token.text[:1].isupper()
            and len(key) >= 3
            and not any(child.dep_ == "det" for child in token.children)
            and not key.endswith(self.rules.demonym_suffixes)
            and not self.dictionary.is_known(key)
        )

    def _nested(self, mention: MentionSpan) -> list[MentionSpan]:
        """The parent body named at the end of an organisation's name, as a mention of its own:
        "Presidium of the Supreme People's Assembly" also mentions the Supreme People's Assembly."""
        if mention.label != "ORG" or mention.actor is None:
            return []
        for match in re.finditer(r"\s+of\s+(?:the\s+)?", mention.text, flags=re.IGNORECASE):
            tail = mention.text[match.end():]
            entry = self.dictionary.lookup(tail)
            if entry is not None and entry.type == "ORG" and entry.name != mention.actor:
                start = mention.start + match.end()
                return [MentionSpan(start, mention.end, tail, "ORG", entry.name)]
        return []

    def _choose_among(
        self, doc: Doc, mentions: list[MentionSpan], ambiguous: list[tuple[int, Span, list[ActorEntry]]]
    ) -> None:
        """Link names that several actors share ("National Security Council", "NSC"): the one of
        the state the name is qualified by ("South Korea's", "U.S."), else the one an earlier
        mention of the same name was, else the one of the state the document names most; left
        without an actor when that does not decide."""
        by_name = self.dictionary.by_name
        counts = Counter(
            by_name[m.actor].country for m in mentions if m.actor in by_name and by_name[m.actor].country
        )
        previous: dict[frozenset[str], ActorEntry] = {}
        for index, span, candidates in ambiguous:
            country = self._qualifier(span)
            chosen = [c for c in candidates if country and c.country == country]
            among = frozenset(c.name for c in candidates)
            if not chosen and country is None and among in previous:
                chosen = [previous[among]]
            elif not chosen and country is None:
                ranked = sorted(candidates, key=lambda c: counts.get(c.country, 0), reverse=True)
                best = counts.get(ranked[0].country, 0)
                if best and counts.get(ranked[1].country, 0) < best:
                    chosen = ranked[:1]
            if len(chosen) == 1:
                previous[among] = chosen[0]
                mentions[index] = replace(mentions[index], actor=chosen[0].name, label=chosen[0].type)

    def _qualifier(self, span: Span) -> str | None:
        """The country a name is qualified by: its own first words ("South Korean National Security
        Council"), or a possessive or nationality word right before it ("Seoul's NSC")."""
        doc = span.doc
        for size in (2, 1):
            if len(span) > size:
                state = self.dictionary.state_of(name_key(span[:size].text))
                if state is not None:
                    return state.country
        index = span.start - 1
        if index >= 0 and doc[index].lower_ in _POSSESSIVES:
            index -= 1
        for size in (2, 1):
            first = index - size + 1
            if first >= 0:
                state = self.dictionary.state_of(name_key(doc[first:index + 1].text))
                if state is not None:
                    return state.country
        return None

    # -- document-level clean-up ----------------------------------------------------------------
    def _discovered(self, mention: MentionSpan) -> bool:
        return mention.actor is not None and mention.actor not in self.dictionary.by_name

    def _without_headline_organisations(
        self, mentions: list[MentionSpan], headlines: Headlines
    ) -> list[MentionSpan]:
        """Drop unknown organisations seen only in title-case lines ("... over Inter-Korean
        Relations"): headline capitalisation, not a name."""
        if not headlines:
            return mentions
        in_body = {
            name_key(m.actor or "") for m in mentions
            if self._discovered(m) and not headlines.contains(m.start)
        }
        return [
            m for m in mentions
            if not (self._discovered(m) and m.label == "ORG" and name_key(m.actor or "") not in in_body)
        ]

    def _consolidate_types(self, mentions: list[MentionSpan]) -> list[MentionSpan]:
        """One type per unknown name in a document: the label most of its mentions have (a tie
        goes to PERSON), so "Trump said" (ORG) and "Trump has" (PERSON) are one actor."""
        labels: dict[str, Counter[str]] = {}
        names: dict[tuple[str, str], str] = {}
        for m in mentions:
            if self._discovered(m) and m.label in ("PERSON", "ORG"):
                key = name_key(m.actor or "")
                labels.setdefault(key, Counter())[m.label] += 1
                names.setdefault((key, m.label), m.actor or "")
        mixed = {key: count for key, count in labels.items() if len(count) > 1}
        if not mixed:
            return mentions
        out = []
        for m in mentions:
            key = name_key(m.actor or "")
            if key in mixed and self._discovered(m):
                count = mixed[key]
                label = "PERSON" if count["PERSON"] >= count["ORG"] else "ORG"
                m = MentionSpan(m.start, m.end, m.text, label, names[(key, label)])
            out.append(m)
        return out
