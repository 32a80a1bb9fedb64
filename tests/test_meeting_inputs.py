"""What the meeting dialog starts from and reads back, as services: a new meeting, a duplicate on another
day, the fee and programme times as typed (moved out of ui/meetings/meeting_dialog.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geschaeftsstelle import meetings
from geschaeftsstelle.errors import ValidationError
from geschaeftsstelle.store.database import Database


def test_a_duplicate_moves_dates_and_deadline_and_starts_planned(db: Database) -> None:
    start = dt.datetime(2030, 3, 12, 14)
    data = meetings.MeetingInput(
        title="Sitzung", starts_at=start, ends_at=start + dt.timedelta(hours=2), status="tentative",
        registration_deadline=dt.date(2030, 3, 1), letter_date=dt.date(2030, 2, 1),
        agenda=[meetings.AgendaItemInput(title="Begrüßung", time=dt.time(14))],
    )  # fmt: skip
    meeting_id = meetings.save_meeting(db, data)
    copy = meetings.duplicate_input(db, meeting_id, dt.date(2030, 4, 9))
    assert (copy.id, copy.version) == (None, None)
    assert copy.starts_at == dt.datetime(2030, 4, 9, 14)
    assert copy.ends_at == dt.datetime(2030, 4, 9, 16)
    assert copy.registration_deadline == dt.date(2030, 3, 29)
    assert copy.status == "planned"
    assert copy.letter_date is None
    assert [a.title for a in copy.agenda] == ["Begrüßung"]
    new_id = meetings.save_meeting(db, copy)
    assert new_id != meeting_id
    assert meetings.load_meeting_input(db, meeting_id).starts_at == start  # the original stays


def test_a_new_meeting_is_two_hours_in_the_afternoon() -> None:
    data = meetings.new_meeting_input(dt.date(2030, 5, 6))
    assert (data.starts_at, data.ends_at, data.title) == (dt.datetime(2030, 5, 6, 14), dt.datetime(2030, 5, 6, 16), "")


@pytest.mark.parametrize(
    ("typed", "fee"),
    [("", None), ("  ", None), ("kostenlos", None), ("Kostenlos", None), ("15", Decimal("15")),
     ("15,50", Decimal("15.50")), ("15,50 €", Decimal("15.50")), ("€ 7", Decimal("7"))],
)  # fmt: skip
def test_fee_as_typed(typed: str, fee: Decimal | None) -> None:
    assert meetings.parse_fee(typed) == fee


@pytest.mark.parametrize("typed", ["zehn", "1,2,3", "NaN", "Infinity", "-inf", "15 Euro"])
def test_a_fee_that_is_no_amount_is_refused_beside_the_field(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        meetings.parse_fee(typed)
    assert [e.field for e in caught.value.errors] == ["fee"]
    assert caught.value.errors[0].message == f"„{typed}“ ist kein Betrag wie 15,00."


@given(st.text(max_size=30))
def test_any_fee_text_gives_a_finite_amount_none_or_the_fee_message(typed: str) -> None:
    fields: list[str] = []
    fee: Decimal | None = None
    try:
        fee = meetings.parse_fee(typed)
    except ValidationError as exc:
        fields = [e.field for e in exc.errors]
    assert fields in ([], ["fee"])
    assert fee is None or fee.is_finite()


@pytest.mark.parametrize(
    ("typed", "time"),
    [("13", dt.time(13)), ("13:30", dt.time(13, 30)), ("13.30", dt.time(13, 30)), ("13:30 Uhr", dt.time(13, 30))],
)
def test_programme_times_as_typed(typed: str, time: dt.time) -> None:
    assert meetings.parse_time_of_day(typed) == time


@pytest.mark.parametrize("typed", ["", "Mittag", "13:30:00", "25", "13:75", "Uhr"])
def test_a_programme_time_that_is_none_raises_value_error(typed: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the editor turns any of them into one sentence
        meetings.parse_time_of_day(typed)
