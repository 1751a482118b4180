"""The keys file checked as data: unknown ids, keys taken from quit/help/palette, keys bound twice."""

from __future__ import annotations

from pathlib import Path

from dprk_tui.tui.app import RESERVED_BINDINGS, known_bindings
from dprk_tui.tui.keymap import KnownBinding, load_keymap

KNOWN = {
    binding.id: binding
    for binding in (
        KnownBinding("app.quit", "App", ("q",)),
        KnownBinding("app.help", "App", ("question_mark",)),
        KnownBinding("app.commands", "App", ("ctrl+p",)),
        KnownBinding("table.sort", "Table", ("s",)),
        KnownBinding("table.copy", "Table", ("y",)),
        KnownBinding("list.open", "List", ("enter",)),
    )
}
RESERVED = ("app.quit", "app.help", "app.commands")


def load(tmp_path: Path, text: str) -> tuple[dict[str, str], list[str]]:
    path = tmp_path / "keys.toml"
    path.write_text(text, encoding="utf-8")
    return load_keymap(path, KNOWN, RESERVED, "App")


def test_a_plain_remap_is_applied_without_a_word(tmp_path: Path) -> None:
    assert load(tmp_path, '"table.sort" = "z, x"\n') == ({"table.sort": "z,x"}, [])


def test_a_key_taken_from_quit_is_refused_and_the_rest_applied(tmp_path: Path) -> None:
    keymap, problems = load(tmp_path, '"table.sort" = "q,z"\n')
    assert keymap == {"table.sort": "z"}
    assert problems == ["keys.toml: 'table.sort' = 'q' would take q from app.quit; ignored"]


def test_quit_may_move_and_free_its_key(tmp_path: Path) -> None:
    keymap, problems = load(tmp_path, '"app.quit" = "ctrl+x"\n"table.sort" = "q"\n')
    assert keymap == {"app.quit": "ctrl+x", "table.sort": "q"} and problems == []


def test_a_key_bound_twice_in_one_scope_is_reported(tmp_path: Path) -> None:
    _keymap, problems = load(tmp_path, '"table.sort" = "y"\n')
    assert problems == ["keys.toml: y is bound twice, to table.sort and table.copy"]
    _keymap, problems = load(tmp_path, '"table.sort" = "w"\n"table.copy" = "w"\n')
    assert problems == ["keys.toml: w is bound twice, to table.sort and table.copy"]


def test_the_same_key_in_two_scopes_is_no_clash(tmp_path: Path) -> None:
    assert load(tmp_path, '"table.sort" = "enter"\n') == ({"table.sort": "enter"}, [])


def test_unknown_ids_and_non_string_keys_are_reported(tmp_path: Path) -> None:
    keymap, problems = load(tmp_path, '"no.such" = "x"\n"table.sort" = 3\n"table.copy" = ""\n')
    assert keymap == {}
    assert problems == [
        "keys.toml: unknown binding id 'no.such'",
        "keys.toml: 'table.sort' needs keys as a string, e.g. \"ctrl+o\"",
        "keys.toml: 'table.copy' needs keys as a string, e.g. \"ctrl+o\"",
    ]


def test_the_browser_reserves_quit_help_and_the_palette() -> None:
    known = known_bindings()
    assert set(RESERVED_BINDINGS) <= set(known)
    assert known["app.quit"].keys == ("q",) and known["app.help"].keys == ("question_mark",)
