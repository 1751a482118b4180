"""`dprk-tui actors`: list, alias, merge, rename, corrections export/import, through the real console
entry point; every failure is one line and a non-zero exit."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.cli import assert_clean_failure, run_cli


@pytest.fixture()
def store_copy(seed_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store.db"
    shutil.copy(seed_store, copy)
    return copy


def exported_actors(store: Path) -> dict[str, dict]:
    result = run_cli("export", "actors", "--db", store)
    assert result.returncode == 0, result.stderr
    return {row["name"]: row for row in map(json.loads, result.stdout.splitlines())}


def test_help_shows_the_commands_and_the_user_dictionary_path() -> None:
    result = run_cli("actors", "--help")
    assert result.returncode == 0, result.stderr
    for command in ("list", "alias", "merge", "rename", "corrections", "import"):
        assert command in result.stdout
    assert os.environ["DPRK_TUI_ACTORS"] in result.stdout  # the user dictionary in use
    assert os.environ["DPRK_TUI_ACTORS"] in run_cli("--help").stdout  # also on the main help


def test_list_with_a_query_finds_names_and_aliases(seed_store: Path) -> None:
    result = run_cli("actors", "list", "--query", "choe", "--db", seed_store)
    assert result.returncode == 0, result.stderr
    names = [line.split("  ")[0] for line in result.stdout.splitlines()]
    assert set(names) == {"Choe Son Hui", "Choe Ryong Hae"}
    by_alias = run_cli("actors", "list", "-q", "DPRK", "--json", "--db", seed_store)
    rows = [json.loads(line) for line in by_alias.stdout.splitlines()]
    assert rows[0]["name"] == "North Korea" and rows[0]["mentions"] > 0
    assert_clean_failure(run_cli("actors", "list", "-q", "zzqx", "--db", seed_store), "no actors match")


def test_corrections_show_in_the_export_at_once(store_copy: Path) -> None:
    before = exported_actors(store_copy)
    assert run_cli("actors", "merge", "Mills", "Lopez", "--db", store_copy).returncode == 0
    renamed = run_cli("actors", "rename", "Sejong Institute", "Sejong Institute (Seongnam)", "--db", store_copy)
    assert renamed.returncode == 0 and "renamed" in renamed.stderr
    alias = run_cli("actors", "alias", "Vladimir Putin", "V. V. Putin", "--db", store_copy)
    assert alias.returncode == 0, alias.stderr
    after = exported_actors(store_copy)
    assert "Mills" not in after and after["Lopez"]["mentions"] == before["Lopez"]["mentions"] + before["Mills"]["mentions"]
    assert "Mills" in after["Lopez"]["aliases"]
    assert "Sejong Institute" in after["Sejong Institute (Seongnam)"]["aliases"]
    assert "V. V. Putin" in after["Vladimir Putin"]["aliases"]
    mentions = run_cli("export", "mentions", "--db", store_copy)
    assert '"actor": "Sejong Institute (Seongnam)"' in mentions.stdout


def test_wrong_corrections_fail_in_one_line_and_change_nothing(store_copy: Path) -> None:
    for args, needle in [
        (["merge", "Nobody Here", "Russia"], "no such actor"),
        (["rename", "Russia", "North Korea"], "already names North Korea"),
        (["alias", "Sung Kim", "DPRK"], "already names North Korea"),
        (["merge", "Russia", "Russian Federation"], "same actor"),
    ]:
        assert_clean_failure(run_cli("actors", *args, "--db", store_copy), needle)
    assert run_cli("actors", "corrections", "--db", store_copy).stdout == ""


def test_a_missing_store_fails_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    assert_clean_failure(run_cli("actors", "rename", "A", "B", "--db", missing), "no store here")
    assert not missing.exists()


def test_corrections_export_and_import_on_another_store(store_copy: Path, seed_store: Path, tmp_path: Path) -> None:
    assert run_cli("actors", "rename", "Russia", "Russian Federation", "--db", store_copy).returncode == 0
    exported = tmp_path / "corrections.jsonl"
    result = run_cli("actors", "corrections", "--db", store_copy, "-o", exported)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert records[0]["kind"] == "rename" and records[0]["target"] == "Russian Federation"
    other = tmp_path / "other.db"
    shutil.copy(seed_store, other)
    assert run_cli("actors", "import", exported, "--db", other).returncode == 0
    names = exported_actors(other)
    assert "Russian Federation" in names and "Russia" not in names
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "rename", "value": "Japan", "target": "Nippon"}\n{"kind": "split"}\n', encoding="utf-8")
    assert_clean_failure(run_cli("actors", "import", bad, "--db", other), "bad.jsonl:2")
    assert "Japan" in exported_actors(other)  # nothing applied from a file with a bad line


def test_names_with_terminal_controls_are_refused_and_listing_is_inert(seed_store, tmp_path) -> None:
    import shutil

    from tests.cli import assert_clean_failure, run_cli

    store = tmp_path / "store.db"
    shutil.copy(seed_store, store)
    assert_clean_failure(
        run_cli("actors", "rename", "Sung Kim", "Sung \x1b[31mKim", "--db", store),
        "cannot hold control",
    )
    listing = run_cli("actors", "list", "--query", "Sung", "--db", store)
    assert listing.returncode == 0 and "Sung Kim" in listing.stdout and "\x1b" not in listing.stdout
