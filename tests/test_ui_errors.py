"""A bug in the window: logged without record values, told to the user in German without a traceback."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from geschaeftsstelle import log_setup
from ui import app

pytestmark = pytest.mark.gui


def test_an_unexpected_error_is_logged_without_values_and_shown_without_traceback(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[str] = []

    def capture(box: QMessageBox) -> int:
        shown.extend([box.text(), box.informativeText(), box.detailedText()])
        return 0

    monkeypatch.setattr(QMessageBox, "exec", capture)
    try:
        raise ValueError("Zora Quellmalz, Rollstuhl")
    except ValueError as exc:
        with caplog.at_level(logging.CRITICAL):
            app._excepthook(type(exc), exc, exc.__traceback__)

    assert shown[0] == "Ein unerwarteter Programmfehler ist aufgetreten. Ihre gespeicherten Daten sind sicher."
    assert "ValueError" in shown[1]
    assert not any("Traceback" in text or "Quellmalz" in text for text in shown)
    record = caplog.records[-1]
    assert record.exc_info is not None
    assert record.exc_info[0] is ValueError
    formatted = log_setup.ValueFreeFormatter("%(message)s").format(record)
    assert "test_ui_errors.py" in formatted
    assert "ValueError" in formatted
    assert "Quellmalz" not in formatted
