"""What a score is made of: precision/recall/F1, accuracies, the differences per document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass
class PRF:
    """True/false positive and false negative counts, with precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass
class Accuracy:
    """``correct`` out of ``total``."""

    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return _ratio(self.correct, self.total)

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)


@dataclass(frozen=True)
class SurnameError:
    """A bare surname linked to the wrong actor (or never recognised: ``start`` is None)."""

    text: str
    start: int | None
    predicted_actor: str | None
    gold_actor: str


@dataclass(frozen=True)
class RelationDiff:
    """A missed (gold names) or extra (predicted names) relation. An extra one also carries what
    produced it: its trigger word, the extractor's rule (when known) and its sentence's offset."""

    source: str
    type: str
    target: str
    evidence: str = ""
    trigger: str = field(default="", compare=False)
    rule: str = field(default="", compare=False)
    start: int | None = field(default=None, compare=False)


@dataclass
class DocReport:
    """The figures and the differences of one gold document."""

    doc: str
    found: bool
    actors: PRF = field(default_factory=PRF)
    surnames: Accuracy = field(default_factory=Accuracy)
    relation_pair: PRF = field(default_factory=PRF)
    relation_typed: PRF = field(default_factory=PRF)
    relation_directed: PRF = field(default_factory=PRF)
    date: Accuracy = field(default_factory=Accuracy)
    predicted_date: str | None = None
    gold_date: str | None = None
    matched_actors: dict[str, str] = field(default_factory=dict)  # predicted name -> gold name
    missed_actors: list[str] = field(default_factory=list)
    extra_actors: list[str] = field(default_factory=list)
    wrong_surnames: list[SurnameError] = field(default_factory=list)
    missed_relations: list[RelationDiff] = field(default_factory=list)
    extra_relations: list[RelationDiff] = field(default_factory=list)


@dataclass
class EvalReport:
    """Overall (micro-averaged) figures and one `DocReport` per gold document."""

    documents: list[DocReport] = field(default_factory=list)
    actors: PRF = field(default_factory=PRF)
    surnames: Accuracy = field(default_factory=Accuracy)
    relation_pair: PRF = field(default_factory=PRF)
    relation_typed: PRF = field(default_factory=PRF)
    relation_directed: PRF = field(default_factory=PRF)
    dates: Accuracy = field(default_factory=Accuracy)
    missing_documents: list[str] = field(default_factory=list)

    @classmethod
    def from_documents(cls, documents: Sequence[DocReport]) -> EvalReport:
        report = cls(documents=list(documents))
        for d in documents:
            report.actors += d.actors
            report.surnames += d.surnames
            report.relation_pair += d.relation_pair
            report.relation_typed += d.relation_typed
            report.relation_directed += d.relation_directed
            report.dates += d.date
            if not d.found:
                report.missing_documents.append(d.doc)
        return report


