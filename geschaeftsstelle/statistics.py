"""Attendance statistics: which member organisations took part in the year's meetings, and per meeting the
places left and the waiting list.

A member counts as invited to a meeting when any of its contacts was invited, and as present when
any of them was checked in; cancelled meetings are left out. Exports neutralise formula-like cells.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import case, distinct, func, select

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.member_export import neutralise
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Meeting, MeetingReplyCount, MeetingStatus, Member


@dataclass(frozen=True)
class MemberAttendance:
    member_id: int
    name: str
    invited: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.invited if self.invited else None

    def rate_text(self) -> str:
        rate = self.rate
        return "–" if rate is None else f"{rate * 100:.0f} %".replace(".", ",")


@dataclass(frozen=True)
class MeetingAttendance:
    meeting_id: int
    starts_at: dt.datetime
    title: str
    invited: int
    accepted_persons: int
    attended: int
    capacity: int | None = None
    waitlisted: int = 0  # invitations on the Warteliste

    @property
    def places_left(self) -> int | None:
        """Free places (persons) of a meeting with a capacity, never below 0; None without one."""
        return None if self.capacity is None else max(self.capacity - self.accepted_persons, 0)


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)


def member_attendance(db: Database, year: int) -> list[MemberAttendance]:
    """Every member with at least one invitation in `year`, sorted by name."""
    start, end = _year_bounds(year)
    attended_meeting = case((Invitation.attended.is_(True), Invitation.meeting_id))
    query = (
        select(
            Member.id,
            Member.name,
            func.count(distinct(Invitation.meeting_id)),
            func.count(distinct(attended_meeting)),
        )
        .join(Contact, Contact.member_id == Member.id)
        .join(Invitation, Invitation.contact_id == Contact.id)
        .join(Meeting, Meeting.id == Invitation.meeting_id)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end, Meeting.status != MeetingStatus.CANCELLED.value)
        .group_by(Member.id, Member.name)
        .order_by(Member.name, Member.id)
    )
    with db.read() as s:
        return [MemberAttendance(*row) for row in s.execute(query)]


def meeting_attendance(db: Database, year: int) -> list[MeetingAttendance]:
    """Per meeting of the year: invited, accepted persons, checked in (for the bar chart); the figures from
    meeting_reply_counts, which the database keeps (as the Termine list reads them)."""
    start, end = _year_bounds(year)
    counts = MeetingReplyCount
    query = (
        select(
            Meeting.id,
            Meeting.starts_at,
            Meeting.title,
            counts.open + counts.accepted + counts.declined + counts.tentative + counts.waitlisted,
            counts.persons,
            counts.attended,
            Meeting.capacity,
            counts.waitlisted,
        )
        .outerjoin(counts, counts.meeting_id == Meeting.id)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end, Meeting.status != MeetingStatus.CANCELLED.value)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    with db.read() as s:
        return [
            MeetingAttendance(
                meeting_id, starts_at, title, invited or 0, persons or 0, attended or 0, capacity, waitlisted or 0
            )
            for meeting_id, starts_at, title, invited, persons, attended, capacity, waitlisted in s.execute(query)
        ]


HEADERS = ["Mitgliedsorganisation", "Eingeladen", "Teilgenommen", "Quote"]


def export_statistics(db: Database, year: int, path: Path) -> int:
    """Write the member table as .csv (German Excel) or .xlsx; returns the number of rows."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UserError(f"Die Statistik wird als .csv oder .xlsx geschrieben, nicht als „{suffix}“.")
    rows = member_attendance(db, year)
    tmp = path.with_name(path.name + ".tmp")
    if suffix == ".csv":
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
            writer.writerow(HEADERS)
            for r in rows:
                writer.writerow([neutralise(r.name), r.invited, r.attended, r.rate_text()])
    else:
        from openpyxl import Workbook
        from openpyxl.worksheet.worksheet import Worksheet

        wb = Workbook()
        sheet = wb.active
        assert isinstance(sheet, Worksheet)  # a new workbook starts with one worksheet
        sheet.title = f"Teilnahme {year}"
        sheet.append(HEADERS)
        for r in rows:
            sheet.append([neutralise(r.name), r.invited, r.attended, r.rate])
            sheet.cell(row=sheet.max_row, column=4).number_format = "0%"
        sheet.column_dimensions["A"].width = 45
        wb.save(tmp)
    tmp.replace(path)
    return len(rows)
