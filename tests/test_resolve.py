"""Actor resolution: the dictionary and its checks, name normalisation, metonyms, nationality words,
bare surnames, names the model misses, and the figures on the gold seeds.

Rules are tested on sentences written for these tests (not the seeds), through the real spaCy
pipeline (one Extractor per module); the seed store is scored against the gold annotations.
"""

from __future__ import annotations

from tests.conftest import needs_gold

import json
import re
from pathlib import Path

import pytest

from dprk_tui.db.extract.dictionary import (
    ACTOR_TYPES,
    BUNDLED_ACTORS,
    Role,
    load_dictionary,
    read_entries,
)
from dprk_tui.db.extract.names import TitleStripper, compact_key, name_key
from tests.conftest import GOLD
from tests.helpers import actor_at

SECTORS = {"GOV", "MIL", "PTY", "MED", "IGO", "NGO", "BUS", "RES", "REB", "OTH"}
DOCUMENTED_AMBIGUITIES = {"national security council", "nsc"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def dictionary():
    return load_dictionary(Path("/nonexistent/user-actors.jsonl"))



def actors_of(extractor, text: str, date: str | None = None) -> list[tuple[str, str | None]]:
    """(mention text, actor) of every mention, in order."""
    return [(m.text, m.actor) for m in extractor.extract(text, date).mentions]


# -- the dictionary -------------------------------------------------------------------------------
def test_dictionary_file_is_valid(dictionary) -> None:
    entries = read_entries(BUNDLED_ACTORS)
    assert len(entries) >= 300
    names = [name_key(entry.name) for entry in entries]
    assert len(names) == len(set(names)), "canonical names must be unique after folding"
    for entry in entries:
        assert entry.type in ACTOR_TYPES, entry.name
        assert entry.sector in SECTORS, entry.name
        assert entry.country is None or re.fullmatch(r"[A-Z]{3}", entry.country), entry.name
        if entry.type == "PERSON":
            assert entry.surname and entry.surname in entry.name, entry.name
        for role in entry.roles:
            for date in (role.start, role.end):
                assert date is None or DATE.match(date), (entry.name, date)
        assert [r.start or "" for r in entry.roles] == sorted(r.start or "" for r in entry.roles), entry.name
    shared = {key for key, owners in dictionary.by_key.items() if len(owners) > 1}
    assert shared == DOCUMENTED_AMBIGUITIES


def test_dictionary_lines_are_sorted_by_type_then_name() -> None:
    rows = [json.loads(line) for line in BUNDLED_ACTORS.read_text(encoding="utf-8").splitlines() if line]
    order = [(row["type"], row["name"].casefold()) for row in rows]
    assert order == sorted(order)


def test_every_state_has_a_gpe_entry(dictionary) -> None:
    states = [entry for entry in dictionary.entries if entry.type == "GPE"]
    assert len(states) >= 190  # the UN member states and a few more
    for name in ("Sudan", "Congo", "Democratic Republic of the Congo", "Greece", "Kenya", "Colombia"):
        assert dictionary.lookup(name) is not None, name


def test_user_dictionary_replaces_and_adds_by_name(tmp_path: Path) -> None:
    user = tmp_path / "actors.jsonl"
    user.write_text(
        "// my corrections\n\n"
        '{"name": "Choe Son Hui", "type": "PERSON", "country": "PRK", "sector": "GOV", "surname": "Choe", "aliases": ["Madame Choe"]}\n'
        '{"name": "Jane Analyst", "type": "PERSON", "country": "GBR", "sector": "RES", "surname": "Analyst", "aliases": []}\n',
        encoding="utf-8",
    )
    merged = load_dictionary(user)
    assert merged.lookup("Madame Choe").name == "Choe Son Hui"
    assert merged.lookup("Choi Son Hui") is None  # the whole bundled record was replaced
    assert merged.lookup("Jane Analyst").country == "GBR"


def test_a_bad_user_dictionary_line_names_file_and_line(tmp_path: Path) -> None:
    user = tmp_path / "actors.jsonl"
    user.write_text('{"name": "Xa Yb", "type": "PERSON"}\n{"name": "Y", "type": "BOAT"}\n', encoding="utf-8")
    dictionary = load_dictionary(user)
    assert dictionary.problems == [f"{user}:2: type: invalid enum value 'BOAT'"]
    assert "Xa Yb" in dictionary.by_name and "Y" not in dictionary.by_name


# -- names and look-ups ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "variant", ["Choe Son-hui", "CHOE SON HUI", "Choe Son Hui's", "Foreign Minister Choe Son Hui",
                "First Vice Foreign Minister Choe Son Hui", "Choi Son Hui", "North Korean Foreign Minister Choe Son Hui"],
)
def test_spelling_titles_and_nationality_fold_to_one_actor(dictionary, variant: str) -> None:
    assert dictionary.lookup(variant).name == "Choe Son Hui"


def test_lookup_honorifics_acronyms_and_spacing(dictionary) -> None:
    assert dictionary.lookup("respected Supreme Leader Comrade Kim Jong Un").name == "Kim Jong Un"
    assert dictionary.lookup("Kim Jongun").name == "Kim Jong Un"  # spacing of a romanisation
    assert dictionary.lookup("Vladimir Vladimirovich Putin").name == "Vladimir Putin"  # patronymic
    for acronym, name in [("DPRK", "North Korea"), ("ROK", "South Korea"), ("KCNA", "Korean Central News Agency"),
                          ("WPK", "Workers' Party of Korea"), ("UNSC", "United Nations Security Council")]:
        assert dictionary.lookup(acronym).name == name
    assert dictionary.lookup("U.S.").name == "United States"
    assert dictionary.lookup("us") is None and dictionary.lookup("who") is None  # words, not acronyms


def test_names_that_begin_with_a_title_word_are_not_stripped(dictionary) -> None:
    assert dictionary.lookup("General Staff of the Korean People's Army").type == "ORG"
    assert dictionary.lookup("General Association of Korean Residents in Japan").type == "ORG"
    assert dictionary.lookup("General Secretary Kim Jong Un").name == "Kim Jong Un"


def test_title_stripper_counts_titles_in_a_row() -> None:
    titles = TitleStripper(["Vice Marshal", "Marshal", "respected", "Comrade", "Supreme Leader"])
    assert titles.leading(["respected", "supreme", "leader", "comrade", "kim"]) == 4
    assert titles.leading(["vice", "marshal", "choe"]) == 2
    assert titles.trailing(["the", "vice", "marshal"]) == "vice marshal"
    assert titles.trailing(["said"]) is None
    assert compact_key("Kim Jong-un") == compact_key("kim jongun")


@pytest.mark.parametrize(
    ("role", "date", "held"),
    [(Role("x", "2014", "2015-04"), "2014-01-01", True), (Role("x", "2014", "2015-04"), "2015-04-30", True),
     (Role("x", "2014", "2015-04"), "2015-05-01", False), (Role("x", "2017-01-20", None), "2026-01-01", True),
     (Role("x", "2017-01-20", None), "2017-01-19", False)],
)
def test_roles_compare_at_their_own_precision(role: Role, date: str, held: bool) -> None:
    assert role.held_on(date) is held


# -- metonyms, places and nationality words -------------------------------------------------------
def test_capitals_stand_for_states_only_when_they_act(extractor) -> None:
    text = ("SEOUL, March 4 (Yonhap) -- Seoul urged Pyongyang on Tuesday to accept offers of talks from "
            "Washington. The envoy returned from Beijing after a visit to Moscow and talks in Tokyo.")
    found = actors_of(extractor, text)
    assert found[0] == ("SEOUL", None)  # dateline
    assert ("Seoul", "South Korea") in found and ("Pyongyang", "North Korea") in found
    assert ("Washington", "United States") in found  # offers from Washington: the state acts
    assert ("Beijing", None) in found and ("Moscow", None) in found and ("Tokyo", None) in found


def test_a_state_named_as_a_place_is_not_an_actor(extractor) -> None:
    text = "North Korea sent shells for use in the war in Ukraine. Ukraine accused North Korea of arming Russia."
    assert actor_at(extractor, text, "Ukraine", 0) is None
    assert actor_at(extractor, text, "Ukraine", 1) == "Ukraine"


def test_nationality_words_are_not_actors(extractor) -> None:
    text = "North Korean officials met Russian and Chinese diplomats, and the Japanese government protested."
    found = dict(actors_of(extractor, text))
    assert found.get("North Korean") is None and found.get("Russian") is None and found.get("Chinese") is None
    assert found["Japanese government"] == "Japan"


def test_the_north_and_the_south_in_a_peninsula_story(extractor) -> None:
    korea = "South Korea said the North fired a missile. The isolated North ignored the South."
    found = actors_of(extractor, korea)
    assert ("North", "North Korea") in found and ("South", "South Korea") in found
    elsewhere = "Sudan's army fought in the South. The North Atlantic alliance met in Brussels."
    assert all(actor not in ("North Korea", "South Korea") for _, actor in actors_of(extractor, elsewhere))


# -- bare surnames --------------------------------------------------------------------------------
def test_nearest_preceding_full_mention_wins(extractor) -> None:
    text = ("Kim Jong Un received Kim Yong Nam on Monday. Kim thanked him for the report. "
            "Later Kim Jong Un spoke to the press. Kim said the talks went well.")
    assert actor_at(extractor, text, "Kim", 2) == "Kim Yong Nam"
    assert actor_at(extractor, text, "Kim", 4) == "Kim Jong Un"


def test_a_title_before_the_surname_chooses_between_namesakes(extractor) -> None:
    text = ("Vice Marshal Choe Ryong Hae attended. Foreign Minister Choe Son Hui spoke later. "
            "Vice Marshal Choe left early.")
    assert actor_at(extractor, text, "Choe", 2) == "Choe Ryong Hae"


def test_a_surname_links_forward_when_the_full_name_comes_later(extractor) -> None:
    text = "Lavrov arrived on Monday. Russian Foreign Minister Sergey Lavrov then met reporters."
    assert actor_at(extractor, text, "Lavrov", 0) == "Sergey Lavrov"


def test_very_short_surnames_need_a_full_mention_first(extractor) -> None:
    text = ("No said the army was ready. General No Kwang Chol inspected the unit. "
            "No details were given. No said the enemy would pay.")
    found = extractor.extract(text).mentions
    bare = [(m.start, m.actor) for m in found if m.text == "No"]
    assert bare == [(text.rindex("No said"), "No Kwang Chol")]


def test_a_surname_alone_resolves_by_role_on_the_date_never_by_frequency(extractor) -> None:
    text = "Trump said he would meet the North Korean leader again."
    assert actor_at(extractor, text, "Trump", date="2018-06-01") == "Donald Trump"
    assert actor_at(extractor, text, "Trump", date="2011-06-01") != "Donald Trump"
    # Many Kims held office in 2019; alone, "Kim" is the one of them who led the state.
    several = "Kim said the missile test was a success."
    assert actor_at(extractor, several, "Kim", date="2019-06-01") == "Kim Jong Un"
    assert actor_at(extractor, several, "Kim") == "Kim Jong Un"  # undated: the one leading today
    # Several Choes held office and none led the state (a presidium's "President" is no head of state).
    assert actor_at(extractor, "Choe said the talks went well.", "Choe", date="2020-06-01") is None


def test_hyphenated_surnames_and_korean_name_order(extractor) -> None:
    text = ("Linda Thomas-Greenfield criticised the veto. Thomas-Greenfield said Moscow shielded Pyongyang. "
            "Analyst Hong Min of the Korea Institute for National Unification spoke. Hong said talks were unlikely.")
    assert actor_at(extractor, text, "Thomas-Greenfield", 1) == "Linda Thomas-Greenfield"
    assert actor_at(extractor, text, "Hong", 1) == "Hong Min"


# -- names the model misses or mislabels ----------------------------------------------------------
def test_unknown_speakers_and_one_letter_family_names_are_people(extractor) -> None:
    text = ("But Dawson would not say whether talks were planned. Okafor said the sanctions had failed. "
            "O Su Yong and Jo Yong Won accompanied him.")
    found = dict(actors_of(extractor, text))
    assert found.get("Dawson") == "Dawson" and found.get("Okafor") == "Okafor"
    assert found.get("O Su Yong") == "O Su Yong"


def test_titles_and_portfolios_are_not_organisations(extractor) -> None:
    text = ("Chief Cabinet Secretary Hirokazu Matsuno spoke. Kim Jong Un, president of the State Affairs of "
            "the DPRK, received Vice Marshal Pak, Minister of the People's Coastal Forces.")
    organisations = {m.text for m in extractor.extract(text).mentions if m.label == "ORG" and m.actor}
    assert not organisations & {"Cabinet", "State Affairs", "People's Coastal Forces"}


def test_a_headline_capitalisation_is_not_an_organisation(extractor) -> None:
    text = ("Seoul, Tokyo Discuss Coordination Over Maritime Security Cooperation\n\n"
            "Officials of South Korea and Japan met on Friday to discuss maritime security cooperation.")
    assert all(m.actor != "Maritime Security Cooperation" for m in extractor.extract(text).mentions)


def test_a_parent_body_named_inside_a_name_is_mentioned(extractor) -> None:
    text = "Kim Yong Nam, chairman of the Presidium of the Supreme People's Assembly, left for Africa."
    actors = {m.actor for m in extractor.extract(text).mentions}
    assert {"Standing Committee of the Supreme People's Assembly", "Supreme People's Assembly"} <= actors


def test_one_type_per_unknown_name_in_a_document(extractor) -> None:
    from dprk_tui.db.extract.model import MentionSpan

    mentions = [MentionSpan(0, 7, "Fenwick", "ORG", "Fenwick"), MentionSpan(20, 27, "Fenwick", "PERSON", "Fenwick"),
                MentionSpan(40, 56, "Sejong Institute", "ORG", "Sejong Institute"),
                MentionSpan(60, 67, "Harlowe", "ORG", "Harlowe"), MentionSpan(70, 77, "Harlowe", "ORG", "Harlowe"),
                MentionSpan(80, 87, "Harlowe", "PERSON", "Harlowe")]
    labels = [m.label for m in extractor.resolver._consolidate_types(mentions)]
    assert labels == ["PERSON", "PERSON", "ORG", "ORG", "ORG", "ORG"]  # a tie goes to PERSON


# -- the gold seeds -------------------------------------------------------------------------------
@needs_gold
def test_seed_store_meets_the_actor_targets(seed_store: Path) -> None:
    from dprk_tui.db.evaluate import load_gold, score
    from dprk_tui.db.export import export_rows
    from dprk_tui.db.store import Store

    store = Store.open(seed_store)
    try:
        report = score(
            load_gold(GOLD),
            list(export_rows(store, "documents")),
            list(export_rows(store, "actors")),
            list(export_rows(store, "mentions")),
            list(export_rows(store, "relations")),
        )
    finally:
        store.close()
    assert report.actors.f1 >= 0.95, (report.actors, [(d.doc, d.missed_actors, d.extra_actors) for d in report.documents])
    assert report.surnames.accuracy >= 0.95, [d.wrong_surnames for d in report.documents]
    assert report.dates.accuracy == 1.0


def test_a_name_two_actors_share_is_chosen_from_context(extractor) -> None:
    text = ("South Korea's National Security Council met after North Korea fired missiles. The NSC condemned "
            "the launch. In Washington, the U.S. National Security Council consulted allies.")
    found = [(m.text, m.actor) for m in extractor.extract(text).mentions if "Security" in m.text or m.text == "NSC"]
    assert found == [("National Security Council", "National Security Council of South Korea"),
                     ("NSC", "National Security Council of South Korea"),
                     ("National Security Council", "United States National Security Council")]


def test_a_common_word_is_not_taken_for_an_officeholder(extractor) -> None:
    # Susan Rice and Samantha Power held office in 2015; these words are not them.
    text = "Rice prices rose sharply in Pyongyang. Power cuts hit the capital, the Sun reported."
    actors = {actor for _, actor in actors_of(extractor, text, date="2015-06-01")}
    assert not actors & {"Susan Rice", "Samantha Power", "Sun Weidong"}
