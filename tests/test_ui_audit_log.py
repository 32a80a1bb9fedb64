"""The change log view shows who changed what, filters as you type and by kind of record."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from geschaeftsstelle import members
from geschaeftsstelle.store.database import Database
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
    assert "city: Weimar → Apolda" in view.proxy.data(view.proxy.index(0, AuditLogModel.COL_CHANGES))
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
