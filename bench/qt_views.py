"""What the window benchmarks share: show a list view and wait for its first paint, type as a keyboard does."""

from __future__ import annotations

from typing import Any


def show_until_painted(view: Any) -> None:
    """Show `view` at a desk size and return once its table has painted (the moment a user sees rows)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class PaintSeen(QObject):
        seen = False

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    probe = PaintSeen()
    view.table.viewport().installEventFilter(probe)
    view.resize(1100, 700)
    view.show()
    while not probe.seen:
        QApplication.processEvents()
    view.table.viewport().removeEventFilter(probe)


def type_key(widget: Any, ch: str) -> None:
    """A key press carrying its text, as a German keyboard delivers „ü“ (QTest would refuse it)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
