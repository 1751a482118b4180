"""Garbage collection at idle moments, while the browser runs.

CPython collects its oldest generation (every object the app holds) after ten collections of the
middle one, wherever that falls. On a 1M-document store one search in three paid such a full
collection, 30–150 ms, in the worker reading the hits or in the frame drawing them. So while the
app runs:

- what start-up made (modules, styles, widgets: it lives as long as the app) is frozen out of the
  collector's sight (`gc.freeze`), so a full collection walks only what came after;
- the oldest generation is not collected automatically; `tick` collects it once the user has
  pressed no key for IDLE_SECONDS and the middle generation has been collected FULL_PACE times
  since the last full collection (CPython's own pace), so the pause falls where nobody waits.

The young generations are collected as usual. `stop` undoes it all (many apps run in one process
under the tests).
"""

from __future__ import annotations

import gc
import time

IDLE_SECONDS = 2.0
"""No key or mouse press for this long: a full collection may run."""
FULL_PACE = 10
"""Collections of the middle generation between two full collections (CPython's threshold2)."""
_NEVER = 1 << 30


class IdleCollector:
    """Moves the full garbage collections of one app to its idle moments."""

    def __init__(self) -> None:
        self.active = False
        self.last_input = time.monotonic()
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Freeze what exists now and stop automatic full collections (once)."""
        if self.active:
            return
        gc.freeze()
        self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, _NEVER)
        self.active = True

    def touch(self) -> None:
        """The user pressed something: not idle."""
        self.last_input = time.monotonic()

    def tick(self) -> bool:
        """Collect the oldest generation if the app is idle and a full collection is due; True if
        it did."""
        if not self.active or time.monotonic() - self.last_input < IDLE_SECONDS:
            return False
        if gc.get_count()[2] < FULL_PACE:
            return False
        gc.collect()
        return True

    def stop(self) -> None:
        """Automatic full collections again, and what was frozen can be collected again."""
        if not self.active:
            return
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
        gc.unfreeze()
        self.active = False
