"""Alt-letters and shortcuts (issue 18.7): a walk over every dialog and the main window's menus.

Qt gives an ambiguous shortcut to no one: two captions with Alt+S in one dialog, or Ctrl+N on a page and in
the window's menu, and the key does nothing. A caption with "&" but no buddy shows the ampersand and its
letter is dead. The walk fails on each, naming the dialog, the key and the texts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QWidget,
    QWizardPage,
)
from pytestqt.qtbot import QtBot

from geschaeftsstelle.store.database import Database

#: One page of a tab widget, stacked widget or wizard: (container id, page id). Keys on two different
#: pages of one container never meet; everything else in a window does.
PagePath = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Key:
    keys: str
    text: str
    path: PagePath


def mnemonic(text: str) -> str:
    return QKeySequence.mnemonic(text).toString(QKeySequence.SequenceFormat.PortableText)


def _single_ampersand(text: str) -> bool:
    return "&" in text.replace("&&", "")


def _page_path(widget: QWidget, root: QWidget) -> PagePath | None:
    """The pages the widget sits on; None when it is hidden for another reason (not part of the dialog now)."""
    path: list[tuple[int, int]] = []
    w: QWidget | None = widget
    while w is not None and w is not root:
        parent = w.parentWidget()
        if isinstance(parent, QStackedWidget):
            path.append((id(parent), parent.indexOf(w)))
        elif isinstance(w, QWizardPage):
            path.append((id(root), id(w)))
        elif w.isHidden():
            return None
        w = parent
    return tuple(reversed(path))


def _meet(a: PagePath, b: PagePath) -> bool:
    """Both keys are live at once: neither sits on a page the other one's container hides."""
    return a[: len(b)] == b or b[: len(a)] == a


def _focusable(widget: QWidget | None) -> bool:
    while widget is not None and widget.focusProxy() is not None:
        widget = widget.focusProxy()
    return widget is not None and widget.focusPolicy() != Qt.FocusPolicy.NoFocus  # disabled for now is fine


def window_keys(root: QWidget) -> tuple[list[Key], list[str]]:
    """Every Alt-letter and shortcut of a window with the pages it is live on, and the dead or visible "&"."""
    keys: list[Key] = []
    problems: list[str] = []
    seen_actions: set[int] = set()
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if isinstance(w, QMenu):
            continue
        path = _page_path(w, root)
        if path is None:
            continue
        if isinstance(w, QLabel):
            text = w.text()
            if _single_ampersand(text) and w.textFormat() != Qt.TextFormat.RichText:
                if w.buddy() is None:
                    problems.append(f"„{text}“ zeigt das & und sein Buchstabe tut nichts (kein Buddy)")
                elif not _focusable(w.buddy()):
                    problems.append(f"„{text}“: Alt+Buchstabe führt zu einem Feld, das keinen Fokus nimmt")
                else:
                    keys.append(Key(mnemonic(text), text, path))
        elif isinstance(w, QAbstractButton) and not (isinstance(w, QToolButton) and w.defaultAction()):
            if _single_ampersand(w.text()):
                keys.append(Key(mnemonic(w.text()), w.text(), path))
        elif isinstance(w, QGroupBox) and _single_ampersand(w.title()):
            keys.append(Key(mnemonic(w.title()), w.title(), path))
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if _single_ampersand(w.tabText(i)) and w.isTabVisible(i):
                    keys.append(Key(mnemonic(w.tabText(i)), w.tabText(i), path))
        for action in w.actions():
            if id(action) in seen_actions or isinstance(w, QMenu):
                continue
            seen_actions.add(id(action))
            for seq in action.shortcuts():
                if action.shortcutContext() != Qt.ShortcutContext.WidgetShortcut:
                    keys.append(Key(seq.toString(QKeySequence.SequenceFormat.PortableText), action.text(), path))
        for shortcut in w.findChildren(QShortcut, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if shortcut.context() != Qt.ShortcutContext.WidgetShortcut and shortcut.isEnabled():
                text = shortcut.key().toString(QKeySequence.SequenceFormat.PortableText)
                keys.append(Key(text, f"Kurzbefehl {text}", path))
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            if _single_ampersand(action.text()):
                keys.append(Key(mnemonic(action.text()), f"Menü {action.text()}", ()))
            if isinstance(sub := action.menu(), QMenu):
                keys += _menu_shortcuts(sub, seen_actions)
    return keys, problems


def _menu_shortcuts(menu: QMenu, seen: set[int]) -> Iterator[Key]:
    for action in menu.actions():
        if isinstance(sub := action.menu(), QMenu):
            yield from _menu_shortcuts(sub, seen)
        elif id(action) not in seen:
            seen.add(id(action))
            for seq in action.shortcuts():
                yield Key(seq.toString(QKeySequence.SequenceFormat.PortableText), action.text(), ())


def clashes(keys: list[Key]) -> list[str]:
    found = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if a.keys == b.keys and a.keys and _meet(a.path, b.path):
                found.append(f"{a.keys}: „{a.text}“ und „{b.text}“")
    return found


def menu_problems(menu: QMenu, where: str) -> list[str]:
    """Within one menu level every entry has its own letter (Alt+D in „Datei“ chooses one entry)."""
    problems = []
    letters: dict[str, str] = {}
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        text = action.text()
        if not _single_ampersand(text):
            problems.append(f"{where}: „{text}“ hat keinen Buchstaben")
        else:
            letter = mnemonic(text)
            if letter in letters:
                problems.append(f"{where}: {letter} in „{letters[letter]}“ und „{text}“")
            letters[letter] = text
        if isinstance(sub := action.menu(), QMenu):
            problems += menu_problems(sub, f"{where} › {text}")
    return problems


# --------------------------------------------------------------------------- every dialog, with the demo office


@pytest.fixture
def demo(sqlite_db: Database) -> Database:
    from geschaeftsstelle.demo import load_demo

    load_demo(sqlite_db, today=dt.date(2026, 11, 23))
    return sqlite_db


def _ids(db: Database) -> dict[str, int]:
    from sqlalchemy import select

    from geschaeftsstelle.store.models import Award, Contact, Meeting, Member, Nomination

    with db.read() as s:
        return {
            "meeting": s.scalars(select(Meeting.id).order_by(Meeting.id)).first() or 0,
            "member": s.scalars(select(Member.id).order_by(Member.id)).first() or 0,
            "contact": s.scalars(select(Contact.id).order_by(Contact.id)).first() or 0,
            "award": s.scalars(select(Award.id).order_by(Award.id)).first() or 0,
            "nomination": s.scalars(select(Nomination.id).order_by(Nomination.id)).first() or 0,
        }


def all_dialogs(db: Database) -> Iterator[tuple[str, Callable[[], QWidget]]]:
    """A factory for each dialog and window of ui/ (new and existing records)."""
    from geschaeftsstelle import invitations as inv
    from geschaeftsstelle.meetings import load_meeting_input
    from ui.anniversaries_dialog import AnniversariesDialog
    from ui.audit_log_view import AuditLogDialog
    from ui.awards.award_dialog import AwardDialog
    from ui.awards.nomination_dialog import NominationDialog
    from ui.backup_dialog import RestoreDialog
    from ui.contact_dialog import ContactDialog
    from ui.documents_menu import DocumentDialog, meeting_documents
    from ui.first_run import FirstRunWizard
    from ui.import_wizard import ImportWizard
    from ui.main_window import MainWindow
    from ui.meetings.board import ReplyDialog, RsvpBoard, WalkInDialog
    from ui.meetings.meeting_dialog import MeetingDialog, VenueDialog
    from ui.meetings.planning_dialog import PlanningDialog
    from ui.meetings.reply_entry import ReplyEntryDialog
    from ui.meetings.reply_import_dialog import ReplyImportDialog
    from ui.meetings.statistics_view import StatisticsDialog
    from ui.member_dialog import MemberDialog
    from ui.privacy_dialogs import FormerMembersContactsDialog

    ids = _ids(db)
    board_row = inv.load_board(db, ids["meeting"]).rows[0]
    yield "Hauptfenster", lambda: MainWindow(db)
    yield "Mitglied (neu)", lambda: MemberDialog(db)
    yield "Mitglied", lambda: MemberDialog(db, ids["member"])
    yield "Kontakt (neu)", lambda: ContactDialog(db)
    yield "Kontakt", lambda: ContactDialog(db, ids["contact"])
    yield "Termin", lambda: MeetingDialog(db, load_meeting_input(db, ids["meeting"]))
    yield "Ort", lambda: VenueDialog(db)
    yield "Jahresplanung", lambda: PlanningDialog(db)
    yield "Rückmeldungen", lambda: RsvpBoard(db, ids["meeting"])
    yield "Rückmeldung", lambda: ReplyDialog(board_row)
    yield "Spontan dazu", lambda: WalkInDialog([(1, "Anna Apel")])
    yield "Rückmeldung erfassen", lambda: ReplyEntryDialog(db)
    yield "Anmeldungen importieren", lambda: ReplyImportDialog(db, ids["meeting"])
    yield "Statistik", lambda: StatisticsDialog(db, 2026)
    yield "Preis", lambda: AwardDialog(db, ids["award"])
    yield "Preis (neu)", lambda: AwardDialog(db)
    yield "Nominierung", lambda: NominationDialog(db, ids["award"], ids["nomination"])
    yield "Nominierung (neu)", lambda: NominationDialog(db, ids["award"])
    yield "Jubiläen", lambda: AnniversariesDialog(db, year=2026)
    yield "Änderungsprotokoll", lambda: AuditLogDialog(db)
    yield "Sicherung", lambda: RestoreDialog(db)
    yield "Ehemalige", lambda: FormerMembersContactsDialog(db)
    yield "Import", lambda: ImportWizard(db)
    yield "Einrichtung", lambda: FirstRunWizard(db, repeat=True)
    yield "Dokument", lambda: DocumentDialog(meeting_documents(ids["meeting"], "Termin", 2026))


def _walk(qtbot: QtBot, db: Database) -> Iterator[tuple[str, QWidget]]:
    for name, make in all_dialogs(db):
        widget = make()
        qtbot.addWidget(widget)
        widget.show()
        yield name, widget  # a wizard's pages are walked as pages: each one with the wizard's buttons


def test_every_dialog_has_unique_live_alt_letters(qtbot: QtBot, demo: Database) -> None:
    problems: list[str] = []
    for name, widget in _walk(qtbot, demo):
        keys, dead = window_keys(widget)
        problems += [f"{name}: {p}" for p in dead + clashes(keys)]
        if isinstance(widget, QMainWindow):
            for action in widget.menuBar().actions():
                if isinstance(sub := action.menu(), QMenu):
                    problems += menu_problems(sub, f"{name}: Menü {action.text()}")
    assert not problems, "\n".join(problems)


def test_the_walk_finds_a_clash_a_dead_letter_and_a_shown_ampersand(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QPushButton

    dialog = QDialog()
    qtbot.addWidget(dialog)
    form = QFormLayout(dialog)
    form.addRow("&Status", QLineEdit())
    form.addRow(QLabel("&Kriterien"), QWidget())
    form.addRow(QPushButton("&Speichern"))
    dialog.show()
    keys, dead = window_keys(dialog)
    assert clashes(keys) == ["Alt+S: „&Status“ und „&Speichern“"]
    assert len(dead) == 1
    assert "Kriterien" in dead[0]
