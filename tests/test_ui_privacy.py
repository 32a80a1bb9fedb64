"""DSGVO dialogs: the erasure confirmation says what goes, and nothing goes without a yes."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from geschaeftsstelle import exchange, privacy
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import AgendaItem, Contact
from ui import privacy_dialogs

pytestmark = pytest.mark.gui
FIXTURE = Path(__file__).parent / "fixtures" / "office_small.json"


def _anna(db: Database) -> int:
    with db.read() as s:
        return s.scalars(select(Contact.id).where(Contact.last_name == "Beispiel")).one()


@pytest.mark.parametrize("confirm", [False, True])
def test_erasure_needs_an_explicit_yes(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, confirm: bool
) -> None:
    exchange.import_file(sqlite_db, FIXTURE)
    anna = _anna(sqlite_db)
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.informativeText())
        wanted = "Endgültig löschen" if confirm else "Abbrechen"
        for button in box.buttons():
            if button.text() == wanted:
                monkeypatch.setattr(QMessageBox, "clickedButton", lambda _self, b=button: b)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert privacy_dialogs.erase_with_confirmation(None, sqlite_db, anna) is confirm  # type: ignore[arg-type]
    assert "anonymisiert" in shown[0]
    with sqlite_db.read() as s:
        assert (s.get(Contact, anna) is None) is confirm


@pytest.mark.parametrize("suffix", [".json", ".pdf"])
def test_access_report_is_saved(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, suffix: str
) -> None:
    exchange.import_file(sqlite_db, FIXTURE)
    target = tmp_path / f"auskunft{suffix}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert privacy_dialogs.save_access_report(None, sqlite_db, _anna(sqlite_db)) == target  # type: ignore[arg-type]
    if suffix == ".json":
        assert json.loads(target.read_text("utf-8"))["Person"]["Nachname"] == "Beispiel"
    else:
        import pdfplumber

        with pdfplumber.open(target) as pdf:
            text = " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())
        assert "Auskunft nach Art. 15 DSGVO: Dr. Anna Beispiel" in text
        assert "Rollstuhl" in text  # the assistance need recorded with her reply
        assert "Erika Muster" in text  # the nomination she submitted


def test_former_members_dialog_lists_old_contacts(qtbot: QtBot, sqlite_db: Database) -> None:
    exchange.import_file(sqlite_db, FIXTURE)
    dialog = privacy_dialogs.FormerMembersContactsDialog(sqlite_db)
    qtbot.addWidget(dialog)
    dialog.years.setValue(0)
    assert dialog.table.rowCount() == 1
    item = dialog.table.item(0, 1)
    assert item is not None
    assert item.text() == "Lebenshilfe Weimarer Land gGmbH"
    dialog.years.setValue(50)
    assert dialog.table.rowCount() == 0


@pytest.mark.parametrize("blank", [False, True])
def test_erase_dialog_lists_mentions_and_blanks_them_only_when_ticked(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, blank: bool
) -> None:
    exchange.import_file(sqlite_db, FIXTURE)
    anna = _anna(sqlite_db)
    with sqlite_db.transaction() as s:
        s.add(AgendaItem(meeting_id=1, title="Grußwort", presenter="Dr. Anna Beispiel", position=7))
    shown: list[str] = []
    told: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.informativeText())
        checkbox = box.checkBox()
        assert checkbox is not None
        checkbox.setChecked(blank)
        erase = next(b for b in box.buttons() if b.text() == "Endgültig löschen")
        monkeypatch.setattr(QMessageBox, "clickedButton", lambda _self, b=erase: b)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    assert privacy_dialogs.erase_with_confirmation(None, sqlite_db, anna) is True  # type: ignore[arg-type]
    assert "Programm: vortragende Person: Dr. Anna Beispiel" in shown[0]
    assert told == []  # no other desk open: the WAL was emptied at once
    with sqlite_db.read() as s:
        presenter = s.scalars(select(AgendaItem.presenter).where(AgendaItem.title == "Grußwort")).one()
    assert presenter == ("anonymisiert" if blank else "Dr. Anna Beispiel")


def test_erase_dialog_says_when_other_desks_hold_the_database(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    exchange.import_file(sqlite_db, FIXTURE)
    anna = _anna(sqlite_db)
    told: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        erase = next(b for b in box.buttons() if b.text() == "Endgültig löschen")
        monkeypatch.setattr(QMessageBox, "clickedButton", lambda _self, b=erase: b)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    assert sqlite_db.sqlite_path is not None
    with closing(sqlite3.connect(sqlite_db.sqlite_path, isolation_level=None)) as other_desk:
        other_desk.execute("BEGIN")
        other_desk.execute("SELECT count(*) FROM contacts").fetchone()
        assert privacy_dialogs.erase_with_confirmation(None, sqlite_db, anna) is True  # type: ignore[arg-type]
        other_desk.execute("COMMIT")
    assert len(told) == 1
    assert told[0].endswith(privacy.ERASURE_PENDING)
