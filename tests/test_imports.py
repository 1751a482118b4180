"""Import contracts: db/ never imports textual or tui; the browser never imports spaCy at launch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _is_ui(name: str) -> bool:
    return name.split(".")[0] == "textual" or name == "dprk_tui.tui" or name.startswith("dprk_tui.tui.")


def test_db_never_imports_textual_or_tui() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(filter(_is_ui, imported_modules(path)))
        for path in (ROOT / "db").rglob("*.py")
    }
    assert not {path: names for path, names in offenders.items() if names}


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(result.stdout.split())


def test_browser_and_cli_do_not_import_spacy() -> None:
    modules = loaded_after("import dprk_tui.tui.cli, dprk_tui.tui.app, dprk_tui.db.store")
    assert "textual.app" in modules
    assert not {name for name in modules if name == "spacy" or name.startswith(("spacy.", "thinc"))}


def test_db_store_does_not_import_textual() -> None:
    modules = loaded_after("import dprk_tui.db.store, dprk_tui.db.export, dprk_tui.db.ingest")
    assert not {name for name in modules if _is_ui(name)}


def test_every_package_is_listed_for_installation() -> None:
    """pyproject's explicit package list names every package under dprk_tui/, db/ and tui/ (a wheel
    built without one would lack it), each mapped to its folder by package-dir."""
    import tomllib

    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    folders = setuptools["package-dir"]
    assert folders == {"dprk_tui": "dprk_tui", "dprk_tui.db": "db", "dprk_tui.tui": "tui"}
    found = {
        ".".join((package, *init.parent.relative_to(ROOT / folder).parts))
        for package, folder in folders.items() for init in (ROOT / folder).rglob("__init__.py")
    }
    assert found == listed
