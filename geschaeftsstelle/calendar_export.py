"""Meetings as an iCalendar file (.ics) that Outlook and Thunderbird import.

Times are written with TZID Europe/Berlin and a VTIMEZONE block, so a meeting at 14:00 stays at
14:00 for every desk, in summer and winter; the venue address goes into LOCATION and the programme
into DESCRIPTION.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from geschaeftsstelle.errors import UserError
from geschaeftsstelle.meeting_text import agenda_time, venue_line
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import AgendaKind, Meeting, MeetingStatus

BERLIN = ZoneInfo("Europe/Berlin")
ICS_STATUS = {MeetingStatus.TENTATIVE: "TENTATIVE", MeetingStatus.CANCELLED: "CANCELLED"}
UID_DOMAIN = "geschaeftsstelle.invalid"


def location(meeting: Meeting) -> str:
    return venue_line(meeting.venue) or "Ort noch festzulegen"


def programme_text(meeting: Meeting) -> str:
    """`TOP 1: Begrüßung (13:00–14:00 Uhr, Frau X)` lines, after topic and description; pauses and
    programme points unnumbered, as in the letter."""
    lines = [p for p in (meeting.topic, meeting.description) if p]
    if meeting.status == MeetingStatus.TENTATIVE.value:
        lines.insert(0, "Der Termin steht noch unter Vorbehalt.")
    if meeting.agenda:
        if lines:
            lines.append("")
        lines.append("Programm:")
        number = 0
        for item in meeting.agenda:
            extra = [agenda_time(item.time, item.end_time)] if item.time else []
            if item.presenter:
                extra.append(item.presenter)
            title = item.title
            if item.kind == AgendaKind.TOP.value:
                number += 1
                title = f"TOP {number}: {title}"
            lines.append(title + (f" ({', '.join(extra)})" if extra else ""))
    return "\n".join(lines)


def _event(meeting: Meeting, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at.replace(tzinfo=BERLIN))
    event.add("dtend", meeting.ends_at.replace(tzinfo=BERLIN))
    event.add("location", location(meeting))
    if text := programme_text(meeting):
        event.add("description", text)
    event.add("status", ICS_STATUS.get(MeetingStatus(meeting.status), "CONFIRMED"))
    # Raised by every change of date, time, place or status after the invitations went out, so that
    # calendars which imported the earlier file take the new one.
    event.add("sequence", meeting.sequence)
    return event


def build_calendar(meetings: list[Meeting]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Geschäftsstelle//Termine//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-timezone", "Europe/Berlin")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for meeting in meetings:
        cal.add_component(_event(meeting, stamp))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _load(db: Database, *, meeting_id: int | None = None, year: int | None = None) -> list[Meeting]:
    query = select(Meeting).options(selectinload(Meeting.venue), selectinload(Meeting.agenda))
    if meeting_id is not None:
        query = query.where(Meeting.id == meeting_id)
    if year is not None:
        query = query.where(
            Meeting.starts_at >= dt.datetime(year, 1, 1), Meeting.starts_at < dt.datetime(year + 1, 1, 1)
        )
    with db.read() as s:
        return list(s.scalars(query.order_by(Meeting.starts_at, Meeting.id)))


def export_meeting(db: Database, meeting_id: int, path: Path) -> int:
    meetings = _load(db, meeting_id=meeting_id)
    if not meetings:
        raise UserError(f"Den Termin {meeting_id} gibt es nicht.")
    path.write_bytes(build_calendar(meetings))
    return 1


def export_year(db: Database, year: int, path: Path) -> int:
    meetings = _load(db, year=year)
    if not meetings:
        raise UserError(f"Im Jahr {year} gibt es keine Termine.")
    path.write_bytes(build_calendar(meetings))
    return len(meetings)
