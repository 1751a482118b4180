"""Metadata parsing and page-clutter removal: each seed's date, outlet, author and title, and the
rules on texts that are not seeds (the rules must be general). Date forms: test_article_dates.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from dprk_tui.db.article import find_author, find_source, find_title, parse_article
from dprk_tui.db.clean import clean_lines, normalize_text, split_header_date

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(name: str):
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return parse_article(path.read_text(encoding="utf-8"), path.name, str(path))


@pytest.mark.parametrize(
    ("name", "date", "source", "author", "title"),
    [
        ("000", "2019-11-20", "UPI", None,
         "Igor Morgulov, Russia's vice foreign minister, said Moscow seeks the resumption of dialogue…"),
        ("001", "2014-11-17", "Xinhua", None, "DPRK envoy's visit to Russia aims to diversify diplomatic relations"),
        ("002", "2023-10-30", "Yonhap", "Song Sang-ho",
         "The U.S. special representative for North Korea held video talks with his Chinese counterpart…"),
        ("003", "2024-01-27", None, None,
         "North Korean Foreign Minister Choe Son-hui has met with a visiting senior Chinese diplomat in…"),
        # "By Paul Elliott" is the author; the page names no outlet.
        ("004", "2018-01-13", None, "Paul Elliott", "Korea, US Discuss Coordination over Inter-Korean Relations"),
    ],
)
def test_seed_metadata(name: str, date: str, source: str | None, author: str | None, title: str) -> None:
    article = seed(name)
    assert (article.date, article.source, article.author, article.title) == (date, source, author, title)


def test_header_date_is_split_from_the_first_sentence() -> None:
    article = seed("000")
    assert article.text.startswith("Igor Morgulov, Russia's vice foreign minister")
    assert "date 2019" not in article.text


def test_seed_clutter_is_gone_and_content_stays() -> None:
    texts = {name: seed(name).text for name in ("000", "001", "002", "004")}
    assert "US EUROPE AFRICA ASIA" not in texts["001"]
    assert "World / Asia-Pacific" not in texts["001"]
    assert "Related stories" not in texts["001"] and "Most Popular" not in texts["001"]
    assert texts["001"].endswith("releasing all three Americans detained there.")
    assert "File Photo by" not in texts["000"]
    assert "view larger image" not in texts["002"]
    assert "Kim Gunn and Hiroyuki Namazu" in texts["002"]  # the caption's content stays
    assert "Like this:" not in texts["004"]
    assert texts["004"].count("Korea, US Discuss Coordination") == 1  # repeated headline kept once
    assert "By Paul Elliott" in texts["004"] and "World |" not in texts["004"]


def test_clutter_rules_are_general() -> None:
    page = (
        "HOME NEWS SPORTS WEATHER\n"
        "News | Politics\n\n"
        "Envoys meet in Geneva for new round\n\n"
        "GENEVA -- Two envoys met on Monday. Photo by Reuters\n\n"
        "They agreed to meet again.\n\n"
        "Share this:\nTwitter\nFacebook\nRead more\n..."
    )
    text = clean_lines(normalize_text(page))
    assert text.splitlines()[0] == "Envoys meet in Geneva for new round"
    assert "Photo by" not in text and "HOME NEWS" not in text and "Politics" not in text
    assert text.endswith("They agreed to meet again.")


def test_control_and_bidi_characters_are_removed() -> None:
    text = normalize_text("a\x1b[31mred\x07\u202eevil\r\nline\x00end")
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\x00" not in text
    assert "\r" not in text and text.endswith("line" + "end")


def test_header_date_forms() -> None:
    assert split_header_date(" date 2020-01-02 Kim met Moon.") == ("2020-01-02", "Kim met Moon.")
    assert split_header_date("Kim met Moon.") == (None, "Kim met Moon.")


@pytest.mark.parametrize(
    ("page", "outlet", "author"),
    [
        ("By Jane Roe\n\nSEOUL, May 2 (AFP) -- Text.", "AFP", "Jane Roe"),
        ("By Jane Roe\n\nText without a dateline.", None, "Jane Roe"),  # a byline is an author
        ("Nothing to see.", None, None),
        ("TOKYO, March 3 (Kyodo) -- Ministers met.", "Kyodo", None),
        ("WARSAW (PAP) - Ministers met.", "PAP", None),  # an agency not in the list, as written
        ("Berlin, 3 March 2021 (dpa/Lusa) – Ministers met.", "dpa", None),  # the first is the wire
        ("MOSCOW, September 14. /TASS/. Ministers met.", "TASS", None),  # an agency in slashes
        ("Envoys meet in Geneva for talks\n\nBy Reuters Staff\n\nThey met.", "Reuters", None),
        ("Envoys meet in Geneva for talks\nBy JANE ROE, Associated Press\n\nThey met.", "AP", "JANE ROE"),
        ("Envoys meet in Geneva for talks\nXinhua | 2025-09-26\n\nThey met.", "Xinhua", None),
        ("Envoys meet in Geneva for talks\nThe Japan Times12-03-2024\n\nThey met.", "The Japan Times", None),
        ("Xinhua\n\nChina and Laos sign a new trade pact\n\nThey signed it.", "Xinhua", None),  # masthead
        ("Envoys meet in Geneva\n\nPhoto: Reuters\n\nThey met.", None, None),  # a photo credit
        ("Envoys met in Geneva on Monday, Anadolu reports citing the foreign ministry.", "Anadolu", None),
        ("Kim waved, said CNN's Jane Roe, reporting from Seoul, on Monday.", "CNN", None),
        ("They met.\n\nInformation for this article was contributed by Jane Roe of The Associated Press.",
         "AP", None),
        ("They met on Monday.\n\nThey talked for hours, the ministry said. AFP", "AFP", None),  # closing credit
        ("Envoys meet in Geneva\n\nThey met. by Min-ji Park mpark@example.com", None, "Min-ji Park"),
        ("Envoys meet in Geneva\n\nBy Jane Roe and John Doe\n\nThey met.", None, "Jane Roe and John Doe"),
        ("They met.\n\nBy Jane Roe (jroe@example.com)", None, "Jane Roe"),  # a closing byline
        ("Envoys meet in Geneva\n\nBy Jane Roe | Reuters\n\nThey met.", "Reuters", "Jane Roe"),
        ("Envoys meet in Geneva\n\nBy JANE ROE and JOHN DOE Associated Press\n\nThey met.", "AP",
         "JANE ROE and JOHN DOE"),
        ("Envoys meet in Geneva\n\nBy Staff Reporter\n\nThey met.", None, None),  # no person
        ("Envoys meet in Geneva\n\nBy Web Desk\n\nThey met.", None, None),
    ],
)
def test_outlet_and_author(page: str, outlet: str | None, author: str | None) -> None:
    assert (find_source(page), find_author(page)) == (outlet, author)


@pytest.mark.parametrize(
    ("page", "title"),
    [
        # Never cut at an abbreviation.
        ("N. Korea says talks are over, vows response\n2021-05-01\n\nBody text here.",
         "N. Korea says talks are over, vows response"),
        ("SEOUL -- The U.S. Justice Department charged two men. They denied it.",
         "The U.S. Justice Department charged two men."),
        ("Mr. Lee met Gen. Park in Seoul on Oct. 3. They talked.", "Mr. Lee met Gen. Park in Seoul on Oct. 3."),
        # Metadata lines before the headline: a section name, a date line, a banner, a byline.
        ("News\nEnvoys meet in Geneva for a new round\nMar 01, 2019 / 09:26 AM\nThey met on Monday.",
         "Envoys meet in Geneva for a new round"),
        ("Friday September 20, 2024\n\nEnvoys meet in Geneva for a new round\n\nPublished : 22 Dec 2017\n\n"
         "They met.", "Envoys meet in Geneva for a new round"),
        ("Envoys meet in Geneva for a new round\n2025-09-04\nWorld Europe\n\nBy Jane Roe\nThey met.",
         "Envoys meet in Geneva for a new round"),
        # The first sentence without its dateline.
        ("HANOI, Vietnam -- Envoys met on Friday. They talked.", "Envoys met on Friday."),
        ("BRUSSELS, Aug 24 (AFP) - Envoys met on Thursday. They talked.", "Envoys met on Thursday."),
        ("Beijing, 20 June 2019 (dpa/MIA) – Envoys met on Thursday. They talked.", "Envoys met on Thursday."),
        ("MOSCOW, September 14. /TASS/. Envoys met on Thursday. They talked.", "Envoys met on Thursday."),
        ("Home > World > Asia\n\nEnvoys meet in Geneva for a new round\n\nThey met.",
         "Envoys meet in Geneva for a new round"),
    ],
)
def test_title_forms(page: str, title: str) -> None:
    assert parse_article(page, "a.txt", "a.txt").title == title


def test_title_falls_back_to_a_shortened_first_sentence() -> None:
    body = "BEIJING -- " + "word " * 60 + "end."
    title = find_title(body)
    assert title.endswith("…") and len(title) <= 100 and not title.startswith("BEIJING")


# -- cleaning never removes the article -------------------------------------------------------


def test_a_body_in_one_long_line_under_a_short_header_survives() -> None:
    body = "Pyongyang, May 2 (KCNA) -- " + "The spokesman said the drills were a threat " * 40 + "and"
    text = parse_article(f"Envoys trade warnings\nMay 2. 2023\n\n{body}", "a.txt", "a.txt").text
    assert body in text  # even cut mid-sentence, with no full stop at its end


def test_a_page_that_repeats_a_paragraph_keeps_the_article() -> None:
    first, second = "Kim met Putin on Monday.", "They signed a treaty on Tuesday."
    text = clean_lines(f"{first}\n{second}\n{first}\n{second}\nThey parted on Wednesday.")
    assert text.count(first) == 2 and text.endswith("They parted on Wednesday.")
    assert clean_lines(f"{first}\n{first}\n{second}") == f"{first}\n{second}"  # a line run twice: once


def test_a_header_of_metadata_lines_keeps_the_body() -> None:
    page = ("Envoys meet in Geneva\nDate: 05/11/2018 | Source: Agency | Read the original\nBy Jane Roe\n"
            "Politics\n\nGENEVA -- Envoys met on Monday and agreed to meet again next month.")
    text = clean_lines(normalize_text(page))
    assert text.endswith("Envoys met on Monday and agreed to meet again next month.")
    assert text.startswith("Envoys meet in Geneva")


def test_comment_forms_share_bars_and_footers_go() -> None:
    page = (
        "1. Skip to content\n  2. Skip to main menu\nYour browser doesn't support HTML5 video.\n\n"
        "Envoys meet in Geneva\n\nEnvoys met on Monday.\n\nShare on Facebook\n\nThey agreed to meet again.\n\n"
        "LEAVE A REPLY\n\nPlease enter your comment!\nPlease enter your name here\n"
        "Captcha verification failed!\nCAPTCHA user score failed. Please contact us!\n"
        "© 2024 Some News. All rights reserved."
    )
    text = clean_lines(normalize_text(page))
    assert text == "Envoys meet in Geneva\n\nEnvoys met on Monday.\n\nThey agreed to meet again."


def test_photo_credits_go_and_captions_stay() -> None:
    page = (
        "Kim and Moon shake hands at the border.Credit: AFP\n"
        "Kim waves from a train in Dalian, China, May 8, 2018. REUTERS/Jane Roe/File Photo\n"
        "Moon and Kim at the summit. /Agency Photo\nSome Broadcaster Video\nPHOTO: REUTERS\n"
        "Kim and Moon met on Monday."
    )
    assert clean_lines(page).split("\n") == [
        "Kim and Moon shake hands at the border.",
        "Kim waves from a train in Dalian, China, May 8, 2018.",
        "Moon and Kim at the summit.",
        "Kim and Moon met on Monday.",
    ]


def test_clutter_words_inside_the_article_stay() -> None:
    long = ("The ministry said hackers had defeated the captcha on the visa site and copied the records "
            "of thousands of applicants, and that it would share the findings with its allies.")
    assert clean_lines(f"Envoys meet\n\n{long}\n\nShare this:") == f"Envoys meet\n\n{long}"


def test_an_article_is_never_refused_as_clutter() -> None:
    for page in ("Share this:\nFacebook\nTwitter", "HOME NEWS SPORTS WEATHER", "Related stories:\n..."):
        assert clean_lines(page) == page.strip()
