"""The actor dictionary's record schema, checked with msgspec (a schema validator, not hand-written
type checks), and the checks a schema cannot state: duplicate names, stop-word and overlong aliases.

`read_records(path, strict=...)` reads a JSON-lines dictionary file and returns the records that
passed with one `FILE:LINE: field: problem` line for each record or alias it refused. A bad record
is skipped and the rest loaded; a string where a list is expected ("aliases": "KJU") is an error,
never three one-letter aliases. With `strict` (the bundled dictionary) any problem is raised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import msgspec

from dprk_tui.db.errors import DprkError

MAX_ALIAS_CHARS = 200
MAX_RECORDS = 50_000
MAX_ALIASES = 50_000
"""A user dictionary of more records or aliases is refused whole: every ingest builds spaCy's
entity ruler from them. Measured with the real pipeline on this 2-core machine: 20,000 aliases
8.8 s and 0.47 GB, 50,000 aliases 17.5 s and 0.81 GB (spaCy's own load included); 200,000 took
140 s and 2.2 GB."""
STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "alias_stopwords.json"


class RoleRecord(msgspec.Struct, forbid_unknown_fields=True):
    title: str
    start: str | None = msgspec.field(default=None, name="from")
    end: str | None = msgspec.field(default=None, name="to")


class ActorRecord(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    type: Literal["PERSON", "ORG", "GPE"]
    country: str | None = None
    sector: str | None = None
    surname: str | None = None
    aliases: list[str] = []
    roles: list[RoleRecord] = []
    capital: str | None = None
    demonyms: list[str] = []


@dataclass(frozen=True)
class Checked:
    records: list[ActorRecord]
    problems: list[str]


_decoder = msgspec.json.Decoder(ActorRecord)
_stopwords: frozenset[str] | None = None


def stopwords() -> frozenset[str]:
    global _stopwords
    if _stopwords is None:
        _stopwords = frozenset(json.loads(STOPWORDS_FILE.read_text(encoding="utf-8"))["words"])
    return _stopwords


def read_records(path: Path, *, strict: bool = False) -> Checked:
    """The valid records of a dictionary file and a line per problem (see the module docstring)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DprkError(f"{path}: cannot read actor dictionary ({exc.strerror})") from None
    records: list[ActorRecord] = []
    problems: list[str] = []
    names: dict[str, int] = {}
    lines = data.splitlines()
    counted = sum(1 for line in lines if line.strip() and not line.lstrip().startswith(b"//"))
    if not strict and counted > MAX_RECORDS:
        raise DprkError(f"{path}: {counted:,} actor records; at most {MAX_RECORDS:,} are read (split the file)")
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith(b"//"):
            continue
        where = f"{path}:{number}"
        try:
            record = _decoder.decode(line)
        except msgspec.ValidationError as exc:
            problems.append(f"{where}: {_field_problem(str(exc))}")
            continue
        except msgspec.DecodeError as exc:
            problems.append(f"{where}: not valid JSON ({exc})")
            continue
        record.name = record.name.strip()
        if not record.name:
            problems.append(f"{where}: name: empty")
            continue
        if record.name in names:
            problems.append(f"{where}: name: {record.name!r} again (first on line {names[record.name]}); skipped")
            continue
        names[record.name] = number
        record.aliases = _checked_aliases(record, where, problems, strict)
        records.append(record)
    if strict and problems:
        raise DprkError(problems[0])
    aliases = sum(len(record.aliases) for record in records)
    if not strict and aliases > MAX_ALIASES:
        raise DprkError(f"{path}: {aliases:,} aliases; at most {MAX_ALIASES:,} are read (split the file)")
    return Checked(records, problems)


def _checked_aliases(record: ActorRecord, where: str, problems: list[str], strict: bool) -> list[str]:
    kept = []
    words = stopwords()
    for alias in record.aliases:
        alias = alias.strip()
        if not alias:
            continue
        if len(alias) > MAX_ALIAS_CHARS:
            problems.append(f"{where}: aliases: an alias of {len(alias):,} characters (at most {MAX_ALIAS_CHARS}); dropped")
        elif len(alias) == 1:
            problems.append(f"{where}: aliases: {alias!r} is one letter; dropped")
        elif not strict and alias.lower() in words and not alias.isupper():
            problems.append(f"{where}: aliases: {alias!r} is a common word, not a name; dropped")
        else:
            kept.append(alias)
    return kept


def _field_problem(message: str) -> str:
    """msgspec's "Expected `array`, got `str` - at `$.aliases`" as "aliases: expected an array, got
    a string"."""
    text, _, at = message.partition(" - at `$")
    field = at.rstrip("`").lstrip(".") or "record"
    plain = (text.replace("`array`", "a list").replace("`str`", "a string").replace("`int`", "a number")
             .replace("`float`", "a number").replace("`object`", "an object").replace("`null`", "null")
             .replace("`", ""))
    return f"{field}: {plain[:1].lower()}{plain[1:]}"
