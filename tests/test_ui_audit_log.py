"""The change log view shows who changed what, filters as you type and by kind of record."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from geschaeftsstelle import members
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import AuditEntry
from ui.audit_log_view import AuditLogDialog, AuditLogModel, AuditLogView

pytestmark = pytest.mark.gui


def test_log_lists_and_filters_changes(qtbot: QtBot, sqlite_db: Database) -> None:
    db = sqlite_db
    mid = members.save_member(db, members.MemberInput(name="Camsin e. V.", city="Weimar"))
    m = members.get_member(db, mid)
    members.save_member(db, members.MemberInput(id=mid, version=m.version, name=m.name, city="Apolda"))
    members.save_contact(db, members.ContactInput(member_id=mid, first_name="Łukasz", last_name="Wiśniewski"))

    view = AuditLogView(db)
    qtbot.addWidget(view)
    assert view.proxy.rowCount() == 3
    newest = view.proxy.index(0, AuditLogModel.COL_CHANGES)
    assert view.proxy.data(newest) == "angelegt"  # the contact, newest first
    qtbot.keyClicks(view.search, "apolda")
    assert view.proxy.rowCount() == 1
    assert "Ort: Weimar → Apolda" in view.proxy.data(view.proxy.index(0, AuditLogModel.COL_CHANGES))
    view.search.clear()
    qtbot.keyClicks(view.search, "WISNIEWSKI")
    assert view.proxy.rowCount() == 1
    view.search.clear()
    view.kind.setCurrentIndex(view.kind.findData("member"))
    assert view.proxy.rowCount() == 2
    assert view.count.text() == "2 von 3 Einträgen"


def test_log_of_one_record(qtbot: QtBot, sqlite_db: Database) -> None:
    a = members.save_member(sqlite_db, members.MemberInput(name="A e. V."))
    members.save_member(sqlite_db, members.MemberInput(name="B e. V."))
    dialog = AuditLogDialog(sqlite_db, "member", a, "A e. V.")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Änderungsprotokoll – A e. V."
    assert dialog.view.proxy.rowCount() == 1
    assert not dialog.view.kind.isVisibleTo(dialog)


def test_log_speaks_the_dialogs_german_and_finds_by_label(qtbot: QtBot, db: Database) -> None:
    """Fields named as in the dialogs, values as typed (dd.mm.yyyy, 14:00 Uhr, ja/nein, Zusage), and
    typing a label ("Telefon") finds the changes of that field — keys only."""
    mid = members.save_member(db, members.MemberInput(name="Camsin e. V."))
    m = members.get_member(db, mid)
    members.save_member(db, members.MemberInput(
        id=mid, version=m.version, name=m.name, joined_on=dt.date(2020, 1, 1), phone="03643 1234",
    ))  # fmt: skip
    cid = members.save_contact(db, members.ContactInput(member_id=mid, last_name="Richter"))
    members.set_primary_contact(db, mid, cid, version=members.get_member(db, mid).version)
    with db.transaction() as s:
        s.execute(insert(AuditEntry), [
            {"at": dt.datetime(2026, 1, 2, 9, 0), "user_name": "anna", "entity": "invitation", "entity_id": 1,
             "label": "Richter – Termin 1", "action": "update",
             "changes": {"response": ["open", "accepted"], "persons": [1, 2]}},
            {"at": dt.datetime(2026, 1, 2, 9, 0), "user_name": "anna", "entity": "meeting", "entity_id": 1,
             "label": "Sitzung", "action": "update",
             "changes": {"starts_at": ["2027-04-15T10:00", "2027-04-15T14:00"], "members_only": [False, True]}},
        ])  # fmt: skip

    view = AuditLogView(db)
    qtbot.addWidget(view)
    texts = [view.proxy.data(view.proxy.index(r, AuditLogModel.COL_CHANGES)) for r in range(view.proxy.rowCount())]
    joined = " | ".join(texts)
    assert "Mitglied seit: — → 01.01.2020" in joined
    assert "Hauptansprechperson: nein → ja" in joined
    assert "Rückmeldung: offen → Zusage" in joined
    assert "Personen: 1 → 2" in joined
    assert "Beginn: 15.04.2027 10:00 Uhr → 15.04.2027 14:00 Uhr" in joined
    assert "Nur für Mitglieder: nein → ja" in joined
    for text in texts:
        assert "_" not in text
        assert "True" not in text
        assert "2020-01-01" not in text

    view.search.setFocus()
    qtbot.keyClicks(view.search, "Telefon")
    assert view.proxy.rowCount() == 1
    assert "Telefonnummer: — → 03643 1234" in view.proxy.data(view.proxy.index(0, AuditLogModel.COL_CHANGES))
    view.search.selectAll()
    qtbot.keyClicks(view.search, "Zusage")
    assert view.proxy.rowCount() == 1
