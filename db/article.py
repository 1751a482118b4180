"""Parse one article file's text into clean text and metadata: date, source and title.

Dates come in the forms these archives use: a scraper header (" date 2019-11-20 …"), "Updated:
2014-11-17 16:10", "Published: Sat, January 13, 2018", or a dateline "Nov. 20, 2019". The source is the
agency in the dateline or credit ("(UPI) --", "(Xinhua)", "(Yonhap)"), or else the byline. The title is
the headline line where there is one, else the first sentence, shortened.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date as Date

from dprk_tui.db.clean import clean_lines, normalize_text, split_header_date

TITLE_MAX = 100
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ISO_DATE = re.compile(
    r"\b(?:updated|published|posted|date)\s*:?\s*(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b", re.I
)
_LONG_DATE = re.compile(
    r"\b(?:updated|published|posted)\s*:?\s*(?:[A-Za-z]{3,9},?\s+)?" + _MONTH_RE
    + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})\b",
    re.I,
)
_DATELINE_AGENCY = re.compile(r"\((?P<agency>[A-Z][A-Za-z]{1,14}(?: [A-Z][A-Za-z]+){0,2})\)\s*(?:--|—|–|-|Updated)")
_BYLINE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3})\s*$", re.M)
_SENTENCE = re.compile(r"(.+?[.!?])(?=\s+[\"'“A-Z]|\s*$)", re.S)
# "WASHINGTON, Oct. 30 (Yonhap) -- ", "Nov. 20 (UPI) -- ", "SEOUL -- ", "Seoul, Jan 27 ".
_DATELINE_PREFIX = re.compile(
    r"^(?:"
    r"(?:[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?,?\s+)?"  # city, comma optional
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+)?"  # month and day
    r"(?:\([A-Za-z ]+\)\s*)?"  # (agency)
    r"(?:--|—|–)\s*"
    r"|[A-Z][A-Za-z]+,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+(?=[A-Z]))"  # "Seoul, Jan 27 North…"
)
_METADATA_LINE = re.compile(r"^\s*(?:\(\w+\)\s*)?(?:updated|published|posted)\s*:", re.I)


@dataclass(frozen=True)
class Article:
    """An article ready to store: `text` is the clean text all offsets refer to."""

    file: str
    path: str
    title: str
    date: str | None
    source: str | None
    text: str
    words: int
    content_hash: str


def content_hash(text: str) -> str:
    """Identity of an article's content: the clean text with case and spacing folded."""
    folded = " ".join(text.casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return Date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str, header_date: str | None = None) -> str | None:
    """The publication date as YYYY-MM-DD, or None when the article does not state one."""
    if header_date:
        parts = [int(part) for part in header_date.split("-")]
        return _valid(*parts)
    head = text[:2000]
    match = _ISO_DATE.search(head)
    if match:
        return _valid(int(match["y"]), int(match["m"]), int(match["d"]))
    match = _LONG_DATE.search(head)
    if match:
        return _valid(int(match["y"]), _MONTHS[match["month"].lower()], int(match["d"]))
    return None


def find_source(text: str) -> str | None:
    """The agency of the dateline or credit, else the byline's name, else None."""
    head = text[:3000]
    match = _DATELINE_AGENCY.search(head)
    if match:
        return match["agency"]
    match = _BYLINE.search(head)
    if match:
        return match["name"]
    return None


def _shorten(sentence: str, limit: int = TITLE_MAX) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _is_headline(line: str) -> bool:
    words = line.split()
    return (
        4 <= len(words) <= 20
        and not re.search(r"[.!?:]\s*$", line)
        and not _BYLINE.match(line)
        and not _METADATA_LINE.match(line)
        and line[:1].isupper()
    )


def find_title(text: str) -> str:
    """The headline (a short capitalised line without a full stop, followed by a blank line and
    found before the first paragraph of prose); else the first sentence, without its dateline."""
    paragraphs = [block.strip() for block in text.split("\n\n") if block.strip()]
    for block in paragraphs:
        if "\n" not in block and _is_headline(block):
            return _shorten(block)
        if len(block.split()) > 25 or re.search(r"[.!?]\s*$", block):
            break
    for block in paragraphs:
        if _BYLINE.match(block) or _METADATA_LINE.match(block):
            continue
        body = _DATELINE_PREFIX.sub("", block, count=1)
        match = _SENTENCE.match(body)
        return _shorten(match.group(1) if match else body)
    return "(untitled)"


def parse_article(raw: str, file: str, path: str) -> Article:
    """Turn a file's decoded text into an Article (clean text + metadata)."""
    text = normalize_text(raw)
    header_date, text = split_header_date(text)
    text = clean_lines(text)
    return Article(
        file=file,
        path=path,
        title=find_title(text),
        date=find_date(text, header_date),
        source=find_source(text),
        text=text,
        words=len(text.split()),
        content_hash=content_hash(text),
    )
