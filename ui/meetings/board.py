"""RSVP board of one meeting: invitees, replies by keyboard, check-in, figures for venue and caterer.

Keys in the table: Z Zusage, A Absage, V unter Vorbehalt, O offen, 1–9 persons, Leertaste anwesend,
Enter the full reply; any other letter goes to the search field, so "type to find" works from anywhere.
With a capacity the board shows the places left and the Warteliste; who moves up or goes onto it is noted
for the letters („Warteliste-Briefe …“). A non-member invited to a members-only meeting is asked for first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from geschaeftsstelle import invitations as inv
from geschaeftsstelle.documents import email_drafts, waiting_list_letters
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.meetings import CHANNEL_LABELS, RESPONSE_LABELS
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import MAX_PERSONS, Channel, Response
from ui.flow_layout import FlowLayout
from ui.form_fields import OptionalDateEdit, add_rows, dialog_buttons
from ui.meetings.board_model import COL_MEMBERSHIP, COL_NAME, BoardFilter, BoardModel

P = ParamSpec("P")
T = TypeVar("T")
RESPONSE_KEYS = {
    Qt.Key.Key_Z: Response.ACCEPTED.value,
    Qt.Key.Key_A: Response.DECLINED.value,
    Qt.Key.Key_V: Response.TENTATIVE.value,
    Qt.Key.Key_O: Response.OPEN.value,
}


class ReplyDialog(QDialog):
    """The full reply of one invitee (persons, names, needs, channel, date, notes)."""

    def __init__(self, row: inv.BoardRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Rückmeldung: {row.name}")
        self.response = QComboBox()
        for response, label in RESPONSE_LABELS.items():
            self.response.addItem(label, response.value)
        self.response.setCurrentIndex(self.response.findData(row.response))
        self.persons = QSpinBox()
        self.persons.setRange(0, MAX_PERSONS)
        self.persons.setValue(row.persons)
        self.names = QPlainTextEdit("\n".join(row.attendee_names))
        self.names.setPlaceholderText("ein Name je Zeile")
        self.assistance = QLineEdit(row.assistance)
        self.assistance.setPlaceholderText("z. B. Rollstuhlplatz, Gebärdensprachdolmetschung")
        self.diet = QLineEdit(row.diet)
        self.diet.setPlaceholderText("z. B. vegetarisch, 2x vegan")
        self.channel = QComboBox()
        self.channel.addItem("—", None)
        for channel, label in CHANNEL_LABELS.items():
            self.channel.addItem(label, channel.value)
        self.channel.setCurrentIndex(max(self.channel.findData(row.channel), 0))
        self.responded_on = OptionalDateEdit()
        self.responded_on.set_value(row.responded_on or dt.date.today())
        self.notes = QPlainTextEdit(row.notes)
        form = QFormLayout()
        add_rows(form, (
            ("&Rückmeldung", self.response), ("&Personen", self.persons), ("&Namen", self.names),
            ("&Assistenz", self.assistance), ("&Verpflegung", self.diet), ("&Weg", self.channel),
            ("Antwort a&m", self.responded_on), ("N&otizen", self.notes),
        ))  # fmt: skip
        buttons = dialog_buttons(self, QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def reply(self) -> inv.ReplyInput:
        return inv.ReplyInput(
            response=self.response.currentData(),
            persons=self.persons.value(),
            attendee_names=self.names.toPlainText().splitlines(),
            assistance=self.assistance.text(),
            diet=self.diet.text(),
            channel=self.channel.currentData(),
            responded_on=self.responded_on.value(),
            notes=self.notes.toPlainText(),
        )


class WalkInDialog(QDialog):
    """Walk-in at the door: a known contact (picked by name) or a free name with organisation."""

    def __init__(self, choices: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Spontan dazugekommen")
        self._by_label = {label: cid for cid, label in choices}
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name (bekannte Kontakte werden vorgeschlagen)")
        completer = QCompleter(list(self._by_label))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.organisation = QLineEdit()
        form = QFormLayout()
        add_rows(form, (("&Name", self.name), ("&Organisation", self.organisation)))
        buttons = dialog_buttons(self, QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def contact_id(self) -> int | None:
        return self._by_label.get(self.name.text().strip())


class RsvpBoard(QDialog):
    """Rückmeldungen und Check-in for one meeting; `changed` fires after every save."""

    changed = Signal()

    def __init__(self, db: Database, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.meeting_id = meeting_id
        self.resize(1100, 700)
        self.model = BoardModel()
        self._sized = False
        self.proxy = BoardFilter()
        self.proxy.setSourceModel(self.model)
        self.figures = QLabel()
        self.figures.setStyleSheet("font-weight: bold;")
        self.figures.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setStyleSheet("color: #c62828;")
        self.warnings.setWordWrap(True)
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.waiting.setStyleSheet("color: #6a1b9a;")
        self.letters_due = QLabel()
        self.letters_due.setWordWrap(True)
        self.pending_place: list[int] = []  # moved up from the waiting list in this window: letters due
        self.pending_waiting: list[int] = []  # went onto the waiting list in this window
        self.search = QLineEdit()
        self.search.setPlaceholderText("Name oder Organisation tippen …")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._to_table)
        self.search.installEventFilter(self)
        self.only_open = QCheckBox("Nur &offene Rückmeldungen")
        self.only_open.toggled.connect(self._only_open_changed)
        self.table = QTableView()
        self.table.setAccessibleName("Eingeladene und ihre Rückmeldungen")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda _i: self.edit_reply())
        self.catering = QLabel()
        self.catering.setWordWrap(True)
        self.assistance = QLabel()
        self.assistance.setWordWrap(True)
        self.assistance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel("Tasten: Z Zusage · A Absage · V Vorbehalt · O offen · 1–9 Personen · Leertaste anwesend · "
                      "Enter Details · Strg+N spontan dazu")  # fmt: skip
        hint.setStyleSheet("color: palette(mid);")
        hint.setWordWrap(True)
        search_label = QLabel("&Suchen:")
        search_label.setBuddy(self.search)
        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.only_open)
        actions = FlowLayout()  # a dozen buttons wrap onto a second line at 1024 px instead of widening the board
        for text, slot in (
            ("Alle &Mitglieder einladen", self.invite_members),
            ("Nach Schlag&wort …", self.invite_by_tag),
            ("&Kontakt einladen …", self.invite_contact),
            ("&Referent/innen", self.invite_speakers),
            ("&Gast …", self.add_guest),
            ("Spontan &dazu …", self.walk_in),
            ("Ent&fernen", self.remove_selected),
            ("&Versand erfassen …", self.record_sent),
            ("E-Mail-&Entwürfe …", self.write_drafts),
            ("Adressen kop&ieren", self.copy_addresses),
            ("Freie &Plätze vergeben", self.fill_free_places),
            ("Warteliste-&Briefe …", self.waiting_list_letters),
        ):
            button = QPushButton(text)
            button.setAutoDefault(False)  # Enter in the search field must not press a button
            button.clicked.connect(slot)
            actions.addWidget(button)
        QShortcut(QKeySequence("Ctrl+N"), self, self.walk_in)
        QShortcut(QKeySequence("Ctrl+F"), self, self.search.setFocus)
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addWidget(self.warnings)
        layout.addWidget(self.waiting)
        layout.addWidget(self.letters_due)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addLayout(actions)
        layout.addWidget(self.catering)
        layout.addWidget(self.assistance)
        self.reload()
        self.search.setFocus()

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        board = inv.load_board(self.db, self.meeting_id)
        self.head = board.meeting
        self.setWindowTitle(f"Rückmeldungen: {board.meeting.title} am {board.meeting.starts_at:%d.%m.%Y}")
        self.model.members_only_on = board.meeting.starts_at.date() if board.meeting.members_only else None
        self.model.set_rows(board.rows)
        self.table.setColumnHidden(COL_MEMBERSHIP, not board.meeting.members_only)
        if not self._sized:
            self._size_columns()
            self._sized = True
        self.update_figures()

    def _size_columns(self) -> None:
        """Widths from the header and the first rows: measuring all 2,000 rows would take 0.1 s."""
        metrics = self.table.fontMetrics()
        sample = self.model.rows()[:150]
        for column in range(self.model.columnCount()):
            texts = [self.model.headerData(column, Qt.Orientation.Horizontal)]
            texts += [self.model.data(self.model.index(i, column)) or "" for i in range(len(sample))]
            width = max(metrics.horizontalAdvance(t) for t in texts) + 24
            self.table.setColumnWidth(column, min(width, 320))

    def update_figures(self) -> None:
        rows = self.model.rows()
        summary = inv.summarize(self.head, rows)
        self.summary = summary
        left = inv.places_left(self.head, rows)
        waiting = inv.waiting_list(rows)
        places = "" if left is None else f" · {left} {'Platz' if left == 1 else 'Plätze'} frei"
        places += f" · {len(waiting)} auf der Warteliste" if waiting else ""
        self.figures.setText(
            summary.header() + places + (f" · {summary.attended} anwesend" if summary.attended else "")
        )
        self.waiting.setText(
            "Warteliste: " + " · ".join(f"{n}. {r.name} ({r.persons} Pers.)" for n, r in enumerate(waiting, start=1))
        )
        self.waiting.setVisible(bool(waiting))
        self._show_letters_due()
        self.warnings.setText("\n".join(summary.warnings))
        self.warnings.setVisible(bool(summary.warnings))
        self.catering.setText("Verpflegung: " + inv.catering_summary(rows).text())
        needs = inv.assistance_list(rows)
        self.assistance.setText(
            "Assistenzbedarf: " + ("; ".join(f"{n} ({o}): {a}" if o else f"{n}: {a}" for n, o, a in needs) or "keiner")
        )

    def current_row(self) -> inv.BoardRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def selected_ids(self) -> list[int]:
        return list(self.selected_versions())

    def selected_versions(self) -> dict[int, int]:
        """The chosen invitations with the versions the board shows (a change refused if one moved since)."""
        rows = [self.model.row_at(self.proxy.mapToSource(i).row()) for i in self.table.selectionModel().selectedRows()]
        return {r.id: r.version for r in rows}

    def _saved(self, row: inv.BoardRow) -> None:
        current = self.table.currentIndex()
        self.model.replace_row(row)
        self.update_figures()
        if current.isValid() and not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(min(current.row(), self.proxy.rowCount() - 1), COL_NAME))
        self.changed.emit()

    def _run(self, action: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """Call a service; show its German message and reload on a conflict."""
        try:
            return action(*args, **kwargs)
        except UserError as exc:
            QMessageBox.warning(self, "Rückmeldungen", str(exc))
            self.reload()
            return None

    # ------------------------------------------------------------------ keyboard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if watched is self.search and event.key() == Qt.Key.Key_Down:
            self._to_table()
            return True
        if watched is self.table and self._typed_name(event):
            return True
        if watched is self.table and self._table_key(event):
            return True
        return super().eventFilter(watched, event)

    def _table_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier & ~Qt.KeyboardModifier.ShiftModifier:
            return False
        key = Qt.Key(event.key())
        row = self.current_row()
        if key in RESPONSE_KEYS and row is not None:
            self.set_response(row, RESPONSE_KEYS[key])
            return True
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 and row is not None:
            self.set_persons(row, int(event.text()))
            return True
        if key == Qt.Key.Key_Space and row is not None:
            self.toggle_attended(row)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_reply()
            return True
        if key == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            self.search.setFocus()
            return True
        text = event.text()
        if text and text.isprintable() and not text.isspace():
            self.search.setFocus()
            self.search.insert(text)
            return True
        return False

    def _typed_name(self, event: QKeyEvent) -> bool:
        """Reply letters act at once right after Enter/↓ from the search; otherwise a reply letter waits a
        moment: a second letter means a name is being typed, and both go to the search instead."""
        text = event.text()
        letter = len(text) == 1 and text.isalpha() and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        pending, self._pending_key = getattr(self, "_pending_key", None), None
        timer: QTimer | None = getattr(self, "_reply_timer", None)
        if timer is not None:
            timer.stop()
        if pending is not None and letter:
            self.search.setFocus()
            self.search.selectAll()
            self.search.insert(pending.text() + text)
            return True
        if pending is not None:
            self._table_key(pending)  # another key: the waiting reply letter was meant as a reply
        handed_over, self._handed_over = getattr(self, "_handed_over", False), False
        if not letter or handed_over or Qt.Key(event.key()) not in RESPONSE_KEYS:
            if letter and Qt.Key(event.key()) not in RESPONSE_KEYS:
                self.search.setFocus()
                self.search.selectAll()  # a name typed on the list starts a new search
                self.search.insert(text)
                return True
            return False
        self._pending_key = QKeyEvent(event.type(), event.key(), event.modifiers(), text)
        if timer is None:
            timer = self._reply_timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(600)
            timer.timeout.connect(self._reply_waited)
        timer.start()
        return True

    def _reply_waited(self) -> None:
        pending, self._pending_key = self._pending_key, None
        if pending is not None:
            self._table_key(pending)

    def _to_table(self) -> None:
        self._handed_over = True
        if self.proxy.rowCount():
            self.table.setFocus()
            if not self.table.currentIndex().isValid():
                self.table.setCurrentIndex(self.proxy.index(0, COL_NAME))

    def _search_changed(self, text: str) -> None:
        self.proxy.set_query(text)
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, COL_NAME))

    def _only_open_changed(self, on: bool) -> None:
        self.proxy.set_only_open(on)

    # ------------------------------------------------------------------ replies and check-in

    def set_response(self, row: inv.BoardRow, response: str) -> None:
        moved: list[int] = []
        saved = self._run(inv.set_response, self.db, row, response, Channel.PHONE.value, moved_up=moved)
        if saved is not None:
            self._replied(row, saved, moved)

    def _replied(self, before: inv.BoardRow, saved: inv.BoardRow, moved: list[int]) -> None:
        """Note the letters the reply makes due; the waiting list's order changed: the whole board anew."""
        waiting = Response.WAITLISTED.value
        if saved.response == waiting and before.response != waiting:
            self.pending_waiting.append(saved.id)
        if saved.response != waiting and saved.id in self.pending_waiting:
            self.pending_waiting.remove(saved.id)
        self._note_moved(moved)
        if moved or waiting in (saved.response, before.response):
            self.reload()
            self.changed.emit()
        else:
            self._saved(saved)

    def set_persons(self, row: inv.BoardRow, persons: int) -> None:
        reply = inv.ReplyInput(
            response=Response.ACCEPTED.value if persons else Response.DECLINED.value,
            persons=persons, attendee_names=list(row.attendee_names)[: max(persons, 1)], assistance=row.assistance,
            diet=row.diet, channel=row.channel or Channel.PHONE.value, responded_on=row.responded_on, notes=row.notes,
        )  # fmt: skip
        moved: list[int] = []
        if (saved := self._run(inv.record_reply, self.db, row.id, row.version, reply, moved_up=moved)) is not None:
            self._replied(row, saved, moved)

    def toggle_attended(self, row: inv.BoardRow) -> None:
        if (saved := self._run(inv.check_in, self.db, row.id, row.version, not row.attended)) is not None:
            self._saved(saved)

    def edit_reply(self) -> None:
        row = self.current_row()
        if row is None:
            return
        dialog = ReplyDialog(row, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        moved: list[int] = []
        saved = self._run(inv.record_reply, self.db, row.id, row.version, dialog.reply(), moved_up=moved)
        if saved is not None:
            self._replied(row, saved, moved)

    # ------------------------------------------------------------------ invitees

    def _invited(self, result: inv.InviteResult | None) -> None:
        if result is None:
            return
        self.reload()
        self.changed.emit()
        QMessageBox.information(self, "Einladen", result.message())

    def invite_members(self) -> None:
        self._invited(self._run(inv.invite_all_members, self.db, self.meeting_id))

    def invite_by_tag(self) -> None:
        tags = inv.tags_in_use(self.db)
        if not tags:
            QMessageBox.information(self, "Einladen", "Es sind noch keine Schlagworte vergeben.")
            return
        tag, ok = QInputDialog.getItem(self, "Nach Schlagwort einladen", "Schlagwort:", tags, 0, False)
        if ok:
            self._invited(self._run(inv.invite_members_by_tag, self.db, self.meeting_id, tag))

    def invite_contact(self) -> None:
        choices = inv.contact_choices(self.db)
        labels = [label for _cid, label in choices]
        label, ok = QInputDialog.getItem(self, "Kontakt einladen", "Kontakt:", labels, 0, True)
        if ok and label in labels:
            cid = choices[labels.index(label)][0]
            self._invited(self._confirmed(inv.invite_contacts, self.db, self.meeting_id, [cid]))

    def invite_speakers(self) -> None:
        self._invited(self._confirmed(inv.invite_speakers, self.db, self.meeting_id))

    def _confirmed(self, action: Callable[..., T], *args: object) -> T | None:
        """Invite; at a members-only meeting non-members only after the user confirmed them by name."""
        try:
            return action(*args)
        except inv.NonMemberError as exc:
            question = (
                f"„{self.head.title}“ ist nur für Mitglieder. Trotzdem einladen?\n\n" + "\n".join(exc.names)
            )
            answer = QMessageBox.question(self, "Nur für Mitglieder", question)
            if answer != QMessageBox.StandardButton.Yes:
                return None
            return self._run(action, *args, allow_non_members=True)
        except UserError as exc:
            QMessageBox.warning(self, "Rückmeldungen", str(exc))
            self.reload()
            return None

    def add_guest(self) -> None:
        self._guest_dialog(walk_in=False)

    def walk_in(self) -> None:
        self._guest_dialog(walk_in=True)

    def _guest_dialog(self, *, walk_in: bool) -> None:
        dialog = WalkInDialog(inv.contact_choices(self.db), self)
        if not walk_in:
            dialog.setWindowTitle("Gast einladen")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        cid = dialog.contact_id()
        if cid is not None and walk_in:
            new_id = self._run(inv.add_walk_in_contact, self.db, self.meeting_id, cid)
        elif cid is not None:
            result = self._confirmed(inv.invite_contacts, self.db, self.meeting_id, [cid])
            self._invited(result)
            return
        elif walk_in:
            new_id = self._run(
                inv.add_guest, self.db, self.meeting_id, dialog.name.text(), dialog.organisation.text(), walk_in=True
            )
        else:
            new_id = self._confirmed(inv.add_guest, self.db, self.meeting_id, dialog.name.text(),
                                     dialog.organisation.text())  # fmt: skip
        if new_id is not None:
            self._saved(inv.load_row(self.db, new_id))

    def remove_selected(self) -> None:
        seen = self.selected_versions()
        if not seen:
            return
        answer = QMessageBox.question(self, "Entfernen", f"{len(seen)} Einladungen mit ihren Rückmeldungen entfernen?")
        moved: list[int] = []
        if answer == QMessageBox.StandardButton.Yes and (
            self._run(inv.remove_invitations, self.db, seen, moved_up=moved) is not None
        ):
            self._note_moved(moved)
            self.reload()
            self.changed.emit()

    # ------------------------------------------------------------------ the waiting list

    def fill_free_places(self) -> None:
        """After the capacity was raised: the free places go to the waiting list."""
        moved = self._run(inv.fill_free_places, self.db, self.meeting_id)
        if moved is None:
            return
        self._note_moved(moved)
        self.reload()
        self.changed.emit()
        if not moved:
            QMessageBox.information(self, "Warteliste", "Niemand auf der Warteliste passt in die freien Plätze.")

    def _note_moved(self, moved: list[int]) -> None:
        """Moved up: the „Platz frei“ letter is due, the „Warteliste“ one no longer."""
        self.pending_place += [i for i in moved if i not in self.pending_place]
        self.pending_waiting = [i for i in self.pending_waiting if i not in moved]

    def _show_letters_due(self) -> None:
        rows = {r.id: r for r in self.model.rows()}
        self.pending_place = [i for i in self.pending_place if i in rows]
        self.pending_waiting = [i for i in self.pending_waiting if i in rows]
        parts = []
        if self.pending_place:
            names = ", ".join(rows[i].name for i in self.pending_place)
            parts.append(f"Nachgerückt: {names} – Brief „Platz frei“ fällig.")
        if self.pending_waiting:
            names = ", ".join(rows[i].name for i in self.pending_waiting)
            parts.append(f"Auf die Warteliste gesetzt: {names} – Nachricht fällig.")
        self.letters_due.setText(" ".join(parts) + (" (Warteliste-Briefe …)" if parts else ""))
        self.letters_due.setVisible(bool(parts))

    def waiting_list_letters(self) -> None:
        """The letters (one PDF each kind) and e-mail drafts for those noted as due, else for the selected rows."""
        chosen = set(self.selected_ids())
        rows = self.model.rows()
        place = self.pending_place or [
            r.id for r in rows if r.id in chosen and r.moved_up_at and r.response == Response.ACCEPTED.value
        ]
        waiting = self.pending_waiting or [
            r.id for r in rows if r.id in chosen and r.response == Response.WAITLISTED.value
        ]
        if not place and not waiting:
            QMessageBox.information(self, "Warteliste-Briefe", "Es ist niemand nachgerückt oder auf die Warteliste "
                                    "gesetzt worden; wählen Sie sonst die Personen in der Liste.")  # fmt: skip
            return
        folder = QFileDialog.getExistingDirectory(self, "Ordner für Briefe und E-Mail-Entwürfe")
        if not folder:
            return
        written: list[str] = []
        by_id = {r.id: r for r in rows}
        for kind, ids, name in ((waiting_list_letters.PLACE, place, "Platz-frei"),
                                (waiting_list_letters.WAITING, waiting, "Warteliste")):  # fmt: skip
            if not ids:
                continue
            with_address = [i for i in ids if by_id[i].addressee is not None]
            if with_address:
                pdf = Path(folder) / f"{name}-{dt.date.today():%Y-%m-%d}.pdf"
                if self._run(waiting_list_letters.waiting_list_letters, self.db, self.meeting_id, with_address, pdf,
                             kind=kind) is None:  # fmt: skip
                    return
                written.append(f"{len(with_address)} Brief(e) in {pdf.name}")
            with_email = [i for i in ids if by_id[i].email]
            if with_email:
                drafts = self._run(waiting_list_letters.write_email_drafts, self.db, self.meeting_id, with_email,
                                   Path(folder), kind=kind)  # fmt: skip
                if drafts is None:
                    return
                written.append(f"{len(drafts)} E-Mail-Entwurf/-Entwürfe")
        if place is self.pending_place:
            self.pending_place = []
        if waiting is self.pending_waiting:
            self.pending_waiting = []
        self._show_letters_due()
        QMessageBox.information(self, "Warteliste-Briefe", f"Geschrieben in {folder}: " + "; ".join(written) + ".")

    def record_sent(self) -> None:
        seen = self.selected_versions() or {r.id: r.version for r in self.model.rows()}
        labels = [CHANNEL_LABELS[c] for c in (Channel.POST, Channel.EMAIL, Channel.FAX)]
        label, ok = QInputDialog.getItem(self, "Versand erfassen", f"{len(seen)} Einladungen heute versandt per:",
                                         labels, 0, False)  # fmt: skip
        if ok:
            channel = {v: k for k, v in CHANNEL_LABELS.items()}[label].value
            if self._run(inv.record_sent, self.db, seen, dt.date.today(), channel) is not None:
                self.reload()

    DRAFT_KINDS = (
        "Ein Entwurf je Person, mit persönlichem Einladungsbrief (PDF)",
        "Ein Entwurf je Person, ohne Anhang",
        "Ein Entwurf an alle (Adressen in BCC)",
    )

    def write_drafts(self) -> None:
        kind, ok = QInputDialog.getItem(self, "E-Mail-Entwürfe", "Art der Entwürfe:", list(self.DRAFT_KINDS), 0, False)
        if not ok:
            return
        folder = QFileDialog.getExistingDirectory(self, "Ordner für die E-Mail-Entwürfe")
        if not folder:
            return
        files = self._run(
            email_drafts.write_drafts, self.db, self.meeting_id, Path(folder),
            invitation_ids=self.selected_ids() or None,
            bcc=kind == self.DRAFT_KINDS[2], personal_letters=kind == self.DRAFT_KINDS[0],
        )  # fmt: skip
        if files:
            QMessageBox.information(
                self, "E-Mail-Entwürfe",
                f"{len(files)} Entwürfe (.eml) in {folder} geschrieben; in Outlook oder Thunderbird öffnen und senden.",
            )  # fmt: skip

    def copy_addresses(self) -> None:
        text = self._run(email_drafts.address_list, self.db, self.meeting_id, self.selected_ids() or None)
        if text:
            QGuiApplication.clipboard().setText(text)
