"""Walk a whole Ehrenamtspreis round in the window like a user, then check the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from geschaeftsstelle import awards, members
from geschaeftsstelle.meetings import MeetingInput, save_meeting
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Invitation
from tests.gui_helpers import preview_answered, type_text
from ui.awards import AwardsView
from ui.awards.award_dialog import AwardDialog
from ui.awards.models import NominationsModel, ObjectRole
from ui.awards.nomination_dialog import NominationDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def office(sqlite_db: Database) -> dict[str, int]:
    db = sqlite_db
    ids = {
        "camsin": members.save_member(db, members.MemberInput(name="Camsin e. V.")),
        "tafel": members.save_member(db, members.MemberInput(name="Tafel Weimar e. V.")),
    }
    ids["anna"] = members.save_contact(
        db, members.ContactInput(member_id=ids["camsin"], first_name="Anna", last_name="Beispiel", is_primary=True)
    )
    ids["jan"] = members.save_contact(
        db, members.ContactInput(member_id=ids["tafel"], first_name="Jan", last_name="Tafel", is_primary=True)
    )
    ids["eleni"] = members.save_contact(db, members.ContactInput(first_name="Eleni", last_name="Papadopoulou"))
    ids["fest"] = save_meeting(
        db,
        MeetingInput(title="Sommerfest", starts_at=dt.datetime(2030, 6, 19, 15), ends_at=dt.datetime(2030, 6, 19, 19)),
    )
    return ids


def _with_modal(qtbot: QtBot, cls: type, act: Callable[[QWidget], None]) -> None:
    """Run `act` on the modal dialog that the next action opens."""

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, cls):
            QTimer.singleShot(20, handle)
            return
        act(dialog)

    QTimer.singleShot(0, handle)


def _pick(combo: object, text: str) -> None:
    index = combo.findText(text, Qt.MatchFlag.MatchStartsWith)  # type: ignore[attr-defined]
    assert index >= 0, text
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_whole_round_in_the_window(qtbot: QtBot, sqlite_db: Database, office: dict[str, int], monkeypatch) -> None:
    db = sqlite_db
    view = AwardsView(db)
    qtbot.addWidget(view)
    view.show()
    assert not view.new_action.isEnabled()

    def fill_round(d: AwardDialog) -> None:
        d.year.setValue(2030)
        d.title_edit.clear()
        type_text(qtbot, d.title_edit, "Ehrenamtspreis 2030")
        _pick(d.ceremony, "19.06.2030")
        for name in ("Eleni", "Anna"):
            _pick(d.juror_choice, name)
            for button in d.findChildren(type(d.save_button)):
                if button.text() == "In die Jury":
                    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)

    _with_modal(qtbot, AwardDialog, fill_round)
    view.new_award()
    award = awards.award_for_year(db, 2030)
    assert [c.name for c in award.criteria] == ["Wirkung", "Nachhaltigkeit", "Vorbildcharakter"]
    assert [j.first_name for j in award.jury] == ["Eleni", "Anna"]
    assert award.ceremony_id == office["fest"]

    nominations = [
        ("Erika Muster", "Camsin", "Jan", "Leitet die Kleiderkammer.", True),
        ("Lesepaten", "Tafel", "Anna", "Lesen in Kitas vor.", True),
        ("Max Ohne", "Tafel", "Jan", "", False),
    ]
    for nominee, member, nominator, text, consent in nominations:

        def fill(d: NominationDialog, nominee=nominee, member=member, nominator=nominator, text=text, consent=consent):
            type_text(qtbot, d.nominee, nominee)
            _pick(d.member, member)
            _pick(d.nominated_by, nominator)
            type_text(qtbot, d.justification, text)
            d.consent_publication.setChecked(consent)
            qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)

        _with_modal(qtbot, NominationDialog, fill)
        view.new_nomination()
    assert view.model.rowCount() == 3
    assert "Begründung fehlt" in view.model.data(view.model.index(2, NominationsModel.COL_PROBLEMS))

    # Scores typed into the grid: Eleni scores Erika and the Lesepaten; Anna (Camsin) scores Erika: conflicted.
    grid = view.grid
    model = view.scoring
    row_of = {model.headerData(r, Qt.Orientation.Vertical): r for r in range(model.rowCount())}
    col_of = {model.headerData(c, Qt.Orientation.Horizontal): c for c in range(model.columnCount())}

    def type_score(nominee: str, column: str, value: str) -> None:
        grid.setCurrentIndex(model.index(row_of[nominee], col_of[column]))
        qtbot.keyClicks(grid, value)
        editors = [e for e in grid.viewport().findChildren(QLineEdit) if e.isVisible()]
        assert len(editors) == 1
        editor = editors[0]
        assert editor.text() == value
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        # Qt commits an edit finished with Return through a queued call.
        qtbot.waitUntil(lambda: grid.state() == QAbstractItemView.State.NoState)

    type_score("Erika Muster", "Eleni Papadopoulou\nWirkung", "5")
    type_score("Lesepaten", "Eleni Papadopoulou\nWirkung", "3")
    type_score("Erika Muster", "Anna Beispiel\nWirkung", "1")
    anna_lesepaten = model.index(row_of["Lesepaten"], col_of["Anna Beispiel\nWirkung"])
    assert not (model.flags(anna_lesepaten) & Qt.ItemFlag.ItemIsEditable)  # she nominated them
    anna_erika = model.index(row_of["Erika Muster"], col_of["Anna Beispiel\nWirkung"])
    assert "Befangen" in model.data(anna_erika, Qt.ItemDataRole.ToolTipRole)

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    type_score("Lesepaten", "Eleni Papadopoulou\nNachhaltigkeit", "7")
    assert warnings
    assert "zwischen 1 und 5" in warnings[0]

    ranking = {
        view.model.data(view.model.index(r, 0), ObjectRole).nominee: view.model.data(view.model.index(r, 0), ObjectRole)
        for r in range(3)
    }
    assert ranking["Erika Muster"].mean == 5.0  # Anna's 1 is not counted
    assert ranking["Erika Muster"].excluded == 1
    assert ranking["Erika Muster"].rank == 1
    assert ranking["Lesepaten"].rank == 2

    # Status to shortlist, then pick Erika as winner.
    view.table.selectAll()
    erika_id = ranking["Erika Muster"].nomination_id
    lesepaten_id = ranking["Lesepaten"].nomination_id
    for nid in (erika_id, lesepaten_id):
        awards.set_status(db, nid, "complete", version=awards.get_nomination(db, nid).version)
    view.refresh()
    view.table.clearSelection()
    for r in range(view.proxy.rowCount()):
        if view.proxy.data(view.proxy.index(r, 0), ObjectRole).nomination_id in (erika_id, lesepaten_id):
            view.table.selectionModel().select(
                view.proxy.index(r, 0),
                view.table.selectionModel().SelectionFlag.Select | view.table.selectionModel().SelectionFlag.Rows,
            )
    from geschaeftsstelle.store.models import NominationStatus

    view.change_status(NominationStatus.SHORTLISTED)
    view.table.clearSelection()
    for r in range(view.proxy.rowCount()):
        if view.proxy.data(view.proxy.index(r, 0), ObjectRole).nomination_id == erika_id:
            view.table.selectRow(r)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    hints: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: hints.append(a[2]))
    qtbot.mouseClick(view.decide_button, Qt.MouseButton.LeftButton)
    assert hints == ["Für „Erika Muster“ fehlt das Einverständnis zu Fotos."]

    award = awards.award_for_year(db, 2030)
    assert {n.nominee: n.status for n in award.nominations} == {
        "Erika Muster": "awarded",
        "Lesepaten": "not_awarded",
        "Max Ohne": "received",
    }
    with db.read() as s:
        invited = {(i.guest_name, i.contact_id) for i in s.query(Invitation).filter_by(meeting_id=office["fest"])}
    assert invited == {("Erika Muster", None), (None, office["jan"])}


def test_round_documents_from_the_award_page(qtbot: QtBot, sqlite_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The last step of a round: print the certificates (and dossier) from the page, off the GUI thread."""
    import datetime as _dt

    import pdfplumber

    from geschaeftsstelle.demo import load_demo
    from ui.documents_menu import make_document

    load_demo(sqlite_db, today=_dt.date(2026, 11, 23))
    award = awards.award_for_year(sqlite_db, 2026)
    awards.decide(
        sqlite_db, award.id, [n.id for n in award.nominations if n.nominee == "Erika Sommer"], version=award.version
    )
    view = AwardsView(sqlite_db)
    qtbot.addWidget(view)
    choices = {c.label: c for c in view.document_choices()}
    out = tmp_path / "urkunden.pdf"
    assert make_document(view, sqlite_db, choices["Urkunden 2026"], {}, out)
    with pdfplumber.open(out) as pdf:
        assert "Erika Sommer" in pdf.pages[0].extract_text()
    dossier = tmp_path / "jury.pdf"
    assert make_document(view, sqlite_db, choices["Juryunterlagen 2026"], {}, dossier)
    with pdfplumber.open(dossier) as pdf:
        assert "Juryunterlagen – Ehrenamtspreis 2026" in pdf.pages[0].extract_text()


def test_certificate_button_on_the_page(qtbot: QtBot, sqlite_db: Database, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import datetime as _dt

    import pdfplumber
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    from geschaeftsstelle.demo import load_demo
    from ui.documents_menu import DocumentDialog

    load_demo(sqlite_db, today=_dt.date(2026, 11, 23))
    award = awards.award_for_year(sqlite_db, 2026)
    awards.decide(
        sqlite_db, award.id, [n.id for n in award.nominations if n.nominee == "Mehmet Yılmaz"], version=award.version
    )
    view = AwardsView(sqlite_db)
    qtbot.addWidget(view)
    out = tmp_path / "urkunden.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    hints: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: hints.append(a[2]))
    _with_modal(qtbot, DocumentDialog, lambda d: d.accept())
    with preview_answered(lambda preview: preview.save_button.click()):
        qtbot.mouseClick(view.document_buttons[1], Qt.MouseButton.LeftButton)
    with pdfplumber.open(out) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Urkunde" in text
    assert "Yılmaz" not in text  # no consent to publication: the certificate does not name him
    assert hints
    assert "Veröffentlichung" in hints[0]
