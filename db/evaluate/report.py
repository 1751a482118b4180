"""The report as a dict (for --json) and as text (for the terminal)."""

from __future__ import annotations

from typing import Any

from dprk_tui.db.evaluate.results import PRF, Accuracy, EvalReport, RelationDiff

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


def _rel_dict(r: RelationDiff, extra: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {"source": r.source, "type": r.type, "target": r.target, "evidence": r.evidence}
    if extra:
        found.update(trigger=r.trigger, rule=r.rule or None)
    return found


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
        entry["extra_relations"] = [_rel_dict(r, extra=True) for r in d.extra_relations]
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


def report_to_text(report: EvalReport) -> str:
    """A plain-text table: overall figures, then one line per document. The differences of each
    document, with their sentences, are explain.py's (`dprk-tui eval --explain`)."""
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

    return "\n".join(line.rstrip() for line in lines) + "\n"
