"""`dprk-tui serve`: the same browser in a web page, through textual-serve, for its user only.

Each WebSocket session starts its own `dprk-tui --db STORE` process, drawn in the page by
textual-serve. textual-serve itself admits anyone who can reach the port (any web page the user
visits, or a DNS-rebinding host name, could read the archive) and does what a client asks (a
30000×30000 screen grew an app past 4.7 GB). `GuardedServer` subclasses its `Server` and admits
only its user, as Jupyter does:

- a random token (or `--token`) in the printed URL, required on the page, the WebSocket and
  downloads (`?token=`; the page hands it to its WebSocket in the path, `/ws/TOKEN`); static
  assets (textual-serve's own scripts and fonts) need none;
- the `Host` header must name the bound address (`localhost`, `127.0.0.1` or `[::1]` when that is
  loopback; any host when bound to a wildcard address); an `Origin` header, when a browser sends
  one, must be this server's own (scheme://Host) or listed in `--allow-origin` (`*`: any);
- at most `max_sessions` WebSocket sessions at once, the next refused with 503;
- a screen of at most MAX_WIDTH×MAX_HEIGHT cells, whatever the client asks at start or later;
- an app process ends when its socket closes (asked to quit, killed if it has not within
  QUIT_SECONDS), and the socket closes when its app process ends;
- with `read_only` (the default), the app processes open the store read-only
  (`DPRK_TUI_READ_ONLY`, db/connection.py).

Refusals are plain 403/503 answers with a one-line reason, logged on the server's console.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import secrets
import shlex
import signal
import sys
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from dprk_tui.db.connection import READ_ONLY_ENV
from dprk_tui.db.errors import DprkError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 4
MAX_WIDTH, MAX_HEIGHT = 500, 200
"""The largest screen a client gets, in cells (a wide monitor at a small font is about 400×120)."""
QUIT_SECONDS = 5.0
"""How long an app has to quit after its socket closed before it is killed."""
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

log = logging.getLogger("dprk-tui.serve")


def is_loopback(host: str) -> bool:
    """Whether `host` is a name or address of this machine only."""
    if host.strip("[]").lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host.strip("[]") in ("", "0.0.0.0", "::")


def exposure_warning(host: str) -> str | None:
    """The warning to print before serving on `host`, or None for a loopback address."""
    if is_loopback(host):
        return None
    where = "every network this machine is on" if is_wildcard(host) else f"anyone who can reach {host}"
    return (f"warning: --host {host} exposes the archive to {where}; anyone with the URL (its token)"
            " can read it. Use the default 127.0.0.1 and an SSH tunnel to read it from elsewhere.")


def browser_command(db_path: Path) -> str:
    """The shell command textual-serve runs for each session: this Python, this store (`exec`, so
    the process it watches and stops is the app itself, not a shell)."""
    return f"exec {shlex.quote(sys.executable)} -m dprk_tui --db {shlex.quote(str(db_path))}"


def _clamp(value: int, largest: int) -> int:
    return max(1, min(value, largest))


class ClampedAppService(AppService):
    """textual-serve's AppService with a bounded screen, an app that ends with its socket (killed if
    it does not quit in time), and a socket that closes when its app ends."""

    def __init__(self, *args: Any, environment: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._extra_environment = environment

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(_clamp(width, MAX_WIDTH), _clamp(height, MAX_HEIGHT))
        environment.update(self._extra_environment)
        return environment

    async def set_terminal_size(self, width: int, height: int) -> None:
        if isinstance(width, int) and isinstance(height, int):  # a JSON message: could be anything
            await super().set_terminal_size(_clamp(width, MAX_WIDTH), _clamp(height, MAX_HEIGHT))

    async def run(self) -> None:
        await super().run()
        try:  # the app ended (quit, crashed): so does its session
            await self.remote_close()
        except Exception:  # noqa: BLE001 - the socket may be gone already
            pass

    async def stop(self) -> None:
        """Ask the app to quit; kill it if it has not within QUIT_SECONDS."""
        process, task = self._process, self._task
        if task is None:
            return
        self._task = None
        try:
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            await asyncio.wait_for(self.send_meta({"type": "quit"}), QUIT_SECONDS)
            await asyncio.wait_for(asyncio.shield(task), QUIT_SECONDS)
        except (asyncio.TimeoutError, ConnectionError, RuntimeError):
            pass
        finally:
            if process is not None and process.returncode is None:
                process.kill()
            if not task.done():
                await asyncio.wait({task}, timeout=QUIT_SECONDS)
            if process is not None:
                await asyncio.wait({asyncio.ensure_future(process.wait())}, timeout=QUIT_SECONDS)


class GuardedServer(Server):
    """textual-serve's Server behind a token, Host and Origin checks and a session limit."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        token: str,
        allow_origins: Iterable[str] = (),
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        environment: dict[str, str] | None = None,
        title: str = "dprk-tui",
    ) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.token = token
        self.allow_origins = {origin.rstrip("/").lower() for origin in allow_origins}
        self.max_sessions = max_sessions
        self.environment = environment or {}
        self.sessions = 0
        names = _LOOPBACK_NAMES if is_loopback(host) else (host.strip("[]"),)
        self.hosts: set[str] | None = (
            None if is_wildcard(host)
            else {f"[{name}]:{port}" if ":" in name else f"{name}:{port}" for name in names}
        )

    # -- admission -------------------------------------------------------------------------------
    def refusal(self, request: web.Request) -> str | None:
        """Why `request` is refused, or None when it may go on."""
        host = (request.headers.get("Host") or "").lower()
        if self.hosts is not None and host not in self.hosts:
            return f"Host {host or '(none)'!r} is not this server's address"
        origin = request.headers.get("Origin")
        if origin is not None:
            own = f"{request.scheme}://{host}"
            origin = origin.rstrip("/").lower()
            if origin != own and origin not in self.allow_origins and "*" not in self.allow_origins:
                return f"Origin {origin!r} is not this server's (--allow-origin admits others)"
        if request.path.startswith("/static/"):
            return None
        given = request.match_info.get("token") or request.query.get("token") or ""
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            return "no token, or the wrong one (use the URL printed when the server started)"
        return None

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        reason = self.refusal(request)
        if reason is not None:
            log.warning("refused %s %s: %s", request.method, request.path.split("/ws/")[0], reason)
            raise web.HTTPForbidden(text=f"dprk-tui serve: refused: {reason}\n")
        return await handler(request)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        app.router.add_get("/ws/{token}", self.handle_websocket)
        return app

    # -- pages and sessions ----------------------------------------------------------------------
    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's page, its WebSocket URL on the Host the page came from, with the token
        in its path (the page's script adds "?width=…&height=…" to it)."""
        context = await Server.handle_index.__wrapped__(self, request)  # type: ignore[attr-defined]
        context["app_websocket_url"] = f"ws://{request.host}/ws/{self.token}"
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.sessions >= self.max_sessions:
            log.warning("refused a session: %d open, --max-sessions %d", self.sessions, self.max_sessions)
            raise web.HTTPServiceUnavailable(
                text=f"dprk-tui serve: refused: {self.sessions} sessions open, the most allowed"
                " (--max-sessions)\n"
            )
        self.sessions += 1
        try:
            return await self._session(request)
        finally:
            self.sessions -= 1

    async def _session(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handle_websocket, with the clamped, ending app service."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _clamp(to_int(request.query.get("width", "80"), 80), MAX_WIDTH)
        height = _clamp(to_int(request.query.get("height", "24"), 24), MAX_HEIGHT)
        service: ClampedAppService | None = None
        try:
            await websocket.prepare(request)
            service = ClampedAppService(
                self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close, download_manager=self.download_manager, debug=self.debug,
                environment=self.environment,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one session's fault ends that session only
            log.warning("session ended: %s: %s", type(error).__name__, error)
        finally:
            if service is not None:
                await service.stop()
        return websocket

    # -- running ---------------------------------------------------------------------------------
    def serve(self, debug: bool = False, announce: Callable[[], None] = lambda: None) -> None:
        """textual-serve's serve, with `announce` called once the port is bound (so a busy port or
        a bad address is the only line, not a URL that does not work) and no access log (URLs
        hold the token)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signal_number, self.request_exit)
            except NotImplementedError:  # Windows
                pass
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                    access_log=None, print=lambda *_: announce())

    async def on_startup(self, app: web.Application) -> None:
        pass  # `announce` prints the URL once the port is bound


def serve(
    db_path: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    token: str | None = None,
    allow_origins: Iterable[str] = (),
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    read_only: bool = True,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the browser on http://host:port until interrupted; `announce` hears the URL."""
    token = token or secrets.token_urlsafe(24)
    environment = {READ_ONLY_ENV: "1"} if read_only else {}
    server = GuardedServer(
        browser_command(db_path), host=host, port=port, token=token, allow_origins=allow_origins,
        max_sessions=max_sessions, environment=environment,
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if is_wildcard(host) else shown}:{port}/?token={token}"
    try:
        server.serve(announce=lambda: announce(url))
    except OSError as exc:  # a busy port, an address this machine does not have, a bad name
        raise DprkError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None

