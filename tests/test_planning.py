"""Jahresplanung: rules, explicit dates, holiday marks per Bundesland, all-or-nothing creation."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from geschaeftsstelle import planning
from geschaeftsstelle.cli import main
from geschaeftsstelle.errors import UserError, ValidationError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Meeting, Office


def test_second_wednesday_every_other_month() -> None:
    rule = planning.build_rule(weekday=2, nth=2, interval_months=2)
    assert rule == "FREQ=MONTHLY;INTERVAL=2;BYDAY=+2WE"
    dates = planning.expand_rule(rule, 2021)
    assert dates == [
        dt.date(2021, 1, 13), dt.date(2021, 3, 10), dt.date(2021, 5, 12),
        dt.date(2021, 7, 14), dt.date(2021, 9, 8), dt.date(2021, 11, 10),
    ]  # fmt: skip
    assert all(d.weekday() == 2 and 8 <= d.day <= 14 for d in dates)


def test_last_friday_and_rrule_prefix() -> None:
    dates = planning.expand_rule("RRULE:FREQ=MONTHLY;BYDAY=-1FR", 2024)
    assert len(dates) == 12
    assert dates[0] == dt.date(2024, 1, 26)
    assert dates[-1] == dt.date(2024, 12, 27)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "fehlt"),
        ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2", "keinen einzigen Termin"),
        ("FREQ=DAILY", "mehr als 100 Termine"),
        ("FREQ=HOURLY", "höchstens täglich"),
        ("FREQ=SOMETIMES", "ungültig"),
        ("DTSTART:20210101T000000\nFREQ=WEEKLY", "DTSTART"),
    ],
)
def test_bad_rules_are_refused_clearly(rule: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        planning.expand_rule(rule, 2021)


@pytest.mark.parametrize(
    ("state", "day", "expected"),
    [
        ("TH", dt.date(2021, 10, 31), "Reformationstag"),
        ("SN", dt.date(2021, 10, 31), "Reformationstag"),
        ("HE", dt.date(2021, 10, 31), None),
        ("HE", dt.date(2021, 6, 3), "Fronleichnam"),
        ("ST", dt.date(2021, 6, 3), None),
        (None, dt.date(2021, 10, 3), "Tag der Deutschen Einheit"),
        (None, dt.date(2021, 6, 3), None),
        ("SN", dt.date(2021, 11, 17), "Buß- und Bettag"),
    ],
)
def test_holiday_marks_per_state(state: str | None, day: dt.date, expected: str | None) -> None:
    assert planning.holiday_name(day, state) == expected


def test_preview_marks_only_holiday_dates() -> None:
    dates = planning.expand_rule("FREQ=MONTHLY;BYDAY=-1SU", 2021)
    marked = planning.mark_holidays(dates, "TH")
    flagged = {p.date: p.holiday for p in marked if p.holiday}
    assert flagged == {dt.date(2021, 10, 31): "Reformationstag", dt.date(2021, 12, 26): "Zweiter Weihnachtstag"}
    assert "Feiertag: Reformationstag" in next(p.label() for p in marked if p.date == dt.date(2021, 10, 31))
    assert marked[0].label().startswith("Sonntag, 31.01.2021")


def test_explicit_dates_and_time_range() -> None:
    assert planning.parse_dates("12.02.2021; 14.04.2021\n12.02.2021") == [dt.date(2021, 2, 12), dt.date(2021, 4, 14)]
    with pytest.raises(UserError, match=r"31\.02\.2021"):
        planning.parse_dates("31.02.2021")
    assert planning.parse_time_range("14:00-16:00") == (dt.time(14), dt.time(16))
    assert planning.parse_time_range("9–12:30 Uhr") == (dt.time(9), dt.time(12, 30))
    with pytest.raises(UserError, match="Ende liegt vor dem Beginn"):
        planning.parse_time_range("16:00-14:00")
    with pytest.raises(UserError, match="ungültige Uhrzeit"):
        planning.parse_time_range("25:00-26:00")


def test_create_series_in_one_transaction(db: Database) -> None:
    dates = planning.expand_rule("FREQ=MONTHLY;INTERVAL=2;BYDAY=+2WE", 2021)
    ids = planning.create_series(
        db,
        planning.SeriesInput("Kreisgruppensitzung", dates, dt.time(14), dt.time(16), deadline_days=7, capacity=40),
    )
    assert len(ids) == 6
    with db.read() as s:
        meetings = list(s.scalars(select(Meeting).order_by(Meeting.starts_at)))
    assert [m.starts_at for m in meetings] == [dt.datetime.combine(d, dt.time(14)) for d in dates]
    assert all(m.ends_at.time() == dt.time(16) and m.capacity == 40 for m in meetings)
    assert meetings[0].registration_deadline == dt.date(2021, 1, 6)


def test_failed_series_saves_nothing(db: Database) -> None:
    with pytest.raises(ValidationError, match="Titel"):
        planning.create_series(db, planning.SeriesInput("  ", [dt.date(2021, 1, 1)], dt.time(14), dt.time(16)))
    with pytest.raises(ValidationError, match="Veranstaltungsort"):
        planning.create_series(
            db, planning.SeriesInput("X", [dt.date(2021, 1, 1)], dt.time(14), dt.time(16), venue_id=999)
        )
    with db.read() as s:
        assert s.scalar(select(func.count(Meeting.id))) == 0


def test_plan_command_previews_and_creates(db: Database, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with db.transaction() as s:
        s.add(Office(id=1, name="KG", street="", postal_code="", city="", signatory="", signatory_role="", state="HE"))
    args = ["--db", db_url, "plan", "--year", "2021", "--rule", "FREQ=MONTHLY;BYDAY=1TH", "--time", "14:00-16:00"]
    assert main([*args, "--title", "Sitzung"]) == 0
    out = capsys.readouterr().out
    assert "Hessen" in out
    assert "! Donnerstag, 03.06.2021  – Feiertag: Fronleichnam" in out
    assert "Donnerstag, 01.04.2021" in out
    with db.read() as s:
        assert s.scalar(select(func.count(Meeting.id))) == 0
    assert main([*args, "--title", "Sitzung", "--create"]) == 0
    assert "12 Termine angelegt." in capsys.readouterr().out
    with db.read() as s:
        assert s.scalar(select(func.count(Meeting.id))) == 12
    assert main([*args[:-2], "--time", "16-14", "--title", "X"]) == 1
    assert "Fehler: Das Ende liegt vor dem Beginn." in capsys.readouterr().err
