"""Remove page clutter from scraped article text before NER, by general rules, not a list of strings.

Rules (each a property of web-page furniture, not of one site):
- control characters are removed (article text is untrusted and must never drive a terminal);
- a scraper's header token (" date 2019-11-20 ") is split from the text that runs on after it;
- navigation lines: several words and not one lower-case letter ("US EUROPE AFRICA ASIA 中文");
- breadcrumbs: short segments joined by " / " or " | " ("World / Asia-Pacific"), keeping a byline;
- photo furniture: "view larger image", "(File) Photo by AGENCY" credits;
- a repeated headline line right after itself is kept once;
- the tail of a page: the run of lines at the end that are not prose (share buttons "Like this:",
  "Related stories:" lists, "Most Popular", ellipses), i.e. lines that do not end a sentence.
"""

from __future__ import annotations

import re
import unicodedata

_HEADER_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE_FORMAT = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_VIEW_LARGER = re.compile(r"^\s*view larger image\s*", re.IGNORECASE)
_PHOTO_CREDIT = re.compile(
    r"\s*\(?\b(?:file\s+)?photo\s+(?:by|courtesy of|:)\s+[A-Z][\w.&' -]{0,40}?\)?\s*$",
    re.IGNORECASE,
)
_BREADCRUMB_SPLIT = re.compile(r"\s+[/|]\s+")
# A sentence ends in . ! ? — possibly inside closing quotes or brackets ("… he said." / "… peace.”),
# possibly followed by an agency credit ("… the Associated Press. (Yonhap)").
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?:\s*\([A-Z][\w .-]{1,30}\))?\s*$")


def normalize_text(raw: str) -> str:
    """Line ends to \\n, tabs kept, control and bidi/zero-width characters removed, NFC."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _INVISIBLE_FORMAT.sub("", text)
    return unicodedata.normalize("NFC", text)


def split_header_date(text: str) -> tuple[str | None, str]:
    """Take a scraper's leading " date YYYY-MM-DD " token off the text; return (date, rest)."""
    match = _HEADER_DATE.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end():]


def _is_navigation(line: str) -> bool:
    words = line.split()
    return len(words) >= 3 and not any(ch.islower() for ch in line) and not _SENTENCE_END.search(line)


def _strip_breadcrumb(line: str) -> str:
    segments = _BREADCRUMB_SPLIT.split(line.strip())
    if len(segments) < 2 or any(len(segment.split()) > 4 for segment in segments):
        return line
    bylines = [segment for segment in segments if re.match(r"^By\s+[A-Z]", segment)]
    return " ".join(bylines)


def _is_prose(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and any(ch.isalpha() for ch in stripped) and bool(
        _SENTENCE_END.search(stripped)
    ) and not stripped.endswith("...")


def clean_lines(text: str) -> str:
    """Apply the clutter rules line by line; keep paragraph breaks."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if _is_navigation(line):
            continue
        line = _strip_breadcrumb(line)
        line = _VIEW_LARGER.sub("", line)
        line = _PHOTO_CREDIT.sub("", line) if len(line.split()) > 3 or line.lower().startswith(
            ("photo", "file photo")
        ) else line
        previous = next((kept for kept in reversed(out) if kept.strip()), None)
        if line.strip() and previous is not None and line.strip() == previous.strip():
            continue
        out.append(line)
    # The page's tail: drop trailing lines that are not prose (menus, share buttons, link lists).
    while out and not _is_prose(out[-1]):
        out.pop()
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
