"""Relation extraction (issue 4): hand-written sentences through the real pipeline, one per grammar
rule and per modality case, plus the targets on the seed store.

Every sentence runs through spaCy, the actor dictionary and the resolver (`Extractor`, loaded once
per module); the expected relations are (source, PLOVER type, target) triples.
"""

from __future__ import annotations

from tests.conftest import needs_gold

import json
import re
from pathlib import Path

import pytest

from dprk_tui.db.extract.model import Extraction

CHOE, SUN, LAVROV = "Choe Son Hui", "Sun Weidong", "Sergey Lavrov"
KIM, PUTIN, XI, TRUMP = "Kim Jong Un", "Vladimir Putin", "Xi Jinping", "Donald Trump"
NK, SK, US, RU, CN, JP = "North Korea", "South Korea", "United States", "Russia", "China", "Japan"



def run(extractor, text: str, date: str | None = None) -> Extraction:
    return extractor.extract(text, date)


def triples(extractor, text: str, date: str | None = None) -> set[tuple[str, str, str]]:
    return {(r.source, r.type, r.target) for r in run(extractor, text, date).relations}


# -- one case per grammar rule ----------------------------------------------------------------
RULES = [
    ("subject-verb-object", "Choe Son Hui met Sun Weidong in Pyongyang.", {(CHOE, "CONSULT", SUN)}),
    ("met with", "Vladimir Putin met with Kim Jong Un in Vladivostok.", {(PUTIN, "CONSULT", KIM)}),
    ("held talks with", "Xi Jinping held talks with Kim Jong Un in Singapore.", {(XI, "CONSULT", KIM)}),
    ("talks between", "The talks between Sergey Lavrov and Choe Son Hui lasted two hours.",
     {(LAVROV, "CONSULT", CHOE)}),
    ("meeting between", "The meeting between Xi Jinping and Kim Jong Un took place in Dalian.",
     {(XI, "CONSULT", KIM)}),
    ("visit to a capital", "Sergey Lavrov's visit to Pyongyang was his first since 2018.",
     {(LAVROV, "CONSULT", NK)}),
    ("called on", "China called on the United States to return to dialogue.", {(CN, "REQUEST", US)}),
    ("called for X to", "Washington has called for Beijing to abide by the principle.",
     {(US, "REQUEST", CN)}),
    ("urged", "Russia urged Japan to stop the drills.", {(RU, "REQUEST", JP)}),
    ("thanked for", "Kim Jong Un thanked Vladimir Putin for the warm welcome.", {(KIM, "SUPPORT", PUTIN)}),
    ("shipped to", "North Korea has shipped artillery shells to Russia.", {(NK, "AID", RU)}),
    ("supplied with", "Russia supplied North Korea with fighter jets.", {(RU, "AID", NK)}),
    ("sent troops", "North Korea sent troops to Russia.", {(NK, "AID", RU)}),
    ("sent an envoy", "North Korea sent a special envoy to Russia.", {(NK, "CONSULT", RU)}),
    ("arms transfers from to", "Arms transfers from North Korea to Russia have grown sharply.",
     {(NK, "AID", RU)}),
    ("passive", "Japan was criticized by North Korea for its military buildup.", {(NK, "ACCUSE", JP)}),
    ("coordinated subjects", "Choe Son Hui and Sergey Lavrov agreed to expand cooperation.",
     {(CHOE, "AGREE", LAVROV)}),
    ("coordinated objects", "Kim Jong Un visited China and Russia last year.",
     {(KIM, "CONSULT", CN), (KIM, "CONSULT", RU)}),
    ("apposition after", "Choe Son Hui, the foreign minister, met Sergey Lavrov.", {(CHOE, "CONSULT", LAVROV)}),
    ("apposition before", "The foreign minister, Choe Son Hui, met Sergey Lavrov.",
     {(CHOE, "CONSULT", LAVROV)}),
    ("title phrase", "U.S. Special Representative for North Korea Sung Kim met Liu Xiaoming in Beijing.",
     {("Sung Kim", "CONSULT", "Liu Xiaoming")}),
    ("representative noun", "A DPRK delegation visited Beijing last week.", {(NK, "CONSULT", CN)}),
    ("delegation led by", "A delegation led by Choe Ryong Hae arrived in Moscow.",
     {("Choe Ryong Hae", "CONSULT", RU)}),
    ("imposed sanctions on", "The United States imposed new sanctions on North Korea.",
     {(US, "SANCTION", NK)}),
    ("sanctions noun", "U.S. sanctions on North Korea remain in force.", {(US, "SANCTION", NK)}),
    ("host: the visitor acts", "Vladimir Putin hosted Kim Jong Un at the Kremlin.", {(KIM, "CONSULT", PUTIN)}),
    ("received a letter from", "Xi Jinping received a letter from Kim Jong Un.", {(KIM, "CONSULT", XI)}),
    ("invitation of", "Kim Jong Un visited Moscow at the invitation of Vladimir Putin.",
     {(KIM, "CONSULT", RU), (PUTIN, "AGREE", KIM)}),
    ("invited", "Vladimir Putin invited Kim Jong Un to Moscow.", {(PUTIN, "AGREE", KIM)}),
    ("relative pronoun", "Sun Weidong, who is visiting North Korea, met Choe Son Hui.",
     {(SUN, "CONSULT", NK), (SUN, "CONSULT", CHOE)}),
    ("pronoun from the sentence before", "Choe Son Hui arrived in Moscow on Monday. She met Sergey Lavrov.",
     {(CHOE, "CONSULT", RU), (CHOE, "CONSULT", LAVROV)}),
    ("the two sides", "Choe Son Hui met Sun Weidong on Friday.\n\nThe two sides agreed to strengthen ties.",
     {(CHOE, "CONSULT", SUN), (CHOE, "AGREE", SUN)}),
    ("was in Y to discuss", "Choe Son Hui was in Moscow to discuss bilateral ties.", {(CHOE, "CONSULT", RU)}),
    ("conveyed X's greetings", "Choe Son Hui met Vladimir Putin and conveyed Kim Jong Un's greetings.",
     {(CHOE, "CONSULT", PUTIN), (KIM, "CONSULT", PUTIN)}),
    ("with attached low", "Russia is coordinating a new way of resolving the nuclear issue with China.",
     {(RU, "COOPERATE", CN)}),
    ("in talks with, adjunct", "In a phone call with Fumio Kishida, Yoon Suk Yeol condemned the launch.",
     {("Yoon Suk Yeol", "CONSULT", "Fumio Kishida")}),
    ("owner of the object", "Kim Jong Un condemned South Korea's military drills.", {(KIM, "ACCUSE", SK)}),
    ("rejected an offer", "Pyongyang rejected Seoul's offer of talks.", {(NK, "REJECT", SK)}),
    ("drills with", "The United States held joint drills with South Korea and Japan.",
     {(US, "COOPERATE", SK), (US, "COOPERATE", JP)}),
    ("reported accusation", "The United States said North Korea's missile launch violated U.N. resolutions.",
     {(US, "ACCUSE", NK)}),
    ("headline", "North Korea Slams US Sanctions\n\nPyongyang called the measures hostile.",
     {(NK, "ACCUSE", US)}),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in RULES], ids=[c[0] for c in RULES])
def test_grammar_rule(extractor, text: str, expected: set) -> None:
    assert triples(extractor, text) == expected


G7, UNSC, VN = "Group of Seven", "United Nations Security Council", "Vietnam"
KYJ, YOON, BIDEN = "Kim Yo Jong", "Yoon Suk Yeol", "Joe Biden"

# -- issue 11: the ways news states an interaction, by PLOVER category ---------------------------
NEWS = [
    # who takes part
    ("a wire credit in a dateline takes no part", "SEOUL, May 3 (Yonhap) -- Yoon Suk Yeol met Joe Biden in Singapore.",
     {(YOON, "CONSULT", BIDEN)}),
    ("a dateline's country takes no part", "BEIJING, China — Xi Jinping met Vladimir Putin in Singapore.",
     {(XI, "CONSULT", PUTIN)}),
    ("nationality of a collective noun", "Sergey Lavrov held talks with North Korean officials in Singapore.",
     {(LAVROV, "CONSULT", NK)}),
    ("one unnamed diplomat is not his state", "Sergey Lavrov met a senior Chinese diplomat.", set()),
    ("named members act", "A Russian delegation, including Sergey Lavrov, visited Pyongyang.", {(LAVROV, "CONSULT", NK)}),
    ("ministers from", "Foreign ministers from the G7 condemned North Korea's missile launch.", {(G7, "ACCUSE", NK)}),
    ("X-led coalition", "The US-led coalition condemned North Korea.", {(US, "ACCUSE", NK)}),
    ("hundreds of", "North Korea expelled dozens of South Korean workers.", {(NK, "SANCTION", SK)}),
    ("apposition after the second conjunct",
     "Kim Jong Un and Russian counterpart Vladimir Putin met at a space centre in Singapore.", {(KIM, "CONSULT", PUTIN)}),
    ("subject pronoun skips a fronted adjunct",
     "Russia has lost markets in Europe.\n\nFaced with new sanctions from Japan, it is reaching out to North Korea.",
     {(RU, "CONSULT", NK)}),
    # reported and embedded claims belong to whoever makes them
    ("accusations from X that Y", "The move drew accusations from Japan that China had supplied fuel to North Korea.",
     {(JP, "ACCUSE", CN)}),
    ("accused of: the deed is not asserted", "Japan accused China of shipping oil to North Korea.", {(JP, "ACCUSE", CN)}),
    ("an invitation's content is not a visit", "Xi Jinping invited Kim Jong Un to visit Beijing.", {(XI, "AGREE", KIM)}),
    ("said Y's move poses a threat", "Japan said China's military buildup poses a serious threat.", {(JP, "ACCUSE", CN)}),
    ("said Y must", "China said Japan must withdraw the decision.", {(CN, "REQUEST", JP)}),
    ("said Y will pay", '"Seoul will pay a heavy price," Kim Yo Jong said.', {(KYJ, "THREATEN", SK)}),
    # threats, refusals, promises
    ("threatened to cut off trade with", "Japan threatened to cut off trade with North Korea.", {(JP, "THREATEN", NK)}),
    ("threat with a condition", "China threatened to retaliate unless Japan lifted the export ban.", {(CN, "THREATEN", JP)}),
    ("conditional harm", "North Korea could close the border if China sends troops.", {(NK, "THREATEN", CN)}),
    ("a planned sanction is a threat", "The United States said it would impose sanctions on Russia.", {(US, "THREATEN", RU)}),
    ("willingness is AGREE", "Russia is willing to work with North Korea on energy.", {(RU, "AGREE", NK)}),
    ("vetoed a resolution", "Russia vetoed a UN Security Council resolution on North Korea.", {(RU, "REJECT", UNSC)}),
    ("opposes a deployment", "China opposes the deployment of US missiles in South Korea.", {(CN, "REJECT", US)}),
    # naming, holders, adjectives, nominal ties
    ("termed a threat", "North Korea termed Japan's defence plan a threat to peace.", {(NK, "ACCUSE", JP)}),
    ("X-backed Y", "Kim Jong Un denounced the United States-backed South Korea.",
     {(KIM, "ACCUSE", SK), (US, "SUPPORT", SK)}),
    ("sympathetic to", "China has been sympathetic to Russia.", {(CN, "SUPPORT", RU)}),
    ("critical of", "Japan was critical of China.", {(JP, "ACCUSE", CN)}),
    ("closest ally", "Russia is North Korea's closest ally.", {(RU, "COOPERATE", NK)}),
    ("one of the biggest backers", "China has become one of Russia's biggest backers.", {(CN, "SUPPORT", RU)}),
    ("strengthen ties with", "Vietnam moved to strengthen ties with North Korea.", {(VN, "COOPERATE", NK)}),
    ("ties that sour are no cooperation", "Ties between Japan and China soured.", set()),
    ("a letter handed over", "Choe Son Hui handed Sergey Lavrov a letter from Kim Jong Un.",
     {(CHOE, "CONSULT", LAVROV), (KIM, "CONSULT", LAVROV)}),
    # the visitor acts
    ("the host met the visitor", "Kim Jong Un met Xi Jinping in Pyongyang.", {(XI, "CONSULT", KIM)}),
    ("the visitor met the host", "Xi Jinping met Kim Jong Un in Pyongyang.", {(XI, "CONSULT", KIM)}),
    ("a visit said before", "Kim Jong Un arrived in Beijing on Monday. Xi Jinping held talks with Kim Jong Un.",
     {(KIM, "CONSULT", CN), (KIM, "CONSULT", XI)}),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in NEWS], ids=[c[0] for c in NEWS])
def test_news_constructions(extractor, text: str, expected: set) -> None:
    assert triples(extractor, text) == expected


def test_each_relation_names_the_rule_that_read_it(extractor) -> None:
    text = ("Kim Jong Un met Xi Jinping in Pyongyang. Japan was criticized by North Korea. "
            "The talks between Sergey Lavrov and Choe Son Hui lasted two hours.")
    rules = {(r.source, r.target): r.rule for r in run(extractor, text).relations}
    assert rules == {
        (XI, KIM): "verb-subj-obj+visitor-first",
        (NK, JP): "verb-passive",
        (LAVROV, CHOE): "noun-between",
    }


# -- modality: what did not happen, or only might, gives nothing; plans are AGREE --------------
NOTHING = [
    ("negated", "Choe Son Hui did not meet Sergey Lavrov."),
    ("never", "Russia has never supplied weapons to North Korea, Sergey Lavrov said."),
    ("no talks", "There were no talks between Choe Son Hui and Sergey Lavrov."),
    ("could", "Kim Jong Un could visit Russia."),
    ("is expected to", "Kim Jong Un is expected to visit Russia."),
    ("possible summit", "Analysts discussed a possible summit between Xi Jinping and Kim Jong Un."),
    ("conditional", "If Kim Jong Un meets Donald Trump, sanctions may be eased."),
    ("hopes to", "Xi Jinping hopes to visit Pyongyang soon."),
    ("denied that", "Sergey Lavrov denied that Russia supplied weapons to North Korea."),
    ("called off", "Donald Trump called off the summit with Kim Jong Un."),
    ("unlikely", "Kim Jong Un is unlikely to meet Donald Trump."),
    ("co-mention", "Kim Jong Un, Xi Jinping and Vladimir Putin were mentioned in the report."),
    ("co-mention without a verb of interaction", "North Korea and China are neighbours."),
    ("an actor and its own state", "Kim Jong Un praised North Korea for its resilience."),
]


@pytest.mark.parametrize("text", [c[1] for c in NOTHING], ids=[c[0] for c in NOTHING])
def test_unreal_events_are_no_relations(extractor, text: str) -> None:
    assert triples(extractor, text) == set()


PLANNED = [
    ("will", "Kim Jong Un will visit Russia next month.", {(KIM, "AGREE", RU)}),
    ("agreed to", "Kim Jong Un agreed to visit Russia.", {(KIM, "AGREE", RU)}),
    ("plans to", "Kim Jong Un plans to meet Vladimir Putin.", {(KIM, "AGREE", PUTIN)}),
    ("upcoming summit", "The upcoming summit between Xi Jinping and Kim Jong Un will focus on trade.",
     {(XI, "AGREE", KIM)}),
    ("prepared for a summit", "North Korea said it is prepared for a summit between Donald Trump and Kim Jong Un.",
     {(NK, "AGREE", US)}),
    ("refused to hold talks", "North Korea refused to hold talks with the United States.", {(NK, "REJECT", US)}),
    ("ruled out talks", "North Korea ruled out talks with the United States.", {(NK, "REJECT", US)}),
    ("without meeting", "Kim Jong Un visited China without meeting Xi Jinping.", {(KIM, "CONSULT", CN)}),
    ("after meeting", "After meeting Xi Jinping, Kim Jong Un returned to Pyongyang.", {(KIM, "CONSULT", XI)}),
    ("urged talks between", "Russia urged talks between the United States and North Korea.",
     {(RU, "REQUEST", US), (RU, "REQUEST", NK)}),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in PLANNED], ids=[c[0] for c in PLANNED])
def test_planned_refused_and_requested_events(extractor, text: str, expected: set) -> None:
    assert triples(extractor, text) == expected


# -- dates, evidence, trigger -----------------------------------------------------------------
DATES = [
    ("month and day take the document's year", "Choe Son Hui met Sergey Lavrov on Nov. 8.", "2024-11-20",
     "2024-11-08"),
    ("a later month and day is last year", "Choe Son Hui met Sergey Lavrov on Dec. 28.", "2025-01-05",
     "2024-12-28"),
    ("an explicit year", "Choe Son Hui met Sergey Lavrov in Jakarta on Oct. 17, 2023.", "2024-01-01",
     "2023-10-17"),
    ("a weekday is the last one", "On Friday, Choe Son Hui met Sun Weidong.", "2024-01-27", "2024-01-26"),
    ("the date of the report is not the event's", "KCNA said Monday that Choe Son Hui met Sergey Lavrov.",
     "2024-11-20", "2024-11-20"),
    ("a plan is dated by the document", "Kim Jong Un will visit Russia on Dec. 1.", "2024-11-20", "2024-11-20"),
    ("no document date, no year", "Choe Son Hui met Sergey Lavrov on Nov. 8.", None, None),
]


@pytest.mark.parametrize("text, published, expected", [c[1:] for c in DATES], ids=[c[0] for c in DATES])
def test_relation_date(extractor, text: str, published: str | None, expected: str | None) -> None:
    relations = run(extractor, text, published).relations
    assert len(relations) == 1
    assert relations[0].date == expected


def test_evidence_is_the_trimmed_sentence_and_trigger_is_its_word(extractor) -> None:
    text = ("Seoul said little.\n\nChoe Son Hui met Sergey Lavrov in Moscow on Monday. "
            "Lavrov praised North Korea.\n")
    relations = {(r.source, r.target): r for r in run(extractor, text, "2024-11-20").relations}
    met = relations[(CHOE, LAVROV)]
    assert text[met.start:met.end] == "Choe Son Hui met Sergey Lavrov in Moscow on Monday."
    assert met.trigger == "met" and met.date == "2024-11-18"
    praised = relations[(LAVROV, NK)]
    assert text[praised.start:praised.end] == "Lavrov praised North Korea."
    assert praised.trigger == "praised"


def test_a_headline_is_not_glued_to_the_first_sentence(extractor) -> None:
    text = "Kim Visits Russia\n\nChoe Son Hui met Sergey Lavrov."
    for relation in run(extractor, text).relations:
        assert "\n" not in text[relation.start:relation.end]


def test_triggers_live_in_the_data_file(tmp_path: Path) -> None:
    from dprk_tui.db.extract.relations.rules import RELATIONS_FILE, TriggerRules

    data = json.loads(RELATIONS_FILE.read_text(encoding="utf-8"))
    rules = TriggerRules.load()
    assert rules.verbs["meet"].type == "CONSULT" and rules.nouns["sanctions"].type == "SANCTION"
    data["verbs"]["meet"] = {"type": "GREET"}
    bad = tmp_path / "relations.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="GREET"):
        TriggerRules.load(bad)


def test_a_new_trigger_needs_only_data(extractor, tmp_path: Path) -> None:
    from dprk_tui.db.extract.relations import RelationExtractor
    from dprk_tui.db.extract.relations.rules import RELATIONS_FILE, TriggerRules

    data = json.loads(RELATIONS_FILE.read_text(encoding="utf-8"))
    data["verbs"]["lecture"] = {"type": "ACCUSE", "preps": []}
    path = tmp_path / "relations.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    text = "China lectured Japan."
    assert triples(extractor, text) == set()
    bundled = extractor.relations
    extractor.relations = RelationExtractor(TriggerRules.load(path), extractor.dictionary)
    try:
        assert triples(extractor, text) == {(CN, "ACCUSE", JP)}
    finally:
        extractor.relations = bundled


# -- the targets on the seed store ----------------------------------------------------
@needs_gold
def test_seed_store_meets_the_relation_targets(seed_store: Path) -> None:
    from dprk_tui.db.evaluate import load_gold, score
    from dprk_tui.db.export import export_rows
    from dprk_tui.db.store import Store
    from tests.conftest import GOLD

    store = Store.open(seed_store)
    try:
        gold = load_gold(GOLD)
        rows = {table: list(export_rows(store, table)) for table in ("documents", "actors", "mentions", "relations")}
    finally:
        store.close()
    report = score(gold, rows["documents"], rows["actors"], rows["mentions"], rows["relations"])
    assert report.relation_pair.f1 >= 0.95, report.relation_pair  # issue 11: must hold
    assert report.relation_typed.f1 >= 0.90, report.relation_typed
    assert report.relation_directed.f1 >= 0.90, report.relation_directed
    texts = {row["file"]: row["text"] for row in rows["documents"]}
    for relation in rows["relations"]:
        evidence = texts[relation["file"]][relation["start"]:relation["end"]]
        assert evidence == relation["evidence"] and "\n" not in evidence
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", relation["date"] or "")


# -- co-mentions: a separate data source, never relations -------------------------------------
def test_sentence_spans_skip_abbreviations() -> None:
    from dprk_tui.db.comentions import sentence_spans

    text = "Headline Here\n\nU.S. envoy Sung Kim met Mr. Liu on Nov. 8 in Beijing. He left. \"Fine,\" he said."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Headline Here", "U.S. envoy Sung Kim met Mr. Liu on Nov. 8 in Beijing.", "He left.",
        "\"Fine,\" he said.",
    ]


def test_comentions_of_a_document_and_of_the_store(seed_store: Path) -> None:
    import sqlite3

    from dprk_tui.db.comentions import comention_rows

    conn = sqlite3.connect(seed_store)
    try:
        relation_count = conn.execute("SELECT count(*) FROM relations").fetchone()[0]
        assert relation_count
        document_ids = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]
        per_document: dict[tuple[str, str], int] = {}
        for document_id in document_ids:
            text = conn.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()[0]
            for row in comention_rows(conn, document_id, limit=10_000):
                assert row.actor_a != row.actor_b and row.documents == 1
                sentence = text[row.start:row.end]
                assert row.actor_a and sentence and "\n" not in sentence
                key = tuple(sorted((row.actor_a, row.actor_b)))
                per_document[key] = per_document.get(key, 0) + row.sentences
        store = comention_rows(conn, limit=10_000)
        assert {tuple(sorted((r.actor_a, r.actor_b))): r.sentences for r in store} == per_document
        assert [r.sentences for r in store] == sorted((r.sentences for r in store), reverse=True)
        assert comention_rows(conn, offset=1, limit=2) == store[1:3]
        assert conn.execute("SELECT count(*) FROM relations").fetchone()[0] == relation_count
        related = {
            tuple(sorted(pair)) for pair in conn.execute(
                "SELECT s.name, t.name FROM relations r JOIN actors s ON s.id = r.source_id"
                " JOIN actors t ON t.id = r.target_id"
            )
        }
        assert set(per_document) - related  # co-mentions that state no relation stay out of it
    finally:
        conn.close()
