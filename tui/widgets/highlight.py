"""Turn store text into styled, markup-free display text: entity spans, search matches, snippets.

Pure functions (no widgets, no store): article text goes into `Content(text, spans=...)` and
snippets into `rich.text.Text`, so brackets in the text are shown as they are, never parsed.
Offsets are Python str offsets, as the store records them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

from rich.style import Style
from rich.text import Text
from textual.content import Content, Span

from db.store import MARK_END, MARK_START

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
_UNSAFE = {7: " ", 8: " ", 11: " ", 12: " ", 13: " "}
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


def document_content(
    text: str, mentions: Sequence[MentionLike], query: str | None = None
) -> tuple[Content, Counter[str]]:
    """The article as `Content` with one span per mention (and per search match), and the
    number of mentions of each kind."""
    safe = text.translate(_UNSAFE)
    spans: list[Span] = []
    counts: Counter[str] = Counter()
    length = len(safe)
    for mention in mentions:
        start, end = max(0, mention.start), min(length, mention.end)
        if start >= end:
            continue
        kind = entity_kind(mention.label, mention.actor_type)
        counts[kind] += 1
        spans.append(Span(start, end, entity_style(kind)))
    for start, end in match_offsets(safe, query_words(query), prefix=_is_prefix(query)):
        counts["match"] += 1
        spans.append(Span(start, end, MATCH_STYLE))
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
    flat = " ".join(snippet.split())
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


def legend_content(counts: Counter[str] | None = None) -> Content:
    """The legend line: each entity kind written in its own style, with counts when given."""
    parts: list[Content] = []
    for kind in ENTITY_KINDS:
        label = ENTITY_NAMES[kind]
        if counts is not None:
            label = f"{label} {counts.get(kind, 0)}"
        parts.append(Content(label, spans=[Span(0, len(label), entity_style(kind))]))
    if counts and counts.get("match"):
        label = f"search match {counts['match']}"
        parts.append(Content(label, spans=[Span(0, len(label), MATCH_STYLE)]))
    return Content("  ").join(parts)
