"""What extraction produces for one document, before it is written to the store."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MentionSpan:
    """An entity mention at `text[start:end]`; `actor` is a canonical name or None (a place, a
    nationality, an entity that is not an actor)."""

    start: int
    end: int
    text: str
    label: str
    actor: str | None = None


@dataclass(frozen=True)
class NewActor:
    """An actor found in text that the dictionary does not know."""

    name: str
    type: str


@dataclass(frozen=True)
class RelationSpan:
    """`source` did `type` to `target`, stated by the sentence at `text[start:end]`; `trigger` is
    the word that states it and `rule` the extractor's short name for the construction that read
    it ("verb-subj-obj", "noun-between", "headline"...), for error reports; it is not stored."""

    source: str
    target: str
    type: str
    start: int
    end: int
    trigger: str
    date: str | None = None
    rule: str | None = None


@dataclass
class Extraction:
    mentions: list[MentionSpan] = field(default_factory=list)
    relations: list[RelationSpan] = field(default_factory=list)
    new_actors: dict[str, NewActor] = field(default_factory=dict)
