"""Bad-input catalogue: hostile or broken input at the services and the exchange import.

For each: a clear German error (UserError with a message) or a correct result, and the database
unchanged after an error. The importers and PDF makers have their own catalogues beside their tests.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from geschaeftsstelle import awards, exchange, meetings, members, office
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database

FIXTURE = Path(__file__).parent / "fixtures" / "office_small.json"
MEGABYTE = "x" * 1_000_000


def _snapshot(db: Database) -> str:
    data = exchange.export_office(db)
    data.pop("audit")
    return exchange.dumps(data)


def _member(**kw: Any) -> Callable[[Database], object]:
    return lambda db: members.save_member(db, members.MemberInput(**{"name": "Camsin e. V.", **kw}))


def _contact(**kw: Any) -> Callable[[Database], object]:
    return lambda db: members.save_contact(db, members.ContactInput(**{"last_name": "Muster", **kw}))


def _meeting(**kw: Any) -> Callable[[Database], object]:
    base = {"title": "Sitzung", "starts_at": dt.datetime(2021, 3, 1, 14), "ends_at": dt.datetime(2021, 3, 1, 16)}
    return lambda db: meetings.save_meeting(db, meetings.MeetingInput(**{**base, **kw}))


def _office(**kw: Any) -> Callable[[Database], object]:
    return lambda db: office.save_office(db, office.OfficeInput(**{"name": "Kreisgruppe", **kw}))


def _exchange(mutate: Callable[[dict[str, Any]], None]) -> Callable[[Database], object]:
    def run(db: Database) -> object:
        data = json.loads(FIXTURE.read_text("utf-8"))
        mutate(data)
        return exchange.import_office(db, data)

    return run


def _text(content: str | bytes) -> Callable[[Database], object]:
    def run(db: Database) -> object:
        raw = content if isinstance(content, bytes) else content.encode("utf-8")
        return exchange.import_office(db, exchange.loads(raw.decode("utf-8", errors="strict"), "x.json"))

    return run


# (id, action, "error" | "ok")
CASES: list[tuple[str, Callable[[Database], object], str]] = [
    ("member: markup name is stored as typed", _member(name="<b>&amp;</b><img src=x>"), "ok"),
    ("member: formula name is stored as typed", _member(name='=HYPERLINK("http://x")'), "ok"),
    ("member: control characters", _member(name="Camsin\x00\x07 e. V."), "ok"),
    ("member: 1 MB name", _member(name=MEGABYTE), "error"),
    ("member: 1 MB notes", _member(notes=MEGABYTE), "ok"),
    ("member: only spaces", _member(name="   \t  "), "error"),
    ("member: emoji and RTL", _member(name="🎉 جمعية الرعاية e. V."), "ok"),
    ("member: e-mail with markup", _member(email="<script>@x.de"), "error"),
    ("member: e-mail 300 chars", _member(email="a" * 290 + "@example.org"), "error"),
    ("member: postal code letters", _member(postal_code="ABCDE"), "error"),
    ("member: left before joined", _member(joined_on=dt.date(2020, 1, 1), left_on=dt.date(2019, 1, 1)), "error"),
    ("member: tag 500 chars", _member(tags=["t" * 500]), "error"),
    ("member: 2,000 tags", _member(tags=[f"Tag {i}" for i in range(2000)]), "ok"),
    ("contact: no name at all", _contact(last_name="", first_name=""), "error"),
    ("contact: unknown salutation", _contact(salutation="Dame"), "error"),
    ("contact: primary without member", _contact(is_primary=True), "error"),
    ("contact: member that does not exist", _contact(member_id=424242), "error"),
    ("contact: 101-char first name", _contact(first_name="A" * 101), "error"),
    ("meeting: end before start", _meeting(ends_at=dt.datetime(2021, 3, 1, 13)), "error"),
    ("meeting: deadline after meeting", _meeting(registration_deadline=dt.date(2021, 3, 2)), "error"),
    ("meeting: negative fee", _meeting(fee=Decimal("-0.01")), "error"),
    ("meeting: capacity 0", _meeting(capacity=0), "error"),
    ("meeting: unknown kind", _meeting(kind="'; DROP TABLE meetings; --"), "error"),
    ("meeting: venue that does not exist", _meeting(venue_id=99), "error"),
    ("meeting: speaker that does not exist", _meeting(speaker_ids=[99]), "error"),
    ("meeting: empty programme title", _meeting(agenda=[meetings.AgendaItemInput(title=" ")]), "error"),
    ("meeting: 300 programme items", _meeting(agenda=[meetings.AgendaItemInput(f"TOP {i}") for i in range(300)]), "ok"),
    (
        "meeting: DST change day",
        _meeting(starts_at=dt.datetime(2021, 3, 28, 1, 30), ends_at=dt.datetime(2021, 3, 28, 3, 30)),
        "ok",
    ),
    (
        "meeting: New Year's Eve to New Year",
        _meeting(starts_at=dt.datetime(2021, 12, 31, 22), ends_at=dt.datetime(2022, 1, 1, 1)),
        "ok",
    ),
    ("office: IBAN checksum", _office(iban="DE82830530300018009221"), "error"),
    ("office: IBAN letters", _office(iban="DE82 ABCD"), "error"),
    ("office: BIC wrong", _office(bic="123"), "error"),
    ("office: unknown state", _office(state="XX"), "error"),
    ("office: no name", _office(name=""), "error"),
    ("award: year 0", lambda db: awards.save_award(db, awards.AwardInput(year=0, title="Preis")), "error"),
    (
        "award: duplicate criteria",
        lambda db: awards.save_award(
            db,
            awards.AwardInput(year=2020, title="P", criteria=[awards.CriterionInput("A"), awards.CriterionInput("A")]),
        ),
        "error",
    ),
    (
        "award: jury that does not exist",
        lambda db: awards.save_award(db, awards.AwardInput(year=2020, title="P", jury_ids=[77])),
        "error",
    ),
    ("exchange: invalid date 31.02.", _exchange(lambda d: d["members"][0].update(joined_on="2021-02-31")), "error"),
    ("exchange: German date format", _exchange(lambda d: d["members"][0].update(joined_on="01.03.2005")), "error"),
    ("exchange: number instead of text", _exchange(lambda d: d["members"][0].update(name=17)), "error"),
    ("exchange: list instead of object", _exchange(lambda d: d.update(office=[1, 2])), "error"),
    ("exchange: float persons", _exchange(lambda d: d["meetings"][0]["invitations"][0].update(persons=1.5)), "error"),
    (
        "exchange: boolean persons",
        _exchange(lambda d: d["meetings"][0]["invitations"][0].update(persons=True)),
        "error",
    ),
    ("exchange: 1 MB name", _exchange(lambda d: d["members"][0].update(name=MEGABYTE)), "error"),
    ("exchange: NUL in text", _exchange(lambda d: d["members"][0].update(notes="a\x00b")), "error"),
    ("exchange: version as text", _exchange(lambda d: d.update(version="1")), "error"),
    ("exchange: members not a list", _exchange(lambda d: d.update(members={"m1": {}})), "error"),
    ("exchange: tag not text", _exchange(lambda d: d["members"][0].update(tags=[1])), "error"),
    ("exchange: self-referencing ids", _exchange(lambda d: d["contacts"][0].update(member="c1")), "error"),
    (
        "exchange: score as text",
        _exchange(lambda d: d["awards"][0]["nominations"][0]["scores"][0].update(score="4")),
        "error",
    ),
    ("exchange: unknown top-level key", _exchange(lambda d: d.update(extra=1)), "error"),
    ("exchange: duplicate keys", _text('{"format": "geschaeftsstelle", "version": 1, "version": 1}'), "error"),
    ("exchange: deeply nested", _text("[" * 100_000 + "]" * 100_000), "error"),
    ("exchange: NaN", _text('{"format": "geschaeftsstelle", "version": NaN}'), "error"),
    ("exchange: empty object", _text("{}"), "error"),
]


@pytest.mark.parametrize(("action", "expected"), [(a, e) for _, a, e in CASES], ids=[c[0] for c in CASES])
def test_hostile_input(db: Database, action: Callable[[Database], object], expected: str) -> None:
    before = _snapshot(db)
    if expected == "error":
        with pytest.raises(UserError) as info:
            action(db)
        message = str(info.value)
        assert message.strip()
        assert "Traceback" not in message
        assert len(message) < 2000  # a sentence, not a dump of the input
        assert _snapshot(db) == before
    else:
        action(db)


def test_catalogue_size() -> None:
    assert len(CASES) >= 50


def test_paths_with_umlauts_and_spaces(tmp_path: Path) -> None:
    """A database and documents under `C:\\Users\\Jürgen Groß\\…`-like paths work like any other."""
    import datetime as _dt

    from geschaeftsstelle.demo import load_demo
    from geschaeftsstelle.documents.schedule import year_schedule
    from geschaeftsstelle.store.opening import open_database

    folder = tmp_path / "Jürgen Groß" / "Eigene Dateien (Büro)"
    db = open_database(folder / "Geschäfts stelle.sqlite")
    load_demo(db, today=_dt.date(2026, 11, 23))
    out = folder / "Sitzungstermine 2026 – Übersicht.pdf"
    assert year_schedule(db, 2026, out) == 1
    assert out.read_bytes().startswith(b"%PDF")
    exported = folder / "Export für Ärztin.json"
    exchange.export_file(db, exported)
    assert json.loads(exported.read_text("utf-8"))["office"]["city"] == "Weimar"
    db.dispose()
