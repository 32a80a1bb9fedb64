"""Screen readers (issue 18.8): every input a user can reach by Tab has a name a screen reader says.

The name comes from a caption whose buddy the input is, a button's text, or setAccessibleName; the walk takes
Qt's accessibility interface, so it checks what NVDA or Orca would read, for every dialog of the program.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QDialog, QFormLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from geschaeftsstelle.store.database import Database
from tests.test_ui_shortcuts import _page_path, _walk, demo  # noqa: F401  (demo is the fixture)


def _inner_part(w: QWidget) -> bool:
    """The line edit inside a combo box or spin box is named through its owner."""
    parent = w.parentWidget()
    return isinstance(parent, QComboBox | QAbstractSpinBox) and isinstance(w, QLineEdit)


def unnamed_inputs(root: QWidget) -> list[str]:
    found = []
    for w in root.findChildren(QWidget):
        reached_by_tab = bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus) and w.focusProxy() is None
        if w.window() is not root or not reached_by_tab or _inner_part(w) or _page_path(w, root) is None:
            continue
        iface = QAccessible.queryAccessibleInterface(w)
        name = iface.text(QAccessible.Text.Name).strip() if iface is not None else ""
        if not name:
            found.append(f"{type(w).__name__} {w.objectName() or ''} {w.toolTip() or ''}".strip())
    return found


def test_every_input_of_every_dialog_has_a_name(qtbot: QtBot, demo: Database) -> None:  # noqa: F811
    problems: list[str] = []
    for name, widget in _walk(qtbot, demo):
        problems += [f"{name}: {p}" for p in unnamed_inputs(widget)]
    assert not problems, "\n".join(problems)


def test_the_walk_finds_an_unnamed_input(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    form = QFormLayout(dialog)
    form.addRow("Name", QLineEdit())
    form.addWidget(QLineEdit())
    dialog.show()
    assert unnamed_inputs(dialog) == ["QLineEdit"]
