"""Attendance per member organisation and per meeting; exports neutralise formula-like names."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from geschaeftsstelle import invitations as inv
from geschaeftsstelle import statistics
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Meeting, Member


def _setup(db: Database) -> dict[str, int]:
    with db.transaction() as s:
        a = Member(name="=HYPERLINK(1)", street="", postal_code="", city="", notes="", search_text="")
        b = Member(name="Bürgerhilfe", street="", postal_code="", city="", notes="", search_text="")
        s.add_all([a, b])
        s.flush()
        ca = Contact(member_id=a.id, first_name="A", last_name="A", is_primary=True)
        cb = Contact(member_id=b.id, first_name="B", last_name="B", is_primary=True)
        cb2 = Contact(member_id=b.id, first_name="B2", last_name="B", is_primary=False)
        s.add_all([ca, cb, cb2])
        meetings = []
        for month, status in [(2, "planned"), (4, "planned"), (6, "cancelled")]:
            m = Meeting(
                title=f"Sitzung {month}",
                starts_at=dt.datetime(2021, month, 10, 14),
                ends_at=dt.datetime(2021, month, 10, 16),
                status=status,
            )
            s.add(m)
            meetings.append(m)
        s.flush()
        return {"a": ca.id, "b": cb.id, "b2": cb2.id, "m1": meetings[0].id, "m2": meetings[1].id, "m3": meetings[2].id}


def _check_in(db: Database, meeting_id: int, contact_id: int) -> None:
    row = next(r for r in inv.load_board(db, meeting_id).rows if r.contact_id == contact_id)
    inv.check_in(db, row.id, row.version, True)


def test_member_and_meeting_attendance(db: Database, tmp_path: Path) -> None:
    ids = _setup(db)
    for m in ("m1", "m2", "m3"):
        inv.invite_all_members(db, ids[m])
    inv.invite_contacts(db, ids["m1"], [ids["b2"]])
    _check_in(db, ids["m1"], ids["a"])
    _check_in(db, ids["m1"], ids["b"])
    _check_in(db, ids["m1"], ids["b2"])  # second person of the same member: still one meeting
    _check_in(db, ids["m2"], ids["b"])
    rows = statistics.member_attendance(db, 2021)
    assert [(r.name, r.invited, r.attended) for r in rows] == [("=HYPERLINK(1)", 2, 1), ("Bürgerhilfe", 2, 2)]
    assert [r.rate_text() for r in rows] == ["50 %", "100 %"]
    assert statistics.member_attendance(db, 2020) == []
    per_meeting = statistics.meeting_attendance(db, 2021)
    assert [(m.title, m.invited, m.attended) for m in per_meeting] == [("Sitzung 2", 3, 3), ("Sitzung 4", 2, 1)]

    csv_path = tmp_path / "stat.csv"
    assert statistics.export_statistics(db, 2021, csv_path) == 2
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f, delimiter=";"))
    assert lines[0] == statistics.HEADERS
    assert lines[1] == ["'=HYPERLINK(1)", "2", "1", "50 %"]
    xlsx_path = tmp_path / "stat.xlsx"
    statistics.export_statistics(db, 2021, xlsx_path)
    sheet = load_workbook(xlsx_path).active
    assert sheet["A2"].value == "'=HYPERLINK(1)"
    assert sheet["A2"].data_type == "s"
    assert sheet["D3"].value == 1.0
    with pytest.raises(UserError, match=r"\.pdf"):
        statistics.export_statistics(db, 2021, tmp_path / "x.pdf")
