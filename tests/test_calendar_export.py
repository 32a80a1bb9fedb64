"""The .ics export read back with the icalendar parser: time zone, location, programme, year file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from geschaeftsstelle import calendar_export
from geschaeftsstelle.cli import main
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.meetings import AgendaItemInput, MeetingInput, VenueInput, save_meeting, save_venue
from geschaeftsstelle.store.database import Database


def _meetings(db: Database) -> tuple[int, int]:
    venue = save_venue(
        db, VenueInput("Mehrgenerationenhaus", street="Marktstraße 3", postal_code="99510", city="Apolda")
    )
    summer = save_meeting(
        db,
        MeetingInput(
            title="Kreisgruppensitzung",
            starts_at=dt.datetime(2021, 7, 14, 14),
            ends_at=dt.datetime(2021, 7, 14, 16),
            venue_id=venue,
            topic="Pflege im ländlichen Raum",
            agenda=[
                AgendaItemInput("Begrüßung", dt.time(14)),
                AgendaItemInput("Bericht; Haushalt, Ausblick", presenter="Frau Lindner"),
            ],
        ),
    )
    winter = save_meeting(
        db,
        MeetingInput(
            title="Jahresabschluss", starts_at=dt.datetime(2021, 12, 8, 10), ends_at=dt.datetime(2021, 12, 8, 12)
        ),
    )
    return summer, winter


def test_one_meeting_with_timezone_location_and_programme(db: Database, tmp_path: Path) -> None:
    summer, _ = _meetings(db)
    path = tmp_path / "termin.ics"
    assert calendar_export.export_meeting(db, summer, path) == 1
    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    start = event.decoded("dtstart")
    assert start == dt.datetime(2021, 7, 14, 14, tzinfo=ZoneInfo("Europe/Berlin"))
    assert start.utcoffset() == dt.timedelta(hours=2)
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert str(event["summary"]) == "Kreisgruppensitzung"
    assert str(event["location"]) == "Mehrgenerationenhaus, Marktstraße 3, 99510 Apolda"
    description = str(event["description"])
    assert "Pflege im ländlichen Raum" in description
    assert "TOP 1: Begrüßung (14:00 Uhr)" in description
    assert "TOP 2: Bericht; Haushalt, Ausblick (Frau Lindner)" in description
    timezones = list(cal.walk("VTIMEZONE"))
    assert [str(tz["tzid"]) for tz in timezones] == ["Europe/Berlin"]
    assert {c.name for c in timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_year_export_and_command(db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _meetings(db)
    out = tmp_path / "jahr.ics"
    assert main(["--db", db_url, "ics", "--year", "2021", "--out", str(out)]) == 0
    assert "2 Termine" in capsys.readouterr().out
    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Kreisgruppensitzung", "Jahresabschluss"]
    winter = events[1]
    assert winter.decoded("dtstart").utcoffset() == dt.timedelta(hours=1)
    assert str(winter["location"]) == "Ort noch festzulegen"
    assert len({str(e["uid"]) for e in events}) == 2
    assert main(["--db", db_url, "ics", "--year", "2022", "--out", str(out)]) == 1
    assert "Im Jahr 2022 gibt es keine Termine." in capsys.readouterr().err
    with pytest.raises(UserError, match="Den Termin 999"):
        calendar_export.export_meeting(db, 999, out)


def test_ics_command_for_one_meeting(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _summer, winter = _meetings(db)
    out = tmp_path / "eins.ics"
    assert main(["--db", db_url, "ics", "--meeting", str(winter), "--out", str(out)]) == 0
    assert [str(e["summary"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")] == ["Jahresabschluss"]
    assert main(["--db", db_url, "ics", "--meeting", str(winter), "--year", "2021", "--out", str(out)]) == 1
    assert "genau eines" in capsys.readouterr().err
    assert main(["--db", db_url, "ics", "--year", "2021", "--out", str(tmp_path / "x.txt")]) == 1
    assert ".ics" in capsys.readouterr().err
