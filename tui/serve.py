"""`dprk-tui serve`: the same browser in a web page, through textual-serve.

Each browser tab that opens the page starts its own `dprk-tui --db STORE` process, drawn in the
page by textual-serve. The server listens on 127.0.0.1 unless told otherwise: the store is not
meant for the open network (there is no login).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def browser_command(db_path: Path) -> str:
    """The shell command textual-serve runs for each page: this Python, this store."""
    return f"{shlex.quote(sys.executable)} -m dprk_tui --db {shlex.quote(str(db_path))}"


def serve(db_path: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the browser on http://host:port until interrupted."""
    from textual_serve.server import Server

    server = Server(browser_command(db_path), host=host, port=port, title="dprk-tui")
    server.serve()
