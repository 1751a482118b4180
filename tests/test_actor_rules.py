"""Actor rules beyond the dictionary: corrected entity spans, organisation names, national bodies,
places and events, photo credits, bylines, the Koreas, and whom a bare name means.

Every sentence here was written for these tests; the real pipeline (spaCy + rules) runs on them.
"""

from __future__ import annotations


from tests.helpers import actor_at



def mentions(extractor, text: str, date: str | None = None) -> list[tuple[str, str | None]]:
    return [(m.text, m.actor) for m in extractor.extract(text, date).mentions]


def actors(extractor, text: str, date: str | None = None) -> set[str]:
    return {m.actor for m in extractor.extract(text, date).mentions if m.actor}


# -- sentences and tokens -------------------------------------------------------------------------
def test_no_sentence_starts_inside_a_name(extractor) -> None:
    # Without the guard the parser ends a sentence after "Kim Ju" here.
    doc = extractor.nlp("The leader came to the city on Monday with his daughter Kim Ju Ae, his first trip in a year.")
    assert len(list(doc.sents)) == 1


def test_the_agency_in_slashes_is_an_actor(extractor) -> None:
    text = "BEIJING, May 3. /TASS/. The Chinese foreign minister met his Russian counterpart on Friday."
    assert actor_at(extractor, text, "TASS") == "TASS"


def test_glued_abbreviations_brackets_and_dates_are_split(extractor) -> None:
    found = mentions(extractor, "Pyongyang condemned the U.S.-S. Korea drills and the U.S.-ROK alliance.")
    assert ("U.S.", "United States") in found and ("S. Korea", "South Korea") in found and ("ROK", "South Korea") in found
    assert ("European Union", "European Union") in mentions(extractor, "The European Union(EU) text passed.")
    assert ("USA Today", "USA Today") in mentions(extractor, "USA Today12-03-2024\nThe paper said talks stalled.")


# -- entity spans ---------------------------------------------------------------------------------
def test_names_stop_at_line_breaks_and_before_headline_verbs(extractor) -> None:
    text = "Leader Kim Greets President Xi\nChinese President Xi Jinping arrived in Pyongyang on Thursday."
    found = extractor.extract(text).mentions
    assert all("\n" not in m.text for m in found)
    assert not any(m.actor and "Greets" in m.actor for m in found)
    assert actor_at(extractor, text, "Xi", 0) == "Xi Jinping"


def test_headline_verbs_at_the_start_of_a_name_and_abbreviated_nationalities(extractor) -> None:
    text = "Ministry Condemns North Korean Leader Over Missile Tests\nSEOUL -- Officials met on Monday."
    assert not any(actor and "Condemns" in actor for actor in actors(extractor, text))
    found = mentions(extractor, "Envoy urges N. Korean officials to return to talks, said the statement.")
    assert ("N. Korean", None) in found


def test_a_known_name_that_goes_on_is_another_person(extractor) -> None:
    # "Park Jin" is in the dictionary (a South Korean minister); "Park Jin Hyok" is someone else.
    assert actor_at(extractor, "Prosecutors charged Park Jin Hyok with the theft.", "Park Jin Hyok") == "Park Jin Hyok"
    assert "Xi Jinping" in actors(extractor, "Leader Meets Xi Jinping Again\nThe two leaders met in Dalian.")


def test_a_short_surname_alone_that_the_ner_calls_a_person(extractor) -> None:
    text = "The envoy conveyed Xi's warm greetings to the North Korean leader on Saturday."
    assert actor_at(extractor, text, "Xi", date="2018-04-15") == "Xi Jinping"


# -- organisation names ---------------------------------------------------------------------------
def test_organisation_names_cut_at_of_are_completed(extractor) -> None:
    text = "The head of the Institute for Russian Studies of the DPRK Foreign Ministry spoke on Friday."
    found = mentions(extractor, text)
    assert ("Institute for Russian Studies", "Institute for Russian Studies") in found
    assert ("DPRK Foreign Ministry", "Ministry of Foreign Affairs of North Korea") in found
    assert not any(actor and actor.endswith((" for", " of")) for _, actor in found)


def test_a_known_name_inside_a_longer_one_is_not_that_actor(extractor) -> None:
    text = "In a long statement the rebel Kurdistan Workers' Party demanded talks with the government."
    assert "Workers' Party of Korea" not in actors(extractor, text)
    assert "Kurdistan Workers' Party" in actors(extractor, text)


def test_a_body_of_a_state_is_named_with_the_state(extractor) -> None:
    text = "On Sunday she spoke at length to the Council of Ministers of the Republic of Cuba about trade."
    found = mentions(extractor, text)
    assert ("Council of Ministers of the Republic of Cuba", "Council of Ministers of Cuba") in found
    assert ("Republic of Cuba", "Cuba") in found
    text = "Strikers at the United Bus Company of Tehran said on Monday that wages had not been paid."
    assert "United Bus Company of Tehran" in actors(extractor, text)  # a city is no state


def test_a_parent_named_by_the_states_long_name_and_an_acronym_in_brackets(extractor) -> None:
    text = ("The Center for Maritime Studies (CMS) of the Ministry of Foreign Affairs of the "
            "Democratic People's Republic of Korea issued a report on Monday. The CMS said the drills "
            "were a provocation.")
    found = mentions(extractor, text)
    assert ("Center for Maritime Studies", "Center for Maritime Studies") in found
    assert ("Ministry of Foreign Affairs of the Democratic People's Republic of Korea",
            "Ministry of Foreign Affairs of North Korea") in found
    assert [actor for surface, actor in found if surface == "CMS"] == ["Center for Maritime Studies"] * 2


def test_a_generic_head_after_its_parent_is_one_name(extractor) -> None:
    text = "In the afternoon he met members of the Foreign Affairs Committee of the National People's Congress."
    assert "Foreign Affairs Committee of the National People's Congress" in actors(extractor, text)


def test_a_whole_name_is_not_continued_over_a_topic(extractor) -> None:
    text = "Analysts cited a long report by the Daily Planet on North Korea about the sanctions."
    assert not any(actor and "North Korea" in actor and actor != "North Korea" for actor in actors(extractor, text))


def test_a_bare_head_noun_refers_to_the_latest_organisation_with_it(extractor) -> None:
    text = "The United Nations Security Council met on Monday. The Council condemned the launch."
    assert actor_at(extractor, text, "Council", 1) == "United Nations Security Council"


# -- national bodies ------------------------------------------------------------------------------
def test_a_states_ministry_named_through_the_state(extractor) -> None:
    text = "Japan's foreign ministry protested, and Tokyo's foreign ministry later summoned the envoy."
    assert actor_at(extractor, text, "Japan's foreign ministry") == "Ministry of Foreign Affairs of Japan"
    assert actor_at(extractor, text, "Tokyo's foreign ministry") == "Ministry of Foreign Affairs of Japan"
    text = "The Central Committee of North Korea's Workers' Party met in Pyongyang."
    assert "Workers' Party of Korea" in actors(extractor, text)


def test_an_unqualified_ministry_is_the_one_of_the_state_the_story_is_about(extractor) -> None:
    text = ("North Korea fired two missiles on Sunday. North Korea said the tests were routine. "
            "A Foreign Ministry spokesman said Washington was to blame. Washington rejected it.")
    assert actor_at(extractor, text, "Foreign Ministry") == "Ministry of Foreign Affairs of North Korea"
    even = "China and Japan held talks. The Foreign Ministry said China and Japan agreed."
    assert actor_at(extractor, even, "Foreign Ministry") != "Ministry of Foreign Affairs of Japan"
    # A story about South Korea (which has no "Cabinet" entry) is not about North Korea's Cabinet.
    seoul = ("South Korea and South Korea's allies met. Seoul said South Korea would respond. North Korea "
             "was silent. The president spoke at a Cabinet meeting.")
    assert actor_at(extractor, seoul, "Cabinet") != "Cabinet of North Korea"


# -- places, events and credits -------------------------------------------------------------------
def test_places_are_not_actors(extractor) -> None:
    text = ("The two leaders met at Ryongsong state residence and later visited the border city of Rajin. "
            "They walked to Unification Pavilion, a building on the northern side, and crossed the "
            "Military Demarcation Line at Panmunjom. Officials said Rajin was calm.")
    named = actors(extractor, text)
    assert not named & {"Ryongsong", "Rajin", "Unification Pavilion", "Military Demarcation Line", "Panmunjom"}


def test_a_firm_named_before_its_factory_stays_an_actor(extractor) -> None:
    text = "Workers at the Hanwha factory in Changwon said output rose. Hanwha said exports would grow."
    assert "Hanwha" in actors(extractor, text)


def test_events_and_datelines_are_not_actors(extractor) -> None:
    text = "GENEVA, June 3 -- Officials said the Tokyo Summer Olympics and the Asian Winter Games went well."
    named = actors(extractor, text)
    assert not named & {"GENEVA", "Geneva", "Tokyo Summer Olympics", "Asian Winter Games"}


def test_photo_credits_are_not_actors_but_wire_tags_are(extractor) -> None:
    text = ("SEOUL, May 2 (Yonhap) -- Kim Jong Un inspected a factory, state media said.\n"
            "Kim Jong Un visits a factory in Pyongyang. REUTERS/Jane Doe/File Photo\n"
            "The two leaders shake hands.Credit: AFP\n"
            "People watch the news at a station in Seoul. (Dan Smith/Yonhap via Kyodo)\n"
            "Kim Yo Jong speaks at a rally (Yonhap via Antara)\n"
            "© Ivan Petrov/Press Office/Sputnik\n"
            "The talks ended on Friday, the agency said. AP")
    found = extractor.extract(text).mentions
    assert actor_at(extractor, text, "Yonhap", 0) == "Yonhap News Agency"
    for surface in ("Jane Doe", "AFP", "Dan Smith", "Kyodo", "Antara", "Ivan Petrov", "Sputnik"):
        assert all(m.actor is None for m in found if m.text == surface), surface
    assert actor_at(extractor, text, "AP") == "Associated Press"


def test_bylines_name_persons(extractor) -> None:
    text = "By Lee Min-ji and JOHN DOE\nSEOUL -- The envoy arrived on Monday, officials said."
    named = actors(extractor, text)
    assert {"Lee Min Ji", "John Doe"} <= named


# -- the Koreas -----------------------------------------------------------------------------------
def test_the_koreas_by_kcna_idiom_and_by_position(extractor) -> None:
    text = "The south Korean puppets staged drills with the U.S., the statement said."
    assert actor_at(extractor, text, "south Korean puppets") == "South Korea"
    text = "North Korea seized the zone. It expelled South's workers and warned the US-backed South."
    assert actor_at(extractor, text, "South", 0) == "South Korea"
    assert actor_at(extractor, text, "South", 1) == "South Korea"


# -- whom a bare name means -----------------------------------------------------------------------
def test_a_bare_surname_follows_the_person_the_story_is_about(extractor) -> None:
    text = ("Kim Jong Un arrived in Vladivostok with his sister Kim Yo Jong on Tuesday. "
            "Kim then met Russian officials.")
    assert actor_at(extractor, text, "Kim", 2) == "Kim Jong Un"
    text = ("Kim Yo Jong, the sister of leader Kim Jong Un, issued a statement on Tuesday. "
            "Kim said Seoul should not expect talks.")
    assert actor_at(extractor, text, "Kim", 2) == "Kim Yo Jong"


def test_a_surname_spelled_as_in_an_alias(extractor) -> None:
    text = ("Foreign Minister Choe Son-hui arrived in Moscow on Monday. Officials said Choi would meet "
            "the Russian side on Tuesday.")
    assert actor_at(extractor, text, "Choi") == "Choe Son Hui"


def test_given_names_middle_names_and_adjectives(extractor) -> None:
    text = ("Lena Moreau was freed on Monday. Lena Marie Moreau had been held for a year. "
            "Lena said she was grateful.")
    found = mentions(extractor, text)
    assert ("Lena Marie Moreau", "Lena Moreau") in found
    assert actor_at(extractor, text, "Lena", 2) == "Lena Moreau"
    text = "Moon Jae-in hosted the envoys. A smiling Moon then shook hands with them."
    assert actor_at(extractor, text, "Moon", 1) == "Moon Jae In"
