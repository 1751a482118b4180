"""The publication date of a news page, read from the forms pages carry.

Where a page states its date is data (`data/dates.json`): date *forms* ("June 30, 2019", "18 August
2019", "2018.09.18", "05/11/2018", "June 19" without a year) and *contexts* that say where a form
counts and how far it is trusted: a "Published:"/"Date:" label, a wire dateline ("SEOUL, June 19
(Yonhap) --"), a time stamp ("April. 15, 2024 08:09"), a short line that is a date with at most a few
capitalised words beside it ("May 8, 2018World News", "Xinhua | 2025-09-26"), an "Updated:" label, and
the dates that are never the article's (a mirror's crawl date, a "today" banner).

Only the candidates those patterns find are normalised, each on its own string, by python-dateutil
(never a free search over the text, which invents dates). A candidate is refused when it is
impossible (no such day, a weekday that contradicts it, before `earliest_year`) or later than the
ingest day. Then the most trusted one wins (lowest rank, then first on the page):

- a scraper's header token (" date 2019-11-20 ") before everything, a publication label next;
- a dateline without a year dates the story within its year: unlabelled candidates that disagree with
  it by more than `dateline_tolerance_days` are dropped (a mirror's or banner's date), and when none
  is left the date stays unknown rather than guessed;
- a numeric date that reads both ways (05/11/2018) is read by the page's own signals: the dateline's
  month and day, else another numeric date on the page that can only be read one way, else the
  documented default (day-first; see `numeric_default_why` in the data).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from dateutil import parser as dateutil_parser

DATA = Path(__file__).resolve().parent / "data" / "dates.json"
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPLIT_WORDS = re.compile(r"[\s|/,;:()\[\]•·–—]+")


@dataclass(frozen=True)
class Candidate:
    """A date as a page writes it: where (`kind`, `rank`, span in the head) and what (`text`)."""

    kind: str
    rank: int | None
    start: int
    end: int
    text: str
    form: str
    weekday: str | None = None


@dataclass(frozen=True)
class _Context:
    name: str
    rank: int | None
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class DateForms:
    """The compiled data: contexts in the order they claim text, the forms, the date-line rule."""

    contexts: tuple[_Context, ...]
    full: re.Pattern[str]
    weekday: re.Pattern[str]
    weekday_before: re.Pattern[str]
    line_ignore: re.Pattern[str]
    other_word: re.Pattern[str]
    settings: dict


def _parts(text: str, parts: dict[str, str]) -> str:
    for name, fragment in parts.items():
        text = text.replace("{" + name + "}", f"(?:{fragment})")
    return text


def _alternation(forms: dict[str, str], parts: dict[str, str]) -> str:
    return "|".join(f"(?P<f_{name}>{_parts(form, parts)})" for name, form in forms.items())


@cache
def load_forms(path: Path = DATA) -> DateForms:
    """Read and compile `data/dates.json` (once per process)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    parts, full = data["parts"], data["forms"]
    with_partial = {**full, **data["partial_forms"]}
    contexts = []
    for context in data["contexts"]:
        forms = with_partial if context["name"] == "dateline" else full
        pattern = context["pattern"].replace("{DATE}", f"(?P<date>{_alternation(forms, parts)})")
        contexts.append(_Context(context["name"], context["rank"], re.compile(_parts(pattern, parts), re.M)))
    line = data["date_line"]
    return DateForms(
        contexts=tuple(contexts),
        full=re.compile(_alternation(full, parts)),
        weekday=re.compile(_parts("{WEEKDAY}", parts)),
        weekday_before=re.compile(f"({_parts('{WEEKDAY}', parts)})" + r"[^\S\n]*$"),
        line_ignore=re.compile(line["ignore"]),
        other_word=re.compile(line["other_word"]),
        settings=data,
    )


def _form(match: re.Match[str]) -> str:
    return next(name[2:] for name, value in match.groupdict().items() if name.startswith("f_") and value)


def page_head(text: str, forms: DateForms | None = None) -> str:
    """The part of a page where its date is stated: the first lines, each cut to `line_chars`."""
    settings = (forms or load_forms()).settings
    lines = text.split("\n")[: settings["head_lines"]]
    return "\n".join(line[: settings["line_chars"]] for line in lines)[: settings["head_chars"]]


def strip_dates(line: str, forms: DateForms | None = None) -> str:
    """A line without its dates, clock times, time zones and weekdays (what stands beside a date)."""
    forms = forms or load_forms()
    line = forms.full.sub(" ", line)
    line = forms.line_ignore.sub(" ", line)
    return forms.weekday.sub(" ", line)


def other_words(line: str, forms: DateForms | None = None) -> list[str]:
    """The words on a line besides its dates (see `strip_dates`), punctuation dropped."""
    stripped = strip_dates(line, forms)
    return [word for word in _SPLIT_WORDS.split(stripped) if re.search(r"\w", word)]


def find_candidates(head: str, forms: DateForms | None = None) -> list[Candidate]:
    """Every date the head states in a known context, each text span claimed once."""
    forms = forms or load_forms()
    claimed: list[tuple[int, int]] = []
    found: list[Candidate] = []

    def add(kind: str, rank: int | None, match: re.Match[str], start: int, end: int) -> None:
        if any(start < e and s < end for s, e in claimed):
            return
        claimed.append((start, end))
        before = forms.weekday_before.search(head, max(0, start - 14), start)
        weekday = before.group(1)[:3].lower() if before else None
        found.append(Candidate(kind, rank, start, end, head[start:end], _form(match), weekday))

    for context in forms.contexts:
        for match in context.pattern.finditer(head):
            add(context.name, context.rank, match, match.start("date"), match.end("date"))
    rule = forms.settings["date_line"]
    offset = 0
    for line in head.split("\n"):
        words = other_words(line, forms) if len(line.strip()) <= rule["max_chars"] else None
        if words is not None and len(words) <= rule["max_other_words"] and all(
            forms.other_word.match(word) for word in words
        ):
            for match in forms.full.finditer(line):
                add("date line", rule["rank"], match, offset + match.start(), offset + match.end())
        offset += len(line) + 1
    return sorted(found, key=lambda c: c.start)


def _parse(text: str, dayfirst: bool) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of one date string, by dateutil; None if it is no full day.
    A string that starts with its year is read year-month-day whatever `dayfirst` says."""
    yearfirst = bool(re.match(r"\d{4}", text))
    dayfirst = dayfirst and not yearfirst
    try:
        one = dateutil_parser.parse(text, dayfirst=dayfirst, yearfirst=yearfirst, default=datetime(2000, 1, 1))
        two = dateutil_parser.parse(text, dayfirst=dayfirst, yearfirst=yearfirst, default=datetime(2004, 2, 2))
    except (ValueError, OverflowError):
        return None
    if (one.month, one.day) != (two.month, two.day):
        return None  # a month or a day is missing
    return (one.year if one.year == two.year else None), one.month, one.day


def _numbers(candidate: Candidate) -> tuple[int, int] | None:
    """The two leading numbers of a numeric date (05/11/2018 -> (5, 11))."""
    if candidate.form != "numeric":
        return None
    first, second = re.findall(r"\d+", candidate.text)[:2]
    return int(first), int(second)


def _near(day: Date, month_day: tuple[int, int], tolerance: int) -> bool:
    for year in (day.year - 1, day.year, day.year + 1):
        try:
            other = Date(year, *month_day)
        except ValueError:
            continue
        if abs((day - other).days) <= tolerance:
            return True
    return False


def _dayfirst(candidate: Candidate, datelines: list[tuple[int, int]], page_order: bool | None,
              default: bool, tolerance: int) -> bool:
    numbers = _numbers(candidate)
    if numbers is None:
        return default  # month in words, or year first: the order is not in question
    first, second = numbers
    if first > 12 or second > 12 or first == second:
        return first > 12 or (second <= 12 and default)
    for dayfirst in (True, False):
        parsed = _parse(candidate.text, dayfirst)
        if parsed and parsed[0] and any(
            _near(Date(parsed[0], parsed[1], parsed[2]), md, tolerance) for md in datelines
        ):
            return dayfirst
    return default if page_order is None else page_order


def _page_order(candidates: list[Candidate]) -> bool | None:
    """Day-first (True) or month-first (False) when a numeric date on the page reads only one way."""
    for candidate in candidates:
        numbers = _numbers(candidate)
        if numbers and (numbers[0] > 12) != (numbers[1] > 12):
            return numbers[0] > 12
    return None


def dated(candidate: Candidate, dayfirst: bool, today: Date, forms: DateForms) -> Date | None:
    """The candidate as a date, or None when it is partial, impossible or in the future."""
    parsed = _parse(candidate.text, dayfirst)
    if parsed is None or parsed[0] is None:
        return None
    try:
        day = Date(*parsed)  # type: ignore[arg-type]
    except ValueError:
        return None
    settings = forms.settings
    if day.year < settings["earliest_year"]:
        return None
    if day > today + timedelta(days=settings["future_tolerance_days"]):
        return None
    if candidate.weekday and _WEEKDAYS[day.weekday()] != candidate.weekday:
        return None
    return day


def find_date(text: str, header_date: str | None = None, *, today: Date | None = None) -> str | None:
    """The publication date as YYYY-MM-DD, or None when the page does not state one (see module)."""
    forms = load_forms()
    today = today or Date.today()
    if header_date:
        header = Candidate("header", 0, 0, 0, header_date, "year_month_day")
        day = dated(header, False, today, forms)
        if day is not None:
            return day.isoformat()
    candidates = find_candidates(page_head(text, forms), forms)
    settings = forms.settings
    tolerance = settings["dateline_tolerance_days"]
    default = settings["numeric_default"] == "day-first"
    datelines = []
    for candidate in candidates:
        if candidate.kind == "dateline":
            parsed = _parse(candidate.text, default)
            if parsed and parsed[0] is None:
                datelines.append((parsed[1], parsed[2]))
    order = _page_order(candidates)
    best: tuple[int, int, Date] | None = None
    for candidate in candidates:
        if candidate.rank is None:
            continue
        day = dated(candidate, _dayfirst(candidate, datelines, order, default, tolerance), today, forms)
        if day is None:
            continue
        if datelines and candidate.rank > 1 and not any(_near(day, md, tolerance) for md in datelines):
            continue  # an unlabelled date the story's own dateline contradicts
        key = (candidate.rank, candidate.start, day)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2].isoformat() if best else None
