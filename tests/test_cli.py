"""The command line: help on every command, search from the shell, one-line failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import assert_clean_failure, run_cli


@pytest.mark.parametrize("command", [[], ["ingest"], ["search"], ["export"], ["eval"]])
def test_help_says_what_each_command_does(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "--db" in result.stdout
    assert "Usage" in result.stdout


def test_search_prints_one_line_per_hit(seed_store: Path) -> None:
    result = run_cli("search", "Putin", "--db", seed_store)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # bm25: 001 names Putin four times, 003 once.
    assert [line[:10] for line in lines] == ["2014-11-17", "2024-01-27"]
    assert "Putin" in lines[1] and "003_6a2ebac98f284586.txt" in lines[1]


def test_search_limit(seed_store: Path) -> None:
    result = run_cli("search", "Korea", "--db", seed_store, "--limit", "2")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 2


@pytest.mark.parametrize("query", ['"unbalanced', "NEAR(", "col:x", "AND OR NOT", "[/x] [b]", "🙂"])
def test_search_any_string_never_tracebacks(seed_store: Path, query: str) -> None:
    result = run_cli("search", query, "--db", seed_store)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1)


def test_no_hits_is_a_clean_message(seed_store: Path) -> None:
    assert_clean_failure(run_cli("search", "zzzzqqq", "--db", seed_store), "no documents match")


def test_missing_store_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    assert_clean_failure(run_cli("search", "x", "--db", missing), str(missing), "no store here")
    assert_clean_failure(run_cli("--db", missing), "no store here")
    assert not missing.exists()


def test_not_a_store_is_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "x.db"
    bogus.write_bytes(b"\x89PNG\r\n" + bytes(2000))
    assert_clean_failure(run_cli("export", "documents", "--db", bogus), str(bogus), "not a dprk-tui store")


def test_first_launch_builds_the_default_store_from_the_seeds(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = tmp_path / "data" / "dprk.db"
    code = "from dprk_tui.tui.cli import prepare_store; print(prepare_store(None))"
    env = {"DPRK_TUI_DB": str(store)}
    import os

    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, **env}, timeout=300)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == str(store) and "First launch" in first.stderr
    assert "added 5, duplicates skipped 0, failed 0" in first.stderr
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, **env}, timeout=60)
    assert second.returncode == 0 and "First launch" not in second.stderr


def test_a_failed_first_launch_leaves_no_store(tmp_path: Path) -> None:
    store = tmp_path / "data" / "dprk.db"
    result = run_cli(env={"DPRK_TUI_DB": str(store), "DPRK_TUI_MODEL": "no_such_model"})
    assert result.returncode == 1 and "no_such_model" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(store.parent.glob("dprk.db*"))


def test_an_empty_default_store_is_said_and_rebuilt(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from dprk_tui.db.connection import connect

    store = tmp_path / "dprk.db"
    connect(store, create=True).conn.close()  # what a failed first launch of an older version left behind
    code = "from dprk_tui.tui.cli import prepare_store; print(prepare_store(None))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "DPRK_TUI_DB": str(store)}, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "holds no documents" in result.stderr and "added 5" in result.stderr


def test_unknown_theme_is_one_line(seed_store: Path) -> None:
    result = run_cli("--theme", "no-such-theme", "--db", seed_store)
    assert_clean_failure(result, "--theme 'no-such-theme'", "ansi-dark")
    assert result.returncode == 2
    from_env = run_cli("--db", seed_store, env={"DPRK_TUI_THEME": "nope"})
    assert_clean_failure(from_env, "--theme 'nope'")


def test_theme_is_applied_at_start(seed_store: Path) -> None:
    from dprk_tui.tui.app import DprkApp

    assert DprkApp(seed_store, theme="ansi-dark").theme == "ansi-dark"
    assert DprkApp(seed_store).theme == "textual-dark"
