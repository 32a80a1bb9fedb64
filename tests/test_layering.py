"""The layering of the README's module map, checked on every import statement (also inside functions):
a test fails when a module reaches upward or the command line and the window call each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: What the store may use besides itself: nothing that lies above it.
STORE_ALLOWED = ("geschaeftsstelle.store", "geschaeftsstelle.errors", "geschaeftsstelle.paths",
                 "geschaeftsstelle.validation", "geschaeftsstelle.search",
                 "geschaeftsstelle.reply_codes")  # fmt: skip  (reply_codes: a leaf, imports only errors)


def imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _reaches(names: list[str], targets: tuple[str, ...]) -> list[str]:
    return [n for n in names if any(n == t or n.startswith(t + ".") for t in targets)]


@pytest.mark.parametrize("path", modules("geschaeftsstelle/store"), ids=lambda p: p.name)
def test_store_imports_nothing_above_it(path: Path) -> None:
    if "migrations/versions" in path.as_posix():
        return
    ours = [n for n in imports(path) if n.startswith("geschaeftsstelle.") or n == "geschaeftsstelle"]
    upward = [n for n in ours if not n.startswith(STORE_ALLOWED) and n != "geschaeftsstelle"]
    assert upward == [], f"{path.relative_to(ROOT)} importiert {upward}"


@pytest.mark.parametrize("path", modules("geschaeftsstelle"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_core_documents_and_cli_never_reach_up(path: Path) -> None:
    rel = path.relative_to(ROOT).as_posix()
    names = imports(path)
    assert _reaches(names, ("ui", "PySide6.QtWidgets")) == [], rel
    if not rel.startswith("geschaeftsstelle/cli/"):
        assert _reaches(names, ("geschaeftsstelle.cli",)) == [], rel
    if not rel.startswith(("geschaeftsstelle/cli/", "geschaeftsstelle/documents/")):
        assert _reaches(names, ("geschaeftsstelle.documents",)) == [], rel


@pytest.mark.parametrize("path", modules("geschaeftsstelle/documents"), ids=lambda p: p.name)
def test_documents_read_through_the_services_only(path: Path) -> None:
    """Documents get their data from the services' read models: no query of their own, so one rule names,
    addresses and counts the same on the board, in letters and in lists."""
    assert _reaches(imports(path), ("sqlalchemy",)) == [], path.name


@pytest.mark.parametrize("path", modules("ui"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_window_never_calls_the_command_line(path: Path) -> None:
    assert _reaches(imports(path), ("geschaeftsstelle.cli",)) == []


@pytest.mark.parametrize("path", modules("ui"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_views_share_page_names_not_the_window(path: Path) -> None:
    """Page identities live in ui/pages.py: only the start (ui/app.py) imports the main window, so no view
    or menu can form a circle with it."""
    if path.relative_to(ROOT).as_posix() in ("ui/app.py", "ui/main_window.py"):
        return
    assert _reaches(imports(path), ("ui.main_window",)) == []


@pytest.mark.parametrize("path", modules("ui"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_views_never_use_each_others_private_names(path: Path) -> None:
    """A view talks to another through its public methods and signals, never `other._field` or `_helper`."""
    tree = ast.parse(path.read_text("utf-8"))
    private_imports = [
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ui")
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert private_imports == []
    own = {  # the module's own private fields: its classes may share them (a proxy reading its model's rows)
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"
    }
    foreign = [
        f"{node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and node.attr not in own
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls", "super"))
        and not (isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                 and node.value.func.id == "super")
    ]  # fmt: skip
    assert foreign == [], f"{path.relative_to(ROOT)} greift auf fremde private Felder zu"
