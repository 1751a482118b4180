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
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_db_never_imports_textual_or_tui() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & {"textual", "tui"})
        for path in (ROOT / "db").rglob("*.py")
    }
    assert not {path: names for path, names in offenders.items() if names}


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(result.stdout.split())


def test_browser_and_cli_do_not_import_spacy() -> None:
    modules = loaded_after("import tui.cli, tui.app, db.store")
    assert "textual.app" in modules
    assert not {name for name in modules if name == "spacy" or name.startswith(("spacy.", "thinc"))}


def test_db_store_does_not_import_textual() -> None:
    modules = loaded_after("import db.store, db.export, db.ingest")
    assert not {name for name in modules if name.split(".")[0] in ("textual", "tui")}


def test_every_package_is_listed_for_installation() -> None:
    """pyproject's explicit package list names every package under db/ and tui/ (a wheel built
    without one would lack it)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("db", "tui") for init in (ROOT / top).rglob("__init__.py")
    }
    assert found == listed
