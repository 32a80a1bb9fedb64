"""Änderungsprotokoll: who changed which record, which fields from what to what; part of the export."""

from __future__ import annotations

import io
import json
import logging
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geschaeftsstelle import exchange, log_setup, members
from geschaeftsstelle.errors import ValidationError
from geschaeftsstelle.store import audit
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import AuditEntry
from geschaeftsstelle.store.opening import open_database


def test_every_change_is_logged_with_old_and_new_values(db: Database) -> None:
    mid = members.save_member(db, members.MemberInput(name="Camsin e. V.", city="Weimar", tags=["Migration"]))
    m = members.get_member(db, mid)
    members.save_member(
        db, members.MemberInput(id=mid, version=m.version, name="Camsin e. V.", city="Apolda", tags=["Familie"])
    )
    cid = members.save_contact(db, members.ContactInput(member_id=mid, last_name="Beispiel", email="a@b.de"))
    members.delete_contact(db, cid, version=members.get_contact(db, cid).version)

    log = audit.history(db, "member", mid)
    assert [e.action for e in log] == ["update", "insert"]
    assert log[0].changes["city"] == ["Weimar", "Apolda"]
    assert log[0].changes["tags"] == [["Migration"], ["Familie"]]
    assert log[0].summary == "Ort: Weimar → Apolda; Schlagworte: Migration → Familie"
    assert log[0].user_name == audit.current_user()
    contact_log = audit.history(db, "contact", cid)
    assert [e.action for e in contact_log] == ["delete", "insert"]
    assert contact_log[0].label == "Beispiel"
    assert contact_log[1].changes["email"] == [None, "a@b.de"]


def test_failed_save_logs_nothing(db: Database) -> None:
    mid = members.save_member(db, members.MemberInput(name="Camsin e. V."))
    before = audit.history(db)
    with pytest.raises(ValidationError):
        members.save_member(
            db, members.MemberInput(id=mid, version=members.get_member(db, mid).version, name="Camsin", email="kaputt")
        )
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


def test_blank_entries_blanks_own_entries_and_the_name_in_others(db: Database) -> None:
    mid = members.save_member(db, members.MemberInput(name="Camsin e. V.", notes="Kontakt: Zora Quellenbach"))
    cid = members.save_contact(db, members.ContactInput(member_id=mid, first_name="Zora", last_name="Quellenbach"))
    with db.transaction() as s:
        s.info["audit"] = False
        changed = audit.blank_entries(
            s, (AuditEntry.entity == "contact") & (AuditEntry.entity_id == cid), ["zora quellenbach"], "anonymisiert"
        )
    assert changed == 2
    own = audit.history(db, "contact", cid)[0]
    assert (own.label, own.changes) == ("anonymisiert", {})
    member = audit.history(db, "member", mid)[-1]
    assert member.changes["notes"] == [None, "Kontakt: anonymisiert"]  # any case, the rest of the text kept
    assert member.changes["name"] == [None, "Camsin e. V."]


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_change_log_values_stay_strict_json(value: float) -> None:
    plain = audit._plain([value])
    json.dumps(plain, allow_nan=False)
    assert audit.finite({"x": [value, 1]}) is math.isfinite(value)


def test_log_file_keeps_error_classes_and_frames_but_no_values() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(log_setup.ValueFreeFormatter("%(levelname)s %(message)s"))
    log = logging.getLogger("test_audit.values")
    log.addHandler(handler)
    try:
        try:
            raise ValueError("zora@example.org")
        except ValueError as exc:
            log.exception("Speichern fehlgeschlagen")
            log.warning("Fehler: %s", exc)
            log_setup.failed_save(log, exc, "contact", 17)
        log.error("Vorher formatiert:\nKeyError: 'Zora'\n[parameters: ('Zora', 1)]\nDETAIL: Key (email)=(z@x) exists")
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    for value in ("zora@example.org", "Zora", "z@x"):
        assert value not in text
    assert "builtins.ValueError" in text
    assert ", in test_log_file_keeps_error_classes_and_frames_but_no_values" in text  # where it happened
    assert "Speichern fehlgeschlagen: ValueError bei contact 17" in text
