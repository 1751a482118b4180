"""Metadata parsing and page-clutter removal: each seed's date, source and title, and the rules on
texts that are not seeds (the rules must be general)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dprk_tui.db.article import find_date, find_source, find_title, parse_article
from dprk_tui.db.clean import clean_lines, normalize_text, split_header_date

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(name: str):
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return parse_article(path.read_text(encoding="utf-8"), path.name, str(path))


@pytest.mark.parametrize(
    ("name", "date", "source", "title"),
    [
        ("000", "2019-11-20", "UPI",
         "Igor Morgulov, Russia's vice foreign minister, said Moscow seeks the resumption of dialogue…"),
        ("001", "2014-11-17", "Xinhua", "DPRK envoy's visit to Russia aims to diversify diplomatic relations"),
        ("002", "2023-10-30", "Yonhap",
         "The U.S. special representative for North Korea held video talks with his Chinese counterpart…"),
        ("003", "2024-01-27", None,
         "North Korean Foreign Minister Choe Son-hui has met with a visiting senior Chinese diplomat in…"),
        ("004", "2018-01-13", "Paul Elliott", "Korea, US Discuss Coordination over Inter-Korean Relations"),
    ],
)
def test_seed_metadata(name: str, date: str, source: str | None, title: str) -> None:
    article = seed(name)
    assert (article.date, article.source, article.title) == (date, source, title)


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Updated: 2014-11-17 16:10\nBody.", "2014-11-17"),
        ("Published: Sat, January 13, 2018\nBody.", "2018-01-13"),
        ("Posted: Sept. 3, 2021\nBody.", "2021-09-03"),
        ("Published: 2021-02-30\nBody.", None),  # no such day
        ("No date here at all.", None),
    ],
)
def test_date_forms(text: str, expected: str | None) -> None:
    assert find_date(text) == expected


def test_header_date_forms() -> None:
    assert split_header_date(" date 2020-01-02 Kim met Moon.") == ("2020-01-02", "Kim met Moon.")
    assert split_header_date("Kim met Moon.") == (None, "Kim met Moon.")


def test_source_prefers_dateline_agency_over_byline() -> None:
    assert find_source("By Jane Roe\n\nSEOUL, May 2 (AFP) -- Text.") == "AFP"
    assert find_source("By Jane Roe\n\nText without a dateline.") == "Jane Roe"
    assert find_source("Nothing to see.") is None


def test_title_falls_back_to_a_shortened_first_sentence() -> None:
    body = "BEIJING -- " + "word " * 60 + "end."
    title = find_title(body)
    assert title.endswith("…") and len(title) <= 100 and not title.startswith("BEIJING")
