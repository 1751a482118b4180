"""User key bindings: a file that maps binding ids to keys, applied with `App.set_keymap`.

The file is `keys.toml` (or `keys.json`) in the user config directory (`~/.config/dprk-tui/` on
Linux), or the file named by `DPRK_TUI_KEYS`. Either holds binding ids and comma-separated keys, at
the top level or under a `keys` table:

    # ~/.config/dprk-tui/keys.toml
    [keys]
    "relations.sort" = "o"          # sort with o instead of s
    "main.filters" = "f,F"          # two keys
    "app.quit" = "ctrl+c"

The app hands `load_keymap` every binding it declares (`DprkApp.known_bindings()`); this module
imports no UI. Unknown ids, keys that are not strings, unreadable files, a key taken from quit, help
or the command palette, and a key bound twice in one scope are reported, never fatal: the browser
starts with the default keys for what the file could not say.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

KEYS_ENV = "DPRK_TUI_KEYS"
FILE_NAMES = ("keys.toml", "keys.json")


def keymap_path() -> Path | None:
    """The user's keys file, if there is one (DPRK_TUI_KEYS wins even when it does not exist;
    set to the empty string it means no keys file at all)."""
    override = os.environ.get(KEYS_ENV)
    if override is not None:
        return Path(override).expanduser() if override.strip() else None
    from platformdirs import user_config_dir

    folder = Path(user_config_dir("dprk-tui"))
    for name in FILE_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def parse_keymap(text: str, suffix: str) -> dict[str, object]:
    """The raw mapping in a keys file (TOML or JSON by suffix)."""
    if suffix == ".json":
        data = json.loads(text)
    else:
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            raise ValueError("TOML needs Python 3.11; use keys.json") from None
        data = tomllib.loads(text)
    if not isinstance(data, dict):
        raise ValueError("expected a table of binding ids and keys")
    keys = data.get("keys", data)
    if not isinstance(keys, dict):
        raise ValueError("`keys` must be a table of binding ids and keys")
    return keys


@dataclass(frozen=True)
class KnownBinding:
    """A binding the browser declares: its id, the class that declares it, its default keys."""

    id: str
    owner: str
    keys: tuple[str, ...]
    description: str = ""


def split_keys(keys: str) -> tuple[str, ...]:
    return tuple(key.strip() for key in keys.split(",") if key.strip())


def load_keymap(
    path: Path | None, known: Mapping[str, KnownBinding], reserved: Iterable[str] = (), app_owner: str = ""
) -> tuple[dict[str, str], list[str]]:
    """(keymap, problems) from the keys file at `path` (no file: an empty keymap).

    `known` is every binding the app declares (the app hands it over: this module imports no UI);
    `reserved` names the bindings no other binding may take a key from (quit, help, the command
    palette); `app_owner` is the owner whose bindings apply on every screen. Reported, never fatal:
    unknown ids, keys that are not strings, a key taken from a reserved binding (that key is
    ignored, so quit and help always stay reachable) and a key bound twice where both would apply
    (the same screen or widget, or the app and anything)."""
    if path is None:
        return {}, []
    if not path.exists():
        return {}, [f"{path}: no such file"] if os.environ.get(KEYS_ENV) else []
    try:
        raw = parse_keymap(path.read_text(encoding="utf-8"), path.suffix.lower())
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return {}, [f"{path}: {exc}"]
    asked: dict[str, tuple[str, ...]] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        if binding_id not in known:
            problems.append(f"{path.name}: unknown binding id {binding_id!r}")
        elif not isinstance(keys, str) or not split_keys(keys):
            problems.append(f"{path.name}: {binding_id!r} needs keys as a string, e.g. \"ctrl+o\"")
        else:
            asked[binding_id] = split_keys(keys)
    keymap = _apply_reserved(path.name, known, asked, set(reserved), problems)
    _report_clashes(path.name, known, keymap, app_owner, problems)
    return {binding_id: ",".join(keys) for binding_id, keys in keymap.items()}, problems


def _effective(known: Mapping[str, KnownBinding], keymap: Mapping[str, tuple[str, ...]], binding_id: str) -> tuple[str, ...]:
    return keymap.get(binding_id, known[binding_id].keys)


def _apply_reserved(
    name: str, known: Mapping[str, KnownBinding], asked: dict[str, tuple[str, ...]], reserved: set[str],
    problems: list[str],
) -> dict[str, tuple[str, ...]]:
    """The asked keys less those a reserved binding keeps (each reported)."""
    kept_by = {key: binding_id for binding_id in reserved if binding_id in known
               for key in _effective(known, asked, binding_id)}
    keymap: dict[str, tuple[str, ...]] = {}
    for binding_id, keys in asked.items():
        allowed = []
        for key in keys:
            holder = kept_by.get(key)
            if holder is not None and holder != binding_id:
                problems.append(f"{name}: {binding_id!r} = {key!r} would take {key} from {holder}; ignored")
            else:
                allowed.append(key)
        if allowed:
            keymap[binding_id] = tuple(allowed)
    return keymap


def _report_clashes(
    name: str, known: Mapping[str, KnownBinding], keymap: Mapping[str, tuple[str, ...]], app_owner: str,
    problems: list[str],
) -> None:
    """A key the file binds that another binding in the same scope also has (each pair said once,
    in the file's order)."""
    said: set[frozenset[str]] = set()
    for binding_id, keys in keymap.items():
        owner = known[binding_id].owner
        for other in known.values():
            if other.id == binding_id or other.owner not in (owner, app_owner) and owner != app_owner:
                continue
            for key in sorted(set(keys) & set(_effective(known, keymap, other.id))):
                if frozenset((binding_id, other.id, key)) not in said:
                    said.add(frozenset((binding_id, other.id, key)))
                    problems.append(f"{name}: {key} is bound twice, to {binding_id} and {other.id}")
