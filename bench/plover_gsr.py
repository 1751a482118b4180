"""Trigger coverage and direction on the PLOVER gold standard records (a development check).

openeventdata/PLOVER's `gold_standard_records/PLOVER_GSR_CAMEO.txt` holds 323 news sentences,
each coded with its source and target actors and one PLOVER event (CC BY-SA 4.0). This script
reads that file at run time (it is never copied into the project), keeps the records with a
source and a target whose event has a counterpart among our relation types (DEMAND -> REQUEST,
DISAPPROVE -> ACCUSE, the rest by name; PROTEST, COERCE, ASSAULT, FIGHT, CONCEDE, RETREAT and
INVESTIGATE have none), and runs the relation extractor on each sentence.

The coded actors are made mentions (an actor named by the coded text, a state where the
dictionary knows the text), over whatever else the resolver finds, so that the figures measure
triggers and argument roles rather than the actor dictionary. Per sentence:

- pair: some relation joins a coded source and a coded target (or two coded SRC/TAR actors);
- typed: such a relation has the coded type; directed: and runs from a source to a target;
- wrong type: a relation joins them but none has the coded type;
- other: relations between two coded actors that do not match (a precision signal: the records
  code one event each, so a second true event in a sentence also counts here).

    .venv/bin/python -m bench.plover_gsr [--file PATH] [--show missed|wrong|all] [--type ACCUSE]

Without --file, the file is read from the fetched mirror (git show on the bare repository at
$PLOVER_REPO, default /work/.mirror/openeventdata+PLOVER/repo).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

GSR_PATH = "gold_standard_records/PLOVER_GSR_CAMEO.txt"
DEFAULT_REPO = "/work/.mirror/openeventdata+PLOVER/repo"
TYPE_MAP = {
    "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "REQUEST": "REQUEST", "ACCUSE": "ACCUSE",
    "AGREE": "AGREE", "CONSULT": "CONSULT", "SUPPORT": "SUPPORT", "COOPERATE": "COOPERATE",
    "AID": "AID", "REJECT": "REJECT", "THREATEN": "THREATEN", "SANCTION": "SANCTION",
    "MOBILIZE": "MOBILIZE",
}


def read_records(path: Path | None) -> list[dict]:
    if path is not None:
        text = path.read_text(encoding="utf-8")
    else:
        repo = os.environ.get("PLOVER_REPO", DEFAULT_REPO)
        text = subprocess.run(
            ["git", "--git-dir", repo, "show", f"HEAD:{GSR_PATH}"],
            check=True, capture_output=True, text=True,
        ).stdout
    return json.loads(text)


def _actors(value: object) -> list[str]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    return [a["actorText"].strip() for a in value if isinstance(a, dict) and a.get("actorText", "").strip()]


@dataclass
class Case:
    id: str
    text: str
    type: str
    sources: list[str]
    targets: list[str]
    event_text: str = ""


@dataclass
class Outcome:
    case: Case
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)  # role names + trigger
    pair: bool = False
    typed: bool = False
    directed: bool = False
    other: int = 0


def cases(records: list[dict]) -> list[Case]:
    found = []
    for record in records:
        kind = TYPE_MAP.get(record.get("event", ""))
        sources, targets = _actors(record.get("source")), _actors(record.get("target"))
        if kind is None or not sources or not targets or not record.get("text"):
            continue
        found.append(Case(record["id"], record["text"], kind, sources, targets, record.get("eventText", "")))
    return found


class Bench:
    """The project's own pipeline, with the coded actors made mentions."""

    def __init__(self) -> None:
        from dprk_tui.db.extract.pipeline import Extractor

        self.extractor = Extractor()

    def run(self, case: Case) -> Outcome:
        from dprk_tui.db.extract.model import MentionSpan
        from dprk_tui.db.extract.names import name_key

        doc = self.extractor.nlp(case.text)
        resolved = self.extractor.resolver.resolve(doc, None).mentions
        dictionary = self.extractor.dictionary
        coded: list[MentionSpan] = []
        role_of: dict[str, str] = {}
        for role, names in (("source", case.sources), ("target", case.targets)):
            for text in names:
                for match in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", case.text):
                    start, end = match.span()
                    overlapping = [m for m in resolved if m.start < end and start < m.end and m.actor]
                    entry = dictionary.by_name.get(overlapping[0].actor) if overlapping else None
                    if entry is None:
                        entry = dictionary.lookup(text) or dictionary.state_of(name_key(text))
                    actor = entry.name if entry is not None else text
                    label = {"GPE": "GPE", "PERSON": "PERSON"}.get(entry.type if entry else "", "ORG")
                    span = doc.char_span(start, end, alignment_mode="expand")
                    if span is not None and span.ents and not entry:
                        label = "PERSON" if span.ents[0].label_ == "PERSON" else label
                    coded.append(MentionSpan(start, end, text, label, actor))
                    key = name_key(actor)
                    role_of[key] = "both" if role_of.get(key, role) != role else role
        mentions = [m for m in resolved if not any(m.start < c.end and c.start < m.end for c in coded)]
        mentions = sorted([*mentions, *coded], key=lambda m: m.start)
        relations = self.extractor.relations.extract(doc, mentions, None)
        outcome = Outcome(case)
        for relation in relations:
            source, target = role_of.get(name_key(relation.source)), role_of.get(name_key(relation.target))
            outcome.relations.append((relation.source, relation.type, relation.target, relation.trigger))
            if source is None or target is None:
                continue
            pair = {source, target} != {"source"} and {source, target} != {"target"}
            directed = source in ("source", "both") and target in ("target", "both")
            if pair:
                outcome.pair = True
                if relation.type == case.type:
                    outcome.typed = True
                    outcome.directed = outcome.directed or directed
                    continue
            outcome.other += 1
        return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="PLOVER_GSR_CAMEO.txt (default: the fetched mirror)")
    parser.add_argument("--show", choices=["missed", "wrong", "other", "all"], help="list sentences")
    parser.add_argument("--type", help="only this (our) type")
    args = parser.parse_args()
    selected = [c for c in cases(read_records(args.file)) if args.type is None or c.type == args.type]
    bench = Bench()
    by_type: dict[str, Counter] = defaultdict(Counter)
    for case in selected:
        outcome = bench.run(case)
        counts = by_type[case.type]
        counts["n"] += 1
        counts["pair"] += outcome.pair
        counts["typed"] += outcome.typed
        counts["directed"] += outcome.directed
        counts["wrong type"] += outcome.pair and not outcome.typed
        counts["other"] += outcome.other
        show = args.show
        if show and (
            show == "all" or (show == "missed" and not outcome.pair)
            or (show == "wrong" and outcome.pair and not outcome.directed)
            or (show == "other" and outcome.other)
        ):
            print(f"{case.id} {case.type} {case.sources} -> {case.targets} [{case.event_text}]")
            print(f"  {case.text}")
            for source, kind, target, trigger in outcome.relations:
                print(f"  got {source} -{kind}-> {target} ({trigger})")
    total: Counter = Counter()
    print(f"{'type':<10} {'n':>4} {'pair':>5} {'typed':>6} {'dir':>5} {'wrong':>6} {'other':>6}")
    for kind in sorted(by_type):
        c = by_type[kind]
        total.update(c)
        print(f"{kind:<10} {c['n']:>4} {c['pair']:>5} {c['typed']:>6} {c['directed']:>5}"
              f" {c['wrong type']:>6} {c['other']:>6}")
    n = total["n"] or 1
    print(f"{'all':<10} {total['n']:>4} {total['pair']:>5} {total['typed']:>6} {total['directed']:>5}"
          f" {total['wrong type']:>6} {total['other']:>6}")
    print(f"typed right {total['typed'] / n:.1%}, directed {total['directed'] / n:.1%},"
          f" pair {total['pair'] / n:.1%}; other relations between coded actors {total['other']}")


if __name__ == "__main__":
    main()
