"""Starting the window: error hook and log file first, then the database, then the main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from geschaeftsstelle import APP_ID, APP_NAME, __version__, log_setup, paths, privacy
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store import backup, integrity
from geschaeftsstelle.store.database import Database

log = logging.getLogger(__name__)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """A bug must not close the window silently: log it (frames and error class, never the values) and tell
    the user in one German sentence where the details are; no traceback reaches the screen."""
    log.critical("Unerwarteter Fehler", exc_info=(kind, value, tb))
    if isinstance(value, UserError):
        QMessageBox.warning(QApplication.activeWindow(), APP_NAME, str(value))
        return
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(APP_NAME)
    box.setText("Ein unerwarteter Programmfehler ist aufgetreten. Ihre gespeicherten Daten sind sicher.")
    where = log_setup.log_path()
    box.setInformativeText(
        f"Bitte melden Sie den Fehler ({kind.__name__}) mit der Protokolldatei {where}."
        if where
        else f"Bitte melden Sie den Fehler ({kind.__name__})."
    )
    box.exec()


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            QGuiApplication.highDpiScaleFactorRoundingPolicy().PassThrough
        )
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    translator = QTranslator(app)  # Qt's own texts (Ja/Nein, Abbrechen, Kontextmenüs) in German
    if translator.load(
        QLocale(QLocale.Language.German), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(translator)
    icon = paths.resource("icons", "app.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    if sys.platform == "win32":  # pragma: no cover - Windows only: our icon in the taskbar
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(f"{APP_ID}.{__version__}")
    return app


def run_app(args: argparse.Namespace) -> int:
    log_setup.configure()
    sys.excepthook = _excepthook
    app = make_application()
    from ui.settings_view import database_argument, install_password_prompt

    install_password_prompt()  # a missing or refused PostgreSQL password is asked for at the desk
    db_arg = database_argument(args.db)  # --db, $GESCHAEFTSSTELLE_DB, else the server chosen in Einstellungen
    try:
        db = integrity.open_checked(db_arg)
    except integrity.DamagedDatabaseError as exc:
        restored = _offer_restore(exc, db_arg)
        if restored is None:
            return 1
        db = restored
    except UserError as exc:
        log.error("Datenbank nicht geöffnet: %s", exc)
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    start_warnings = integrity.start_checks(db)
    _clear_old_needs(db)
    from ui.main_window import MainWindow

    window = MainWindow(db)
    if getattr(args, "screenshots", None):
        return take_screenshots(window, Path(args.screenshots))
    window.show()
    for warning in start_warnings:
        QMessageBox.warning(window, APP_NAME, warning)
    quit_after = os.environ.get("GESCHAEFTSSTELLE_QUIT_AFTER_MS")
    if quit_after:  # smoke tests of the installed program: start, show the window, close cleanly
        QTimer.singleShot(int(quit_after), window.close)
    else:  # an empty database without a letterhead: the setup assistant (ui/first_run.py)
        QTimer.singleShot(0, window.offer_first_run)
    code = app.exec()
    db.dispose()
    return code


def _offer_restore(exc: integrity.DamagedDatabaseError, db_arg: str | None) -> Database | None:
    """A damaged file: say so and offer the newest good backup; never work on it as if nothing happened."""
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, str(exc))
    restore_button = None
    if exc.newest_backup is not None:
        box.setInformativeText(f"Neueste lesbare Sicherung: {exc.newest_backup.describe()}")
        restore_button = box.addButton("Diese Sicherung wiederherstellen", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Beenden", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if restore_button is None or box.clickedButton() is not restore_button:
        return None
    assert exc.newest_backup is not None
    try:
        backup.restore(exc.path, exc.newest_backup.path)
        return integrity.open_checked(db_arg)
    except UserError as again:
        QMessageBox.critical(None, APP_NAME, str(again))
        return None


def _clear_old_needs(db: Database) -> None:
    """DSGVO: assistance and dietary needs are cleared three months after a meeting, at every start."""
    try:
        cleared = privacy.clear_old_needs(db)
    except UserError as exc:
        log.warning("Bedarfe nicht gelöscht: %s", exc)
        return
    if cleared:
        log.info("Assistenz- und Verpflegungsangaben in %d Einladungen gelöscht (älter als 3 Monate)", cleared)


def _save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise UserError(f"Das Bildschirmfoto „{path}“ kann nicht gespeichert werden.")


def take_screenshots(window: QWidget, folder: Path) -> int:
    """One PNG per main view, of the member dialog and of the letter template editor, for the README; then exit."""
    from ui.main_window import MainWindow
    from ui.member_dialog import MemberDialog
    from ui.pages import MEMBERS, PAGES
    from ui.table_models import ObjectRole

    assert isinstance(window, MainWindow)
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(1280, 800)
    window.show()
    names = ("mitglieder", "kontakte", "termine", "ehrenamtspreis", "einstellungen")
    for index, name in zip(range(len(PAGES)), names, strict=True):
        window.show_page(index)
        _save(window, folder / f"{index + 1}-{name}.png")
    window.show_page(MEMBERS)
    proxy = window.members.proxy  # the first member as listed (active, by name) with its contacts
    if proxy.rowCount():
        dialog = MemberDialog(window.db, proxy.index(0, 0).data(ObjectRole).id, window)
        dialog.show()
        _save(dialog, folder / "6-mitglied-dialog.png")
        dialog.tabs.setCurrentIndex(1)
        _save(dialog, folder / "7-mitglied-kontakte.png")
        dialog.close()
    _save_letter_templates(window, folder / "8-briefvorlagen.png")
    window.show_page(MEMBERS)  # the page the next start opens with, as before the screenshots
    window.close()
    print(f"Bildschirmfotos gespeichert in {folder}")
    return 0


def _save_letter_templates(window: QWidget, path: Path) -> None:
    """Einstellungen → Briefvorlagen with the invitation's preview drawn (waits up to 20 s for it)."""
    from PySide6.QtCore import QEventLoop

    from ui.main_window import MainWindow
    from ui.pages import SETTINGS

    assert isinstance(window, MainWindow)
    window.show_page(SETTINGS)
    view = window.settings.templates
    window.settings.tabs.setCurrentWidget(view)
    if view.preview_busy():
        loop = QEventLoop()
        view.previewFinished.connect(loop.quit)
        QTimer.singleShot(20_000, loop.quit)
        loop.exec()
    _save(window, path)
    window.settings.tabs.setCurrentIndex(0)
