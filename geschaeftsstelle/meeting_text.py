"""How the office words a meeting's date, time and place in German: one source for letters, calendar
files and change notices."""

from __future__ import annotations

import datetime as dt

from geschaeftsstelle.store.models import Venue

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")  # fmt: skip


def venue_line(venue: Venue | None) -> str:
    """`Frauenzentrum, Hauptstraße 1, 99423 Weimar`: the place as letters and calendars name it."""
    if venue is None:
        return ""
    place = " ".join(p for p in (venue.postal_code, venue.city) if p)
    return ", ".join(p for p in (venue.name, venue.street, place) if p)


def long_date(value: dt.date) -> str:
    """`Mittwoch, 12. Februar 2020`, as a letter names the day of a meeting."""
    return f"{WEEKDAYS[value.weekday()]}, {value.day}. {MONTHS[value.month - 1]} {value.year}"


def time_span(start: dt.datetime, end: dt.datetime) -> str:
    """`14:00 bis 16:00 Uhr`; one time only when start and end are the same."""
    if end == start:
        return f"{start:%H:%M} Uhr"
    return f"{start:%H:%M} bis {end:%H:%M} Uhr"


def agenda_time(start: dt.time | None, end: dt.time | None) -> str:
    """`10:00–11:00 Uhr` for a programme row; one time, or nothing, when that is all there is."""
    if start is None:
        return ""
    if end is None or end == start:
        return f"{start:%H:%M} Uhr"
    return f"{start:%H:%M}–{end:%H:%M} Uhr"
