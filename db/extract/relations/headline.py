"""Headlines: "Korea, US Discuss Coordination over ...", "China Slams US Sanctions".

The parser reads a Title-Case line as a string of proper nouns, so a headline is read by position
instead: the first trigger verb form (present tense or base: "Meets", "Discuss", "Urges") splits
the line; actors before it act, actors after it (up to a topic preposition such as "over" or
"amid") are acted upon; reciprocal verbs with no actor after them pair the actors before them.
"Won't", "Not", "Never" or "No" before the verb drop it; "Will" or "To" make it planned (AGREE).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from dprk_tui.db.extract.model import MentionSpan
from dprk_tui.db.extract.relations.event import Event
from dprk_tui.db.extract.relations.rules import TriggerRules, VerbTrigger

class HeadlineFinder:
    """Events of Title-Case headline lines."""

    def __init__(self, rules: TriggerRules) -> None:
        self.rules = rules
        self.forms: dict[str, VerbTrigger] = {}
        for lemma, trigger in self.rules.verbs.items():
            forms = {lemma, lemma + "s", lemma + "es"}
            if lemma.endswith("y"):
                forms.add(lemma[:-1] + "ies")
            for form in forms:
                self.forms.setdefault(form, trigger)

    def is_headline(self, sent: Span) -> bool:
        if len(sent) > 3 * self.rules.headline_max_words:
            return False
        words = [t for t in sent if t.is_alpha]
        if not words or len(words) > self.rules.headline_max_words:
            return False
        if sent.text.rstrip().endswith((".", "?", "!", ":", '"')):
            return False
        content = [t for t in words if t.lower_ not in self.rules.headline_small_words]
        capitalised = sum(1 for t in content if t.text[:1].isupper())
        return len(content) >= 2 and capitalised >= self.rules.headline_capitalised_share * len(content)

    def events(self, sent: Span, actor_at: dict[int, MentionSpan]) -> Iterator[tuple[Event, bool]]:
        """(event, planned) for the first trigger verb of a headline line."""
        for token in sent:
            trigger = self.forms.get(token.lower_)
            if trigger is None or not token.text[:1].isupper() or token.i in actor_at:
                continue
            before = [t for t in sent if t.i < token.i]
            if any(t.lower_ in self.rules.headline_negations for t in before):
                return
            planned = any(t.lower_ in self.rules.headline_future for t in before)
            sources = _names(actor_at, before)
            after = []
            for other in sent:
                if other.i <= token.i:
                    continue
                if other.lower_ in self.rules.headline_topic_preps:
                    break
                after.append(other)
            targets = [n for n in _names(actor_at, after) if n not in sources]
            if trigger.direction == "object_acts":
                sources, targets = targets, sources
            yield Event(token, trigger.type, sources, targets, reciprocal=trigger.reciprocal, rule="headline"), planned
            return


def _names(actor_at: dict[int, MentionSpan], tokens: list[Token]) -> list[str]:
    names: list[str] = []
    for token in tokens:
        mention = actor_at.get(token.i)
        if mention is not None and mention.actor not in names:
            names.append(mention.actor)
    return names
