"""Jahresplanung: a year's series of meetings from a recurrence rule or a list of dates.

Offices think in "the second Wednesday, every other month"; `dateutil.rrule` says exactly that
(`FREQ=MONTHLY;INTERVAL=2;BYDAY=+2WE`). The preview marks public holidays of the office's Bundesland
so nobody invites to a Reformationstag; creating the series is one transaction (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays
from dateutil import rrule
from sqlalchemy import select

from geschaeftsstelle.errors import FieldError, UserError, ValidationError
from geschaeftsstelle.meetings import validate_meeting
from geschaeftsstelle.office import STATE_NAMES
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Meeting, MeetingKind, MeetingStatus, Office, Venue

MAX_DATES = 100
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_FINE_FREQUENCIES = ("HOURLY", "MINUTELY", "SECONDLY")


@dataclass(frozen=True)
class PlannedDate:
    """One date of the preview; `holiday` names the public holiday on that day, if any."""

    date: dt.date
    holiday: str | None = None
    #: The title of a meeting that already exists on that day under the same title.
    existing: str | None = None

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5

    def label(self) -> str:
        text = f"{WEEKDAY_NAMES[self.date.weekday()]}, {self.date:%d.%m.%Y}"
        if self.holiday:
            text += f"  – Feiertag: {self.holiday}"
        if self.existing:
            text += f"  – „{self.existing}“ gibt es an diesem Tag schon"
        return text


@dataclass
class SeriesInput:
    """What the planning dialog and `plan` collect; `dates` are the (possibly edited) preview dates."""

    title: str
    dates: list[dt.date]
    start: dt.time
    end: dt.time
    kind: str = MeetingKind.MEETING.value
    status: str = MeetingStatus.PLANNED.value
    venue_id: int | None = None
    topic: str = ""
    deadline_days: int | None = None
    capacity: int | None = None


def build_rule(weekday: int, nth: int, interval_months: int = 1) -> str:
    """`FREQ=MONTHLY;INTERVAL=2;BYDAY=+2WE` from weekday 0–6 (Monday = 0), n-th 1–4 or -1 (last)."""
    if not 0 <= weekday <= 6:
        raise UserError("Der Wochentag muss zwischen Montag und Sonntag liegen.")
    if nth not in (1, 2, 3, 4, 5, -1):
        raise UserError("Im Monat gibt es nur den 1. bis 5. oder den letzten Wochentag.")
    if not 1 <= interval_months <= 12:
        raise UserError("Der Abstand muss zwischen 1 und 12 Monaten liegen.")
    return f"FREQ=MONTHLY;INTERVAL={interval_months};BYDAY={nth:+d}{WEEKDAY_CODES[weekday]}"


def expand_rule(rule: str, year: int, *, start_month: int = 1) -> list[dt.date]:
    """All dates the rule yields in `year` (from `start_month`); refuses invalid rules, none or too many dates."""
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text:
        raise UserError("Die Regel für die Termine fehlt.")
    upper = text.upper()
    if "DTSTART" in upper:
        raise UserError("Die Regel darf kein DTSTART enthalten; das Jahr wird eigens angegeben.")
    freq = re.search(r"FREQ=(\w+)", upper)
    if freq and freq.group(1) in _FINE_FREQUENCIES:
        raise UserError("Termine lassen sich höchstens täglich planen, nicht stündlich oder öfter.")
    start = dt.datetime(year, start_month, 1)
    end = dt.datetime(year, 12, 31, 23, 59)
    _check_rule_parts(rule, text)
    try:
        recurrence = rrule.rrulestr(text, dtstart=start, ignoretz=True)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise UserError(f"Die Regel „{rule}“ ist ungültig: {_rule_reason(str(exc))}.") from exc
    dates: list[dt.date] = []
    try:
        for occurrence in recurrence.xafter(start, inc=True):
            if occurrence > end:
                break
            dates.append(occurrence.date())
            if len(dates) > MAX_DATES:
                raise UserError(
                    f"Die Regel „{rule}“ ergibt mehr als {MAX_DATES} Termine im Jahr {year}; bitte die Regel prüfen."
                )
    except IndexError as exc:  # dateutil accepts BYDAY=+9WE and fails only while counting the dates
        raise UserError(
            f"Die Regel „{rule}“ ist ungültig: einen solchen Wochentag im Monat gibt es nicht (höchstens den 5.)."
        ) from exc
    if not dates:
        raise UserError(f"Die Regel „{rule}“ ergibt im Jahr {year} keinen einzigen Termin.")
    return dates


def parse_dates(text: str) -> list[dt.date]:
    """An explicit list like `12.02.2021, 14.04.2021` (comma, semicolon, blank or line separated)."""
    dates: list[dt.date] = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        try:
            dates.append(dt.datetime.strptime(part, "%d.%m.%Y").date())
        except ValueError:
            raise UserError(f"„{part}“ ist kein Datum im Format TT.MM.JJJJ.") from None
    if not dates:
        raise UserError("Es wurde kein Datum angegeben.")
    if len(dates) > MAX_DATES:
        raise UserError(f"Mehr als {MAX_DATES} Termine auf einmal lassen sich nicht anlegen.")
    return sorted(set(dates))


def parse_time_range(text: str) -> tuple[dt.time, dt.time]:
    """`14:00-16:00` or `14–16` → two times; end must follow start."""
    match = re.fullmatch(r"\s*(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?\s*(?:Uhr)?\s*", text or "")
    if not match:
        raise UserError(f"„{text}“ ist keine Uhrzeitspanne wie 14:00-16:00.")
    h1, m1, h2, m2 = match.groups()
    try:
        start = dt.time(int(h1), int(m1 or 0))
        end = dt.time(int(h2), int(m2 or 0))
    except ValueError:
        raise UserError(f"„{text}“ enthält eine ungültige Uhrzeit.") from None
    if end <= start:
        raise UserError("Das Ende liegt vor dem Beginn.")
    return start, end


_RULE_EXAMPLE = "z. B. FREQ=MONTHLY;INTERVAL=2;BYDAY=+2WE"


def _check_rule_parts(rule: str, text: str) -> None:
    """In German what dateutil would say in Python's words ("not enough values to unpack")."""
    parts = [p.strip() for p in text.split(";") if p.strip()]
    for part in parts:
        if "=" not in part or not part.split("=", 1)[1].strip():
            raise UserError(
                f"Die Regel „{rule}“ ist ungültig: „{part}“ braucht die Form NAME=WERT ({_RULE_EXAMPLE})."
            )
    if not any(p.upper().startswith("FREQ=") for p in parts):
        raise UserError(f"Die Regel „{rule}“ ist ungültig: FREQ fehlt ({_RULE_EXAMPLE}).")


def _rule_reason(message: str) -> str:
    if m := re.match(r"invalid '(\w+)': (.*)", message):
        return f"„{m.group(2)}“ ist kein gültiger Wert für {m.group(1)}"
    if m := re.match(r"unknown parameter '(\w+)'", message):
        return f"„{m.group(1)}“ ist kein Bestandteil einer Regel"
    return f"bitte die Schreibweise prüfen ({_RULE_EXAMPLE})"


def existing_meetings(db: Database, title: str, dates: list[dt.date]) -> dict[dt.date, str]:
    """Dates on which a meeting of the same title (case ignored) already exists and is not cancelled,
    with that meeting's title: planning them again would invite twice to the same meeting."""
    wanted = title.strip().casefold()
    if not dates or not wanted:
        return {}
    first = dt.datetime.combine(min(dates), dt.time.min)
    last = dt.datetime.combine(max(dates) + dt.timedelta(days=1), dt.time.min)
    days = set(dates)
    with db.read() as s:
        rows = s.execute(
            select(Meeting.starts_at, Meeting.title).where(
                Meeting.starts_at >= first, Meeting.starts_at < last, Meeting.status != MeetingStatus.CANCELLED.value
            )
        ).all()
    return {
        starts.date(): found
        for starts, found in rows
        if starts.date() in days and (found or "").strip().casefold() == wanted
    }


@lru_cache(maxsize=64)
def _holidays(state: str | None, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv=state, years=year, language="de")


def holiday_name(day: dt.date, state: str | None) -> str | None:
    """The public holiday on `day` in the Bundesland (nationwide ones only when no state is set)."""
    return _holidays(state, day.year).get(day)


def mark_holidays(dates: list[dt.date], state: str | None) -> list[PlannedDate]:
    return [PlannedDate(d, holiday_name(d, state)) for d in dates]


def plan_preview(db: Database, dates: list[dt.date], state: str | None, title: str) -> list[PlannedDate]:
    """The preview's dates with their holidays and the meetings of the same title already on that day."""
    existing = existing_meetings(db, title, dates)
    return [PlannedDate(d, holiday_name(d, state), existing.get(d)) for d in dates]


def office_state(db: Database) -> str | None:
    with db.read() as s:
        office = s.get(Office, 1)
        return office.state if office is not None else None


def state_note(state: str | None) -> str:
    """Which holidays the preview checks, as one German line."""
    if state:
        return f"Feiertage geprüft für {STATE_NAMES.get(state, state)}."
    return "Kein Bundesland im Briefkopf: nur bundesweite Feiertage geprüft."


def create_series(db: Database, data: SeriesInput) -> list[int]:
    """Create one meeting per date in a single transaction; returns the new ids in date order."""
    if not data.dates:
        raise UserError("Es ist kein Datum ausgewählt.")
    if len(data.dates) > MAX_DATES:
        raise UserError(f"Mehr als {MAX_DATES} Termine auf einmal lassen sich nicht anlegen.")
    if data.end <= data.start:
        raise ValidationError([FieldError("ends_at", "Ende liegt vor Beginn.")])
    if data.deadline_days is not None and data.deadline_days < 0:
        raise ValidationError([FieldError("registration_deadline", "Der Anmeldeschluss liegt nach dem Termin.")])
    with db.transaction() as s:
        if data.venue_id is not None and s.get(Venue, data.venue_id) is None:
            raise ValidationError([FieldError("venue_id", "Den gewählten Veranstaltungsort gibt es nicht (mehr).")])
        meetings = []
        for day in sorted(set(data.dates)):
            meeting = Meeting(
                title=data.title.strip(),
                kind=data.kind,
                status=data.status,
                starts_at=dt.datetime.combine(day, data.start),
                ends_at=dt.datetime.combine(day, data.end),
                venue_id=data.venue_id,
                topic=data.topic.strip(),
                description="",
                catering="",
                members_only=False,
                capacity=data.capacity,
                registration_deadline=(
                    day - dt.timedelta(days=data.deadline_days) if data.deadline_days is not None else None
                ),
            )
            if errors := validate_meeting(meeting):
                raise ValidationError(errors)
            meetings.append(meeting)
        s.add_all(meetings)
        s.flush()
        return [m.id for m in meetings]
