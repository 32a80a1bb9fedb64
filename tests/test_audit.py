"""Änderungsprotokoll: who changed which record, which fields from what to what; part of the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geschaeftsstelle import exchange, members
from geschaeftsstelle.errors import ValidationError
from geschaeftsstelle.store import audit
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.opening import open_database


def test_every_change_is_logged_with_old_and_new_values(db: Database) -> None:
    mid = members.save_member(db, members.MemberInput(name="Camsin e. V.", city="Weimar", tags=["Migration"]))
    m = members.get_member(db, mid)
    members.save_member(
        db, members.MemberInput(id=mid, version=m.version, name="Camsin e. V.", city="Apolda", tags=["Familie"])
    )
    cid = members.save_contact(db, members.ContactInput(member_id=mid, last_name="Beispiel", email="a@b.de"))
    members.delete_contact(db, cid)

    log = audit.history(db, "member", mid)
    assert [e.action for e in log] == ["update", "insert"]
    assert log[0].changes["city"] == ["Weimar", "Apolda"]
    assert log[0].changes["tags"] == [["Migration"], ["Familie"]]
    assert "city: Weimar → Apolda" in log[0].summary
    assert log[0].user_name == audit.current_user()
    contact_log = audit.history(db, "contact", cid)
    assert [e.action for e in contact_log] == ["delete", "insert"]
    assert contact_log[0].label == "Beispiel"
    assert contact_log[1].changes["email"] == [None, "a@b.de"]


def test_failed_save_logs_nothing(db: Database) -> None:
    mid = members.save_member(db, members.MemberInput(name="Camsin e. V."))
    before = audit.history(db)
    with pytest.raises(ValidationError):
        members.save_member(db, members.MemberInput(id=mid, name="Camsin", email="kaputt"))
    assert audit.history(db) == before


def test_audit_log_is_exported_and_survives_the_round_trip(db: Database, tmp_path: Path) -> None:
    exchange.import_file(db, Path(__file__).parent / "fixtures" / "office_small.json")
    assert audit.history(db) == []  # an import writes the file's log, not one entry per row
    row = members.list_members(db)[0]
    m = members.get_member(db, row.id)
    members.save_member(db, members.MemberInput(id=m.id, version=m.version, name=m.name, city="Erfurt"))
    first = exchange.dumps(exchange.export_office(db))
    data = json.loads(first)
    assert data["audit"][-1]["record"] == "m1"
    assert data["audit"][-1]["changes"]["city"] == ["Weimar", "Erfurt"]
    other = open_database(tmp_path / "copy.sqlite")
    exchange.import_office(other, data)
    assert exchange.dumps(exchange.export_office(other)) == first
    assert audit.history(other, "member", row.id)[0].changes["city"] == ["Weimar", "Erfurt"]
    other.dispose()
