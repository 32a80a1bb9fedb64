"""Anmeldungen importieren, clicked through like a user: pick the file, map, preview, Übernehmen; both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from geschaeftsstelle import invitations as inv
from geschaeftsstelle import reply_import
from geschaeftsstelle.store.database import Database
from tests.test_reply_import import LIMESURVEY, MS_FORMS, SUMMARY, make_meeting
from ui.meetings.reply_import_dialog import ReplyImportDialog
from ui.meetings.view import MeetingsView

pytestmark = pytest.mark.gui


def _next(qtbot: QtBot, dialog: ReplyImportDialog) -> None:
    qtbot.mouseClick(dialog.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def _finish(qtbot: QtBot, dialog: ReplyImportDialog) -> None:
    qtbot.mouseClick(dialog.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)


def _open(qtbot: QtBot, db: Database, meeting_id: int, path: Path) -> ReplyImportDialog:
    dialog = ReplyImportDialog(db, meeting_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.file_page.path, str(path))
    _next(qtbot, dialog)
    return dialog


def test_pick_map_preview_and_take_over(qtbot: QtBot, db: Database) -> None:
    ids = make_meeting(db)
    dialog = _open(qtbot, db, ids["meeting"], LIMESURVEY)
    assert dialog.currentPage() is dialog.mapping_page
    combos = dialog.mapping_page.combos
    assert combos["answer"].currentText() == "Nehmen Sie am Fachtag teil?"
    assert combos["code"].currentData() == ""
    combos["notes"].setCurrentIndex(0)  # the user leaves the notes out
    _next(qtbot, dialog)
    page = dialog.preview_page
    assert dialog.currentPage() is page
    assert page.summary.text() == SUMMARY
    assert [page.boxes[s].title() for s in ("matched", "new", "doubtful")] == [
        "Zugeordnet (5)", "Neu (2)", "Zweifelhaft (2)"]  # fmt: skip
    doubtful = page.models["doubtful"]
    assert "passt zu 2 Eingeladenen" in doubtful.index(0, 2).data()
    assert all(r.response == "open" for r in inv.invitees(db, ids["meeting"]))  # nothing written yet
    page.add_new.click()
    assert page.add_new.isChecked()
    _finish(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.outcome is not None
    assert dialog.outcome.invited == 2
    rows = inv.invitees(db, ids["meeting"])
    assert len(rows) == 9
    anna = next(r for r in rows if r.contact_id == ids["anna"])
    assert (anna.response, anna.persons, anna.diet) == ("accepted", 2, "vegetarisch")
    bernd = next(r for r in rows if r.contact_id == ids["bernd"])
    assert (bernd.response, bernd.notes) == ("declined", "")  # notes were not mapped
    remembered = reply_import.remembered_mapping(db, ids["meeting"])
    assert remembered is not None
    assert "notes" not in remembered

    again = _open(qtbot, db, ids["meeting"], LIMESURVEY)  # the mapping is remembered for the meeting
    assert again.mapping_page.combos["notes"].currentData() == ""
    assert again.mapping_page.combos["persons"].currentText() == "Mit wie vielen Personen kommen Sie?"


def test_a_conflict_on_take_over_is_shown_and_nothing_written(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = make_meeting(db)
    dialog = _open(qtbot, db, ids["meeting"], MS_FORMS)
    _next(qtbot, dialog)
    assert dialog.currentPage() is dialog.preview_page
    anna = next(r for r in inv.invitees(db, ids["meeting"]) if r.contact_id == ids["anna"])
    inv.record_reply(db, anna.id, anna.version, inv.ReplyInput(response="declined"))  # another desk
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    _finish(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.outcome is None
    assert shown
    assert "inzwischen an einem anderen Platz geändert" in shown[0]
    rows = inv.invitees(db, ids["meeting"])
    assert [r.response for r in rows if r.contact_id != ids["anna"]] == ["open"] * 6


def test_a_missing_file_stays_on_the_first_page(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    ids = make_meeting(db)
    dialog = _open(qtbot, db, ids["meeting"], tmp_path / "gibtsnicht.csv")
    assert dialog.currentPage() is dialog.file_page
    assert "gibt es nicht" in dialog.file_page.info.text()


def test_mapping_without_any_way_to_match_stays_on_the_mapping_page(qtbot: QtBot, db: Database) -> None:
    ids = make_meeting(db)
    dialog = _open(qtbot, db, ids["meeting"], LIMESURVEY)
    for key in ("email", "first_name", "last_name", "name", "code"):
        dialog.mapping_page.combos[key].setCurrentIndex(0)
    _next(qtbot, dialog)
    assert dialog.currentPage() is dialog.mapping_page
    assert "Code, E-Mail oder Name" in dialog.mapping_page.message.text()


def test_the_meetings_page_offers_the_import(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = make_meeting(db)
    view = MeetingsView(db)
    qtbot.addWidget(view)
    view.overview.year.setCurrentIndex(max(view.overview.year.findData(2030), 0))
    view.refresh()
    monkeypatch.setattr(view.overview, "selected", lambda: type("Row", (), {"id": ids["meeting"]})())
    assert view.import_replies_action.text() == "Anmeldungen &importieren …"
    opened: list[ReplyImportDialog] = []

    def pick_and_cancel() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ReplyImportDialog) and w.isVisible())
        opened.append(dialog)
        dialog.reject()

    QTimer.singleShot(0, pick_and_cancel)
    view.import_replies_action.trigger()
    assert opened
    assert opened[0].meeting_id == ids["meeting"]
