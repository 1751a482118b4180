"""What narrows the document and relation lists: an actor, a relation type, a date range and a
document source, all optional. `Filters` is a value (frozen); the browser holds the active one.

Dates are prefixes of ISO dates: "2019", "2019-11" or "2019-11-20"; a range includes both ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def valid_date(value: str) -> bool:
    """True for YYYY, YYYY-MM or YYYY-MM-DD."""
    return bool(_DATE.match(value))


@dataclass(frozen=True)
class Filters:
    """Active filters; every field None means "no filter"."""

    actor_id: int | None = None
    actor: str | None = None
    """The actor's canonical name (for display)."""
    type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        for value in (self.date_from, self.date_to):
            if value is not None and not valid_date(value):
                raise ValueError(f"{value!r}: a date is YYYY, YYYY-MM or YYYY-MM-DD")

    @property
    def active(self) -> bool:
        return any(
            value is not None
            for value in (self.actor_id, self.type, self.date_from, self.date_to, self.source)
        )

    @property
    def dated(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def describe(self) -> list[str]:
        """One short phrase per active filter, e.g. ["actor: Kim Jong Un", "2019–2020"]."""
        parts: list[str] = []
        if self.actor_id is not None:
            parts.append(f"actor: {self.actor or self.actor_id}")
        if self.type is not None:
            parts.append(f"type: {self.type}")
        if self.dated:
            parts.append(f"date: {self.date_from or '…'} – {self.date_to or '…'}")
        if self.source is not None:
            parts.append(f"source: {self.source}")
        return parts

    def without(self, name: str) -> Filters:
        """These filters with one removed ("actor", "type", "date" or "source")."""
        if name == "actor":
            return replace(self, actor_id=None, actor=None)
        if name == "date":
            return replace(self, date_from=None, date_to=None)
        return replace(self, **{name: None})


NO_FILTERS = Filters()
