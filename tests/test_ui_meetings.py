"""The Termine page driven like a user: plan a year, build a programme, invite, take replies by keyboard,
check people in; the database and the figures are asserted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFileDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from geschaeftsstelle import invitations as inv
from geschaeftsstelle.meeting_notices import notices_due
from geschaeftsstelle.meetings import duplicate_input, get_meeting, list_venues, load_meeting_input
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Invitation, Meeting, Office
from tests.gui_helpers import preview_answered
from tests.test_invitations import make_office
from ui.meetings import MeetingsView
from ui.meetings.board import RsvpBoard, WalkInDialog
from ui.meetings.meeting_dialog import MeetingDialog, VenueDialog
from ui.meetings.planning_dialog import PlanningDialog
from ui.meetings.programme_editor import COL_START, COL_TITLE
from ui.meetings.speaker_picker import SpeakerPicker
from ui.meetings.statistics_view import StatisticsDialog


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    return shown


def _set_state(db: Database, state: str) -> None:
    with db.transaction() as s:
        s.add(Office(id=1, name="KG", street="", postal_code="", city="", signatory="", signatory_role="", state=state))


def test_plan_a_year_with_holiday_marks(qtbot: QtBot, sqlite_db: Database) -> None:
    _set_state(sqlite_db, "TH")
    dialog = PlanningDialog(sqlite_db)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2021)
    dialog.nth.setCurrentIndex(dialog.nth.findData(-1))
    dialog.weekday.setCurrentIndex(6)
    items = [dialog.preview.item(i) for i in range(dialog.preview.count())]
    assert len(items) == 12
    reformation = next(i for i in items if "31.10.2021" in i.text())
    assert "Feiertag: Reformationstag" in reformation.text()
    assert reformation.checkState() == Qt.CheckState.Unchecked
    assert "2 auf Feiertagen" in dialog.note.text()
    dialog.rule.setText("FREQ=DAILY")
    assert "mehr als 100" in dialog.error.text()
    assert not dialog.create_button.isEnabled()
    dialog.rule.clear()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    with sqlite_db.read() as s:
        starts = list(s.scalars(select(Meeting.starts_at).order_by(Meeting.starts_at)))
    assert len(starts) == 10
    assert dt.datetime(2021, 10, 31, 14) not in starts
    assert starts[0] == dt.datetime(2021, 1, 31, 14)


def test_programme_editor_by_keyboard_and_duplicate(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = make_office(sqlite_db)
    dialog = MeetingDialog(sqlite_db, load_meeting_input(sqlite_db, ids["meeting"]))
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.programme
    for time, title in (("14:00", "Begrüßung"), ("", "Verschiedenes"), ("14.15", "Bericht der Geschäftsstelle")):
        row = editor.add_item()
        editor.table.item(row, COL_START).setText(time)
        editor.table.item(row, COL_TITLE).setText(title)
    editor.table.setFocus()
    assert editor.table.currentRow() == 2
    qtbot.keyClick(editor.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert editor.table.verticalHeaderItem(1).text() == "TOP 2"
    assert editor.table.item(1, COL_TITLE).text() == "Bericht der Geschäftsstelle"
    editor.move_row(0, 2)  # what a drop of TOP 1 onto TOP 3 does
    assert [editor.table.item(r, COL_TITLE).text() for r in range(3)] == [
        "Bericht der Geschäftsstelle", "Verschiedenes", "Begrüßung",
    ]  # fmt: skip
    editor.move_row(2, 0)

    def fill_venue(venue_dialog: VenueDialog) -> int:
        venue_dialog.save()  # no name: refused beside the field
        assert venue_dialog.form.errors["name"].text() == "Der Name des Veranstaltungsorts fehlt."
        venue_dialog.name.setText("Mehrgenerationenhaus")
        venue_dialog.city.setText("Apolda")
        venue_dialog.postal_code.setText("99510")
        venue_dialog.save()
        return venue_dialog.result()

    monkeypatch.setattr(VenueDialog, "exec", fill_venue)
    dialog.create_venue()
    assert dialog.venue.currentText() == "Mehrgenerationenhaus, Apolda"
    def type_speaker(picker: SpeakerPicker) -> int:
        qtbot.keyClicks(picker.search, "christ caritas")
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
        return picker.result()

    monkeypatch.setattr(SpeakerPicker, "exec", type_speaker)
    dialog.speakers.pick()
    assert dialog.speakers.ids() == [ids["speaker"], ids["carla"]]
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = get_meeting(sqlite_db, ids["meeting"])
    assert saved.venue is not None
    assert saved.venue.city == "Apolda"
    assert [c.id for c in saved.speakers] == [ids["speaker"], ids["carla"]]
    agenda = saved.agenda
    assert [(a.title, a.time) for a in agenda] == [
        ("Begrüßung", dt.time(14)), ("Bericht der Geschäftsstelle", dt.time(14, 15)), ("Verschiedenes", None),
    ]  # fmt: skip

    copy = MeetingDialog(sqlite_db, duplicate_input(sqlite_db, ids["meeting"], dt.date(2030, 9, 8)))
    qtbot.addWidget(copy)
    copy.save()
    duplicate = get_meeting(sqlite_db, copy.saved_id)
    assert duplicate.starts_at == dt.datetime(2030, 9, 8, 14)
    assert [a.title for a in duplicate.agenda] == [a.title for a in agenda]

    bad = MeetingDialog(sqlite_db, load_meeting_input(sqlite_db, ids["meeting"]))
    qtbot.addWidget(bad)
    bad.ends.setTime(bad.starts.time().addSecs(-3600))
    bad.save()
    assert bad.result() != QDialog.DialogCode.Accepted
    assert bad.form.errors["ends_at"].text() == "Ende liegt vor Beginn."


def _db_row(db: Database, contact_id: int) -> Invitation:
    with db.read() as s:
        return s.scalars(select(Invitation).where(Invitation.contact_id == contact_id)).one()


def test_invite_replies_by_keyboard_and_check_in(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, no_modal_boxes: list[str]
) -> None:
    ids = make_office(sqlite_db, capacity=3)
    board = RsvpBoard(sqlite_db, ids["meeting"])
    qtbot.addWidget(board)
    board.show()
    board.activateWindow()
    qtbot.waitUntil(board.isActiveWindow)
    board.invite_members()
    assert "2 eingeladen." in no_modal_boxes[-1]
    assert board.model.rowCount() == 2
    assert board.figures.text().startswith("2 eingeladen · 0 Zusagen (0 Pers.)")

    qtbot.keyClicks(board.search, "bau")
    assert board.proxy.rowCount() == 1
    qtbot.keyClick(board.search, Qt.Key.Key_Down)
    assert board.table.hasFocus()
    qtbot.keyClick(board.table, Qt.Key.Key_Z)
    qtbot.keyClick(board.table, Qt.Key.Key_4)
    bernd = _db_row(sqlite_db, ids["bernd"])
    assert (bernd.response, bernd.persons, bernd.channel) == ("accepted", 4, "phone")
    assert "1 Zusagen (4 Pers.)" in board.figures.text()
    assert "4 Personen haben zugesagt, es gibt aber nur 3 Plätze." in board.warnings.text()

    qtbot.keyClick(board.table, Qt.Key.Key_Escape)
    qtbot.keyClicks(board.search, "apel")
    qtbot.keyClick(board.search, Qt.Key.Key_Return)
    qtbot.keyClick(board.table, Qt.Key.Key_A)
    assert _db_row(sqlite_db, ids["anna"]).response == "declined"
    qtbot.keyClick(board.table, Qt.Key.Key_Escape)
    board.only_open.setChecked(True)
    assert board.proxy.rowCount() == 0
    board.only_open.setChecked(False)

    qtbot.keyClicks(board.search, "bauer")
    qtbot.keyClick(board.search, Qt.Key.Key_Return)
    qtbot.keyClick(board.table, Qt.Key.Key_Space)
    assert _db_row(sqlite_db, ids["bernd"]).attended is True

    def walk_in(dialog: WalkInDialog) -> int:
        dialog.name.setText("Wanda Walk")
        dialog.organisation.setText("Lokalzeitung")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WalkInDialog, "exec", walk_in)
    qtbot.keyClick(board, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert board.model.rowCount() == 3
    assert board.summary.attended == 2
    assert "2 anwesend" in board.figures.text()
    with sqlite_db.read() as s:
        guest = s.scalars(select(Invitation).where(Invitation.guest_name == "Wanda Walk")).one()
    assert (guest.guest_organisation, guest.attended, guest.response) == ("Lokalzeitung", True, "accepted")

    row = next(r for r in board.model.rows() if r.contact_id == ids["bernd"])
    inv.set_response(sqlite_db, row, "tentative")  # another desk
    board.set_response(row, "declined")
    assert "anderen Platz" in no_modal_boxes[-1]
    assert _db_row(sqlite_db, ids["bernd"]).response == "tentative"
    assert next(r for r in board.model.rows() if r.contact_id == ids["bernd"]).response == "tentative"


def test_view_lists_meetings_and_statistics_chart(qtbot: QtBot, sqlite_db: Database) -> None:
    ids = make_office(sqlite_db)
    inv.invite_all_members(sqlite_db, ids["meeting"])
    row = next(r for r in inv.load_board(sqlite_db, ids["meeting"]).rows if r.contact_id == ids["anna"])
    inv.check_in(sqlite_db, row.id, row.version, True)
    view = MeetingsView(sqlite_db)
    qtbot.addWidget(view)
    assert view.overview.model.rowCount() == 1
    assert view.overview.model.row_at(0).rsvp_summary == "0 Zusagen · 0 Pers. · 2 offen"
    assert {a.text() for a in view.actions()} >= {"&Jahresplanung …", "Termin &duplizieren …"}
    stats = StatisticsDialog(sqlite_db, 2030)
    qtbot.addWidget(stats)
    assert stats.table.rowCount() == 2
    assert [b.attended for b in stats.chart.bars] == [1]
    assert {stats.table.item(i, 3).text() for i in range(2)} == {"100 %", "0 %"}


def test_board_writes_drafts_with_letters(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_modal_boxes: list[str]
) -> None:
    ids = make_office(sqlite_db)
    inv.invite_all_members(sqlite_db, ids["meeting"])
    board = RsvpBoard(sqlite_db, ids["meeting"])
    qtbot.addWidget(board)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a: (RsvpBoard.DRAFT_KINDS[0], True))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(tmp_path))
    board.write_drafts()
    assert "2 Entwürfe (.eml)" in no_modal_boxes[-1]
    drafts = sorted(tmp_path.glob("*.eml"))
    assert len(drafts) == 2
    assert all(b"X-Unsent: 1" in p.read_bytes() and b"application/pdf" in p.read_bytes() for p in drafts)


def test_view_actions_emit_meetings_changed(qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = make_office(sqlite_db)
    view = MeetingsView(sqlite_db)
    qtbot.addWidget(view)
    view.overview.table.selectRow(0)

    def plan(dialog: PlanningDialog) -> int:
        dialog.dates.setText("01.09.2031, 06.10.2031")
        dialog.create_meetings()
        return dialog.result()

    monkeypatch.setattr(PlanningDialog, "exec", plan)
    with qtbot.waitSignal(view.meetingsChanged, timeout=1000):
        view.plan_action.trigger()
    assert view.overview.model.rowCount() == 3

    view.overview.year.setCurrentIndex(view.overview.year.findData(None))
    source_row = next(
        i for i in range(view.overview.model.rowCount()) if view.overview.model.row_at(i).id == ids["meeting"]
    )
    view.overview.table.selectRow(view.overview.proxy.mapFromSource(view.overview.model.index(source_row, 0)).row())
    monkeypatch.setattr("ui.meetings.view.ask_date", lambda *_a: dt.date(2030, 4, 9))
    monkeypatch.setattr(MeetingDialog, "exec", lambda d: (d.save(), d.result())[1])
    with qtbot.waitSignal(view.meetingsChanged, timeout=1000):
        view.duplicate_action.trigger()
    with sqlite_db.read() as s:
        titles = list(s.scalars(select(Meeting.starts_at).where(Meeting.title == "Kreisgruppensitzung")))
    assert dt.datetime(2030, 4, 9, 14) in titles


def test_new_venue_with_notes_shown_on_the_letter_tab(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = make_office(sqlite_db)
    dialog = MeetingDialog(sqlite_db, load_meeting_input(sqlite_db, ids["meeting"]))
    qtbot.addWidget(dialog)
    assert dialog.letter.venue_notes.text() == "Noch kein Ort gewählt."

    def fill_venue(venue_dialog: VenueDialog) -> int:
        venue_dialog.name.setText("Bürgerhaus")
        qtbot.keyClicks(venue_dialog.notes, "Eingang ueber den Hof")
        venue_dialog.save()
        return venue_dialog.result()

    monkeypatch.setattr(VenueDialog, "exec", fill_venue)
    dialog.create_venue()
    assert dialog.letter.venue_notes.text() == "Hinweise des Orts: Eingang ueber den Hof"
    assert [v.notes for v in list_venues(sqlite_db)] == ["Eingang ueber den Hof"]


def test_editing_from_the_view_offers_the_change_letter(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ids = make_office(sqlite_db)
    inv.invite_all_members(sqlite_db, ids["meeting"])
    seen = {r.id: r.version for r in inv.load_board(sqlite_db, ids["meeting"]).rows}
    inv.record_sent(sqlite_db, seen, dt.date(2030, 2, 1), "post")
    view = MeetingsView(sqlite_db)
    qtbot.addWidget(view)
    view.overview.year.setCurrentIndex(view.overview.year.findData(None))
    view.overview.table.selectRow(0)
    assert view.overview.selected().id == ids["meeting"]
    questions: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    out = tmp_path / "Terminänderung.pdf"
    monkeypatch.setattr(QMessageBox, "question", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)  # no PDF program in the test

    def move_by_a_day() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MeetingDialog):
            QTimer.singleShot(10, move_by_a_day)
            return
        dialog.starts.setFocus()
        qtbot.keyClick(dialog.starts, Qt.Key.Key_Up)
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, move_by_a_day)
    with (
        preview_answered(lambda preview: preview.save_button.click()),
        qtbot.waitSignal(view.meetingsChanged, timeout=5000),
    ):
        view.edit_action.trigger()
    assert "Datum: neu Mittwoch, 13. März 2030 (bisher Dienstag, 12. März 2030)" in questions[0]
    assert questions[1] == "Terminänderung als verschickt vermerken?"
    with pdfplumber.open(out) as pdf:
        assert "Terminänderung: Kreisgruppensitzung" in pdf.pages[0].extract_text()
    assert not notices_due(sqlite_db, ids["meeting"]).any
