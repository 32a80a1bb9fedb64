"""Exchange format v1: round trip, Unicode byte for byte, and bad files refused with one line."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import func, select

from geschaeftsstelle import exchange
from geschaeftsstelle.database import Database
from geschaeftsstelle.demo import build_demo
from geschaeftsstelle.models import Contact, Invitation, Meeting, Member, Nomination, Score

FIXTURE = Path(__file__).parent / "fixtures" / "office_small.json"
SCHEMA = json.loads(
    (Path(__file__).parent.parent / "geschaeftsstelle" / "schema" / "exchange-v1.schema.json").read_text("utf-8")
)
HOSTILE_NAMES = [
    "Kinder <Zukunft> & Familie e. V.",
    "\"Zitat\" & 'Apostroph' <b>&amp;</b>",
    "Zażółć gęślą jaźń – Łódź",
    "Nguyễn Thị Minh Khai",
    "Ελληνική Εταιρεία",
    "Общество помощи",
    "جمعية الرعاية",
    '<img src="/etc/passwd"> =HYPERLINK("x")',
    "Emoji 🎉 und ß",
]


def small() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text("utf-8"))


def _counts(db: Database) -> tuple[int, ...]:
    with db.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Member, Contact, Meeting, Invitation, Nomination, Score)
        )


def test_hand_written_file_imports(db: Database) -> None:
    counts = exchange.import_file(db, FIXTURE)
    assert counts["members"] == 3
    assert counts["invitations"] == 3
    assert _counts(db) == (3, 8, 2, 3, 2, 2)
    with db.read() as s:
        anna = s.scalars(select(Contact).where(Contact.last_name == "Beispiel")).one()
        assert anna.member is not None
        assert anna.member.name == "Camsin e. V."
        assert anna.is_primary
        assert "beispiel" in anna.member.search_text


def test_export_import_export_is_identical(db: Database, sqlite_template: Path, tmp_path: Path) -> None:
    exchange.import_office(db, build_demo())
    first = exchange.dumps(exchange.export_office(db))
    jsonschema.validate(json.loads(first), SCHEMA)
    from geschaeftsstelle.database import open_database

    other = open_database(tmp_path / "second.sqlite")
    exchange.import_office(other, json.loads(first))
    second = exchange.dumps(exchange.export_office(other))
    other.dispose()
    assert first == second


def test_export_is_a_schema_valid_file(db: Database, tmp_path: Path) -> None:
    exchange.import_file(db, FIXTURE)
    out = tmp_path / "out.json"
    exchange.export_file(db, out)
    data = json.loads(out.read_text("utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["members"][1]["name"] == "Kinder <Zukunft> & Familie e. V."


def test_hostile_and_international_names_survive_byte_for_byte(db: Database) -> None:
    data = small()
    for i, name in enumerate(HOSTILE_NAMES):
        data["members"].append({"id": f"x{i}", "name": name, "notes": name * 3, "tags": [name]})
        data["contacts"].append({"id": f"y{i}", "member": f"x{i}", "first_name": name, "last_name": name})
    exchange.import_office(db, data)
    exported = exchange.export_office(db)
    base = len(small()["members"])
    for i, name in enumerate(HOSTILE_NAMES):
        member = exported["members"][base + i]
        assert member["name"] == name
        assert member["notes"] == name * 3
        assert member["tags"] == [name]
        contact = next(c for c in exported["contacts"] if c["member"] == member["id"])
        assert (contact["first_name"], contact["last_name"]) == (name, name)
    assert exchange.dumps(exported).encode("utf-8").count("جمعية الرعاية".encode()) >= 2


def test_import_needs_an_empty_database(db: Database) -> None:
    exchange.import_file(db, FIXTURE)
    before = exchange.dumps(exchange.export_office(db))
    with pytest.raises(exchange.ExchangeError, match="leere Datenbank"):
        exchange.import_file(db, FIXTURE)
    assert exchange.dumps(exchange.export_office(db)) == before


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a value by a dotted path with [i] indices, e.g. meetings[0].ends_at."""
    target: Any = data
    parts = path.replace("]", "").replace("[", ".").split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if value is _DELETE:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value


_DELETE = object()

BROKEN = [
    ("meetings[0].ends_at", "2020-02-12T12:00", "meetings[0].ends_at: Ende liegt vor Beginn"),
    ("meetings[0].registration_deadline", "2020-03-01", "meetings[0].registration_deadline: Der Anmeldeschluss"),
    ("meetings[0].starts_at", "2020-02-31T13:00", "meetings[0].starts_at: „2020-02-31T13:00“ ist kein gültiges"),
    ("meetings[0].starts_at", "12.02.2020 13:00", "meetings[0].starts_at:"),
    ("meetings[0].venue", "v9", "meetings[0].venue: Verweis „v9“"),
    ("meetings[0].speakers[0]", "c99", "meetings[0].speakers[0]: Verweis „c99“"),
    ("meetings[0].kind", "party", "meetings[0].kind: „party“ ist nicht erlaubt"),
    ("meetings[0].status", "done", "meetings[0].status:"),
    ("meetings[0].fee", "fünf Euro", "meetings[0].fee:"),
    ("meetings[0].capacity", 0, "meetings[0].capacity:"),
    ("meetings[0].invitations[0].persons", -1, "meetings[0].invitations[0].persons:"),
    ("meetings[0].invitations[0].persons", 51, "meetings[0].invitations[0].persons:"),
    ("meetings[0].invitations[0].persons", "2", "meetings[0].invitations[0].persons: Eine ganze Zahl"),
    ("meetings[0].invitations[0].response", "yes", "meetings[0].invitations[0].response:"),
    ("meetings[0].invitations[0].channel", "pigeon", "meetings[0].invitations[0].channel:"),
    ("meetings[0].invitations[1].contact", "c1", "meetings[0].invitations[1].contact: Diese Person ist schon"),
    ("meetings[0].invitations[0].contact", "c42", "meetings[0].invitations[0].contact: Verweis"),
    ("meetings[0].invitations[0].attendee_names", "Anna", "meetings[0].invitations[0].attendee_names: Eine Liste"),
    ("meetings[0].agenda[1].time", "25:00", "meetings[0].agenda[1].time:"),
    ("meetings[0].agenda[1].title", "", "meetings[0].agenda[1].title:"),
    ("members[0].email", "keine-adresse", "members[0].email: Die E-Mail-Adresse"),
    ("members[0].postal_code", "9942", "members[0].postal_code: Die Postleitzahl"),
    ("members[0].name", "", "members[0].name: Der Name"),
    ("members[0].name", None, "members[0].name:"),
    ("members[1].member_number", "017", "members[1].member_number: Die Mitgliedsnummer steht schon"),
    ("members[0].joined_on", "2005-13-01", "members[0].joined_on:"),
    ("members[0].left_on", "2001-01-01", "members[0].left_on: Das Austrittsdatum"),
    ("members[0].emial", "x@y.de", "members[0].emial: Dieses Feld gibt es"),
    ("members[1].id", "m1", "members[1].id: Die Kennung „m1“"),
    ("contacts[0].member", "m7", "contacts[0].member: Verweis „m7“"),
    ("contacts[0].salutation", "Dame", "contacts[0].salutation:"),
    ("contacts[2].primary", True, "contacts[2].primary: Die Organisation hat schon"),
    ("contacts[3].primary", True, "contacts[3].primary: Nur Ansprechpersonen"),
    ("contacts[0].primary", "ja", "contacts[0].primary: true oder false"),
    ("office.iban", "DE82830530300018009221", "office.iban: Die Prüfziffer"),
    ("office.state", "XY", "office.state:"),
    ("awards[0].nominations[0].scores[0].score", 6, "awards[0].nominations[0].scores[0].score:"),
    ("awards[0].nominations[0].scores[0].score", 0, "awards[0].nominations[0].scores[0].score:"),
    ("awards[0].nominations[0].scores[0].juror", "c1", "awards[0].nominations[0].scores[0].juror: Wer die Nominierung"),
    ("awards[0].nominations[0].scores[0].juror", "c2", "awards[0].nominations[0].scores[0].juror: „c2“ gehört nicht"),
    ("awards[0].nominations[0].scores[0].criterion", "Schönheit", "awards[0].nominations[0].scores[0].criterion:"),
    ("awards[0].nominations[0].status", "won", "awards[0].nominations[0].status:"),
    ("awards[0].nominations[1].id", "n1", "awards[0].nominations[1].id: Die Kennung „n1“"),
    ("awards[0].ceremony", "t9", "awards[0].ceremony: Verweis"),
    ("awards[0].year", 1800, "awards[0].year:"),
    ("awards[0].criteria[1]", "Wirkung", "awards[0].criteria:"),
    ("version", 2, "Datei.version:"),
    ("format", "other", "Datei.format:"),
    ("members[0]", "m1", "members[0]: Ein Objekt"),
    ("meetings[0].id", _DELETE, "meetings[0].id:"),
    ("meetings[0].ends_at", _DELETE, "meetings[0].ends_at: Das Feld fehlt"),
]


@pytest.mark.parametrize(("path", "value", "expected"), BROKEN, ids=[f"{p}={v!r}" for p, v, _ in BROKEN])
def test_broken_file_is_refused_with_one_line_and_nothing_changes(
    db: Database, path: str, value: Any, expected: str
) -> None:
    data = copy.deepcopy(small())
    _set(data, path, value)
    with pytest.raises(exchange.ExchangeError) as info:
        exchange.import_office(db, data)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(expected), message
    assert _counts(db) == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "ist leer"),
        (b'{"format": ', "kein gültiges JSON"),
        (b"[1, 2]", "kein Objekt"),
        (b"\xff\xfe{}", "nicht UTF-8"),
        (b'{"format": "geschaeftsstelle", "format": "x"}', "doppelt"),
    ],
)
def test_unreadable_files(db: Database, tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(exchange.ExchangeError, match=expected):
        exchange.import_file(db, path)


def test_utf8_bom_is_accepted(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + FIXTURE.read_bytes())
    assert exchange.import_file(db, path)["members"] == 3
