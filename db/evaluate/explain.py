"""The error report behind `dprk-tui eval --explain`: per document, every missed and every false
relation and actor, each with the sentence it comes from, and for a false relation the trigger and
the extractor's rule that produced it.

Each difference is also given a class, so that a run can be read as counts of error kinds:

- missed relation: "actor missed" (an end is a gold actor the store never found), "wrong type"
  (the pair is predicted with another type), "wrong direction" (the same type the other way
  round), else "no relation" (the pair is not predicted at all);
- false relation: "unknown actor" (an end matches no gold actor), "wrong type", "wrong direction",
  else "not in gold";
- missed actor: its first mention in the text, and what the store made of that place (another
  actor, a place or nothing); false actor: the sentence of its first mention; a bare surname
  linked to the wrong person: its sentence.

The extractor's rules are not stored; `attach_rules` (in rerun.py) reads them again from the stored
texts. Sentences are found with the co-mention splitter (db/comentions.py), no spaCy needed here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dprk_tui.db.comentions import sentence_spans
from dprk_tui.db.evaluate.gold import GoldDoc, stem
from dprk_tui.db.evaluate.results import DocReport, EvalReport, RelationDiff


@dataclass
class DocumentMaterial:
    """What the explanation of one document reads: its stored text and predicted mentions."""

    text: str = ""
    mentions: list[Mapping[str, Any]] = field(default_factory=list)
    _spans: list[tuple[int, int]] | None = None

    def sentence(self, start: int, end: int | None = None) -> str:
        """The sentence holding text[start:end] (the co-mention splitter's sentence)."""
        if self._spans is None:
            self._spans = sentence_spans(self.text)
        end = start if end is None else end
        for s, e in self._spans:
            if s <= start < e or (s <= end <= e and start < e):
                return self.text[s:e]
        return self.text[start:end]


def materials(
    documents: Sequence[Mapping[str, Any]], mentions: Sequence[Mapping[str, Any]]
) -> dict[str, DocumentMaterial]:
    """Per document stem, its text and its mentions (in text order)."""
    found: dict[str, DocumentMaterial] = {}
    for row in documents:
        found.setdefault(stem(row.get("file") or row.get("path")), DocumentMaterial(str(row.get("text") or "")))
    for row in sorted(mentions, key=lambda m: m.get("start") or 0):
        material = found.get(stem(row.get("file") or row.get("path")))
        if material is not None:
            material.mentions.append(row)
    return found


def _same_pair(a: RelationDiff, b: RelationDiff) -> bool:
    return {a.source, a.target} == {b.source, b.target}


def missed_class(missed: RelationDiff, report: DocReport) -> str:
    if missed.source in report.missed_actors or missed.target in report.missed_actors:
        return "actor missed"
    extras = [_gold_names(extra, report) for extra in report.extra_relations]
    if any(_same_pair(missed, e) and e.type == missed.type for e in extras):
        return "wrong direction"
    if any(_same_pair(missed, e) for e in extras):
        return "wrong type"
    return "no relation"


def extra_class(extra: RelationDiff, report: DocReport) -> str:
    named = _gold_names(extra, report)
    if extra.source not in report.matched_actors or extra.target not in report.matched_actors:
        return "unknown actor"
    if any(_same_pair(named, m) and m.type == named.type for m in report.missed_relations):
        return "wrong direction"
    if any(_same_pair(named, m) for m in report.missed_relations):
        return "wrong type"
    return "not in gold"


def _gold_names(extra: RelationDiff, report: DocReport) -> RelationDiff:
    """A predicted relation with its ends renamed to the gold actors they match."""
    matched = report.matched_actors
    return RelationDiff(matched.get(extra.source, extra.source), extra.type, matched.get(extra.target, extra.target))


def _first_mention(text: str, forms: Sequence[str]) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for form in forms:
        if not form:
            continue
        match = re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text)
        if match and (best is None or match.start() < best[0]):
            best = match.span()
    return best


def _taken_as(material: DocumentMaterial, start: int, end: int) -> str:
    for mention in material.mentions:
        if (mention.get("start") or 0) < end and start < (mention.get("end") or 0):
            actor = mention.get("actor")
            label = mention.get("label") or "?"
            what = f"actor {actor}" if actor else f"a {label} without actor"
            return f"taken as {what} ({mention.get('text')!r})"
    return "no entity there"


def explain_document(
    report: DocReport, gold: GoldDoc | None, material: DocumentMaterial, counts: Counter[str]
) -> list[str]:
    """The lines of one document's explanation; `counts` gathers the error classes."""
    lines = [f"== {report.doc}" + ("" if report.found else " (no predicted document)")]
    if not report.date.correct:
        lines.append(f"date: predicted {report.predicted_date or 'null'}, gold {report.gold_date or 'null'}")
    gold_actors = {a.name: a for a in gold.actors} if gold is not None else {}
    for name in report.missed_actors:
        actor = gold_actors.get(name)
        where = _first_mention(material.text, [name, *(actor.mentions if actor else ())])
        counts["actor missed"] += 1
        if where is None:
            lines.append(f"  missed actor {name}: not found in the text")
            continue
        lines.append(f"  missed actor {name}: {material.text[where[0]:where[1]]!r}"
                     f" {_taken_as(material, *where)}")
        lines.append(f"    | {material.sentence(*where)}")
    for name in report.extra_actors:
        counts["actor false"] += 1
        mention = next((m for m in material.mentions if m.get("actor") == name), None)
        if mention is None:
            lines.append(f"  false actor {name}")
            continue
        lines.append(f"  false actor {name}: {mention.get('text')!r} ({mention.get('label')})")
        lines.append(f"    | {material.sentence(mention.get('start') or 0, mention.get('end'))}")
    for wrong in report.wrong_surnames:
        counts["surname wrong"] += 1
        where = "not recognised" if wrong.start is None else f"at {wrong.start}"
        lines.append(f"  surname {wrong.text!r} {where}: predicted {wrong.predicted_actor or '-'},"
                     f" gold {wrong.gold_actor}")
        if wrong.start is not None:
            lines.append(f"    | {material.sentence(wrong.start, wrong.start + len(wrong.text))}")
    for missed in report.missed_relations:
        kind = missed_class(missed, report)
        counts[f"relation missed: {kind}"] += 1
        lines.append(f"  missed {missed.source} -{missed.type}-> {missed.target}  [{kind}]")
        lines.append(f"    | {missed.evidence}")
    for extra in report.extra_relations:
        kind = extra_class(extra, report)
        counts[f"relation false: {kind}"] += 1
        lines.append(f"  false {extra.source} -{extra.type}-> {extra.target}  [{kind}]"
                     f" trigger {extra.trigger or '?'!r}, rule {extra.rule or '?'}")
        lines.append(f"    | {extra.evidence}")
    return lines


def explain_report(
    report: EvalReport, gold: Sequence[GoldDoc], materials_by_stem: Mapping[str, DocumentMaterial]
) -> str:
    """Every document's differences with their sentences, then the error classes counted."""
    by_stem = {g.stem: g for g in gold}
    counts: Counter[str] = Counter()
    lines: list[str] = []
    for doc in report.documents:
        lines.append("")
        lines.extend(explain_document(doc, by_stem.get(doc.doc), materials_by_stem.get(doc.doc, DocumentMaterial()),
                                      counts))
    lines.append("")
    lines.append("Errors by class")
    lines.extend(f"{count:>5}  {kind}" for kind, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return "\n".join(line.rstrip() for line in lines) + "\n"
