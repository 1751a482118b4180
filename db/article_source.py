"""The outlet and the author of a news page, read from the places pages name them.

The outlet (stored as the document's `source`) is named by a dateline or its credit ("SEOUL, June 19
(Yonhap) --", "(AFP):", an agency list "(dpa/MIA)", whose first name is the wire), a "Source:" label,
a byline that names an agency rather than a person ("By Reuters", "By AFP news"), an outlet beside
the page's date ("Xinhua | 2025-09-26"), a masthead or credit line in the header ("CGTN"), a reprint
credit ("Trend reports citing Xinhua"), a contributor credit ("… contributed by Jane Roe of The
Associated Press"), a correspondent ("Al Jazeera's Jane Roe, reporting from Seoul") or a closing wire
credit ("… on Tuesday. REUTERS"). Those forms, tried in that order, and the well-known outlets with
the names pages use for them are data (`data/outlets.json`); an outlet is shown by its name there.
Photo, image and video credits never name the outlet.

A byline that names a person ("By Paul Elliott", "by Jin-Woo Shin name@example.com", a closing
"By Choi He-suk (email)") is the author, never the outlet.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dprk_tui.db.article_date import other_words, page_head, strip_dates

DATA = Path(__file__).resolve().parent / "data" / "outlets.json"
_HEADER_LINE_WORDS = 15
"""The page's header ends at its first line of this many words or more (the body's first paragraph)."""
_TAIL_LINES = 3


@dataclass(frozen=True)
class _Credit:
    name: str
    where: str
    pattern: re.Pattern[str] | None
    known_only: bool


@dataclass(frozen=True)
class OutletForms:
    """The compiled data: known outlets by alias, credit forms in order, byline patterns."""

    names: dict[str, str]
    outlet: re.Pattern[str]
    credits: tuple[_Credit, ...]
    not_credit: re.Pattern[str]
    line_words: int
    byline: re.Pattern[str]
    inline_byline: re.Pattern[str]
    person: re.Pattern[str]
    person_words: int
    not_person: frozenset[str]
    byline_outlet_words: tuple[str, ...]


@cache
def load_outlets(path: Path = DATA) -> OutletForms:
    """Read and compile `data/outlets.json` (once per process)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    names = {alias: entry["name"] for entry in data["outlets"] for alias in (entry["name"], *entry["aliases"])}
    aliases = sorted(names, key=len, reverse=True)
    outlet = r"(?<![\w.])(?:" + "|".join(re.escape(alias) for alias in aliases) + r")(?![\w])"
    agency = f"(?:{outlet}|{data['agency']})"
    credits = []
    line_rule: dict = {}
    for credit in data["credits"]:
        pattern = None
        if "pattern" in credit:
            text = credit["pattern"].replace("{OUTLET}", outlet).replace("{AGENCY}", agency)
            pattern = re.compile(text, re.M)
        if credit["from"] == "header line":
            line_rule = credit
        credits.append(_Credit(credit["name"], credit["from"], pattern, credit["known_only"]))
    author = data["author"]
    return OutletForms(
        names=names,
        outlet=re.compile(outlet),
        credits=tuple(credits),
        not_credit=re.compile(line_rule["not"]),
        line_words=line_rule["max_words"],
        byline=re.compile(author["byline"], re.M),
        inline_byline=re.compile(author["inline"]),
        person=re.compile(author["name"]),
        person_words=author["max_words"],
        not_person=frozenset(author["not_person"]),
        byline_outlet_words=tuple(sorted(data["byline_outlet_words"], key=len, reverse=True)),
    )


def known_outlet(name: str, forms: OutletForms | None = None) -> str | None:
    """The outlet a name stands for ("AFP news" -> "AFP", "Yonhap News Agency" -> "Yonhap"), or None."""
    forms = forms or load_outlets()
    name = " ".join(name.split()).strip(" .,:;-–—")
    while name not in forms.names:
        shorter = next(
            (name[: -len(word) - 1] for word in forms.byline_outlet_words if name.lower().endswith(" " + word)),
            None,
        )
        if shorter is None:
            return None
        name = shorter.strip()
    return forms.names[name]


def _header_lines(text: str) -> list[str]:
    """The page's lines before its first paragraph of prose."""
    lines = []
    for line in page_head(text).split("\n"):
        if len(line.split()) >= _HEADER_LINE_WORDS:
            break
        if line.strip():
            lines.append(line.strip())
    return lines


def _bylines(text: str, forms: OutletForms) -> list[str]:
    """What the bylines of the head and of the last lines say ("Paul Elliott", "AFP news")."""
    lines = [line for line in text.split("\n") if line.strip()]
    region = page_head(text) + "\n" + "\n".join(lines[-_TAIL_LINES:])
    found = [match["name"] for match in forms.byline.finditer(region)]
    found += [match["name"] for match in forms.inline_byline.finditer(region)]
    return found


def _byline_parts(value: str, forms: OutletForms) -> list[str]:
    """A byline's parts, an outlet at the end of a part split off: "Jane Roe, Reuters" -> ["Jane
    Roe", "Reuters"]; "JANE ROE and JOHN DOE Associated Press" -> ["JANE ROE and JOHN DOE",
    "Associated Press"]."""
    parts = []
    for part in re.split(r",|\s[-–—|]\s", value):
        part = part.strip()
        ending = [m for m in forms.outlet.finditer(part) if m.end() == len(part) and m.start() > 0]
        if ending:
            parts += [part[: ending[-1].start()].strip(), ending[-1].group()]
        elif part:
            parts.append(part)
    return parts


def _from_header_line(line: str, forms: OutletForms) -> str | None:
    """The outlet a short header line names, beside a date or alone (never a photo credit)."""
    if forms.not_credit.search(line):
        return None
    words = other_words(line)
    if not words or len(words) > forms.line_words:
        return None
    match = forms.outlet.search(" ".join(words))
    return forms.names[match.group()] if match else None


def _found(credit: _Credit, text: str, head: str, forms: OutletForms) -> str | None:
    if credit.where == "byline":
        for value in _bylines(text, forms):
            for part in _byline_parts(value, forms):
                if known := known_outlet(part, forms):
                    return known
        return None
    if credit.where == "header line":
        return next(filter(None, (_from_header_line(line, forms) for line in _header_lines(text))), None)
    assert credit.pattern is not None
    if credit.where == "last line":
        lines = [line for line in text.split("\n") if line.strip()]
        region = lines[-1] if lines else ""
    else:
        region = head
    for match in credit.pattern.finditer(region):
        value = match["outlet"]
        known = known_outlet(value, forms)
        if known:
            return known
        if not credit.known_only and not forms.not_credit.search(value):
            return " ".join(value.split())
    return None


def find_source(text: str, forms: OutletForms | None = None) -> str | None:
    """The outlet the page names (see module), or None."""
    forms = forms or load_outlets()
    head = page_head(text)
    for credit in forms.credits:
        found = _found(credit, text, head, forms)
        if found:
            return found
    return None


def find_author(text: str, forms: OutletForms | None = None) -> str | None:
    """The person a byline names (several joined by "and" as written), or None."""
    forms = forms or load_outlets()
    for value in _bylines(text, forms):
        parts = _byline_parts(value, forms)
        name = " ".join(parts[0].split()) if parts else ""
        if (
            forms.person.match(name)
            and len(name.split()) <= forms.person_words
            and not forms.outlet.search(name)
            and not any(word.lower() in forms.not_person for word in name.split())
        ):
            return name
    return None
