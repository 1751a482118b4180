"""Which extractor rule produced each stored relation, found by running the extractor again.

The store keeps a relation's trigger word but not the rule that read it (the schema stays as it
is); the explanation re-extracts each stored text with its stored date and takes the rule of the
relation with the same source, target, type and sentence. A stored relation the current extractor
no longer produces (the store was built by another version, or its actors were corrected since)
gets the rule "not reproduced". spaCy is imported only when this runs.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

from dprk_tui.db.evaluate.gold import stem

NOT_REPRODUCED = "not reproduced"

_Key = tuple[str, str, str, str, int]


def attach_rules(
    documents: Sequence[Mapping[str, Any]], relations: Sequence[MutableMapping[str, Any]],
    extractor: Any = None,
) -> None:
    """Set ``rule`` on every relation row from a fresh extraction of its document's text."""
    if not relations:
        return
    if extractor is None:
        from dprk_tui.db.extract.pipeline import Extractor

        extractor = Extractor()
    wanted = {stem(r.get("file")) for r in relations}
    found: dict[_Key, str] = {}
    for document in documents:
        key = stem(document.get("file") or document.get("path"))
        if key not in wanted:
            continue
        extraction = extractor.extract(str(document.get("text") or ""), document.get("date"))
        for relation in extraction.relations:
            found.setdefault(
                (key, relation.source, relation.target, relation.type, relation.start), relation.rule or "?"
            )
    for row in relations:
        key = (stem(row.get("file")), str(row.get("source")), str(row.get("target")), str(row.get("type")),
               int(row.get("start") or 0))
        row["rule"] = found.get(key, NOT_REPRODUCED)
