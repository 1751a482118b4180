"""The gold annotations: one JSON file per article (schema in the gold README), checked as read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

PERSON = "PERSON"


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
        return stem(self.doc)


def stem(name: str | None) -> str:
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


