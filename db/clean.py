"""Remove page clutter from scraped article text before NER, by general rules, never the article.

Every removal rule applies to a short line only (at most `short_line_words` words, data/clutter.json):
a paragraph of the article, however it is laid out (one long line under a short header, repeated,
after a header of metadata lines), is never removed. If the rules would leave nothing, the text is
kept as it came: an article is never refused as clutter.

Rules (each a property of web-page furniture, not of one site):
- control characters are removed (article text is untrusted and must never drive a terminal);
- a scraper's header token (" date 2019-11-20 ") is split from the text that runs on after it;
- navigation lines: several words and not one lower-case letter ("US EUROPE AFRICA ASIA 中文");
- breadcrumbs: short segments joined by " / ", " | ", " > ", " » " ("World / Asia-Pacific", "Home >
  World"), keeping a byline;
- photo furniture: "view larger image", "(File) Photo by AGENCY" credits;
- a repeated headline line right after itself is kept once;
- furniture named in data/clutter.json: comment forms ("LEAVE A REPLY", "Captcha"), share bars,
  follow boxes, copyright footers, skip links, player notices, link-list headings, photo and video
  credits on their own line or glued to a caption's end ("…summit.Credit: AFP");
- the tail of a page: the run of short lines at the end that are not prose (share buttons "Like
  this:", "Related stories:" lists, "Most Popular", ellipses), i.e. lines that do not end a sentence.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

_HEADER_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")
# -- untrusted text (normalize_text, inert, printable_name) ------------------------------------
# Whole terminal escape sequences, removed as units so that "\x1b[31m" leaves no "[31m" behind:
# CSI (ESC [ or 0x9b; parameters, intermediates, final byte), terminated strings (OSC, DCS, SOS, PM,
# APC: ESC ] P X ^ _ or 0x9d 0x90 0x98 0x9e 0x9f, up to BEL or ST; the payload excludes every
# introducer, so matching stays linear) and two-byte ESC sequences (ESC 7, ESC ( B, ESC c ...).
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x90\x98\x9c-\x9f]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Invisible format characters: zero-width and joiners, bidi marks, embeddings, overrides and
# isolates, word joiner and invisible operators, BOM, interlinear annotation, tag characters, the
# soft hyphen; and U+E000/U+E001, which the store uses to mark search matches in snippets.
_INVISIBLE_FORMAT = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\ue000\ue001\U000e0000-\U000e007f]"
)
_LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")
MAX_SPACE_RUN = 8
"""Runs of spaces and tabs are cut to this length (layout is kept; clutter regexes stay linear)."""
_SPACE_RUN = re.compile(r"[^\S\n]{%d,}" % (MAX_SPACE_RUN + 1))
# Characters that must never reach a terminal as they are: C0 controls but tab and newline, DEL,
# C1 controls (0x9b is CSI, 0x9d OSC), and the bidi controls that reorder what a line shows.
_TERMINAL_UNSAFE = [
    *(code for code in range(0x20) if code not in (0x09, 0x0A)),
    *range(0x7F, 0xA0),
    0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
]
INERT: dict[int, str] = {code: "\ufffd" for code in _TERMINAL_UNSAFE}
"""A `str.translate` table that replaces each terminal-unsafe character by U+FFFD, one for one
(offsets into the text stay valid); tab and newline are kept."""
_VIEW_LARGER = re.compile(r"^\s*view larger image\s*", re.IGNORECASE)
_PHOTO_CREDIT = re.compile(
    r"\s*\(?\b(?:file\s+)?photo\s+(?:by|courtesy of|:)\s+[A-Z][\w.&' -]{0,40}?\)?\s*$",
    re.IGNORECASE,
)
_BREADCRUMB_SPLIT = re.compile(r"\s+[/|>»›]\s+")
_BYLINE = re.compile(r"^\s*By\s+[A-Z]")
# A sentence ends in . ! ? — possibly inside closing quotes or brackets ("… he said." / "… peace.”),
# possibly followed by an agency credit ("… the Associated Press. (Yonhap)").
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?:\s*\([A-Z][\w .-]{1,30}\))?\s*$")


CLUTTER = Path(__file__).resolve().parent / "data" / "clutter.json"


@cache
def _clutter() -> tuple[int, re.Pattern[str], re.Pattern[str]]:
    """(short-line limit, whole-line furniture, trailing credits) from data/clutter.json."""
    data = json.loads(CLUTTER.read_text(encoding="utf-8"))
    lines = re.compile("|".join(f"(?:{rule['pattern']})" for rule in data["lines"]), re.IGNORECASE)
    credits = re.compile("|".join(f"(?:{rule['pattern']})" for rule in data["trailing_credits"]))
    return data["short_line_words"], lines, credits


def normalize_text(raw: str) -> str:
    """Untrusted text made safe to store, search and show: line ends to \\n (CR LF, CR, NEL, U+2028
    and U+2029), terminal escape sequences removed whole, then every other control character (tabs
    and newlines kept), bidi and zero-width characters removed, runs of spaces cut to
    MAX_SPACE_RUN, NFC."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_SEPARATORS.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = _INVISIBLE_FORMAT.sub("", text)
    text = _SPACE_RUN.sub(lambda run: run.group()[:MAX_SPACE_RUN], text)
    return unicodedata.normalize("NFC", text)


def inert(text: str) -> str:
    """`text` with every terminal-unsafe character (see INERT) replaced by U+FFFD, one for one."""
    return text.translate(INERT)


def printable_name(name: str) -> str:
    """A file name or path as printable text that still says what it holds: bytes that are not
    UTF-8 (Python's surrogate escapes) as \\xNN, control, bidi and invisible characters as \\xNN or
    \\uNNNN. Names are stored and shown this way, so they display inertly."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "backslashreplace")
    text = raw.decode("utf-8", "backslashreplace")
    return "".join(
        (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        if ord(char) in INERT or char in "\t\n" or _INVISIBLE_FORMAT.match(char)
        else char
        for char in text
    )


def split_header_date(text: str) -> tuple[str | None, str]:
    """Take a scraper's leading " date YYYY-MM-DD " token off the text; return (date, rest)."""
    match = _HEADER_DATE.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end():]


def _is_navigation(line: str) -> bool:
    words = line.split()
    return (
        3 <= len(words) <= _clutter()[0]
        and not any(ch.islower() for ch in line)
        and not _SENTENCE_END.search(line)
    )


def cut_credits(line: str) -> str:
    """A line without the photo or image credit glued to its end ("…summit.Credit: AFP")."""
    return _clutter()[2].sub("", line)


def _is_furniture(line: str) -> bool:
    """A short line that data/clutter.json names as page furniture."""
    limit, furniture, _ = _clutter()
    stripped = line.strip()
    return bool(stripped) and len(stripped.split()) <= limit and bool(furniture.search(stripped))


def _strip_breadcrumb(line: str) -> str:
    segments = _BREADCRUMB_SPLIT.split(line.strip())
    if len(segments) < 2 or any(len(segment.split()) > 4 for segment in segments):
        return line
    bylines = [segment for segment in segments if _BYLINE.match(segment)]
    return " ".join(bylines)


def _is_prose(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and any(ch.isalpha() for ch in stripped) and bool(
        _SENTENCE_END.search(stripped)
    ) and not stripped.endswith("...")


def clean_lines(text: str) -> str:
    """Apply the clutter rules line by line; keep paragraph breaks. The text as it came (stripped)
    when the rules would leave nothing."""
    limit = _clutter()[0]
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if _is_navigation(line) or _is_furniture(line):
            continue
        line = cut_credits(line)
        line = _strip_breadcrumb(line)
        line = _VIEW_LARGER.sub("", line)
        line = _PHOTO_CREDIT.sub("", line) if len(line.split()) > 3 or line.lower().startswith(
            ("photo", "file photo")
        ) else line
        previous = next((kept for kept in reversed(out) if kept.strip()), None)
        if line.strip() and previous is not None and line.strip() == previous.strip():
            continue
        out.append(line)
    # The page's tail: drop trailing short lines that are not prose (menus, share buttons, links),
    # up to a closing byline ("By Jane Roe (email)"), which belongs to the article.
    while out and not _is_prose(out[-1]) and len(out[-1].split()) <= limit and not _BYLINE.match(out[-1]):
        out.pop()
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    return cleaned or text.strip()
