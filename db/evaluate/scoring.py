"""Scoring one store export against the gold documents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dprk_tui.db.evaluate.gold import GoldActor, GoldDoc, GoldRelation, stem
from dprk_tui.db.evaluate.matching import match_actors
from dprk_tui.db.evaluate.names import is_one_word, name_key
from dprk_tui.db.evaluate.results import PRF, Accuracy, DocReport, EvalReport, RelationDiff, SurnameError

_Node = tuple[bool, str]  # (matched to gold?, name)


def _prf(pred: set, gold: set) -> PRF:
    return PRF(tp=len(pred & gold), fp=len(pred - gold), fn=len(gold - pred))


def _rel_type(value: Any) -> str:
    return str(value or "").strip().upper()


def _surnames(gold: GoldDoc) -> list[tuple[GoldActor, str, str]]:
    """(gold person, surface text, key) for each distinct one-word mention of a gold person."""
    out = []
    for actor in gold.actors:
        if not actor.is_person:
            continue
        seen: set[str] = set()
        for m in actor.mentions:
            key = name_key(m)
            if key and is_one_word(m) and key not in seen:
                seen.add(key)
                out.append((actor, m, key))
    return out


def _score_doc(
    gold: GoldDoc,
    document: Mapping[str, Any] | None,
    mentions: Sequence[Mapping[str, Any]],
    relations: Sequence[Mapping[str, Any]],
    aliases: Mapping[str, Sequence[str]],
) -> DocReport:
    found = document is not None
    predicted_date = (document.get("date") or None) if found else None
    gold_date = gold.date or None
    rep = DocReport(
        doc=gold.stem, found=found, predicted_date=predicted_date, gold_date=gold_date
    )
    rep.date = Accuracy(int(found and predicted_date == gold_date), 1)

    # Actors.
    predicted = {m.get("actor") for m in mentions if m.get("actor")}
    matched = match_actors(predicted, gold.actors, aliases)
    rep.matched_actors = dict(sorted(matched.items()))
    gold_names = [a.name for a in gold.actors]
    matched_gold = set(matched.values())
    rep.missed_actors = [n for n in gold_names if n not in matched_gold]
    rep.extra_actors = sorted(p for p in predicted if p not in matched)
    rep.actors = PRF(tp=len(matched), fp=len(rep.extra_actors), fn=len(rep.missed_actors))

    # Bare surnames.
    ordered = sorted(mentions, key=lambda m: (m.get("start") is None, m.get("start") or 0))
    correct = total = 0
    for person, text, key in _surnames(gold):
        hits = [m for m in ordered if name_key(str(m.get("text") or "")) == key]
        if not hits:
            total += 1
            rep.wrong_surnames.append(SurnameError(text, None, None, person.name))
            continue
        for m in hits:
            total += 1
            actor = m.get("actor") or None
            if actor is not None and matched.get(actor) == person.name:
                correct += 1
            else:
                rep.wrong_surnames.append(
                    SurnameError(str(m.get("text") or ""), m.get("start"), actor, person.name)
                )
    rep.surnames = Accuracy(correct, total)

    # Relations.
    def node(name: Any) -> _Node:
        name = "" if name is None else str(name)
        return (True, matched[name]) if name in matched else (False, name)

    gold_directed: dict[tuple[_Node, _Node, str], GoldRelation] = {}
    for r in gold.relations:
        gold_directed.setdefault(((True, r.source), (True, r.target), _rel_type(r.type)), r)
    pred_directed: dict[tuple[_Node, _Node, str], Mapping[str, Any]] = {}
    for r in relations:
        triple = (node(r.get("source")), node(r.get("target")), _rel_type(r.get("type")))
        pred_directed.setdefault(triple, r)

    def pairs(triples: Iterable[tuple[_Node, _Node, str]]) -> set:
        return {frozenset((s, t)) for s, t, _ in triples}

    def typed(triples: Iterable[tuple[_Node, _Node, str]]) -> set:
        return {(frozenset((s, t)), k) for s, t, k in triples}

    rep.relation_pair = _prf(pairs(pred_directed), pairs(gold_directed))
    rep.relation_typed = _prf(typed(pred_directed), typed(gold_directed))
    rep.relation_directed = _prf(set(pred_directed), set(gold_directed))
    rep.missed_relations = [
        RelationDiff(g.source, _rel_type(g.type), g.target, g.evidence)
        for triple, g in gold_directed.items()
        if triple not in pred_directed
    ]
    rep.extra_relations = [
        RelationDiff(
            str(r.get("source")), triple[2], str(r.get("target")), str(r.get("evidence") or ""),
            str(r.get("trigger") or ""), str(r.get("rule") or ""), r.get("start"),
        )
        for triple, r in pred_directed.items()
        if triple not in gold_directed
    ]
    return rep


def _file_stem(row: Mapping[str, Any]) -> str:
    return stem(row.get("file") or row.get("path"))


def score(
    gold: Sequence[GoldDoc],
    documents: Iterable[Mapping[str, Any]],
    actors: Iterable[Mapping[str, Any]],
    mentions: Iterable[Mapping[str, Any]],
    relations: Iterable[Mapping[str, Any]],
) -> EvalReport:
    """Score predicted export lists against ``gold``; one `DocReport` per gold document."""
    docs_by_stem: dict[str, Mapping[str, Any]] = {}
    for d in documents:
        docs_by_stem.setdefault(_file_stem(d), d)

    aliases: dict[str, list[str]] = {}
    for a in actors:
        name = a.get("name")
        if name:
            aliases.setdefault(name, []).extend(x for x in (a.get("aliases") or ()) if x)

    wanted = {g.stem for g in gold}
    mentions_by: dict[str, list[Mapping[str, Any]]] = {}
    for m in mentions:
        stem = _file_stem(m)
        if stem in wanted:
            mentions_by.setdefault(stem, []).append(m)
    relations_by: dict[str, list[Mapping[str, Any]]] = {}
    for r in relations:
        stem = _file_stem(r)
        if stem in wanted:
            relations_by.setdefault(stem, []).append(r)

    reports = []
    for g in gold:
        document = docs_by_stem.get(g.stem)
        if document is None:
            reports.append(_score_doc(g, None, [], [], {}))
        else:
            reports.append(
                _score_doc(
                    g, document, mentions_by.get(g.stem, []), relations_by.get(g.stem, []), aliases
                )
            )
    return EvalReport.from_documents(reports)


