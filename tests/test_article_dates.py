"""Publication dates in the forms real pages carry (labels, datelines, date lines, time stamps), the
traps around them (an "Updated" stamp, a mirror's crawl date, a "today" banner, a month and day
without a year, numeric dates that read both ways) and the dates that are refused (impossible,
contradicted by their weekday, later than the ingest day). Pages are made up for the tests."""

from __future__ import annotations

from datetime import date as Date

import pytest

from dprk_tui.db.article import parse_article
from dprk_tui.db.article_date import find_candidates, find_date, load_forms

TODAY = Date(2026, 12, 4)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # Labels.
        ("Updated: 2014-11-17 16:10\nBody.", "2014-11-17"),
        ("Published: Sat, January 13, 2018\nBody.", "2018-01-13"),
        ("Posted: Sept. 3, 2021\nBody.", "2021-09-03"),
        ("Published : 22 Dec 2017, 22:01\nBody.", "2017-12-22"),
        ("Desk Team | Published: March 9, 2022 20:43:57\nBody.", "2022-03-09"),
        ("Updated\nMar 12, 2024, 06:27 AM\nPublished\nMar 11, 2024, 06:17 AM\n\nBody.", "2024-03-11"),
        # Date lines: alone, with a time and zone, an era, an outlet or a section glued to them.
        ("Envoys meet in Geneva\n\nJune 30, 2019\n\nGENEVA -- Body.", "2019-06-30"),
        ("Envoys meet in Geneva\n2025-09-04\nWorld Europe\n\nBody.", "2025-09-04"),
        ("Envoys meet in Geneva\n\n18 August 2019 00:38 (UTC+04:00)\n\nBody.", "2019-08-18"),
        ("Envoys meet in Geneva\nApril 14. 2023 Juche 112\n\nBody.", "2023-04-14"),
        ("Politics\n2018.09.18 07:52 GMT+8\n\nEnvoys meet in Geneva\n\nBody.", "2018-09-18"),
        ("Envoys meet in Geneva\nXinhua | 2025-09-26\n\nBody.", "2025-09-26"),
        ("By Jane Roe\nMay 8, 2018World News\nEnvoys meet in Geneva\n\nBody.", "2018-05-08"),
        ("Envoys meet in Geneva\nSome Daily28-04-2025\n\nBody.", "2025-04-28"),
        ("News\nEnvoys meet in Geneva\nMar 01, 2019 / 09:26 AM\nBody.", "2019-03-01"),
        # A time stamp inside a header line; a dateline with its year.
        ("Envoys meet in Geneva. April. 15, 2024 08:09. by Jane Roe\n\nBody.", "2024-04-15"),
        ("Beijing, 20 June 2019 (dpa/MIA) – Body.", "2019-06-20"),
        # The publication date over an update, a banner, a crawl date.
        ("Modified: March 3, 2020\nPublished: March 1, 2020\n\nBody.", "2020-03-01"),
        ("Envoys meet\n\nMay 27, 2022\n\nUpdated: May 29, 2022\n\nBody.", "2022-05-27"),
        ("Friday September 20, 2024\n\nEnvoys meet\n\nPublished : 22 Dec 2017, 22:01\n\nBody.", "2017-12-22"),
        ("Today: Friday, September 20, 2024\n\nEnvoys meet\n\nBody.", None),
        ("Accessed 3 May 2025\n\nEnvoys meet\n\nJune 30, 2019\n\nBody.", "2019-06-30"),
        # A dateline without a year: a date that agrees with it gives the year; one that does not
        # (a mirror's crawl date) is not the article's; alone it leaves the date unknown.
        ("SEOUL, June 19 (Yonhap) -- Body.", None),
        ("Aug 24 (AFP) - Body.", None),
        ("Putin and Kim meet\n\nSeptember 14, 2023, 10:20\n\nMOSCOW, September 14. /TASS/. Body.", "2023-09-14"),
        ("Putin and Kim meet\n\nFebruary 2, 2024\n\nMOSCOW, September 14. /TASS/. Body.", None),
        ("June 20, 2019\n\nSEOUL, June 19 (Yonhap) -- Body.", "2019-06-20"),
        ("February 17, 2026Feb 17, 2026\n\nPyongyang, November 5 (KCNA) -- Body.", None),
        # Numeric dates that read both ways: the dateline, then the page's other numeric dates,
        # then day-first.
        ("Date: 05/11/2018 | Source: Agency\n\nPyongyang, November 5 (KCNA) -- Body.", "2018-11-05"),
        ("Date: 11/05/2018 | Source: Agency\n\nPyongyang, November 5 (KCNA) -- Body.", "2018-11-05"),
        ("Date: 05/11/2018\n\nBody.", "2018-11-05"),
        ("Date: 05/11/2018\nUpdated: 05/13/2018\n\nBody.", "2018-05-11"),
        ("Date: 05/11/2018\nUpdated: 13/11/2018\n\nBody.", "2018-11-05"),
        # Refused: no such day, a weekday that contradicts the date, later than the ingest day.
        ("Published: 2021-02-30\nBody.", None),
        ("Published: Monday, January 13, 2018\nBody.", None),
        ("Published: March 3, 2031\nBody.", None),
        ("Envoys meet\n\n2027-01-15\n\nBody.", None),
        # Dates in prose are never the publication date.
        ("Envoys meet\n\nThe summit took place on June 12, 2018 in Singapore, the ministry said.", None),
        ("No date here at all.", None),
    ],
)
def test_date_forms(page: str, expected: str | None) -> None:
    assert find_date(page, today=TODAY) == expected


def test_a_header_token_comes_first_unless_impossible() -> None:
    assert find_date("Published: March 3, 2020\nBody.", "2020-03-05", today=TODAY) == "2020-03-05"
    assert find_date("Published: March 3, 2020\nBody.", "2020-02-31", today=TODAY) == "2020-03-03"


def test_only_the_head_of_a_page_is_read() -> None:
    body = "\n".join(f"Paragraph {n} says nothing about dates." for n in range(60))
    assert find_date(body + "\nPublished: March 3, 2020", today=TODAY) is None


def test_candidates_say_where_they_were_found() -> None:
    found = find_candidates("Updated: May 29, 2022\nMay 27, 2022\n\nSEOUL, May 27 (Yonhap) -- Body.")
    assert [(c.kind, c.text) for c in found] == [
        ("updated", "May 29, 2022"), ("date line", "May 27, 2022"), ("dateline", "May 27"),
    ]


def test_date_patterns_are_data() -> None:
    forms = load_forms()
    assert {context.name for context in forms.contexts} >= {"published", "updated", "dateline"}
    assert forms.settings["numeric_default"] in ("day-first", "month-first")


def test_parse_article_reads_metadata_before_clutter_rules() -> None:
    # The breadcrumb-like metadata line is removed from the text, but its date was read first.
    page = "Envoys meet in Geneva for talks\nDate: 05/11/2018 | Source: Xinhua\n\nThey met in Geneva."
    article = parse_article(page, "a.txt", "a.txt")
    assert (article.date, article.source) == ("2018-11-05", "Xinhua")
    assert "Source:" not in article.text
