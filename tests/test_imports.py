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


def _module_graph() -> dict[str, set[str]]:
    """dprk_tui's modules and the dprk_tui modules each imports when it runs (imports under
    `if TYPE_CHECKING:` are for the type checker only and are left out)."""
    import tomllib

    folders = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    paths: dict[str, Path] = {}
    for package, folder in folders.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = [part for part in path.relative_to(ROOT / folder).with_suffix("").parts if part != "__init__"]
            if package == "dprk_tui" and parts and f"dprk_tui.{parts[0]}" in folders:
                continue
            paths[".".join([package, *parts])] = path
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for statement in node.body for inner in ast.walk(statement)
        }
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {target for target in targets if target in paths and target != name}
    return graph


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_no_import_circles() -> None:
    graph = _module_graph()
    assert len(graph) > 100 and "dprk_tui.tui.cli" in graph and "dprk_tui.db.store" in graph
    assert import_circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]  # the finder finds one
    assert import_circles(graph) == []
