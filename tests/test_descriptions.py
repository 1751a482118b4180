"""Role descriptions ("the North Korean leader", "the DPRK's foreign minister") resolve to the
person who held the role on the document's date, through the real spaCy pipeline, on sentences
written for these tests."""

from __future__ import annotations

import re


from dprk_tui.db.extract.descriptions import DescriptionRules, title_matches



def mention_of(extractor, text: str, date: str | None) -> dict[str, str | None]:
    """Mention text -> actor."""
    return {m.text: m.actor for m in extractor.extract(text, date).mentions}


def test_title_matching() -> None:
    assert title_matches("President of the United States", "president")
    assert title_matches("Minister of Foreign Affairs of Russia", "minister of foreign affairs")
    assert title_matches("Chairman of the State Affairs Commission (President of the State Affairs)",
                         "chairman of the state affairs commission")
    assert not title_matches("Vice President of the United States", "president")
    assert not title_matches("First Vice Minister of Foreign Affairs", "minister of foreign affairs")
    assert not title_matches("Presidential Envoy", "president")


def test_rules_file_is_lower_case_and_complete() -> None:
    rules = DescriptionRules.load()
    assert ("leader",) in rules.descriptions and ("foreign", "minister") in rules.descriptions
    assert all(words == tuple(w.lower() for w in words) for words in rules.descriptions)


def test_nationality_and_role_is_the_holder_on_the_date(extractor) -> None:
    text = "Trump has repeatedly insulted the North Korean leader, describing him as mad."
    assert mention_of(extractor, text, "2018-01-13")["North Korean leader"] == "Kim Jong Un"


def test_possessive_state_and_role_follows_the_date(extractor) -> None:
    text = "The talks were held in Hanoi when the DPRK's foreign minister visited Iran."
    assert mention_of(extractor, text, "2014-11-17")["foreign minister"] == "Ri Su Yong"
    assert mention_of(extractor, text, "2023-03-01")["foreign minister"] == "Choe Son Hui"
    assert mention_of(extractor, "Russia's foreign minister arrived in Pyongyang.", "2019-11-20")[
        "foreign minister"] == "Sergey Lavrov"


def test_no_date_no_resolution(extractor) -> None:
    found = mention_of(extractor, "Trump insulted the North Korean leader again.", None)
    assert "North Korean leader" not in found and found.get("North Korean") is None


def test_a_title_before_a_name_is_the_name(extractor) -> None:
    found = mention_of(extractor, "North Korean leader Kim Jong Un met Putin in Vladivostok.", "2019-04-25")
    assert found.get("Kim Jong Un") == "Kim Jong Un"
    assert not any(re.search(r"leader$", text) for text in found)


def test_a_role_nobody_held_then_is_left_alone(extractor) -> None:
    # Nobody in the dictionary was the DPRK's foreign minister in 1950.
    found = mention_of(extractor, "The DPRK's foreign minister arrived in Beijing.", "1950-06-01")
    assert "foreign minister" not in found


def test_description_gives_relations(extractor) -> None:
    text = "Kang Sok Ju traveled to Mongolia in September when the DPRK's foreign minister visited Iran."
    relations = extractor.extract(text, "2014-11-17").relations
    pairs = {(r.source, r.type, r.target) for r in relations}
    assert ("Ri Su Yong", "CONSULT", "Iran") in pairs, pairs
