"""The date of an event: an explicit date in the trigger's own clause, else the document's.

"on Nov. 8" and "Sept. 30" take the document's year (the year before when that would put the
event more than a week after publication); "Oct. 17, 2023" keeps its year; "On Friday" is the last
Friday on or before the document's date. A date counts only when it hangs in the same clause as
the trigger ("met Putin on Nov. 8"), never one of a reporting verb ("said Monday that ...").
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from dprk_tui.db.extract.relations.grammar import VERBAL

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE = re.compile(
    rf"\b(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})\b\.?(?:,?\s+(?P<y2>(?:19|20)\d\d)\b)?"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_RELATIVE = {"today": 0, "yesterday": 1}
_RELATIVE_WORDS = re.compile(r"\b(today|yesterday)\b", re.IGNORECASE)
_LATE_DAYS = 7


def _parse_iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class DateFinder:
    """Explicit dates of one document, by the token they start at."""

    def __init__(self, doc: Doc, published: str | None) -> None:
        self.published = _parse_iso(published)
        self.document_date = published
        self._by_token: dict[int, str] = {}
        self._doc = doc
        self._scanned = False

    def _scan(self) -> None:
        self._scanned = True
        text = self._doc.text
        for match in _DATE.finditer(text):
            value = self._explicit(match)
            if value:
                self._at(match.start(), value)
        if self.published is not None:
            for match in _WEEKDAY.finditer(text):
                weekday = _WEEKDAYS.index(match.group(1).lower())
                back = (self.published.weekday() - weekday) % 7
                self._at(match.start(), (self.published - timedelta(days=back)).isoformat())
            for match in _RELATIVE_WORDS.finditer(text):
                days = _RELATIVE[match.group(1).lower()]
                self._at(match.start(), (self.published - timedelta(days=days)).isoformat())

    def _at(self, offset: int, value: str) -> None:
        span = self._doc.char_span(offset, offset + 1, alignment_mode="expand")
        if span is not None and len(span) and span[0].idx == offset:
            self._by_token.setdefault(span[0].i, value)

    def _explicit(self, match: re.Match[str]) -> str | None:
        month = _MONTHS[(match.group("m1") or match.group("m2"))[:3].lower()]
        day = int(match.group("d1") or match.group("d2"))
        year_text = match.group("y1") or match.group("y2")
        if year_text:
            year = int(year_text)
        elif self.published is not None:
            year = self.published.year
        else:
            return None
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if not year_text and self.published is not None and found > self.published + timedelta(days=_LATE_DAYS):
            try:
                found = date(year - 1, month, day)
            except ValueError:
                return None
        return found.isoformat()

    def date_of(self, trigger: Token, sent: Span) -> str | None:
        """The event's date: an explicit one in its clause (or the clause it is coordinated
        with), else the document's."""
        if not self._scanned:
            self._scan()
        if self._by_token:
            clause = _clause(trigger)
            if clause is None:
                return self.document_date
            candidates = [clause.i]
            if clause.dep_ == "conj" and clause.head.pos_ in VERBAL:
                candidates.append(clause.head.i)
            for wanted in candidates:
                for index, value in self._by_token.items():
                    if sent.start <= index < sent.end:
                        found = _clause(self._doc[index])
                        if found is not None and found.i == wanted:
                            return value
        return self.document_date


def _clause(token: Token) -> Token | None:
    """The verb of the clause a token belongs to (itself for a verb); None above the root."""
    current = token
    for _ in range(16):
        if current.pos_ in VERBAL:
            return current
        if current.head is current:
            return None
        current = current.head
    return None
