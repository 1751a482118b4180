"""Turn store text into styled, markup-free display text: entity spans, search matches, snippets.

Pure functions (no widgets, no store): article text goes into `Content(text, spans=...)` and
snippets into `rich.text.Text`, so brackets in the text are shown as they are, never parsed.
Offsets are Python str offsets, as the store records them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import Protocol

from rich.style import Style
from rich.text import Text
from textual.content import Content, Span

from dprk_tui.db.clean import INERT
from dprk_tui.db.store import MARK_END, MARK_START

ENTITY_KINDS: tuple[str, ...] = ("person", "org", "gpe", "other")
"""Entity kinds the document pane colours, in legend order."""

ENTITY_NAMES: dict[str, str] = {
    "person": "PERSON",
    "org": "ORG",
    "gpe": "GPE (place)",
    "other": "other",
}

_KIND_OF: dict[str, str] = {
    "person": "person",
    "per": "person",
    "org": "org",
    "organization": "org",
    "organisation": "org",
    "gpe": "gpe",
    "country": "gpe",
    "state": "gpe",
    "place": "gpe",
}

# Characters Content would strip (bell, backspace, VT, FF, CR) are replaced one for one, so offsets
# into the text stay valid.
# Every other terminal-unsafe character (ESC, DEL, C1, bidi controls) becomes U+FFFD (db.clean.INERT).
_UNSAFE = {**INERT, 7: " ", 8: " ", 11: " ", 12: " ", 13: " "}
_WORD = re.compile(r"\w+", re.UNICODE)


class MentionLike(Protocol):
    """What highlighting needs from a `db.store.Mention`."""

    start: int
    end: int
    label: str
    actor_type: str | None


def entity_kind(label: str | None, actor_type: str | None = None) -> str:
    """The colour kind of a mention: the linked actor's type if known, else the NER label."""
    for value in (actor_type, label):
        kind = _KIND_OF.get((value or "").strip().lower())
        if kind:
            return kind
    return "other"


def entity_style(kind: str) -> str:
    """The component-class style (resolved by the document pane) for an entity kind."""
    return f".doc-view--{kind}"


MATCH_STYLE = ".doc-view--match"


def query_words(query: str | None) -> list[str]:
    """The words of a search query, as the full-text index sees them."""
    return _WORD.findall(query or "")


MARK_STYLE = ".doc-view--evidence"
CURSOR_STYLE = ".doc-view--cursor"

# Under NO_COLOR, backgrounds vanish and component classes cannot carry `reverse` (Textual drops it
# from component styles), so the match, the marked sentence and the selected mention are styled
# directly. The selected mention flips out of the marked sentence's reverse video.
PLAIN_MATCH = "reverse"
PLAIN_MARK = "reverse"
PLAIN_CURSOR = "reverse bold underline"
PLAIN_CURSOR_IN_MARK = "not reverse bold underline"


def document_content(
    text: str,
    mentions: Sequence[MentionLike],
    query: str | None = None,
    *,
    hidden: Collection[str] = (),
    mark: tuple[int, int] | None = None,
    cursor: tuple[int, int] | None = None,
    plain: bool = False,
) -> tuple[Content, Counter[str]]:
    """The article as `Content` with one span per mention (and per search match), and the
    number of mentions of each kind.

    Mentions of the kinds in `hidden` are counted but not styled; `mark` (an evidence sentence)
    and `cursor` (the selected mention) are (start, end) offsets styled on top. `plain` (NO_COLOR)
    styles the match, the mark and the cursor with text styles alone.
    """
    safe = text.translate(_UNSAFE)
    spans: list[Span] = []
    counts: Counter[str] = Counter()
    length = len(safe)
    if mark is not None and max(0, mark[0]) < min(length, mark[1]):
        spans.append(Span(max(0, mark[0]), min(length, mark[1]), PLAIN_MARK if plain else MARK_STYLE))
    for mention in mentions:
        start, end = max(0, mention.start), min(length, mention.end)
        if start >= end:
            continue
        kind = entity_kind(mention.label, mention.actor_type)
        counts[kind] += 1
        if kind not in hidden:
            spans.append(Span(start, end, entity_style(kind)))
    for start, end in match_offsets(safe, query_words(query), prefix=_is_prefix(query)):
        counts["match"] += 1
        spans.append(Span(start, end, PLAIN_MATCH if plain else MATCH_STYLE))
    if cursor is not None and max(0, cursor[0]) < min(length, cursor[1]):
        style = CURSOR_STYLE
        if plain:
            inside = mark is not None and mark[0] <= cursor[0] < mark[1]
            style = PLAIN_CURSOR_IN_MARK if inside else PLAIN_CURSOR
        spans.append(Span(max(0, cursor[0]), min(length, cursor[1]), style))
    return Content(safe, spans=spans, strip_control_codes=False), counts


def _is_prefix(query: str | None) -> bool:
    return bool(query) and query.rstrip().endswith("*")


def match_offsets(text: str, words: Iterable[str], prefix: bool = False) -> list[tuple[int, int]]:
    """Where whole `words` occur in `text`, ignoring case (the last word as a prefix if asked)."""
    words = [word for word in words if word]
    if not words:
        return []
    parts = [re.escape(word) for word in words]
    if prefix:
        parts[-1] += r"\w*"
    pattern = re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE | re.UNICODE)
    return [(found.start(), found.end()) for found in pattern.finditer(text)]


def snippet_text(snippet: str, match_style: Style | str, width: int = 0) -> Text:
    """A search snippet as one line of `Text`, its marked words styled and the marks removed.

    Given a `width`, text before the first match is cut (to "…") so that the match shows.
    """
    text = Text(no_wrap=True, end="")
    flat = " ".join(snippet.translate(_UNSAFE).split())
    first = flat.find(MARK_START)
    lead = max(8, width // 4)
    if width and first > lead and first > width // 2:
        cut = flat.rfind(" ", 0, first - lead + 1)
        flat = "…" + flat[(cut + 1 if cut >= 0 else first - lead) :]
    for number, part in enumerate(flat.split(MARK_START)):
        if number == 0:
            text.append(part.replace(MARK_END, ""))
            continue
        matched, _, rest = part.partition(MARK_END)
        text.append(matched, style=match_style)
        text.append(rest)
    return text


def legend_content(
    counts: Counter[str] | None = None,
    hidden: Collection[str] = (),
    keys: dict[str, str] | None = None,
) -> Content:
    """The legend line: each entity kind written in its own style, with counts when given; a
    hidden kind is written plain and marked "off"; `keys` (kind -> key) names the toggle keys."""
    parts: list[Content] = []
    for kind in ENTITY_KINDS:
        label = ENTITY_NAMES[kind]
        if counts is not None:
            label = f"{label} {counts.get(kind, 0)}"
        if kind in hidden:
            label += " off"
        key = (keys or {}).get(kind)
        style = "" if kind in hidden else entity_style(kind)
        part = Content(label, spans=[Span(0, len(label), style)] if style else [])
        if key:
            part = Content.assemble(Content(f"{key} ", spans=[Span(0, len(key), LEGEND_KEY_STYLE)]), part)
        parts.append(part)
    if counts and counts.get("match"):
        label = f"search match {counts['match']}"
        parts.append(Content(label, spans=[Span(0, len(label), MATCH_STYLE)]))
    return Content("  ").join(parts)


LEGEND_KEY_STYLE = ".doc-view--key"


# -- evidence ------------------------------------------------------------------------------------
def evidence_text(
    sentence: str,
    marks: Sequence[tuple[int, int, int]],
    source_id: int,
    trigger: str | None,
    styles: dict[str, Style],
) -> Text:
    """An evidence sentence as one line of `Text`: the source actor's mentions in
    styles["source"], the target's in styles["target"], the trigger word in styles["trigger"]."""
    flat = sentence.translate(_FLAT)
    text = Text(flat, no_wrap=True, end="")
    if trigger:
        found = re.search(r"\b" + re.escape(trigger) + r"\b", flat, re.IGNORECASE)
        if found:
            text.stylize(styles["trigger"], found.start(), found.end())
    for start, end, actor_id in marks:
        role = "source" if actor_id == source_id else "target"
        text.stylize(styles[role], max(0, start), min(len(flat), end))
    return text


_FLAT = {**INERT, **{code: " " for code in range(32)}}


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The (start, end) of the sentence holding text[start:end]: from after the last sentence
    end (., !, ? then a space, or a blank line) before it to the next one after it."""
    boundary = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+|\n\s*\n")
    begin = 0
    for found in boundary.finditer(text, 0, start):
        begin = found.end()
    after = boundary.search(text, end)
    finish = after.start() if after else len(text)
    return begin, max(finish, end)


def line_of_offset(content: Content, offset: int, width: int) -> int:
    """The line (from 0) on which character `offset` of `content` falls when wrapped to `width`.

    Greedy wrapping is stable under prefixes, so the text up to the end of the word at `offset`
    wraps, up to there, as the whole text does.
    """
    plain = content.plain
    offset = max(0, min(offset, len(plain)))
    word_end = re.compile(r"\S*").match(plain, offset)
    stop = word_end.end() if word_end else offset
    head = plain[:stop]
    if not head:
        return 0
    return max(0, len(Content(head).wrap(max(1, width))) - 1)
