"""The user's actor dictionary, checked with a schema: each bad record or alias reported as
FILE:LINE: field: problem and skipped, the rest loaded; a large file loads in bounded time."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from dprk_tui.db.errors import DprkError
from dprk_tui.db.extract.dictionary import BUNDLED_ACTORS, load_dictionary, read_entries
from dprk_tui.db.extract.dictionary_schema import MAX_ALIASES, MAX_RECORDS, read_records
from tests.cli import run_cli

BAD = [
    '{"name": "Kim Jong Un", "type": "PERSON", "aliases": "KJU"}',
    '{"name": "Nobody", "type": "PERSONNE"}',
    '{"name": "Acme Group", "type": "ORG", "aliases": ["said", "North", "Acme", "' + "a" * 201 + '", "Z", "WHO"]}',
    '{"name": "Acme Group", "type": "ORG"}',
    '{"type": "ORG"}',
    "not json",
    '{"name": "Somewhere", "type": "GPE", "roles": [{"title": 3}]}',
    '{"name": "Elsewhere", "type": "GPE", "colour": "red"}',
    '{"name": "Good Person", "type": "PERSON", "aliases": ["G. Person"], "roles": [{"title": "Envoy", "from": "2020"}]}',
]


def test_bad_records_are_named_and_skipped_and_the_rest_loaded(tmp_path: Path) -> None:
    path = tmp_path / "actors.jsonl"
    path.write_text("\n".join(BAD) + "\n", encoding="utf-8")
    problems: list[str] = []
    entries = read_entries(path, problems)
    assert [entry.name for entry in entries] == ["Acme Group", "Good Person"]
    assert entries[0].aliases == ["Acme", "WHO"]
    assert entries[1].roles[0].title == "Envoy" and entries[1].roles[0].start == "2020"
    assert problems == [
        f"{path}:1: aliases: expected a list, got a string",
        f"{path}:2: type: invalid enum value 'PERSONNE'",
        f"{path}:3: aliases: 'said' is a common word, not a name; dropped",
        f"{path}:3: aliases: 'North' is a common word, not a name; dropped",
        f"{path}:3: aliases: an alias of 201 characters (at most 200); dropped",
        f"{path}:3: aliases: 'Z' is one letter; dropped",
        f"{path}:4: name: 'Acme Group' again (first on line 3); skipped",
        f"{path}:5: record: object missing required field name",
        f"{path}:6: not valid JSON (JSON is malformed: invalid character (byte 4))",
        f"{path}:7: roles[0].title: expected a string, got a number",
        f"{path}:8: record: object contains unknown field colour",
    ]


def test_the_bundled_dictionary_has_no_problem() -> None:
    assert read_records(BUNDLED_ACTORS, strict=True).problems == []


def test_ingest_names_each_problem_and_goes_on(tmp_path: Path) -> None:
    actors = tmp_path / "actors.jsonl"
    actors.write_text("\n".join(BAD) + "\n", encoding="utf-8")
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Good Person met Kim Jong Un in Pyongyang on Monday.\n", encoding="utf-8")
    result = run_cli("ingest", corpus, "--db", tmp_path / "s.db", env={"DPRK_TUI_ACTORS": str(actors)})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"dprk-tui: {actors}:1: aliases: expected a list, got a string" in result.stderr
    assert "added 1" in result.stderr


def test_a_large_user_dictionary_loads_in_bounded_time(tmp_path: Path) -> None:
    """50,000 aliases (the most a user file may hold): schema check and dictionary index."""
    path = tmp_path / "big.jsonl"
    write_people(path, records=5_000, aliases=10)
    started = time.perf_counter()
    dictionary = load_dictionary(path)
    assert time.perf_counter() - started < 20
    assert len(dictionary.entries) > 5_000 and not dictionary.problems


def test_200000_aliases_are_refused_whole_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    write_people(path, records=20_000, aliases=10)
    with pytest.raises(DprkError, match=f"200,000 aliases; at most {MAX_ALIASES:,} are read"):
        load_dictionary(path)


def write_people(path: Path, *, records: int, aliases: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for number in range(records):
            names = [f"Person {number} Alias {index}" for index in range(aliases)]
            out.write(json.dumps({"name": f"Person Number {number}", "type": "PERSON", "aliases": names}) + "\n")


def test_too_many_records_are_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    path.write_text('{"name": "A B", "type": "ORG"}\n' * (MAX_RECORDS + 1), encoding="utf-8")
    with pytest.raises(DprkError, match=f"{MAX_RECORDS:,} are read"):
        read_entries(path, [])
