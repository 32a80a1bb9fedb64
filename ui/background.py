"""Long work (imports, PDFs of hundreds of pages) off the GUI thread, with a progress dialog and cancel.

The job is a function taking `progress(done, total) -> bool`; it returns False once the user pressed
"Abbrechen", and the job then stops and rolls back (raising a UserError that says so).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from geschaeftsstelle.errors import UserError

Job = Callable[[Callable[[int, int], bool]], Any]
log = logging.getLogger(__name__)


def log_failure(exc: BaseException) -> None:
    """The traceback for support: file, line and code of each frame and the error's class, never its
    message (a message may quote what was typed or stored: a name, an e-mail address)."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("Hintergrundaufgabe fehlgeschlagen: %s\nTraceback (most recent call last):\n%s%s",
              type(exc).__name__, frames, type(exc).__name__)  # fmt: skip


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.cancelled = False

    def cancel(self) -> None:
        """Called directly from the GUI thread while `run` is busy; a plain flag is enough."""
        self.cancelled = True

    def run(self) -> None:
        def progress(done: int, total: int) -> bool:
            self.progressed.emit(done, total)
            return not self.cancelled

        try:
            result = self.job(progress)
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # shown to the user; nothing half-saved (jobs work in one transaction or a temp file)
            # The traceback for support, with the error's class only: its text may quote record values.
            log_failure(exc)
            self.failed.emit(f"Die Aufgabe ist fehlgeschlagen ({type(exc).__name__}: {exc}).")
            return
        self.finished.emit(result)


class BackgroundTask(QObject):
    """Run one job; `run()` returns (result, error message) once it is done or cancelled."""

    def __init__(self, parent: QWidget, label: str, job: Job) -> None:
        super().__init__(parent)
        self.dialog = QProgressDialog(label, "Abbrechen", 0, 0, parent)
        self.dialog.setWindowTitle("Bitte warten")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.worker_thread = QThread(self)
        self.worker = _Worker(job)
        self.worker.moveToThread(self.worker_thread)
        self.result: Any = None
        self.error: str | None = None
        self.worker.progressed.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self.worker_thread.quit)
        self.worker.failed.connect(self.worker_thread.quit)
        self.dialog.canceled.connect(self.worker.cancel, Qt.ConnectionType.DirectConnection)
        self.worker_thread.started.connect(self.worker.run)

    def run(self) -> tuple[Any, str | None]:
        loop = QEventLoop()
        self.worker_thread.finished.connect(loop.quit)
        self.worker_thread.start()
        loop.exec()  # the window keeps painting; the dialog appears if the job takes longer than 0.4 s
        self.worker_thread.wait()
        self.dialog.close()
        return self.result, self.error

    def _on_progress(self, done: int, total: int) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)

    def _on_finished(self, result: object) -> None:
        self.result = result

    def _on_failed(self, message: str) -> None:
        self.error = message


def run_in_background(parent: QWidget, label: str, job: Job) -> tuple[Any, str | None]:
    return BackgroundTask(parent, label, job).run()
