"""`dprk-tui export`: the contract's field names, every format, and offsets that hold."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli import assert_clean_failure, run_cli

FIELDS = {
    "documents": ["id", "file", "path", "title", "date", "source", "words", "text", "author"],
    "actors": ["name", "type", "country", "aliases", "documents", "mentions"],
    "mentions": ["file", "start", "end", "text", "label", "actor"],
    "relations": ["file", "date", "source", "target", "type", "evidence", "start", "end", "trigger"],
}


def export(seed_store: Path, table: str, fmt: str = "jsonl") -> list[dict]:
    result = run_cli("export", table, "--db", seed_store, "--format", fmt)
    assert result.returncode == 0, result.stderr
    if fmt == "jsonl":
        return [json.loads(line) for line in result.stdout.splitlines()]
    if fmt == "json":
        return json.loads(result.stdout)
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("table", sorted(FIELDS))
def test_field_names(seed_store: Path, table: str) -> None:
    rows = export(seed_store, table)
    assert rows, table
    assert all(list(row) == FIELDS[table] for row in rows)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_formats_agree(seed_store: Path, fmt: str) -> None:
    rows = export(seed_store, "actors", fmt)
    names = [row["name"] for row in rows]
    assert names == [row["name"] for row in export(seed_store, "actors")]
    assert list(rows[0]) == FIELDS["actors"]


def test_offsets_hold_in_export(seed_store: Path) -> None:
    texts = {doc["file"]: doc["text"] for doc in export(seed_store, "documents")}
    mentions = export(seed_store, "mentions")
    relations = export(seed_store, "relations")
    assert mentions and relations
    for mention in mentions:
        assert texts[mention["file"]][mention["start"]:mention["end"]] == mention["text"]
    for relation in relations:
        assert texts[relation["file"]][relation["start"]:relation["end"]] == relation["evidence"]
        assert relation["trigger"] and relation["trigger"].lower() in relation["evidence"].lower(), relation
        assert relation["source"] != relation["target"]


def test_documents_carry_metadata(seed_store: Path) -> None:
    docs = {doc["file"][:3]: doc for doc in export(seed_store, "documents")}
    assert docs["000"]["date"] == "2019-11-20" and docs["000"]["source"] == "UPI"
    assert docs["003"]["source"] is None
    assert all(doc["words"] == len(doc["text"].split()) for doc in docs.values())


def test_actor_aliases_are_lists_and_counts_add_up(seed_store: Path) -> None:
    actors = export(seed_store, "actors")
    mentions = export(seed_store, "mentions")
    for actor in actors:
        assert isinstance(actor["aliases"], list)
        assert actor["mentions"] == sum(1 for m in mentions if m["actor"] == actor["name"])
        assert actor["documents"] == len({m["file"] for m in mentions if m["actor"] == actor["name"]})


def test_export_to_file_is_atomic(seed_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "relations.csv"
    result = run_cli("export", "relations", "--db", seed_store, "--format", "csv", "-o", target)
    assert result.returncode == 0, result.stderr
    assert target.read_text().startswith("file,date,source,target,type,evidence,start,end")
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(
    ("args", "needle"),
    [(["export", "people"], "'people' is not one of 'documents'"), (["export", "actors", "--format", "xml"], "'xml' is not one of 'jsonl'")],
)
def test_bad_export_values(seed_store: Path, args: list[str], needle: str) -> None:
    assert_clean_failure(run_cli(*args, "--db", seed_store), needle)
