"""A timeline of an actor's relations: one bar per month (or per year when there are more than three
years of months, or they do not fit the width), heights in eighths (▁▂▃▄▅▆▇█, zero as ·), the first and last period written either side.

    Relations by year · 13 events · most in 2014 (5)
    2014 ███ ··· ··· ··· ··· ▅▅▅ ··· ··· ··· ▆▆▆ ▂▂▂ 2024

Pure text (block characters), so it reads the same in 16 colours and under NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.content import Content, Span
from textual.widget import Widget

BLOCKS = "▁▂▃▄▅▆▇█"
ZERO = "·"
MAX_BAR_WIDTH = 4
MAX_MONTHS = 36
"""Longer spans are drawn by year: a bar a month over many years is mostly empty."""


def months_between(first: str, last: str) -> list[str]:
    """Every YYYY-MM from `first` to `last`, inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def buckets(counts: Sequence[tuple[str, int]], width: int) -> tuple[str, list[tuple[str, int]]]:
    """("month" or "year", [(period, count), ...]) with empty periods filled in, months if they fit
    in `width` cells, else years (the latest `width` years if even those do not fit)."""
    by_month = {month: count for month, count in counts if len(month) >= 7}
    if not by_month:
        return "month", []
    months = months_between(min(by_month), max(by_month))
    if len(months) <= min(width, MAX_MONTHS):
        return "month", [(month, by_month.get(month, 0)) for month in months]
    by_year: dict[str, int] = {}
    for month, count in by_month.items():
        by_year[month[:4]] = by_year.get(month[:4], 0) + count
    years = [str(year) for year in range(int(min(by_year)), int(max(by_year)) + 1)]
    return "year", [(year, by_year.get(year, 0)) for year in years][-max(1, width):]


def bar(count: int, peak: int) -> str:
    if count <= 0 or peak <= 0:
        return ZERO
    return BLOCKS[min(len(BLOCKS) - 1, max(0, -(-count * len(BLOCKS) // peak) - 1))]


class Timeline(Widget):
    """Bars of relation events per month or year."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"timeline--bar", "timeline--label"}

    DEFAULT_CSS = """
    Timeline {
        height: 2;
        & > .timeline--bar { color: $accent; }
        & > .timeline--label { color: $text-muted; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.counts: list[tuple[str, int]] = []
        self.loaded = False

    def show(self, counts: Sequence[tuple[str, int]]) -> None:
        """Show these (YYYY-MM, events) counts."""
        self.counts = list(counts)
        self.loaded = True
        self.refresh()

    def render(self) -> Content:
        if not self.loaded:
            return Content("Relations over time: …")
        width = max(1, self.size.width)
        unit, series = buckets(self.counts, width)
        if not series:
            return Content("Relations over time: no dated relations")
        total = sum(count for _, count in series)
        peak_period, peak = max(series, key=lambda item: item[1])
        title = f"Relations by {unit} · {total:,} events · most in {peak_period} ({peak:,})"
        step = max(1, min(MAX_BAR_WIDTH, width // len(series)))
        bars = "".join(bar(count, peak) * max(1, step - 1) + (" " if step > 1 else "") for _, count in series)
        bars = bars.rstrip()
        first, last = series[0][0], series[-1][0]
        room = width - len(first) - len(last) - 2
        if len(bars) > room:  # too wide beside the labels: the bars alone, a cell a period
            bars = "".join(bar(count, peak) for _, count in series)[-width:]
            line = Content(bars, spans=[Span(0, len(bars), ".timeline--bar")])
        else:
            line = Content.assemble(
                Content(first, spans=[Span(0, len(first), ".timeline--label")]),
                " ",
                Content(bars, spans=[Span(0, len(bars), ".timeline--bar")]),
                " ",
                Content(last, spans=[Span(0, len(last), ".timeline--label")]),
            )
        return Content.assemble(
            Content(title[:width], spans=[Span(0, min(width, len(title)), ".timeline--label")]),
            "\n",
            line,
        )
