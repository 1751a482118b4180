"""Tests of db.evaluate: the arithmetic of scoring an extraction against gold annotations."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from tests.cli import run_cli
from tests.conftest import GOLD, needs_gold

from dprk_tui.db.evaluate import (
    PRF,
    Accuracy,
    EvalReport,
    GoldActor,
    GoldDoc,
    GoldRelation,
    RelationDiff,
    SurnameError,
    load_gold,
    name_key,
    normalize_name,
    report_to_dict,
    report_to_text,
    score,
)

DOC = "000_aaaa.txt"


# ---- builders -------------------------------------------------------------------------------


def ga(name: str, type: str = "GPE", mentions: tuple[str, ...] = ()) -> GoldActor:
    return GoldActor(name=name, type=type, country=None, mentions=tuple(mentions) or (name,))


def gr(source: str, target: str, type: str, evidence: str = "") -> GoldRelation:
    return GoldRelation(source=source, target=target, type=type, evidence=evidence)


def gd(actors=(), relations=(), doc: str = DOC, date: str | None = "2020-01-01") -> GoldDoc:
    return GoldDoc(doc=doc, date=date, actors=tuple(actors), relations=tuple(relations))


def pdoc(file: str = DOC, date: str | None = "2020-01-01") -> dict:
    return {
        "id": 1,
        "file": file,
        "path": f"/seeds/{file}",
        "title": "t",
        "date": date,
        "source": None,
        "words": 10,
        "text": "",
    }


def pa(name: str, aliases=(), type: str = "GPE") -> dict:
    return {
        "name": name,
        "type": type,
        "country": None,
        "aliases": list(aliases),
        "documents": 1,
        "mentions": 1,
    }


def pm(actor: str | None, text: str | None = None, start: int = 0, file: str = DOC) -> dict:
    text = actor if text is None else text
    return {
        "file": file,
        "start": start,
        "end": start + len(text or ""),
        "text": text,
        "label": "X",
        "actor": actor,
    }


def pr(source, target, type, file: str = DOC, evidence: str = "ev", trigger: str = "met", start: int = 0) -> dict:
    return {
        "file": file,
        "date": None,
        "source": source,
        "target": target,
        "type": type,
        "evidence": evidence,
        "start": start,
        "end": start + len(evidence),
        "trigger": trigger,
    }


def run(gold_docs, mentions=(), actors=(), relations=(), documents=None) -> EvalReport:
    if documents is None:
        documents = [pdoc(g.doc, g.date) for g in gold_docs]
    return score(list(gold_docs), list(documents), list(actors), list(mentions), list(relations))


def assert_prf(p: PRF, tp: int, fp: int, fn: int, precision, recall, f1) -> None:
    assert (p.tp, p.fp, p.fn) == (tp, fp, fn)
    assert p.precision == pytest.approx(float(precision))
    assert p.recall == pytest.approx(float(recall))
    assert p.f1 == pytest.approx(float(f1))


# ---- perfect --------------------------------------------------------------------------------


def test_perfect_prediction_scores_one_everywhere():
    gold = gd(
        actors=[
            ga("Russia"),
            ga("North Korea", mentions=("North Korea", "Pyongyang")),
            ga("Choe Son Hui", "PERSON", ("Choe Son Hui", "Choe")),
        ],
        relations=[
            gr("Choe Son Hui", "Russia", "CONSULT"),
            gr("Russia", "North Korea", "COOPERATE"),
        ],
    )
    mentions = [
        pm("Russia", start=0),
        pm("North Korea", start=10),
        pm("North Korea", "Pyongyang", start=20),
        pm("Choe Son Hui", start=30),
        pm("Choe Son Hui", "Choe", start=50),
    ]
    relations = [
        pr("Choe Son Hui", "Russia", "CONSULT"),
        pr("Russia", "North Korea", "COOPERATE"),
    ]
    report = run([gold], mentions, relations=relations)
    for metric in (
        report.actors,
        report.relation_pair,
        report.relation_typed,
        report.relation_directed,
    ):
        assert (metric.precision, metric.recall, metric.f1) == (1.0, 1.0, 1.0)
    assert (report.surnames.correct, report.surnames.total) == (1, 1)
    assert report.surnames.accuracy == 1.0
    assert (report.dates.correct, report.dates.total) == (1, 1)
    assert report.dates.accuracy == 1.0
    assert report.missing_documents == []
    doc = report.documents[0]
    assert doc.missed_actors == [] and doc.extra_actors == []
    assert doc.wrong_surnames == [] and doc.missed_relations == [] and doc.extra_relations == []


# ---- actor P/R/F1 ---------------------------------------------------------------------------


def test_known_mix_is_micro_averaged_over_documents():
    g1 = gd(actors=[ga("Russia"), ga("China"), ga("Japan"), ga("Iran")], doc="001_a.txt")
    g2 = gd(actors=[ga("Mongolia")], doc="002_b.txt")
    mentions = [
        pm("Russia", file="001_a.txt"),
        pm("China", file="001_a.txt"),
        pm("Atlantis", file="001_a.txt"),
        pm("Mongolia", file="002_b.txt"),
        pm("Narnia", file="002_b.txt"),
        pm("Oz", file="002_b.txt"),
        pm(None, "Somewhere", file="002_b.txt"),  # no actor: does not count
    ]
    report = run([g1, g2], mentions)
    d1, d2 = report.documents
    assert_prf(d1.actors, 2, 1, 2, Fraction(2, 3), Fraction(1, 2), Fraction(4, 7))
    assert_prf(d2.actors, 1, 2, 0, Fraction(1, 3), 1, Fraction(1, 2))
    # Micro: tp 3, fp 3, fn 2 (the macro mean of F1s would be 15/28).
    assert_prf(report.actors, 3, 3, 2, Fraction(1, 2), Fraction(3, 5), Fraction(6, 11))
    assert d1.missed_actors == ["Japan", "Iran"]
    assert d1.extra_actors == ["Atlantis"]
    assert d2.extra_actors == ["Narnia", "Oz"]


def test_two_predicted_actors_aliasing_one_gold_actor_count_once():
    gold = gd(actors=[ga("North Korea", mentions=("North Korea", "DPRK", "Pyongyang"))])
    report = run([gold], [pm("DPRK"), pm("Pyongyang")])
    assert_prf(report.actors, 1, 1, 0, Fraction(1, 2), 1, Fraction(2, 3))
    doc = report.documents[0]
    assert len(doc.matched_actors) == 1
    assert list(doc.matched_actors.values()) == ["North Korea"]
    assert len(doc.extra_actors) == 1


def test_two_predicted_actors_sharing_an_alias_count_once():
    gold = gd(actors=[ga("North Korea", mentions=("North Korea",))])
    actors = [pa("Regime A", aliases=["North Korea"]), pa("Regime B", aliases=["North Korea"])]
    report = run([gold], [pm("Regime A"), pm("Regime B")], actors=actors)
    assert (report.actors.tp, report.actors.fp, report.actors.fn) == (1, 1, 0)


def test_exact_canonical_match_is_preferred_over_mention_match():
    gold = gd(actors=[ga("North Korea", mentions=("North Korea", "DPRK"))])
    # "DPRK" sorts first; it must not take the gold actor from the exact "North Korea".
    report = run([gold], [pm("DPRK"), pm("North Korea")])
    doc = report.documents[0]
    assert doc.matched_actors == {"North Korea": "North Korea"}
    assert doc.extra_actors == ["DPRK"]


def test_matching_is_maximal_not_greedy():
    gold = gd(
        actors=[
            ga("North Korea", mentions=("North Korea", "DPRK")),
            ga("South Korea", mentions=("South Korea", "ROK")),
        ]
    )
    # "Alpha" could be either; "Beta" only North Korea. Both must be matched.
    actors = [pa("Alpha", aliases=["DPRK", "ROK"]), pa("Beta", aliases=["DPRK"])]
    report = run([gold], [pm("Alpha"), pm("Beta")], actors=actors)
    assert report.documents[0].matched_actors == {"Alpha": "South Korea", "Beta": "North Korea"}
    assert (report.actors.tp, report.actors.fp, report.actors.fn) == (2, 0, 0)


def test_bare_one_word_person_name_does_not_match():
    gold = gd(actors=[ga("Kim Jong Un", "PERSON", ("Kim Jong Un", "Kim"))])
    report = run([gold], [pm("Kim")])
    assert (report.actors.tp, report.actors.fp, report.actors.fn) == (0, 1, 1)
    assert report.documents[0].missed_actors == ["Kim Jong Un"]
    assert report.documents[0].extra_actors == ["Kim"]


def test_one_word_alias_does_not_identify_a_person_either():
    gold = gd(actors=[ga("Kim Jong Un", "PERSON", ("Kim Jong Un", "Kim"))])
    actors = [pa("Supreme Leader", aliases=["Kim"], type="PERSON")]
    report = run([gold], [pm("Supreme Leader")], actors=actors)
    assert report.actors.tp == 0
    # ... but a full-name alias does.
    actors = [pa("Supreme Leader", aliases=["Kim", "Kim Jong-un"], type="PERSON")]
    report = run([gold], [pm("Supreme Leader")], actors=actors)
    assert report.documents[0].matched_actors == {"Supreme Leader": "Kim Jong Un"}


def test_one_word_person_names_are_left_out_on_both_sides():
    gold = gd(
        actors=[
            ga("Kim Jong Un", "PERSON", ("Kim Jong Un", "Kim")),
            ga("Igor Morgulov", "PERSON", ("Igor Morgulov", "Morgulov")),
        ]
    )
    # A one-word predicted name, even one whose key equals the full name's key ...
    report = run([gold], [pm("Kimjongun")])
    assert report.actors.tp == 0
    # ... and a one-word gold mention, even when a predicted name folds onto it.
    report = run([gold], [pm("Mor Gulov")])
    assert report.actors.tp == 0


def test_one_word_org_and_gpe_names_do_match():
    gold = gd(
        actors=[
            ga("Korean Central News Agency", "ORG", ("Korean Central News Agency", "KCNA")),
            ga("Russia", "GPE", ("Russia", "Moscow")),
        ]
    )
    report = run([gold], [pm("KCNA"), pm("Moscow")])
    assert report.documents[0].matched_actors == {
        "KCNA": "Korean Central News Agency",
        "Moscow": "Russia",
    }


def test_gold_person_known_by_one_name_only_can_be_matched():
    gold = gd(actors=[ga("Mills", "PERSON", ("Mills",)), ga("Donald Trump", "PERSON", ("Trump",))])
    report = run([gold], [pm("Mills"), pm("Trump")])
    doc = report.documents[0]
    assert doc.matched_actors == {"Mills": "Mills"}
    assert doc.missed_actors == ["Donald Trump"]


def test_alias_matching_through_predicted_aliases_and_gold_mentions():
    gold = gd(
        actors=[
            ga("North Korea", mentions=("North Korea", "Democratic People's Republic of Korea")),
            ga("United States", mentions=("United States", "Washington")),
            ga("Sung Kim", "PERSON", ("Sung Kim", "Kim")),
        ]
    )
    actors = [
        pa("US Government", aliases=["United States"]),  # alias = gold canonical
        pa("Ambassador Kim", aliases=["Kim", "Sung Kim"], type="PERSON"),  # alias = gold mention
    ]
    mentions = [
        pm("Democratic People's Republic of Korea"),  # predicted canonical = gold mention
        pm("US Government"),
        pm("Ambassador Kim"),
    ]
    report = run([gold], mentions, actors=actors)
    assert report.documents[0].matched_actors == {
        "Ambassador Kim": "Sung Kim",
        "Democratic People's Republic of Korea": "North Korea",
        "US Government": "United States",
    }
    assert (report.actors.tp, report.actors.fp, report.actors.fn) == (3, 0, 0)


def test_aliases_of_an_actor_not_in_the_actor_list_are_empty():
    gold = gd(actors=[ga("United States", mentions=("United States",))])
    report = run([gold], [pm("US Government")], actors=[])
    assert report.actors.tp == 0


# ---- normalization --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kim Jong-un", "kim jong un"),
        ("KIM JONG UN", "kim jong un"),
        ("The United States", "united states"),
        ("the North", "north"),
        ("Russia's", "russia"),
        ("Russia\u2019s", "russia"),
        ("Workers' Party of Korea", "workers party of korea"),
        ("U.S.", "us"),
        ("P\u0177ongyang", "pyongyang"),
        ("Choe  Son\u2013hui", "choe son hui"),
        ("Presidium of the Political Bureau", "presidium of the political bureau"),
    ],
)
def test_normalize_name(name, expected):
    assert normalize_name(name) == expected


def test_name_key_folds_spacing_of_hyphenated_given_names():
    assert name_key("Kim Jong-un") == name_key("Kim Jong Un") == name_key("kim jongun")
    assert name_key("Kim Jong Un") != name_key("Kim Jong Nam")


def test_normalized_names_match_exactly():
    gold = gd(
        actors=[
            ga("Kim Jong Un", "PERSON", ("Kim Jong Un",)),
            ga("United States"),
            ga("Workers' Party of Korea", "ORG"),
            ga("Russia"),
            ga("Korean Central News Agency", "ORG"),
        ]
    )
    mentions = [
        pm("kim jong-un"),
        pm("The United States"),
        pm("Workers Party of Korea"),
        pm("Russia's"),
        pm("KOREAN CENTRAL NEWS AGENCY"),
    ]
    report = run([gold], mentions)
    assert (report.actors.tp, report.actors.fp, report.actors.fn) == (5, 0, 0)
    assert report.documents[0].matched_actors["kim jong-un"] == "Kim Jong Un"


# ---- surnames -------------------------------------------------------------------------------


def test_surname_accuracy_correct_wrong_and_missing():
    gold = gd(
        actors=[
            ga("Sung Kim", "PERSON", ("Sung Kim", "Kim")),
            ga("Kim Gunn", "PERSON", ("Kim Gunn",)),
            ga("Choe Son Hui", "PERSON", ("Choe Son Hui", "Choe")),
            ga("Igor Morgulov", "PERSON", ("Igor Morgulov", "Morgulov")),
            ga("Russia", "GPE", ("Russia",)),  # not a person: "Russia" is no surname
        ]
    )
    mentions = [
        pm("Sung Kim", start=0),
        pm("Sung Kim", "Kim", start=10),  # correct
        pm("Kim Gunn", start=20),  # full name: not bare, not counted
        pm("Kim Gunn", "Kim", start=40),  # wrong person
        pm("Choe Son Hui", start=50),
        pm(None, "Choe", start=60),  # recognised, no actor: wrong
        pm("Igor Morgulov", start=70),  # the bare "Morgulov" is never found: one wrong
        pm("Russia", start=90),
    ]
    report = run([gold], mentions)
    assert (report.surnames.correct, report.surnames.total) == (1, 4)
    assert report.surnames.accuracy == pytest.approx(0.25)
    assert report.documents[0].wrong_surnames == [
        SurnameError("Kim", 40, "Kim Gunn", "Sung Kim"),
        SurnameError("Choe", 60, None, "Choe Son Hui"),
        SurnameError("Morgulov", None, None, "Igor Morgulov"),
    ]


def test_surname_mention_linked_to_an_unmatched_actor_is_wrong():
    gold = gd(actors=[ga("Choe Son Hui", "PERSON", ("Choe Son Hui", "Choe"))])
    # The extractor made a separate actor "Choe": it matches nobody, so its mention is wrong.
    report = run([gold], [pm("Choe Son Hui", start=0), pm("Choe", start=20)])
    assert (report.surnames.correct, report.surnames.total) == (0, 1)
    assert report.documents[0].wrong_surnames == [SurnameError("Choe", 20, "Choe", "Choe Son Hui")]


def test_surname_text_is_compared_after_normalization():
    gold = gd(actors=[ga("Kim Jong Un", "PERSON", ("Kim Jong Un", "Kim"))])
    mentions = [pm("Kim Jong Un", start=0), pm("Kim Jong Un", "Kim's", start=30)]
    report = run([gold], mentions)
    assert (report.surnames.correct, report.surnames.total) == (1, 1)


def test_surnames_of_other_documents_do_not_count():
    gold = gd(actors=[ga("Choe Son Hui", "PERSON", ("Choe Son Hui", "Choe"))])
    mentions = [pm("Choe Son Hui", start=0), pm("Choe Son Hui", "Choe", start=5, file="999_x.txt")]
    report = run([gold], mentions)
    assert (report.surnames.correct, report.surnames.total) == (0, 1)


# ---- relations ------------------------------------------------------------------------------


def _three_gpe_gold(relations) -> GoldDoc:
    return gd(actors=[ga("Russia"), ga("China"), ga("Japan")], relations=relations)


def _three_gpe_mentions() -> list[dict]:
    return [pm("Russia"), pm("China"), pm("Japan")]


def test_relation_pair_typed_and_directed_differ():
    gold = _three_gpe_gold(
        [gr("Russia", "China", "CONSULT", "met"), gr("Russia", "Japan", "REQUEST", "urged")]
    )
    relations = [
        pr("China", "Russia", "CONSULT", evidence="reversed"),  # pair ok, typed ok, direction wrong
        pr("Russia", "Japan", "ACCUSE", evidence="wrong type"),  # pair ok, type wrong
        pr("Russia", "Japan", "ACCUSE", evidence="duplicate"),  # collapses with the previous one
    ]
    report = run([gold], _three_gpe_mentions(), relations=relations)
    assert_prf(report.relation_pair, 2, 0, 0, 1, 1, 1)
    assert_prf(report.relation_typed, 1, 1, 1, Fraction(1, 2), Fraction(1, 2), Fraction(1, 2))
    assert_prf(report.relation_directed, 0, 2, 2, 0, 0, 0)
    doc = report.documents[0]
    assert doc.missed_relations == [
        RelationDiff("Russia", "CONSULT", "China", "met"),
        RelationDiff("Russia", "REQUEST", "Japan", "urged"),
    ]
    assert doc.extra_relations == [
        RelationDiff("China", "CONSULT", "Russia", "reversed"),
        RelationDiff("Russia", "ACCUSE", "Japan", "wrong type"),
    ]


def test_relation_known_mix_hand_computed():
    gold = _three_gpe_gold(
        [
            gr("Russia", "China", "CONSULT"),
            gr("Russia", "China", "AGREE"),
            gr("China", "Japan", "ACCUSE"),
        ]
    )
    relations = [
        pr("Russia", "China", "CONSULT"),  # exact
        pr("Japan", "Russia", "REQUEST"),  # wrong pair
    ]
    report = run([gold], _three_gpe_mentions(), relations=relations)
    # pairs: gold {RC, CJ}, pred {RC, JR} -> tp 1, fp 1, fn 1
    assert_prf(report.relation_pair, 1, 1, 1, Fraction(1, 2), Fraction(1, 2), Fraction(1, 2))
    # typed / directed: gold 3, pred 2, tp 1 -> P 1/2, R 1/3, F1 2/5
    assert_prf(report.relation_typed, 1, 1, 2, Fraction(1, 2), Fraction(1, 3), Fraction(2, 5))
    assert_prf(report.relation_directed, 1, 1, 2, Fraction(1, 2), Fraction(1, 3), Fraction(2, 5))


def test_relations_use_the_matched_gold_names():
    gold = gd(
        actors=[ga("North Korea", mentions=("North Korea", "DPRK")), ga("Russia")],
        relations=[gr("North Korea", "Russia", "COOPERATE")],
    )
    report = run(
        [gold],
        [pm("DPRK"), pm("Russia")],
        relations=[pr("DPRK", "Russia", "cooperate")],  # type compared case-insensitively
    )
    assert_prf(report.relation_directed, 1, 0, 0, 1, 1, 1)


def test_relations_with_unmatched_actors_are_false_positives():
    gold = gd(
        actors=[ga("Kim Jong Un", "PERSON", ("Kim Jong Un", "Kim")), ga("Russia")],
        relations=[gr("Kim Jong Un", "Russia", "CONSULT")],
    )
    relations = [
        pr("Kim", "Russia", "CONSULT"),  # "Kim" is an unmatched bare surname
        pr("Vladimir Putin", "Russia", "CONSULT"),  # not even a mention actor of the document
    ]
    report = run([gold], [pm("Kim"), pm("Russia")], relations=relations)
    assert_prf(report.relation_pair, 0, 2, 1, 0, 0, 0)
    assert_prf(report.relation_directed, 0, 2, 1, 0, 0, 0)
    assert [r.source for r in report.documents[0].extra_relations] == ["Kim", "Vladimir Putin"]


def test_relation_naming_a_gold_actor_the_document_never_mentions_is_false_positive():
    gold = gd(actors=[ga("Russia"), ga("China")], relations=[gr("Russia", "China", "CONSULT")])
    # "Russia" is not an actor of any predicted mention, so it is not matched.
    report = run([gold], [pm("China")], relations=[pr("Russia", "China", "CONSULT")])
    assert report.documents[0].missed_actors == ["Russia"]
    assert_prf(report.relation_pair, 0, 1, 1, 0, 0, 0)
    assert_prf(report.relation_directed, 0, 1, 1, 0, 0, 0)


def test_relations_are_scored_per_document():
    g1 = gd(actors=[ga("Russia"), ga("China")], doc="001_a.txt",
            relations=[gr("Russia", "China", "CONSULT")])
    g2 = gd(actors=[ga("Russia"), ga("China")], doc="002_b.txt")
    mentions = [pm(n, file=f) for f in ("001_a.txt", "002_b.txt") for n in ("Russia", "China")]
    relations = [pr("Russia", "China", "CONSULT", file="002_b.txt")]  # right relation, wrong doc
    report = run([g1, g2], mentions, relations=relations)
    assert_prf(report.relation_directed, 0, 1, 1, 0, 0, 0)
    assert report.documents[0].relation_directed.fn == 1
    assert report.documents[1].relation_directed.fp == 1


# ---- documents and dates --------------------------------------------------------------------


def test_date_accuracy():
    golds = [
        gd(doc="001_a.txt", date="2020-01-01"),
        gd(doc="002_b.txt", date="2020-01-02"),
        gd(doc="003_c.txt", date=None),
        gd(doc="004_d.txt", date="2020-01-04"),
    ]
    documents = [
        pdoc("001_a.txt", "2020-01-01"),  # right
        pdoc("002_b.txt", "2021-01-02"),  # wrong
        pdoc("003_c.txt", None),  # None == null: right
        pdoc("004_d.txt", None),  # missing date: wrong
    ]
    report = run(golds, documents=documents)
    assert (report.dates.correct, report.dates.total) == (2, 4)
    assert report.dates.accuracy == pytest.approx(0.5)
    d2 = report.documents[1]
    assert (d2.predicted_date, d2.gold_date, d2.date.correct) == ("2021-01-02", "2020-01-02", 0)


def test_missing_predicted_document_counts_everything_missed():
    gold = gd(
        actors=[ga("Russia"), ga("Choe Son Hui", "PERSON", ("Choe Son Hui", "Choe"))],
        relations=[gr("Choe Son Hui", "Russia", "CONSULT")],
        date=None,
    )
    report = run([gold], documents=[pdoc("999_other.txt", None)])
    assert report.missing_documents == ["000_aaaa"]
    doc = report.documents[0]
    assert doc.found is False
    assert_prf(report.actors, 0, 0, 2, 0, 0, 0)
    assert_prf(report.relation_directed, 0, 0, 1, 0, 0, 0)
    assert (report.surnames.correct, report.surnames.total) == (0, 1)
    assert (report.dates.correct, report.dates.total) == (0, 1)  # even though gold date is null
    assert doc.missed_actors == ["Russia", "Choe Son Hui"]
    assert doc.missed_relations == [RelationDiff("Choe Son Hui", "CONSULT", "Russia", "")]


def test_documents_are_matched_by_file_stem():
    gold = gd(actors=[ga("Russia")], doc="000_aaaa.txt")
    documents = [{"file": "seeds/000_aaaa.txt", "date": "2020-01-01"}]
    report = run([gold], [pm("Russia", file="/abs/seeds/000_aaaa.txt")], documents=documents)
    assert report.missing_documents == []
    assert report.actors.tp == 1


# ---- zero division --------------------------------------------------------------------------


def test_zero_denominators_give_zero():
    empty = PRF()
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)
    assert Accuracy().accuracy == 0.0
    assert PRF(tp=0, fp=3, fn=0).recall == 0.0

    report = run([])
    assert report.documents == []
    assert (report.actors.f1, report.relation_directed.f1) == (0.0, 0.0)
    assert (report.surnames.accuracy, report.dates.accuracy) == (0.0, 0.0)
    assert "0.000" in report_to_text(report)
    json.dumps(report_to_dict(report))

    # A gold document with no actors, no persons and no relations, predicted empty as well.
    report = run([gd()])
    assert (report.actors.precision, report.actors.recall, report.actors.f1) == (0.0, 0.0, 0.0)
    assert report.surnames.total == 0 and report.surnames.accuracy == 0.0
    assert report.dates.accuracy == 1.0


# ---- output ---------------------------------------------------------------------------------


def _mixed_report() -> EvalReport:
    g1 = gd(
        actors=[ga("Russia"), ga("China"), ga("Kim Jong Un", "PERSON", ("Kim Jong Un", "Kim"))],
        relations=[gr("Russia", "China", "CONSULT", "They met.")],
        doc="001_a.txt",
    )
    g2 = gd(actors=[ga("Japan")], doc="002_b.txt")
    mentions = [
        pm("Russia", file="001_a.txt"),
        pm("China", file="001_a.txt"),
        pm("Kim", start=40, file="001_a.txt"),
    ]
    relations = [pr("China", "Russia", "CONSULT", file="001_a.txt", evidence="Talks.")]
    return run([g1, g2], mentions, relations=relations, documents=[pdoc("001_a.txt", "1999-01-01")])


def test_report_to_dict_is_json_serialisable_and_complete():
    report = _mixed_report()
    data = json.loads(json.dumps(report_to_dict(report)))
    overall = data["overall"]
    assert overall["actors"]["tp"] == 2 and overall["actors"]["fp"] == 1
    assert overall["actors"]["fn"] == 2
    assert overall["actors"]["precision"] == pytest.approx(2 / 3)
    assert overall["actors"]["f1"] == pytest.approx(4 / 7)
    assert overall["relation_pair"]["f1"] == pytest.approx(1.0)
    assert overall["relation_directed"]["f1"] == pytest.approx(0.0)
    assert overall["surnames"] == {"accuracy": 0.0, "correct": 0, "total": 1}
    assert overall["dates"]["correct"] == 0 and overall["dates"]["total"] == 2
    assert data["missing_documents"] == ["002_b"]
    d1 = data["documents"][0]
    assert d1["doc"] == "001_a" and d1["found"] is True
    assert d1["date"] == {"accuracy": 0.0, "correct": 0, "total": 1,
                          "predicted": "1999-01-01", "gold": "2020-01-01"}
    assert d1["missed_actors"] == ["Kim Jong Un"] and d1["extra_actors"] == ["Kim"]
    assert d1["wrong_surnames"] == [
        {"text": "Kim", "start": 40, "predicted_actor": "Kim", "gold_actor": "Kim Jong Un"}
    ]
    assert d1["missed_relations"] == [
        {"source": "Russia", "type": "CONSULT", "target": "China", "evidence": "They met."}
    ]
    assert d1["extra_relations"] == [
        {"source": "China", "type": "CONSULT", "target": "Russia", "evidence": "Talks.", "trigger": "met",
         "rule": None}
    ]


def test_report_to_text_contains_the_figures_and_the_table_only():
    text = report_to_text(_mixed_report())
    assert "\x1b" not in text and "[bold" not in text
    actor_line = next(line for line in text.splitlines() if line.startswith("actors"))
    assert "0.667" in actor_line and "0.500" in actor_line and "0.571" in actor_line
    surname_line = next(line for line in text.splitlines() if line.startswith("surname"))
    assert "0/1" in surname_line
    date_line = next(line for line in text.splitlines() if line.startswith("date "))
    assert "0/2" in date_line
    assert "001_a" in text and "002_b" in text
    assert "missing documents: 002_b" in text
    assert "-CONSULT->" not in text  # the differences are --explain's


# ---- load_gold ------------------------------------------------------------------------------


GOOD = {
    "doc": "000_aaaa.txt",
    "date": "2019-11-20",
    "actors": [
        {"name": "Russia", "type": "GPE", "country": "RUS", "mentions": ["Russia", "Moscow"]},
        {"name": "Choe Son Hui", "type": "PERSON", "country": "PRK",
         "mentions": ["Choe Son Hui", "Choe"]},
    ],
    "relations": [
        {"source": "Choe Son Hui", "target": "Russia", "type": "CONSULT", "evidence": "Visit."}
    ],
}


def test_load_gold_reads_good_files(tmp_path):
    (tmp_path / "000_aaaa.json").write_text(json.dumps(GOOD), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    docs = load_gold(tmp_path)
    assert len(docs) == 1
    doc = docs[0]
    assert doc.doc == "000_aaaa.txt" and doc.stem == "000_aaaa" and doc.date == "2019-11-20"
    assert doc.actors[1] == GoldActor("Choe Son Hui", "PERSON", "PRK", ("Choe Son Hui", "Choe"))
    assert doc.relations == (GoldRelation("Choe Son Hui", "Russia", "CONSULT", "Visit."),)


def test_load_gold_rejects_bad_json_naming_the_file(tmp_path):
    (tmp_path / "000_aaaa.json").write_text(json.dumps(GOOD), encoding="utf-8")
    (tmp_path / "001_bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="001_bad.json"):
        load_gold(tmp_path)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("date"), "date"),
        (lambda d: d.pop("actors"), "actors"),
        (lambda d: d["actors"][0].pop("mentions"), "mentions"),
        (lambda d: d["relations"][0].pop("type"), "type"),
    ],
)
def test_load_gold_rejects_missing_fields_naming_the_file(tmp_path, mutate, field):
    data = json.loads(json.dumps(GOOD))
    mutate(data)
    (tmp_path / "002_missing.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"002_missing\.json.*'{field}'"):
        load_gold(tmp_path)


def test_load_gold_rejects_relation_to_unlisted_actor(tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["relations"][0]["target"] = "Atlantis"
    (tmp_path / "003_x.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"003_x\.json.*Atlantis"):
        load_gold(tmp_path)


# ---- --explain: every difference with its sentence, trigger and rule --------------------------


EXPLAIN_TEXT = (
    "Russia and China held talks. Japan praised Russia. Kim left. China condemned Japan. Korea Inc grew."
)


def _explained() -> tuple[EvalReport, GoldDoc, list[dict], list[dict]]:

    text = EXPLAIN_TEXT
    gold = gd(
        actors=[ga("Russia"), ga("China"), ga("Japan"), ga("Kim Jong Un", "PERSON", ("Kim",)),
                ga("Mongolia")],
        relations=[
            gr("Russia", "China", "CONSULT", "Russia and China held talks."),
            gr("Japan", "Russia", "ACCUSE", "Japan praised Russia."),
            gr("China", "Japan", "ACCUSE", "China condemned Japan."),
            gr("Kim Jong Un", "Mongolia", "CONSULT", "Kim left."),
        ],
    )
    mentions = [pm(name, start=text.index(name)) for name in ("Russia", "China", "Japan")]
    mentions.append(pm("Korea Inc", start=text.index("Korea Inc")))
    mentions.append(pm(None, "Kim", start=text.index("Kim")))
    relations = [
        pr("Russia", "China", "CONSULT", evidence="Russia and China held talks.", trigger="talks"),
        pr("Japan", "Russia", "SUPPORT", evidence="Japan praised Russia.", trigger="praised",
           start=text.index("Japan praised")),
        pr("Japan", "China", "ACCUSE", evidence="China condemned Japan.", trigger="condemned",
           start=text.index("China condemned")),
        pr("Korea Inc", "Japan", "AID", evidence="Korea Inc grew.", trigger="grew", start=text.index("Korea Inc")),
    ]
    for row, rule in zip(relations, ("noun-between", "verb-subj-obj", "verb-passive", "verb-prep")):
        row["rule"] = rule
    documents = [{**pdoc(), "text": text}]
    report = run([gold], mentions, relations=relations, documents=documents)
    return report, gold, documents, mentions


def test_explain_lists_each_difference_with_its_sentence_trigger_and_rule():
    from dprk_tui.db.evaluate.explain import explain_report, materials

    report, gold, documents, mentions = _explained()
    text = explain_report(report, [gold], materials(documents, mentions))
    lines = text.splitlines()

    def after(prefix: str) -> list[str]:
        index = next(i for i, line in enumerate(lines) if line.strip().startswith(prefix))
        return lines[index:index + 2]

    false_support = after("false Japan -SUPPORT-> Russia")
    assert "[wrong type]" in false_support[0]
    assert "trigger 'praised', rule verb-subj-obj" in false_support[0]
    assert false_support[1].strip() == "| Japan praised Russia."
    assert "[wrong direction]" in after("false Japan -ACCUSE-> China")[0]
    assert "rule verb-passive" in after("false Japan -ACCUSE-> China")[0]
    assert "[unknown actor]" in after("false Korea Inc -AID-> Japan")[0]
    assert "[wrong type]" in after("missed Japan -ACCUSE-> Russia")[0]
    assert "[wrong direction]" in after("missed China -ACCUSE-> Japan")[0]
    missed_kim = after("missed Kim Jong Un -CONSULT-> Mongolia")
    assert "[actor missed]" in missed_kim[0] and missed_kim[1].strip() == "| Kim left."
    kim = after("missed actor Kim Jong Un")
    assert "'Kim' taken as a X without actor" in kim[0] and kim[1].strip() == "| Kim left."
    assert after("missed actor Mongolia") == ["  missed actor Mongolia: not found in the text", lines[
        lines.index("  missed actor Mongolia: not found in the text") + 1]]
    korea = after("false actor Korea Inc")
    assert korea[1].strip() == "| Korea Inc grew."
    assert "Russia -CONSULT-> China" not in text  # right relations are not explained
    counts = dict(
        (line[7:], int(line[:5])) for line in lines[lines.index("Errors by class") + 1:] if line.strip()
    )
    assert counts == {
        "relation false: wrong type": 1, "relation false: wrong direction": 1,
        "relation false: unknown actor": 1, "relation missed: wrong type": 1,
        "relation missed: wrong direction": 1, "relation missed: actor missed": 1,
        "actor missed": 2, "actor false": 1, "surname wrong": 1,
    }


def test_attach_rules_reads_the_rule_of_each_stored_relation_again():
    from dprk_tui.db.evaluate.rerun import NOT_REPRODUCED, attach_rules
    from dprk_tui.db.extract.pipeline import Extractor

    extractor = Extractor()
    text = "Choe Son Hui met Sergey Lavrov in Moscow. Japan was criticized by North Korea."
    stored = extractor.extract(text, "2024-01-02").relations
    assert {(r.source, r.type, r.target, r.rule) for r in stored} == {
        ("Choe Son Hui", "CONSULT", "Sergey Lavrov", "verb-subj-obj"),
        ("North Korea", "ACCUSE", "Japan", "verb-passive"),
    }
    rows = [{"file": DOC, "source": r.source, "target": r.target, "type": r.type, "start": r.start}
            for r in stored]
    rows.append({"file": DOC, "source": "Japan", "target": "Russia", "type": "AID", "start": 0})
    attach_rules([{**pdoc(), "text": text, "date": "2024-01-02"}], rows, extractor)
    assert [row["rule"] for row in rows] == [r.rule for r in stored] + [NOT_REPRODUCED]


@needs_gold
def test_eval_command_explains_only_when_asked(seed_store):
    plain = run_cli("eval", GOLD, "--db", seed_store)
    assert plain.returncode == 0, plain.stderr
    assert "Per document" in plain.stdout and "== 000_" not in plain.stdout
    explained = run_cli("eval", GOLD, "--db", seed_store, "--explain")
    assert explained.returncode == 0, explained.stderr
    out = explained.stdout
    assert out.startswith(plain.stdout.rstrip("\n"))
    assert "== 000_aa00d64e3f46041c" in out and "Errors by class" in out
    false_lines = [line for line in out.splitlines() if line.startswith("  false ") and "->" in line]
    assert false_lines  # the seeds have a few false relations
    for line in false_lines:
        assert "trigger '" in line and "rule " in line and "rule ?" not in line
        assert "not reproduced" not in line
