"""Installed as users install tools: the wheel, in a fresh virtual environment, without `-e`.

The wheel is built from this checkout and installed with its dependencies (from pip's cache or
PyPI) into a new venv; every command then runs from a folder outside the checkout, with the XDG
folders pointed at a temporary directory, so nothing of the source tree can be picked up.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78cM]")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--wheel-dir", str(out), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=600,
    )
    (built,) = out.glob("dprk_tui-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel (not editable) and its dependencies; returns its bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True, capture_output=True, text=True, timeout=900,
    )
    return venv / "bin"


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    """A user with empty XDG folders, running from a folder outside the checkout."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DPRK_TUI_", "PYTHON"))}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        (tmp_path / name).mkdir()
        env[name] = str(tmp_path / name)
    env["HOME"] = str(tmp_path)
    return env


def run(bin_dir: Path, *args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir / "dprk-tui"), *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)


def test_the_wheel_holds_one_package_and_the_seeds(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"dprk_tui", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}
    seeds = sorted(name for name in names if name.startswith("dprk_tui/seeds/"))
    assert [name.rsplit("/", 1)[1] for name in seeds] == sorted(path.name for path in (ROOT / "seeds").glob("*.txt"))
    with zipfile.ZipFile(wheel) as archive:
        for name in seeds:  # byte for byte the repository's seeds
            assert archive.read(name) == (ROOT / "seeds" / name.rsplit("/", 1)[1]).read_bytes()
    for data in ("dprk_tui/tui/app.tcss", "dprk_tui/db/extract/data/actors.jsonl", "dprk_tui/db/extract/data/relations.json"):
        assert data in names


def test_installed_tool_first_launch_search_and_export(installed: Path, user_env: dict[str, str], tmp_path: Path) -> None:
    site = next((installed.parent / "lib").glob("python3*/site-packages"))
    assert not (site / "db").exists() and not (site / "tui").exists()
    assert not list(site.glob("__editable__*"))

    version = run(installed, "--version", env=user_env, cwd=tmp_path)
    assert version.returncode == 0 and re.fullmatch(r"dprk-tui \S+\n", version.stdout), version
    module = subprocess.run([str(installed / "python"), "-m", "dprk_tui", "--version"], capture_output=True,
                            text=True, env=user_env, cwd=tmp_path, timeout=120)
    assert module.stdout == version.stdout

    store = Path(user_env["XDG_DATA_HOME"]) / "dprk-tui" / "dprk.db"
    screen = first_launch(installed / "dprk-tui", user_env, tmp_path)
    assert "Documents (5)" in screen
    assert store.is_file()

    found = run(installed, "search", "Lavrov", env=user_env, cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip()

    exported = run(installed, "export", "documents", env=user_env, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert sorted(row["file"] for row in rows) == sorted(path.name for path in (ROOT / "seeds").glob("*.txt"))


def first_launch(command: Path, env: dict[str, str], cwd: Path, timeout: float = 240) -> str:
    """Start `dprk-tui` (no arguments) on a pseudo-terminal, wait for the document list, press q;
    returns the text drawn."""
    master, slave = pty.openpty()
    process = subprocess.Popen([str(command)], stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                               env={**env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"},
                               start_new_session=True)
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        quit_sent = False
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
            if not quit_sent and b"Documents (5)" in _ESCAPES.sub(b"", bytes(output)):
                os.write(master, b"q")
                quit_sent = True
            if process.poll() is not None:
                break
        assert quit_sent, _ESCAPES.sub(b"", bytes(output)).decode("utf-8", "replace")[-2000:]
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    return _ESCAPES.sub(b"", bytes(output)).decode("utf-8", "replace")
