"""Typing like a user, including umlauts and other non-ASCII letters.

QTest.keyClicks maps characters to key codes and aborts on letters outside ASCII (ä, ł, emoji), so
those are sent as key events that carry the text, exactly as a keyboard layout would deliver them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


@contextmanager
def preview_answered(act: Callable[[QWidget], object]) -> Iterator[None]:
    """While the block runs, every document preview that opens gets `act` (e.g. click "Speichern unter …")
    and is then closed, as a user would; no handler outlives the block."""
    from PySide6.QtCore import QTimer

    from ui.preview import PreviewDialog

    state = {"done": False}

    def handle() -> None:
        if state["done"]:
            return
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PreviewDialog) and dialog.isVisible():
            act(dialog)
            dialog.accept()
        QTimer.singleShot(20, handle)

    QTimer.singleShot(0, handle)
    try:
        yield
    finally:
        state["done"] = True
