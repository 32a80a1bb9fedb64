"""Meeting services: validation names the field, programme and speakers keep their order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from geschaeftsstelle import meetings, members
from geschaeftsstelle.errors import ConflictError, UserError, ValidationError
from geschaeftsstelle.meetings import AgendaItemInput, MeetingInput, VenueInput
from geschaeftsstelle.store.database import Database


def _input(**kw: object) -> MeetingInput:
    data = MeetingInput(
        title="Kreisgruppensitzung", starts_at=dt.datetime(2021, 2, 10, 14), ends_at=dt.datetime(2021, 2, 10, 16)
    )
    for key, value in kw.items():
        setattr(data, key, value)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": dt.datetime(2021, 2, 10, 13)}, "ends_at", "Ende liegt vor Beginn."),
        ({"registration_deadline": dt.date(2021, 2, 11)}, "registration_deadline", "nach dem Termin"),
        ({"title": "  "}, "title", "Titel"),
        ({"fee": Decimal("-1")}, "fee", "negativ"),
        ({"capacity": 0}, "capacity", "größer als 0"),
        ({"kind": "party"}, "kind", "party"),
        ({"agenda": [AgendaItemInput(title="")]}, "agenda[0].title", "Programmpunkt 1"),
    ],
)
def test_invalid_meeting_is_refused_naming_the_field(db: Database, changes: dict, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        meetings.save_meeting(db, _input(**changes))
    assert any(e.field == field and message in e.message for e in info.value.errors), info.value.errors
    assert meetings.list_meetings(db) == []


def test_programme_and_speakers_keep_their_order(db: Database) -> None:
    ids = [
        members.save_contact(db, members.ContactInput(last_name=name, organisation="Extern"))
        for name in ("Zander", "Abel", "Meier")
    ]
    speaker_order = [ids[2], ids[0], ids[1]]
    agenda = [
        AgendaItemInput(title="Ankommen und Mittagsimbiss", time=dt.time(12)),
        AgendaItemInput(title="Aktuelle Themen aus dem Landesverband", time=dt.time(13)),
        AgendaItemInput(title="Kaffeepause"),
    ]
    mid = meetings.save_meeting(db, _input(agenda=agenda, speaker_ids=speaker_order, fee=Decimal("15.00")))
    m = meetings.get_meeting(db, mid)
    assert [a.title for a in m.agenda] == [a.title for a in agenda]
    assert m.agenda[2].time is None
    assert [c.id for c in m.speakers] == speaker_order
    assert m.fee == Decimal("15.00")
    reordered = [ids[1], ids[2]]
    meetings.save_meeting(db, _input(id=mid, version=m.version, speaker_ids=reordered, agenda=agenda[::-1]))
    m = meetings.get_meeting(db, mid)
    assert [c.id for c in m.speakers] == reordered
    assert m.agenda[0].title == "Kaffeepause"


def test_year_filter_and_time_range(db: Database) -> None:
    meetings.save_meeting(db, _input())
    meetings.save_meeting(db, _input(starts_at=dt.datetime(2022, 1, 5, 9), ends_at=dt.datetime(2022, 1, 5, 12, 30)))
    assert [m.starts_at.year for m in meetings.list_meetings(db, 2022)] == [2022]
    assert meetings.time_range(meetings.list_meetings(db, 2022)[0]) == "09:00–12:30"


def test_venue_in_use_cannot_be_deleted(db: Database) -> None:
    vid = meetings.save_venue(db, VenueInput(name="Mehrgenerationenhaus", postal_code="99510", city="Apolda"))
    meetings.save_meeting(db, _input(venue_id=vid))
    with pytest.raises(UserError, match="Ort von Terminen"):
        meetings.delete_venue(db, vid, version=meetings.list_venues(db)[0].version)
    with pytest.raises(ValidationError, match="Postleitzahl"):
        meetings.save_venue(db, VenueInput(name="Ort", postal_code="1"))


def test_concurrent_meeting_edit_is_refused(db: Database) -> None:
    mid = meetings.save_meeting(db, _input())
    version = meetings.get_meeting(db, mid).version
    meetings.save_meeting(db, _input(id=mid, version=version, title="Erste Änderung"))
    with pytest.raises(ConflictError):
        meetings.save_meeting(db, _input(id=mid, version=version, title="Zweite Änderung"))
    assert meetings.get_meeting(db, mid).title == "Erste Änderung"
