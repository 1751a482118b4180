"""User key bindings: a file that maps binding ids to keys, applied with `App.set_keymap`.

The file is `keys.toml` (or `keys.json`) in the user config directory (`~/.config/dprk-tui/` on
Linux), or the file named by `DPRK_TUI_KEYS`. Either holds binding ids and comma-separated keys, at
the top level or under a `keys` table:

    # ~/.config/dprk-tui/keys.toml
    [keys]
    "relations.sort" = "o"          # sort with o instead of s
    "main.filters" = "f,F"          # two keys
    "app.quit" = "ctrl+c"

Every binding's id is listed by `binding_ids()` (and in the help screen's source). Unknown ids,
keys that are not strings and unreadable files are reported, never fatal: the browser starts with
the default keys.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
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


def load_keymap(path: Path | None, known_ids: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """(keymap, problems) from the keys file at `path` (no file: an empty keymap)."""
    if path is None:
        return {}, []
    if not path.exists():
        return {}, [f"{path}: no such file"] if os.environ.get(KEYS_ENV) else []
    try:
        raw = parse_keymap(path.read_text(encoding="utf-8"), path.suffix.lower())
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return {}, [f"{path}: {exc}"]
    known = set(known_ids)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        if binding_id not in known:
            problems.append(f"{path.name}: unknown binding id {binding_id!r}")
        elif not isinstance(keys, str) or not keys.strip():
            problems.append(f"{path.name}: {binding_id!r} needs keys as a string, e.g. \"ctrl+o\"")
        else:
            keymap[binding_id] = ",".join(key.strip() for key in keys.split(",") if key.strip())
    return keymap, problems


def binding_ids() -> dict[str, str]:
    """Every binding id of the browser, with what it does (for validation and documentation)."""
    from textual.binding import Binding

    from dprk_tui.tui.app import DprkApp
    from dprk_tui.tui.screens.actor import ActorScreen
    from dprk_tui.tui.screens.document import DocumentScreen
    from dprk_tui.tui.screens.evidence import EvidenceScreen
    from dprk_tui.tui.screens.filters import FilterScreen
    from dprk_tui.tui.screens.help import HelpScreen
    from dprk_tui.tui.screens.main import MainScreen
    from dprk_tui.tui.widgets.actor_card import ActorCard
    from dprk_tui.tui.widgets.article_text import ArticleText
    from dprk_tui.tui.widgets.counterpart_table import CounterpartTable
    from dprk_tui.tui.widgets.doc_list import DocList
    from dprk_tui.tui.widgets.doc_view import DocView
    from dprk_tui.tui.widgets.evidence_list import EvidenceList
    from dprk_tui.tui.widgets.paged_table import PagedTable
    from dprk_tui.tui.widgets.relation_table import RelationTable
    from dprk_tui.tui.widgets.search_bar import SearchBar

    found: dict[str, str] = {}
    for owner in (DprkApp, MainScreen, EvidenceScreen, DocumentScreen, ActorScreen, FilterScreen,
                  HelpScreen, PagedTable, DocList, RelationTable, EvidenceList, CounterpartTable,
                  DocView, ArticleText, ActorCard, SearchBar):
        for binding in owner.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                found.setdefault(binding.id, binding.description or binding.action)
    return found
