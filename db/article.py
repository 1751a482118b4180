"""Parse one article file's text into clean text and metadata: date, outlet, author and title.

The metadata are read from the page as it came (after `normalize_text`, before the clutter rules,
which may remove a metadata line): the date by `db.article_date` (labels, datelines, date lines, time
stamps; data/dates.json), the outlet and the author by `db.article_source` (datelines, credits,
bylines; data/outlets.json). The title is the headline line where there is one (the first short
capitalised line of the header that is not a date, byline, section name or other metadata), else
the article's first sentence without its dateline, never cut at an abbreviation ("N. Korea says…";
data/sentences.json), shortened to TITLE_MAX characters.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dprk_tui.db.article_date import find_candidates, find_date, other_words
from dprk_tui.db.article_source import find_author, find_source
from dprk_tui.db.clean import clean_lines, normalize_text, split_header_date

__all__ = ["Article", "content_hash", "find_date", "find_source", "find_author", "find_title", "parse_article"]

TITLE_MAX = 100
_HEAD_LINES = 40
SENTENCES = Path(__file__).resolve().parent / "data" / "sentences.json"
_BYLINE = re.compile(r"^\s*(?:[\w ]{1,20}\|\s*)?By\s+[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3}\s*(?:\(.*\))?$", re.M | re.I)
_METADATA_LINE = re.compile(
    r"^\s*(?:\(\w+\)\s*)?(?:(?:updated|published|posted|modified|date|source)\b\s*(?:at|on)?\s*:?"
    r"|this (?:article |story |page )?was (?:published|updated)\b)",
    re.I,
)
_SENTENCE_PUNCT = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
# "WASHINGTON, Oct. 30 (Yonhap) -- ", "Nov. 20 (UPI) -- ", "HANOI, Vietnam -- ", "Beijing, 20 June
# 2019 (dpa/MIA) – ", "SEOUL - ", "MOSCOW, June 19 (AFP): ", "MOSCOW, June 19. /TASS/. ",
# "Seoul, Jan 27 North…".
_DATELINE_PREFIX = re.compile(
    r"^(?:"
    r"(?:[A-Z][\w.'’-]*(?:[ /-][A-Z][\w.'’-]*){0,3}(?:,[^\S\n]*[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2})?,?[^\S\n]*)?"
    r"(?:(?:[A-Z][a-z]{2,8}\.?[^\S\n]+\d{1,2}|\d{1,2}[^\S\n]+[A-Z][a-z]{2,8})(?:,?[^\S\n]+\d{4})?,?[^\S\n]*)?"
    r"(?:\([^()\n]{1,40}\)[^\S\n]*)?"
    r"(?:--|—|–|-|:|[.,][^\S\n]*/[A-Za-z][\w .-]{0,30}/[.,:]?)\s+"
    r"|[A-Z][A-Za-z]+,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+(?=[A-Z]))"
)


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
    author: str | None = None


def content_hash(text: str) -> str:
    """Identity of an article's content: the clean text with case and spacing folded."""
    folded = " ".join(text.casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(json.loads(SENTENCES.read_text(encoding="utf-8"))["abbreviations"])


def _ends_sentence(text: str, at: int) -> bool:
    """Whether the full stop (or ! ?) at `at` ends a sentence: not after an abbreviation, a single
    letter or inside a dotted abbreviation ("N. Korea", "U.S. Justice", "Oct. 30", "Mr. Lee")."""
    if text[at] != ".":
        return True
    word = re.search(r"[\w.’'-]*$", text[max(0, at - 40) : at]).group()  # type: ignore[union-attr]
    word = word.lstrip("'’-")
    return not ((len(word) == 1 and word.isalpha()) or "." in word or word in _abbreviations())


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph, never cut at an abbreviation."""
    for match in _SENTENCE_PUNCT.finditer(text):
        if _ends_sentence(text, match.start()):
            return text[: match.end()]
    return text


def _shorten(sentence: str, limit: int = TITLE_MAX) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _is_metadata(line: str) -> bool:
    """A byline, a labelled metadata line, or a line that is a date with little beside it."""
    if _BYLINE.match(line) or _METADATA_LINE.match(line):
        return True
    dates = [c for c in find_candidates(line) if c.rank is not None]
    return bool(dates) and len(other_words(line)) <= 4


def _is_headline(line: str) -> bool:
    words = line.split()
    return (
        4 <= len(words) <= 20
        and not re.search(r"[.!?:]\s*$", line)
        and line[:1].isupper()
        and not _is_metadata(line)
    )


def _is_prose(line: str) -> bool:
    return len(line.split()) > 25 or bool(re.search(r"[.!?][\"'”’)\]]*\s*$", line))


def find_title(text: str) -> str:
    """The headline (a short capitalised line without a full stop, found before the first line of
    prose); else the first sentence of the first paragraph that is not metadata, without its
    dateline."""
    head = "\n".join(text.split("\n")[:_HEAD_LINES])  # a title is found in the page's head
    paragraphs = [block.strip() for block in head.split("\n\n") if block.strip()]
    for line in (line.strip() for block in paragraphs for line in block.split("\n")):
        if _is_headline(line):
            return _shorten(line)
        if _is_prose(line):
            break
    for block in paragraphs:
        lines = [line for line in block.split("\n") if line.strip() and not _is_metadata(line)]
        if not lines:
            continue
        body = _DATELINE_PREFIX.sub("", "\n".join(lines), count=1)
        return _shorten(first_sentence(body))
    return _shorten(first_sentence(text.strip())) if text.strip() else "(untitled)"


def parse_article(raw: str, file: str, path: str) -> Article:
    """Turn a file's decoded text into an Article (clean text + metadata)."""
    page = normalize_text(raw)
    header_date, page = split_header_date(page)
    text = clean_lines(page)
    return Article(
        file=file,
        path=path,
        title=find_title(text),
        date=find_date(page, header_date),
        source=find_source(page),
        text=text,
        words=len(text.split()),
        content_hash=content_hash(text),
        author=find_author(page),
    )
