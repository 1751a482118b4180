"""The actor dictionary: bundled data/actors.jsonl, with a user's file merged over it by name.

Format: one JSON object per line (see data/README.md). Lookups go through `name_key`, so spelling
variants that differ only in case, hyphens, periods or spacing need no entry of their own.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from dprk_tui.db.errors import DprkError
from dprk_tui.db.extract.dictionary_schema import ActorRecord, read_records
from dprk_tui.db.extract.names import TitleStripper, compact_key, is_acronym, name_key

DATA_DIR = Path(__file__).resolve().parent / "data"
BUNDLED_ACTORS = DATA_DIR / "actors.jsonl"
TITLES_FILE = DATA_DIR / "titles.json"
ACTOR_TYPES = {"PERSON", "ORG", "GPE"}


def user_dictionary_path() -> Path:
    """Where a user's own actor entries live (merged over the bundled dictionary by name)."""
    override = os.environ.get("DPRK_TUI_ACTORS")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("dprk-tui")) / "actors.jsonl"


@dataclass(frozen=True)
class Role:
    title: str
    start: str | None
    end: str | None

    def held_on(self, date: str) -> bool:
        """Whether the role was held on `date` (YYYY-MM-DD); partial dates ("2014", "2015-04")
        compare at their own precision, a missing end means the role is current."""
        if self.start and date[: len(self.start)] < self.start:
            return False
        return not (self.end and date[: len(self.end)] > self.end)


@dataclass
class ActorEntry:
    """One actor: canonical name, type, country (ISO3), sector, aliases and roles."""

    name: str
    type: str
    country: str | None = None
    sector: str | None = None
    surname: str | None = None
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    capital: str | None = None
    demonyms: list[str] = field(default_factory=list)

    def roles_on(self, date: str | None) -> list[Role]:
        """The roles held on `date`; every recorded role when the date is unknown."""
        return [role for role in self.roles if date is None or role.held_on(date)]

    @property
    def surface_forms(self) -> list[str]:
        """The name and its aliases, de-duplicated by key, name first."""
        seen: set[str] = set()
        forms = []
        for form in [self.name, *self.aliases]:
            key = name_key(form)
            if key and key not in seen:
                seen.add(key)
                forms.append(form)
        return forms


def _entry(record: ActorRecord) -> ActorEntry:
    return ActorEntry(
        name=record.name,
        type=record.type,
        country=record.country or None,
        sector=record.sector or None,
        surname=record.surname or None,
        aliases=list(record.aliases),
        roles=[Role(role.title, role.start, role.end) for role in record.roles if role.title],
        capital=record.capital or None,
        demonyms=[demonym for demonym in record.demonyms if demonym.strip()],
    )


def read_entries(path: Path, problems: list[str] | None = None) -> list[ActorEntry]:
    """Read a dictionary file (schema-checked, db/extract/dictionary_schema.py). With a `problems`
    list, every bad record is added to it as `FILE:LINE: field: problem` and skipped; without one
    (the bundled dictionary), the first problem raises DprkError."""
    checked = read_records(path, strict=problems is None)
    if problems is not None:
        problems.extend(checked.problems)
    return [_entry(record) for record in checked.records]


class Dictionary:
    """All known actors, indexed by name key, surname, capital and demonym."""

    def __init__(
        self, entries: list[ActorEntry], titles: list[str], patronymics: tuple[str, ...] = ()
    ) -> None:
        self.entries = entries
        self.problems: list[str] = []
        """What was wrong in the user's dictionary file (each record or alias skipped)."""
        self.patronymics = tuple(name_key(suffix) for suffix in patronymics)
        self.by_name = {entry.name: entry for entry in entries}
        self.by_key: dict[str, list[ActorEntry]] = defaultdict(list)
        self.capitals: dict[str, ActorEntry] = {}
        self.demonym_keys: set[str] = set()
        self.by_demonym: dict[str, ActorEntry] = {}
        self.surnames: dict[str, list[ActorEntry]] = defaultdict(list)
        self.by_compact: dict[str, list[ActorEntry]] = defaultdict(list)
        plain_keys: set[str] = set()  # keys that some form spells in ordinary letters
        acronym_keys: set[str] = set()
        for entry in entries:
            for form in entry.surface_forms:
                key = name_key(form)
                bucket = self.by_key[key]
                if entry not in bucket:
                    bucket.append(entry)
                (acronym_keys if is_acronym(form) else plain_keys).add(key)
                if " " in key:
                    compact = self.by_compact[compact_key(form)]
                    if entry not in compact:
                        compact.append(entry)
            if entry.capital:
                self.capitals[name_key(entry.capital)] = entry
            for demonym in entry.demonyms:
                self.demonym_keys.add(name_key(demonym))
                self.by_demonym.setdefault(name_key(demonym), entry)
            if entry.type == "PERSON" and entry.surname:
                self.surnames[name_key(entry.surname)].append(entry)
        # "US", "WHO", "SPA": these keys are also ordinary words ("us", "who", "spa").
        self.acronym_only: frozenset[str] = frozenset(acronym_keys - plain_keys)
        self.titles = TitleStripper(titles)

    def lookup(self, text: str) -> ActorEntry | None:
        """The one actor a name stands for, or None when unknown or ambiguous. The name is tried as
        written (so "General Staff of the KPA" is never read as the title "General"), then without
        leading titles ("Foreign Minister"), then without a leading state or nationality and titles
        ("U.S. Secretary of State Mike Pompeo"); last, with its spaces ignored ("Kim Jongun").
        An acronym-only key ("us") matches only when the text writes it in capitals."""
        key = name_key(text)
        candidates = dict.fromkeys(
            (key, self.titles.strip(key), self._strip_nationality(key), self._strip_patronymic(key))
        )
        for candidate in candidates:
            if candidate in self.acronym_only and candidate.upper() not in text.replace(".", ""):
                continue
            found = self.by_key.get(candidate, [])
            if found:
                return found[0] if len(found) == 1 else None
        for candidate in candidates:
            found = self.by_compact.get(candidate.replace(" ", ""), [])
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def ambiguous(self, text: str) -> list[ActorEntry]:
        """The actors a name could be when it names more than one ("National Security Council"),
        for the caller to choose from context; [] when the name is unknown or unambiguous."""
        key = name_key(text)
        for candidate in dict.fromkeys((key, self.titles.strip(key), self._strip_nationality(key))):
            found = self.by_key.get(candidate, [])
            if found:
                return list(found) if len(found) > 1 else []
        return []

    def state_of(self, key: str) -> ActorEntry | None:
        """The state a name key or nationality word stands for ("russian", "south korea")."""
        for entry in self.by_key.get(key, []):
            if entry.type == "GPE":
                return entry
        return self.by_demonym.get(key) or self.capitals.get(key)

    def is_known(self, key: str) -> bool:
        """Whether a name key is an actor name or alias, a capital, a demonym or a title."""
        return (
            key in self.by_key or key in self.capitals or key in self.demonym_keys
            or key in self.titles.keys
        )

    def surname_holders(self, key: str, date: str | None) -> list[ActorEntry]:
        """Dictionary persons with this surname who held a recorded role on `date`; when the date
        is unknown, the one person with this surname, if there is only one and a role is recorded."""
        holders = self.surnames.get(key, [])
        if date is None:
            return holders if len(holders) == 1 and holders[0].roles else []
        return [entry for entry in holders if entry.roles_on(date)]

    def _strip_patronymic(self, key: str) -> str:
        """"vladimir vladimirovich putin" -> "vladimir putin" (Russian name, patronymic, surname)."""
        words = self.titles.strip(key).split()
        if len(words) == 3 and self.patronymics and words[1].endswith(self.patronymics):
            return f"{words[0]} {words[2]}"
        return key

    def _strip_nationality(self, key: str) -> str:
        words = key.split()
        for size in (3, 2, 1):
            head = " ".join(words[:size])
            if len(words) > size and (
                head in self.demonym_keys
                or any(e.type == "GPE" for e in self.by_key.get(head, []))
            ):
                return self.titles.strip(" ".join(words[size:]))
        return key


def _titles_data() -> dict:
    try:
        return json.loads(TITLES_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def load_titles() -> list[str]:
    """Titles and honorifics (data/titles.json), stripped before names."""
    data = _titles_data()
    return [*data.get("titles", []), *data.get("honorifics", [])]


def load_patronymics() -> tuple[str, ...]:
    """Endings of Russian patronymics ("Vladimirovich"), dropped from three-part names."""
    return tuple(_titles_data().get("patronymic_suffixes", []))


def load_dictionary(user_path: Path | None = None) -> Dictionary:
    """The bundled dictionary with the user's entries (if any) replacing or adding by name."""
    merged = {entry.name: entry for entry in read_entries(BUNDLED_ACTORS)}
    user_path = user_path if user_path is not None else user_dictionary_path()
    try:
        present = user_path.is_file()
    except OSError as exc:  # an unreadable home or config folder
        raise DprkError(f"{user_path}: cannot check the user actor dictionary ({exc.strerror})") from None
    problems: list[str] = []
    if present:
        for entry in read_entries(user_path, problems):
            merged[entry.name] = entry
    dictionary = Dictionary(list(merged.values()), load_titles(), load_patronymics())
    dictionary.problems = problems
    return dictionary
