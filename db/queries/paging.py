"""Keyset pagination: read a page of rows after (or before) the key of a row already read.

A list has an order given by a `Keyset`: a tuple of SQL expressions that are never NULL, the last
ones making each row's key unique, all sorted the same way. A `Page` asks for the first rows, the
rows after a key, the rows before a key, or the last rows. The WHERE clause a page adds is
`k1 <= ? AND (k1, k2, ...) < (?, ?, ...)` (or the mirror image): the first term lets SQLite seek in
an index on the key expressions, the row value settles ties. There is no OFFSET anywhere: the cost
of a page does not grow with how far down the list it is.

Each row read carries its key (the trailing selected columns) so the next page can start from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Page:
    """Which rows to read: the first `limit`, the `limit` after or before a key, or the last."""

    limit: int = 100
    after: Key | None = None
    before: Key | None = None
    from_end: bool = False

    def __post_init__(self) -> None:
        if self.limit < 0:
            raise ValueError("limit must not be negative")
        if sum((self.after is not None, self.before is not None, self.from_end)) > 1:
            raise ValueError("a page is after a key, before a key or from the end, not several")


FIRST_PAGE = Page()


@dataclass(frozen=True)
class Keyset:
    """The order of a list: key expressions (never NULL; together unique), all one direction."""

    keys: tuple[str, ...]
    descending: bool = True

    @property
    def width(self) -> int:
        return len(self.keys)

    def select(self) -> str:
        """The key expressions as trailing select columns."""
        return ", ".join(self.keys)

    def clause(self, page: Page) -> tuple[str, list[Any], str, bool]:
        """(extra WHERE condition or "", its parameters, ORDER BY, rows come back reversed)."""
        backwards = page.before is not None or page.from_end
        descending = self.descending != backwards
        direction = " DESC" if descending else ""
        order = ", ".join(f"{key}{direction}" for key in self.keys)
        bound = page.after if page.after is not None else page.before
        if bound is None:
            return "", [], order, backwards
        if len(bound) != self.width:
            raise ValueError(f"a key of {len(bound)} values for an order of {self.width}")
        below = "<" if descending else ">"
        columns = ", ".join(self.keys)
        marks = ", ".join("?" * self.width)
        condition = f"{self.keys[0]} {below}= ? AND ({columns}) {below} ({marks})"
        return condition, [bound[0], *bound], order, backwards


def keyset_sql(
    columns: str,
    source: str,
    where: Sequence[str],
    params: Sequence[Any],
    keyset: Keyset,
    page: Page,
) -> tuple[str, list[Any], bool]:
    """A complete paged SELECT: `columns` then the keys, `FROM source`, `where` ANDed with the
    page's bound, ordered by the keys and limited. Returns (sql, params, reversed)."""
    condition, bound_params, order, backwards = keyset.clause(page)
    terms = [term for term in (*where, condition) if term]
    sql = f"SELECT {columns}, {keyset.select()} {source}"
    if terms:
        sql += " WHERE " + " AND ".join(f"({term})" for term in terms)
    sql += f" ORDER BY {order} LIMIT ?"
    return sql, [*params, *bound_params, page.limit], backwards


def split_rows(rows: Sequence[tuple], width: int, backwards: bool) -> list[tuple[tuple, Key]]:
    """(values, key) per row, in list order."""
    ordered = list(reversed(rows)) if backwards else list(rows)
    return [(tuple(row[:-width]), tuple(row[-width:])) for row in ordered]


def date_upper(value: str) -> str:
    """The inclusive upper bound of a date prefix: "2019" covers every date in 2019."""
    return value + "~"
