"""Starting the Qt application: logging, error dialog, database, main window."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from geschaeftsstelle import APP_NAME
from geschaeftsstelle.database import open_database
from geschaeftsstelle.errors import UserError


def run_app(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    try:
        db = open_database(args.db)
    except UserError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    window = QMainWindow()
    window.setWindowTitle(f"{APP_NAME} – {db.describe()}")
    window.resize(1100, 720)
    window.show()
    return app.exec()
