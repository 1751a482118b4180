"""RelationExtractor: typed, directed, dated relations between resolved actors, sentence by
sentence, each with the sentence that states it. Co-mention alone never makes a relation.

For every trigger in a sentence (events.py) whose event is asserted or planned (modality.py), each
(source, target) pair of two different actors becomes a relation: planned events become AGREE,
dated by the document; asserted ones take an explicit date of their clause (dates.py). A person or
organisation never relates to its own state ("Kim Jong Un" and "North Korea"). Headline lines are
read by position (headline.py); reported wrongdoing makes the reporter accuse (accusation.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dprk_tui.db.extract.dictionary import Dictionary, load_dictionary
from dprk_tui.db.extract.model import MentionSpan, RelationSpan
from dprk_tui.db.extract.relations.accusation import AccusationFinder
from dprk_tui.db.extract.relations.arguments import ArgumentResolver
from dprk_tui.db.extract.relations.document import ActorFacts, DocContext, Recent
from dprk_tui.db.extract.relations.dates import DateFinder
from dprk_tui.db.extract.relations.direction import VisitDirection
from dprk_tui.db.extract.relations.event import Event
from dprk_tui.db.extract.relations.events import EventFinder
from dprk_tui.db.extract.relations.headline import HeadlineFinder
from dprk_tui.db.extract.relations.modality import ModalityJudge, Mood
from dprk_tui.db.extract.relations.rules import TriggerRules
from dprk_tui.db.extract.relations.threats import ConditionalThreats

_Key = tuple[str, str, str, int]


@dataclass
class _Sentence:
    """The sentence being read, with its evidence offsets (computed once, when first needed)."""

    index: int
    span: Span
    evidence: tuple[int, int] | None = None

    def offsets(self) -> tuple[int, int]:
        if self.evidence is None:
            self.evidence = _evidence(self.span)
        return self.evidence


class RelationExtractor:
    """Finds typed, directed relations between resolved actor mentions, sentence by sentence."""

    def __init__(self, rules: TriggerRules | None = None, dictionary: Dictionary | None = None) -> None:
        self.rules = rules or TriggerRules.load()
        self.facts = ActorFacts(dictionary or load_dictionary())
        self.judge = ModalityJudge(self.rules)
        self.headlines = HeadlineFinder(self.rules)
        sectors = self.rules.credit_sectors
        self.credits = frozenset(e.name for e in self.facts.dictionary.entries if (e.sector or "").lower() in sectors)

    def extract(self, doc: Doc, mentions: list[MentionSpan], date: str | None) -> list[RelationSpan]:
        context = DocContext.build(doc, mentions, self.credits, self.facts)
        if not context.mentions:
            return []
        finder = EventFinder(self.rules, ArgumentResolver(self.rules, self.facts, context))
        accusations = AccusationFinder(finder)
        threats = ConditionalThreats(finder)
        direction = VisitDirection(self.facts, context)
        dates = DateFinder(doc, date)
        found: dict[_Key, RelationSpan] = {}
        quantifiers = self.rules.group_quantifiers
        for index, span in enumerate(context.sentences):
            if not context.named[index] and not any(t.lower_ in quantifiers for t in span):
                continue  # no name, no "the two sides": no relation can come out
            sentence = _Sentence(index, span)
            if self.headlines.is_headline(span):
                for event, planned in self.headlines.events(span, context.actor_at):
                    mood = Mood.PLANNED if planned else Mood.ASSERTED
                    self._add(event, finder, dates, sentence, context, found, direction, mood)
                continue
            for token in span:
                event = finder.event(token)
                if event is not None:
                    self._add(event, finder, dates, sentence, context, found, direction)
                elif accusations.is_predicate(token):
                    event = accusations.event(token)
                    if event is not None:
                        self._add(event, finder, dates, sentence, context, found, direction, Mood.ASSERTED)
                if event is None and threats.is_candidate(token):
                    event = threats.event(token)
                    if event is not None:
                        self._add(event, finder, dates, sentence, context, found, direction, Mood.ASSERTED)
        return direction.ordered(list(found.values()))

    def _add(
        self, event: Event, finder: EventFinder, dates: DateFinder, sentence: _Sentence,
        context: DocContext, found: dict[_Key, RelationSpan], direction: VisitDirection,
        mood: Mood | None = None,
    ) -> None:
        planner = None
        if mood is None:
            mood, planner = self.judge.mood(event.trigger)
        if mood is Mood.UNREAL:
            return
        rule = event.rule
        if mood is Mood.PLANNED:
            kind, date = self.rules.planned_types.get(event.type, "AGREE"), dates.document_date
            pairs = self._planned_pairs(event, planner, finder)
            rule += "+planned"
        else:
            kind, date = event.type, dates.date_of(event.trigger, sentence.span)
            pairs = event.pairs()
        added: list[RelationSpan] = []
        for source, target in pairs:
            if not self._plausible(source, target):
                continue
            start, end = sentence.offsets()
            key = (source, target, kind, start)
            if key not in found:
                found[key] = RelationSpan(source, target, kind, start, end, event.trigger.text, date, rule)
            added.append(found[key])
            if event.main_clause:
                context.recent.append(Recent(sentence.index, event.trigger.idx, source, target, kind))
        if kind == event.type:
            direction.note(event, added)

    def _planned_pairs(self, event: Event, planner: Token | None, finder: EventFinder) -> list[tuple[str, str]]:
        """A planned event with no acting side of its own ("it is prepared for a summit between
        Trump and Kim"): the planner agrees with the participants of other states, represented by
        their states when the planner is a state."""
        if planner is None or event.sources or not event.pair:
            return event.pairs()
        head = planner.head if planner.dep_ == "acomp" else planner
        participants = event.participants
        planners = [
            p for p in finder.args.actors(finder.subject_tokens(head), frozenset(participants))
            if p not in participants
        ]
        if not planners:
            return event.pairs()
        facts = self.facts
        pairs: list[tuple[str, str]] = []
        for source in planners:
            source_state = facts.state_of(source)
            for participant in participants:
                state = facts.state_of(participant)
                if state is not None and state == source_state:
                    continue
                target = state if state and facts.type_of(source) == "GPE" else participant
                if (source, target) not in pairs:
                    pairs.append((source, target))
        return pairs

    def _plausible(self, source: str, target: str) -> bool:
        """Two different actors, not an actor and its own state."""
        if source == target:
            return False
        facts = self.facts
        if "GPE" in (facts.type_of(source), facts.type_of(target)):
            source_state, target_state = facts.state_of(source), facts.state_of(target)
            if source_state is not None and source_state == target_state:
                return False
        return True


def _evidence(sent: Span) -> tuple[int, int]:
    """The sentence's character offsets, without surrounding white space."""
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.end_char - (len(text) - len(text.rstrip()))
    return start, end
