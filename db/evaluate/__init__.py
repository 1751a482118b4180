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

Explanation
    ``report_to_text`` prints the figures and the per-document table. ``explain.explain_report``
    (``dprk-tui eval --explain``) adds, per document, every missed and false actor and relation
    with its sentence, the class of each error, and for a false relation its trigger and the rule
    of the extractor that produced it (``rerun.attach_rules`` reads the rules again from the
    stored texts: the store does not keep them). The error classes are counted at the end.
"""

from __future__ import annotations

from dprk_tui.db.evaluate.gold import GoldActor, GoldDoc, GoldRelation, load_gold
from dprk_tui.db.evaluate.matching import match_actors
from dprk_tui.db.evaluate.names import name_key, normalize_name
from dprk_tui.db.evaluate.report import report_to_dict, report_to_text
from dprk_tui.db.evaluate.results import (
    PRF,
    Accuracy,
    DocReport,
    EvalReport,
    RelationDiff,
    SurnameError,
)
from dprk_tui.db.evaluate.scoring import score

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
