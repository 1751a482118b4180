"""`dprk-tui serve` admits only its user (issue 16 point 2).

The real server (`python -m dprk_tui serve`) runs on 127.0.0.1 at a free port with a known token;
real HTTP requests and WebSockets (aiohttp's client) show: a foreign Origin or Host is refused; no
token or a wrong one is refused, on the page and on the WebSocket; the printed URL gives the page,
whose WebSocket starts the app and receives its output; a 30000×30000 screen is clamped to
500×200 (the app is told so, and stays under 300 MB); a fifth session is refused while four are
open; an app ends when its socket closes; the app opens the store read-only. Every wait has a
deadline; only loopback addresses are used.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from dprk_tui.db.connection import READ_ONLY_ENV, connect
from dprk_tui.tui.serve import MAX_HEIGHT, MAX_WIDTH, exposure_warning
from tests.helpers import ROOT, child_processes, wait_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds app processes through /proc")

TOKEN = "test-token-" + os.urandom(8).hex()
START_SECONDS = 60.0
"""Deadline for the server to listen, and for an app to start and draw, on a loaded machine."""
RSS_LIMIT = 300 * 1024 * 1024
SAMPLE_SECONDS = 5.0
"""How long the app's RSS is watched after a huge resize (unclamped, it passes 300 MB in 1-3 s)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def apps_of(server: int) -> list[int]:
    """The app processes a server started (its children running `-m dprk_tui --db`)."""
    return child_processes(server, b"-m\x00dprk_tui\x00--db")


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def environment_of(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(pair.decode(errors="replace").split("=", 1) for pair in pairs if b"=" in pair)


@dataclass
class Served:
    process: subprocess.Popen
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/?token={TOKEN}"

    def socket_url(self, token: str = TOKEN, width: int = 80, height: int = 24) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/{token}?width={width}&height={height}"


@pytest.fixture(scope="module")
def served(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = tmp_path_factory.mktemp("serve") / "served.db"
    shutil.copy(seed_store, store)
    for attempt in range(3):  # a free port may be taken between the probe and the bind
        port = free_port()
        env = {**os.environ, "COLUMNS": "200"}
        process = subprocess.Popen(
            [sys.executable, "-m", "dprk_tui", "serve", "--db", str(store), "--port", str(port),
             "--token", TOKEN],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

        def listening() -> bool:
            if process.poll() is not None:
                return True
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", port)) == 0

        wait_until(listening, START_SECONDS, "the server to listen")
        if process.poll() is None:
            break
        assert attempt < 2, process.stderr.read().decode() if process.stderr else ""
    served = Served(process, port)
    yield served
    process.terminate()
    try:
        process.wait(timeout=START_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
    assert not apps_of(process.pid)


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=START_SECONDS)) as session:
        yield session


async def first_output(websocket: aiohttp.ClientWebSocketResponse) -> int:
    """Bytes of app output until the first frame has arrived (a few kB of drawing)."""
    received = 0
    while received < 1000:
        message = await asyncio.wait_for(websocket.receive(), START_SECONDS)
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
        received += len(message.data)
    return received


async def status_of_socket(client: aiohttp.ClientSession, url: str, **headers: str) -> int:
    """The HTTP status a WebSocket handshake to `url` gets (101 when it is admitted)."""
    try:
        async with client.ws_connect(url, headers=headers):
            return 101
    except aiohttp.WSServerHandshakeError as refused:
        return refused.status


async def test_a_foreign_origin_or_host_is_refused(served: Served, client: aiohttp.ClientSession) -> None:
    evil = {"Origin": "http://evil.example"}
    async with client.get(served.url, headers=evil) as page:
        assert page.status == 403
        assert "Origin" in await page.text()
    assert await status_of_socket(client, served.socket_url(), **evil) == 403
    # DNS rebinding: a foreign name that resolves to 127.0.0.1
    rebound = {"Host": f"evil.example:{served.port}", "Origin": f"http://evil.example:{served.port}"}
    async with client.get(served.url, headers={"Host": rebound["Host"]}) as page:
        assert page.status == 403
    assert await status_of_socket(client, served.socket_url(), **rebound) == 403
    assert not apps_of(served.process.pid)
    async with client.get(served.url, headers={"Origin": served.base}) as page:  # its own origin
        assert page.status == 200


async def test_no_token_or_a_wrong_one_is_refused(served: Served, client: aiohttp.ClientSession) -> None:
    for url in (f"{served.base}/", f"{served.base}/?token=wrong", f"{served.base}/?token={TOKEN[:-1]}"):
        async with client.get(url) as page:
            assert page.status == 403, url
            assert "token" in await page.text()
    for url in (served.socket_url("wrong"), f"ws://127.0.0.1:{served.port}/ws?width=80&height=24"):
        assert await status_of_socket(client, url) == 403, url
    assert not apps_of(served.process.pid)


async def test_the_printed_url_gives_the_app_which_ends_with_its_socket(
    served: Served, client: aiohttp.ClientSession
) -> None:
    async with client.get(served.url) as page:
        assert page.status == 200
        html = await page.text()
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws/{TOKEN}"' in html
    async with client.ws_connect(served.socket_url(), headers={"Origin": served.base}) as websocket:
        assert await first_output(websocket) >= 1000
        (app,) = apps_of(served.process.pid)
        assert environment_of(app)[READ_ONLY_ENV] == "1"
    wait_until(lambda: not apps_of(served.process.pid), START_SECONDS, "the app to end with its socket")


async def test_a_huge_screen_is_clamped(served: Served, client: aiohttp.ClientSession) -> None:
    """Asked for at the start, the app is started at 500×200; asked for later, the app redraws at
    500×200 (over 50 kB of output) while its RSS, sampled every 50 ms for 5 s, stays under 300 MB
    (without the clamp it passes 300 MB one to three seconds after the resize and keeps growing)."""
    async with client.ws_connect(served.socket_url(width=30000, height=30000)) as websocket:
        await first_output(websocket)
        (app,) = apps_of(served.process.pid)
        environment = environment_of(app)
        assert (environment["COLUMNS"], environment["ROWS"]) == (str(MAX_WIDTH), str(MAX_HEIGHT))
        await websocket.send_json(["resize", {"width": 80, "height": 24}])
        await websocket.send_json(["resize", {"width": "a lot", "height": None}])  # ignored
        await websocket.send_json(["resize", {"width": 30000, "height": 30000}])
        resized, received, peak = time.monotonic(), 0, 0
        while received < 50_000 or time.monotonic() - resized < SAMPLE_SECONDS:
            peak = max(peak, rss(app))
            assert peak < RSS_LIMIT, f"app RSS {peak / 2**20:.0f} MB after asking for 30000×30000"
            assert time.monotonic() - resized < START_SECONDS, f"no redraw at 500×200 ({received} bytes)"
            try:
                message = await asyncio.wait_for(websocket.receive(), 0.05)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                received += len(message.data)
    wait_until(lambda: not apps_of(served.process.pid), START_SECONDS, "the app to end with its socket")


async def test_the_fifth_session_is_refused(served: Served, client: aiohttp.ClientSession) -> None:
    sessions = []
    try:
        for _ in range(4):
            websocket = await client.ws_connect(served.socket_url())
            sessions.append(websocket)
            await first_output(websocket)
        assert len(apps_of(served.process.pid)) == 4
        assert await status_of_socket(client, served.socket_url()) == 503
        await sessions.pop().close()
        wait_until(lambda: len(apps_of(served.process.pid)) == 3, START_SECONDS, "a session to end")
        # The place is free once the server has reaped that app, a moment after it is gone from /proc.
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                async with client.ws_connect(served.socket_url()) as websocket:  # a free place again
                    await first_output(websocket)
                break
            except aiohttp.WSServerHandshakeError as refused:
                assert refused.status == 503 and time.monotonic() < deadline, refused
                await asyncio.sleep(0.2)
    finally:
        for websocket in sessions:
            await websocket.close()
    wait_until(lambda: not apps_of(served.process.pid), START_SECONDS, "every app to end")


def test_a_host_other_than_loopback_is_warned_about() -> None:
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert exposure_warning(host) is None, host
    for host in ("0.0.0.0", "::", "192.168.1.20", "example.org"):
        warning = exposure_warning(host)
        assert warning is not None and "exposes the archive" in warning, host


def test_read_only_opens_the_store_without_write_access(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "copy.db"
    shutil.copy(seed_store, store)
    monkeypatch.setenv(READ_ONLY_ENV, "1")
    database = connect(store)
    try:
        assert database.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            database.execute("DELETE FROM documents")
    finally:
        database.conn.close()
    monkeypatch.delenv(READ_ONLY_ENV)
    database = connect(store)
    try:
        database.conn.execute("UPDATE metadata SET value = value")  # writable again without it
    finally:
        database.conn.close()
