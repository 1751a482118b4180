"""Run `dprk-tui` in a pseudo-terminal, as a user's terminal would, and time what it draws.

`Terminal` starts the real command line (`python -m dprk_tui --db FILE`) on a pty of a given size,
waits for text to appear on screen (escape sequences stripped), presses keys (the bytes a terminal
sends) and times the repaint each key causes: from writing the key to the first output it provokes
(a frame is written at once), and to the last byte of the burst (a burst ends after QUIET seconds
without output; animated scrolling draws several frames).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIET = 0.03
"""Seconds without output that end a repaint."""

KEYS: dict[str, bytes] = {
    "up": b"\x1b[A", "down": b"\x1b[B", "pageup": b"\x1b[5~", "pagedown": b"\x1b[6~",
    "home": b"\x1b[H", "end": b"\x1b[F", "enter": b"\r", "escape": b"\x1b", "tab": b"\t",
    "slash": b"/",
}
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    rb"|\x1bP[^\x1b]*\x1b\\"  # DCS
    rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78cM]"
)


def screen_text(data: bytes) -> str:
    """What was written, without escape sequences."""
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")


class Terminal:
    """`dprk-tui --db FILE` in a pty of `size` (columns, rows)."""

    def __init__(
        self,
        db: Path,
        size: tuple[int, int] = (120, 40),
        command: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        """`command`: what to run instead of `python -m dprk_tui` (it is given `--db FILE`);
        `env`: more environment variables."""
        columns, rows = size
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.config = tempfile.TemporaryDirectory(prefix="dprk-bench-")
        env = {
            **os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows),
            "XDG_CONFIG_HOME": self.config.name, "ESCDELAY": "10", "PYTHONPATH": str(ROOT),
            "DPRK_TUI_ACTORS": str(Path(self.config.name) / "none.jsonl"), **(env or {}),
        }
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [*(command or [sys.executable, "-m", "dprk_tui"]), "--db", str(db)],
            stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.sent = 0.0
        """When `press_until` last wrote its key (perf_counter: the machine's monotonic clock)."""

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return b""
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:
            return b""
        self.output += data
        return data

    def wait_for(self, text: str, timeout: float = 60.0, since: int = 0) -> float:
        """Seconds from launch until `text` is on screen (in output from byte `since` on)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if text in screen_text(bytes(self.output[since:])):
                return time.perf_counter() - self.started
            self._read(deadline - time.perf_counter())
        raise TimeoutError(f"{text!r} did not appear within {timeout} s")

    def drain(self, quiet: float = QUIET, limit: float = 5.0) -> None:
        """Read until the screen has been quiet for `quiet` seconds."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline and self._read(quiet):
            pass

    def press(self, key: str, timeout: float = 5.0) -> tuple[float, float] | None:
        """Press `key`; seconds until the first repaint it causes is written, and until the last
        (animated scrolling draws several frames); None when nothing changed on screen."""
        self.drain()
        sent = time.perf_counter()
        os.write(self.master, KEYS.get(key, key.encode()))
        if not self._read(timeout):
            return None
        first = last = time.perf_counter()
        while self._read(QUIET):
            last = time.perf_counter()
        return first - sent, last - sent

    def press_until(self, key: str, text: str, timeout: float = 60.0) -> float:
        """Press `key`; seconds until `text` appears in what is drawn after it."""
        self.drain()
        since = len(self.output)
        sent = self.sent = time.perf_counter()
        os.write(self.master, KEYS.get(key, key.encode()))
        return self.started + self.wait_for(text, timeout, since) - sent

    def type(self, text: str) -> None:
        """Type `text` a character at a time, each once the last is drawn."""
        self.drain(0.2)
        for char in text:
            os.write(self.master, char.encode())
            self.drain()

    def peak_rss_mb(self) -> float:
        """Peak resident memory of the browser process so far (VmHWM), in MB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)
        self.config.cleanup()

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
