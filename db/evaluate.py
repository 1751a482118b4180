"""Score a store's extraction against the hand-made gold annotations.

The gold files (``gold/seeds/*.json``, schema in the gold README) list, per article, its date, its
actors with every surface form that refers to them, and the relations the text states between them.
The predicted side comes in the shape of the export contract (lists of plain dicts):

- documents: ``id``, ``file``, ``path``, ``title``, ``date``, ``source``, ``words``, ``text``
- actors: ``name``, ``type``, ``country``, ``aliases``, ``documents``, ``mentions``
- mentions: ``file``, ``start``, ``end``, ``text``, ``label``, ``actor``
- relations: ``file``, ``date``, ``source``, ``target``, ``type``, ``evidence``, ``start``, ``end``

Usage::

    gold = load_gold(Path("gold/seeds"))
    report = score(gold, documents, actors, mentions, relations)
    print(report_to_text(report))
    json.dumps(report_to_dict(report))

Scoring rules (the gold README's, and how this module reads the points it leaves open):

Documents
    A gold document is matched to the predicted document whose ``file`` has the same stem
    ("000_aa00d64e3f46041c"); ``path`` is used when ``file`` is absent, and only the file name of
    either is looked at. Mentions and relations belong to a document by the same stem of their
    ``file``. Predicted documents with no gold file are ignored. A gold document with no predicted
    document is scored with nothing predicted: all its actors, relations and bare surnames are
    missed, its date counts as wrong (even when gold's date is null), and it is listed in
    ``EvalReport.missing_documents``. When two predicted documents share a stem the first is used.

Names
    ``normalize_name`` folds case (casefold) and accents (NFKD, combining marks dropped), drops a
    possessive "'s" at the end of any word, removes apostrophes and full stops ("U.S." -> "us",
    "Workers'" -> "workers"), turns hyphens, dashes and all other punctuation into spaces,
    collapses whitespace and drops one leading "the" ("the North" -> "north"). Names are compared
    by ``name_key``: the normalized name with its spaces removed, so that "Kim Jong-un",
    "Kim Jong Un" and "Kim Jongun" are the same key.

    A name is *one word* when it holds a single word once normalized with its hyphens kept as
    part of the word ("Choe", "Kim's", "Kyung-wha" are one word; "Kim Jong-un" is three).

Actors
    A document's predicted actors are the distinct, non-empty ``actor`` names of its mentions.
    A predicted actor's names are its canonical name plus the ``aliases`` of the entry of that
    name in ``actors`` (an actor missing from ``actors`` just has no aliases); a gold actor's names
    are its canonical name plus its mentions.

    A bare one-word person name never identifies anybody by itself. The type that decides is the
    gold actor's: when the gold actor is a PERSON, one-word names on either side are left out of
    the comparison, so predicted "Kim" (or a predicted actor whose only shared name is the alias
    "Kim") does not match gold "Kim Jong Un" through its gold mention "Kim". One exception: a gold
    PERSON whose canonical name is itself one word ("Mills", "Vorontsov": the article never gives
    more) keeps that canonical name as a key, and every predicted name may meet it; otherwise such
    gold actors could never be found. One-word ORG/GPE names ("Russia", "KCNA") match normally.

    Matching is one-to-one and runs in two stages. Stage 1 pairs exact canonical-name matches
    (equal ``name_key`` of both canonical names, subject to the rule above), taking predicted
    actors in sorted order. Stage 2 pairs the rest when any usable name of the predicted actor
    (canonical or alias) equals any usable name of the gold actor (canonical or mention); it is a
    maximum bipartite matching (augmenting paths, predicted actors in sorted order, gold actors in
    file order), so a predicted actor that could take either of two gold actors does not block a
    second one that can only take one. Each gold actor and each predicted actor is matched at most
    once: two predicted actors that both alias one gold actor give one true positive and one false
    positive. Actor precision/recall/F1 are micro-averaged over all gold documents.

Surname accuracy
    For each gold PERSON and each of its gold mentions that is one word (a bare surname, the same
    surname listed twice for a person counts once), the predicted mentions of that document whose
    text has the same ``name_key`` are looked at: each counts correct when its actor is matched to
    that gold person, otherwise wrong (including mentions with no actor). When no predicted mention
    has that text, one wrong is counted (reported with offset ``None``). A full name such as
    "Kim Gunn" is never bare, so it does not make "Kim" a surname of its own.

Relations
    Per document, predicted source and target names are mapped to the gold actor they are matched
    to; a name that is not matched (or is not among the document's mention actors at all) stays
    unmatched and can never equal a gold relation, so the relation is a false positive. Three
    sets are built per document on each side and compared, duplicates collapsing: unordered pairs
    {source, target}, typed pairs (pair, type) and directed typed triples (source, target, type).
    Types compare upper-cased and stripped. Counts are micro-averaged across documents. The lists
    of missed and extra relations are at the strictest (directed typed) level: a predicted relation
    with the right pair but the wrong direction appears in both lists. Extra relations are shown
    with the predicted names and the evidence of the first predicted relation giving that triple.

Dates
    A document's date is correct when the predicted ``date`` equals gold's (an empty string counts
    as null; null equals null).

Every precision, recall, F1 or accuracy with a zero denominator is 0.0.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

__all__ = [
    "Accuracy",
    "DocReport",
    "EvalReport",
    "GoldActor",
    "GoldDoc",
    "GoldRelation",
    "PRF",
    "RelationDiff",
    "SurnameError",
    "load_gold",
    "match_actors",
    "name_key",
    "normalize_name",
    "report_to_dict",
    "report_to_text",
    "score",
]

PERSON = "PERSON"

# --------------------------------------------------------------------------------------------
# Gold data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldActor:
    """One annotated actor: canonical name, type, country and every surface form (mentions)."""

    name: str
    type: str
    country: str | None = None
    mentions: tuple[str, ...] = ()

    @property
    def is_person(self) -> bool:
        return self.type.strip().upper() == PERSON


@dataclass(frozen=True)
class GoldRelation:
    """One annotated relation: ``source`` acts on ``target``; ``type`` is a PLOVER name."""

    source: str
    target: str
    type: str
    evidence: str = ""


@dataclass(frozen=True)
class GoldDoc:
    """The annotation of one article; ``doc`` is the article's file name."""

    doc: str
    date: str | None
    actors: tuple[GoldActor, ...] = ()
    relations: tuple[GoldRelation, ...] = ()

    @property
    def stem(self) -> str:
        return _stem(self.doc)


def _stem(name: str | None) -> str:
    if not name:
        return ""
    return PurePath(str(name).replace("\\", "/")).stem


def _require(obj: Any, key: str, kind: type | tuple[type, ...], where: str, path: Path) -> Any:
    if not isinstance(obj, dict):
        raise ValueError(f"{path}: {where} is not a JSON object")
    if key not in obj:
        raise ValueError(f"{path}: {where} has no {key!r} field")
    value = obj[key]
    if not isinstance(value, kind):
        kind_name = type(value).__name__
        raise ValueError(f"{path}: {where} field {key!r} has the wrong type ({kind_name})")
    return value


def _parse_gold(data: Any, path: Path) -> GoldDoc:
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the top level is not a JSON object")
    doc = _require(data, "doc", str, "the document", path)
    date = _require(data, "date", (str, type(None)), "the document", path)
    raw_actors = _require(data, "actors", list, "the document", path)
    raw_relations = _require(data, "relations", list, "the document", path)

    actors: list[GoldActor] = []
    for i, raw in enumerate(raw_actors):
        where = f"actor #{i}"
        name = _require(raw, "name", str, where, path)
        where = f"actor #{i} ({name!r})"
        kind = _require(raw, "type", str, where, path)
        mentions = _require(raw, "mentions", list, where, path)
        if not all(isinstance(m, str) for m in mentions):
            raise ValueError(f"{path}: {where} has a mention that is not a string")
        country = raw.get("country")
        if country is not None and not isinstance(country, str):
            raise ValueError(f"{path}: {where} field 'country' is not a string or null")
        actors.append(GoldActor(name=name, type=kind, country=country, mentions=tuple(mentions)))

    names = {a.name for a in actors}
    relations: list[GoldRelation] = []
    for i, raw in enumerate(raw_relations):
        where = f"relation #{i}"
        source = _require(raw, "source", str, where, path)
        target = _require(raw, "target", str, where, path)
        kind = _require(raw, "type", str, where, path)
        evidence = raw.get("evidence", "")
        if not isinstance(evidence, str):
            raise ValueError(f"{path}: {where} field 'evidence' is not a string")
        for role, actor in (("source", source), ("target", target)):
            if actor not in names:
                raise ValueError(
                    f"{path}: {where} {role} {actor!r} is not one of the listed actors"
                )
        relations.append(GoldRelation(source=source, target=target, type=kind, evidence=evidence))

    return GoldDoc(doc=doc, date=date, actors=tuple(actors), relations=tuple(relations))


def load_gold(gold_dir: Path) -> list[GoldDoc]:
    """Read every ``*.json`` file of ``gold_dir`` (sorted by file name) as a `GoldDoc`.

    Raises ``ValueError`` naming the file when it is not valid JSON, lacks a field of the schema
    (``doc``, ``date``, ``actors``, ``relations``; ``name``, ``type``, ``mentions`` per actor;
    ``source``, ``target``, ``type`` per relation), has a field of the wrong type, or has a
    relation naming an actor it does not list. ``country`` and ``evidence`` are optional.
    Raises ``FileNotFoundError`` when ``gold_dir`` is not a directory.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold directory not found: {gold_dir}")
    docs: list[GoldDoc] = []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not valid JSON ({exc})") from exc
        docs.append(_parse_gold(data, path))
    return docs


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_POSSESSIVE = re.compile(r"'s\b")
_DASHES = re.compile(r"[\-\u2010-\u2015\u2212\u00ad]")
_VANISH = re.compile(r"['.]")


def _fold(name: str, hyphen: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().translate(_APOSTROPHES)
    text = _POSSESSIVE.sub("", text)
    text = _DASHES.sub(hyphen, text)
    text = _VANISH.sub("", text)
    text = "".join(c if (c.isalnum() or c.isspace()) else " " for c in text)
    words = text.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def normalize_name(name: str) -> str:
    """Fold a name for comparison: "The U.S.'s Kim Jong-un" -> "us kim jong un"."""
    return " ".join(_fold(name, " "))


def name_key(name: str) -> str:
    """The comparison key of a name: `normalize_name` without spaces ("kimjongun")."""
    return normalize_name(name).replace(" ", "")


def _is_one_word(name: str) -> bool:
    return len(_fold(name, "")) == 1


# --------------------------------------------------------------------------------------------
# Report data
# --------------------------------------------------------------------------------------------


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
    """A missed (gold names) or extra (predicted names) relation."""

    source: str
    type: str
    target: str
    evidence: str = ""


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


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _GoldKeys:
    canonical: str | None  # the canonical key, or None when it may not be used
    keys: frozenset[str]  # every usable key (canonical and mentions)
    any_pred_word: bool  # may one-word predicted names take part?


def _gold_keys(actor: GoldActor) -> _GoldKeys:
    names = [actor.name, *actor.mentions]
    if not actor.is_person:
        keys = {name_key(n) for n in names}
        canonical = name_key(actor.name)
        any_pred_word = True
    elif _is_one_word(actor.name):
        # Known only by one name: that name is its identity.
        canonical = name_key(actor.name)
        keys = {canonical} | {name_key(n) for n in actor.mentions if not _is_one_word(n)}
        any_pred_word = True
    else:
        canonical = name_key(actor.name)
        keys = {name_key(n) for n in names if not _is_one_word(n)}
        any_pred_word = False
    keys.discard("")
    return _GoldKeys(canonical or None, frozenset(keys), any_pred_word)


def _pred_keys(names: Iterable[str], any_word: bool) -> set[str]:
    keys = {name_key(n) for n in names if n and (any_word or not _is_one_word(n))}
    keys.discard("")
    return keys


def match_actors(
    predicted: Iterable[str],
    gold: Sequence[GoldActor],
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, str]:
    """Match predicted actor names one-to-one to gold actors; returns predicted -> gold name.

    ``aliases`` maps a predicted canonical name to its aliases. See the module docstring.
    """
    aliases = aliases or {}
    preds = sorted({p for p in predicted if p})
    gkeys = [_gold_keys(g) for g in gold]

    def pred_names(p: str) -> list[str]:
        return [p, *(a for a in aliases.get(p, ()) if isinstance(a, str))]

    owner: dict[int, str] = {}  # gold index -> predicted name
    # Stage 1: exact canonical names.
    for p in preds:
        for gi, gk in enumerate(gkeys):
            if gi in owner or gk.canonical is None:
                continue
            if _pred_keys([p], gk.any_pred_word) == {gk.canonical}:
                owner[gi] = p
                break
    taken = set(owner.values())
    exact = set(owner)

    # Stage 2: aliases and gold mentions, maximum bipartite matching over what is left.
    candidates: dict[str, list[int]] = {}
    for p in preds:
        if p in taken:
            continue
        names = pred_names(p)
        candidates[p] = [
            gi
            for gi, gk in enumerate(gkeys)
            if gi not in exact and _pred_keys(names, gk.any_pred_word) & gk.keys
        ]

    def augment(p: str, seen: set[int]) -> bool:
        for gi in candidates[p]:
            if gi in seen:
                continue
            seen.add(gi)
            if gi not in owner or augment(owner[gi], seen):
                owner[gi] = p
                return True
        return False

    for p in candidates:
        augment(p, set())
    return {p: gold[gi].name for gi, p in owner.items()}


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------

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
            if key and _is_one_word(m) and key not in seen:
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
            str(r.get("source")), triple[2], str(r.get("target")), str(r.get("evidence") or "")
        )
        for triple, r in pred_directed.items()
        if triple not in gold_directed
    ]
    return rep


def _file_stem(row: Mapping[str, Any]) -> str:
    return _stem(row.get("file") or row.get("path"))


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


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------

_PRF_METRICS = (
    ("actors", "actors"),
    ("relation_pair", "relation pair"),
    ("relation_typed", "relation typed"),
    ("relation_directed", "relation directed"),
)


def _prf_dict(p: PRF) -> dict[str, Any]:
    return {
        "precision": p.precision,
        "recall": p.recall,
        "f1": p.f1,
        "tp": p.tp,
        "fp": p.fp,
        "fn": p.fn,
    }


def _acc_dict(a: Accuracy) -> dict[str, Any]:
    return {"accuracy": a.accuracy, "correct": a.correct, "total": a.total}


def _rel_dict(r: RelationDiff) -> dict[str, str]:
    return {"source": r.source, "type": r.type, "target": r.target, "evidence": r.evidence}


def report_to_dict(report: EvalReport) -> dict[str, Any]:
    """A JSON-serialisable view of ``report`` (figures, counts and per-document differences)."""
    overall: dict[str, Any] = {key: _prf_dict(getattr(report, key)) for key, _ in _PRF_METRICS}
    overall["surnames"] = _acc_dict(report.surnames)
    overall["dates"] = _acc_dict(report.dates)
    docs = []
    for d in report.documents:
        entry: dict[str, Any] = {"doc": d.doc, "found": d.found}
        entry.update({key: _prf_dict(getattr(d, key)) for key, _ in _PRF_METRICS})
        entry["surnames"] = _acc_dict(d.surnames)
        entry["date"] = {**_acc_dict(d.date), "predicted": d.predicted_date, "gold": d.gold_date}
        entry["matched_actors"] = dict(d.matched_actors)
        entry["missed_actors"] = list(d.missed_actors)
        entry["extra_actors"] = list(d.extra_actors)
        entry["wrong_surnames"] = [
            {
                "text": s.text,
                "start": s.start,
                "predicted_actor": s.predicted_actor,
                "gold_actor": s.gold_actor,
            }
            for s in d.wrong_surnames
        ]
        entry["missed_relations"] = [_rel_dict(r) for r in d.missed_relations]
        entry["extra_relations"] = [_rel_dict(r) for r in d.extra_relations]
        docs.append(entry)
    return {
        "overall": overall,
        "documents": docs,
        "missing_documents": list(report.missing_documents),
    }


def _f(x: float) -> str:
    return f"{x:.3f}"


def _prf_line(label: str, p: PRF) -> str:
    return (
        f"{label:<19} {_f(p.precision):>6} {_f(p.recall):>6} {_f(p.f1):>6}"
        f" {p.tp:>5} {p.fp:>5} {p.fn:>5}"
    )


def _acc_line(label: str, a: Accuracy) -> str:
    return f"{label:<19} {_f(a.accuracy):>6} {f'{a.correct}/{a.total}':>13}"


def _rel_text(r: RelationDiff) -> str:
    line = f"{r.source} -{r.type}-> {r.target}"
    return f'{line}  "{r.evidence}"' if r.evidence else line


def report_to_text(report: EvalReport) -> str:
    """A plain-text table: overall figures, then one line per document, then the differences."""
    n = len(report.documents)
    lines = [f"Overall: {n} gold document(s), {len(report.missing_documents)} missing"]
    lines.append(f"{'metric':<19} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    for key, label in _PRF_METRICS:
        lines.append(_prf_line(label, getattr(report, key)))
    lines.append(f"{'metric':<19} {'acc':>6} {'correct/total':>13}")
    lines.append(_acc_line("surname", report.surnames))
    lines.append(_acc_line("date", report.dates))
    if report.missing_documents:
        lines.append("missing documents: " + ", ".join(report.missing_documents))

    lines.append("")
    lines.append("Per document")
    width = max([len("document"), *(len(d.doc) for d in report.documents)])
    lines.append(
        f"{'document':<{width}} {'actorF1':>7} {'surname':>9} {'pairF1':>6}"
        f" {'typedF1':>7} {'dirF1':>6} {'date':>4}"
    )
    for d in report.documents:
        surname = f"{d.surnames.correct}/{d.surnames.total}"
        date = "ok" if d.date.correct else "no"
        lines.append(
            f"{d.doc:<{width}} {_f(d.actors.f1):>7} {surname:>9} {_f(d.relation_pair.f1):>6}"
            f" {_f(d.relation_typed.f1):>7} {_f(d.relation_directed.f1):>6} {date:>4}"
            + ("" if d.found else "  (no predicted document)")
        )

    for d in report.documents:
        lines.append("")
        lines.append(f"== {d.doc}" + ("" if d.found else " (no predicted document)"))
        lines.append(
            f"date: predicted {d.predicted_date or 'null'}, gold {d.gold_date or 'null'}"
            + ("" if d.date.correct else "  WRONG")
        )
        for title, items in (
            ("missed actors", d.missed_actors),
            ("extra actors", d.extra_actors),
        ):
            lines.append(f"{title} ({len(items)}): " + ("; ".join(items) if items else "-"))
        none = "" if d.wrong_surnames else " -"
        lines.append(f"wrong surnames ({len(d.wrong_surnames)}):{none}")
        for s in d.wrong_surnames:
            where = "not found" if s.start is None else f"at {s.start}"
            lines.append(
                f"  {s.text!r} {where}: predicted {s.predicted_actor or '-'}, gold {s.gold_actor}"
            )
        for title, rels in (
            ("missed relations", d.missed_relations),
            ("extra relations", d.extra_relations),
        ):
            lines.append(f"{title} ({len(rels)}):" + ("" if rels else " -"))
            lines.extend(f"  {_rel_text(r)}" for r in rels)
    return "\n".join(line.rstrip() for line in lines) + "\n"
