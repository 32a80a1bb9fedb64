"""Exchange format v1: round trip, Unicode byte for byte, and bad files refused with one line."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import func, select

from geschaeftsstelle import exchange, letter_templates
from geschaeftsstelle.demo import build_demo
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    AgendaItem,
    Contact,
    Invitation,
    LetterTemplate,
    Meeting,
    Member,
    Nomination,
    Office,
    Score,
)

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


INVITATION_TEXT = (
    "{anrede}\n\nwir laden Sie herzlich ein zu „{titel}“ am {datum_lang}, {uhrzeit}.\n\n"
    "[[Ort: {ort}.||Der Ort wird noch bekannt gegeben.]]\n\n{programm}\n\n"
    "[[Bitte melden Sie sich bis zum {anmeldeschluss} an.]] Geschweifte Klammern: {{so}}.\n"
)
CHANGE_TEXT = "{anrede}\n\nfür „{titel}“ hat sich etwas geändert:\n\n{aenderungen}\n\nMit Grüßen aus Łódź 🎉\n"


LETTER_FIELDS = [
    "salutation_style",
    "subject",
    "letter_date",
    "signatory",
    "signatory_role",
    "signatory2",
    "signatory2_role",
    "print_venue_notes",
    "announced_starts_at",
    "announced_ends_at",
    "announced_venue",
    "sequence",
]


def with_letter_data(data: dict[str, Any]) -> dict[str, Any]:
    """The demo office with every letter field of the format's extension set to something not default."""
    data["office"]["short_name"] = "Kreisgruppe Weimar"
    data["letter_templates"] = [
        {"kind": "invitation", "text": INVITATION_TEXT},
        {"kind": "change", "text": CHANGE_TEXT},
    ]
    first, second, third = data["meetings"][:3]
    first.update(
        salutation_style="collegial",
        subject="Einladung zur Mitgliederversammlung <2020> & mehr",
        letter_date="2019-12-20",
        signatory="Andrea Lindner",
        signatory_role="Regionalleiterin",
        signatory2="Dr. Jürgen Weiß",
        signatory2_role="Vorstand",
        print_venue_notes=True,
        announced_starts_at="2019-12-01T10:00",
        announced_ends_at="2019-12-01T12:30",
        announced_venue="Frauenzentrum, Hauptstraße 1, 99423 Weimar",
        sequence=3,
    )
    second.update(announced_starts_at="2019-11-02T09:00", announced_ends_at="2019-11-02T09:00", announced_venue="")
    third.update(announced_starts_at="2019-10-05T14:00", announced_ends_at="2019-10-05T16:00", signatory2="Ina Roth")
    first["agenda"] = [
        {"kind": "top", "time": "10:00", "end_time": "10:15", "title": "Begrüßung", "presenter": None},
        {"kind": "break", "time": "10:15", "end_time": "10:15", "title": "Kaffeepause", "presenter": None},
        {"kind": "item", "time": "10:30", "end_time": None, "title": "Rundgang", "presenter": "Ina Roth"},
        {"kind": "top", "time": None, "end_time": None, "title": "Verschiedenes", "presenter": None},
    ]
    return data


def test_export_import_export_is_identical(db: Database, sqlite_template: Path, tmp_path: Path) -> None:
    source = with_letter_data(build_demo())
    exchange.import_office(db, source)
    first = exchange.dumps(exchange.export_office(db))
    jsonschema.validate(json.loads(first), SCHEMA)
    exported = json.loads(first)
    assert exported["office"]["short_name"] == "Kreisgruppe Weimar"
    assert exported["letter_templates"] == source["letter_templates"]
    for i in range(3):
        given, got = source["meetings"][i], exported["meetings"][i]
        assert {k: got[k] for k in LETTER_FIELDS if k in given} == {k: given[k] for k in LETTER_FIELDS if k in given}
    assert exported["meetings"][0]["agenda"] == source["meetings"][0]["agenda"]
    from geschaeftsstelle.store.opening import open_database

    other = open_database(tmp_path / "second.sqlite")
    exchange.import_office(other, json.loads(first))
    second = exchange.dumps(exchange.export_office(other))
    other.dispose()
    assert first == second


def test_file_export_import_export_is_identical(db: Database, tmp_path: Path) -> None:
    """The same round trip through files: the streamed export and the streamed import."""
    from geschaeftsstelle.store.opening import open_database

    exchange.import_office(db, with_letter_data(build_demo()))
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    written = exchange.export_file(db, first)
    other = open_database(tmp_path / "second.sqlite")
    assert exchange.import_file(other, first) == written == exchange.counts(json.loads(first.read_text("utf-8")))
    exchange.export_file(other, second)
    other.dispose()
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text("utf-8") == exchange.dumps(exchange.export_office(db))


def test_export_is_a_schema_valid_file(db: Database, tmp_path: Path) -> None:
    exchange.import_file(db, FIXTURE)
    out = tmp_path / "out.json"
    exchange.export_file(db, out)
    data = json.loads(out.read_text("utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["members"][1]["name"] == "Kinder <Zukunft> & Familie e. V."


def test_a_file_without_the_letter_fields_takes_the_defaults(db: Database) -> None:
    assert "letter_templates" not in small()
    assert "salutation_style" not in small()["meetings"][0]
    exchange.import_file(db, FIXTURE)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(LetterTemplate)) == 0
        office = s.get(Office, 1)
        assert office is not None
        assert office.short_name == ""
        for m in s.scalars(select(Meeting)):
            assert (m.salutation_style, m.subject, m.letter_date) == ("formal", "", None)
            assert (m.signatory, m.signatory_role, m.signatory2, m.signatory2_role) == ("", "", "", "")
            assert m.print_venue_notes is False
            assert (m.announced_starts_at, m.announced_ends_at, m.announced_venue, m.sequence) == (None, None, None, 0)
        assert {(a.kind, a.end_time) for a in s.scalars(select(AgendaItem))} == {("top", None)}
    exported = exchange.export_office(db)
    assert exported["letter_templates"] == []
    assert exported["meetings"][0]["agenda"][0] == {
        "kind": "top",
        "time": "13:00",
        "end_time": None,
        "title": "Begrüßung",
        "presenter": None,
    }


def test_letter_data_arrives_in_the_database(db: Database) -> None:
    exchange.import_office(db, with_letter_data(build_demo()))
    with db.read() as s:
        first = s.scalars(select(Meeting).order_by(Meeting.id)).first()
        assert first is not None
        assert first.salutation_style == "collegial"
        assert first.letter_date == dt.date(2019, 12, 20)
        assert first.announced_starts_at == dt.datetime(2019, 12, 1, 10, 0)
        assert first.sequence == 3
        assert first.print_venue_notes is True
        assert [(a.kind, a.time, a.end_time) for a in first.agenda][:2] == [
            ("top", dt.time(10, 0), dt.time(10, 15)),
            ("break", dt.time(10, 15), dt.time(10, 15)),
        ]
    invitation = letter_templates.get_template(db, "invitation")
    assert (invitation.is_default, invitation.text) == (False, INVITATION_TEXT)
    assert letter_templates.get_template(db, "change").text == CHANGE_TEXT
    assert letter_templates.get_template(db, "cancellation").is_default


def test_exported_letter_templates_follow_the_kinds_order(db: Database) -> None:
    data = small()
    data["letter_templates"] = [
        {"kind": "change", "text": CHANGE_TEXT},
        {"kind": "reply_form", "text": "{titel}\n"},
        {"kind": "invitation", "text": INVITATION_TEXT},
    ]
    assert exchange.import_office(db, data)["letter_templates"] == 3
    kinds = [t["kind"] for t in exchange.export_office(db)["letter_templates"]]
    assert kinds == ["invitation", "reply_form", "change"]


def test_a_refused_file_leaves_no_letter_template_behind(db: Database) -> None:
    data = small()
    data["letter_templates"] = [{"kind": "invitation", "text": INVITATION_TEXT}]
    data["meetings"][1]["ends_at"] = "2000-01-01T00:00"
    with pytest.raises(exchange.ExchangeError, match=r"^meetings\[1\]\.ends_at:"):
        exchange.import_office(db, data)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(LetterTemplate)) == 0
    assert letter_templates.get_template(db, "invitation").is_default


def test_a_database_with_its_own_letter_text_is_not_empty(db: Database) -> None:
    letter_templates.save_template(db, "invitation", INVITATION_TEXT, None)
    with pytest.raises(exchange.ExchangeError, match="leere Datenbank"):
        exchange.import_file(db, FIXTURE)
    assert _counts(db) == (0, 0, 0, 0, 0, 0)


SCHEMA_REFUSES = [
    ("letter_templates", [{"kind": "change", "text": "a"}, {"kind": "change", "text": "b"}]),
    ("letter_templates", [{"kind": "memo", "text": "a"}]),
    ("letter_templates", [{"kind": "change", "text": " \n"}]),
    ("meetings[0].agenda[2].end_time", "14:00"),
    ("meetings[0].agenda[1].kind", "lunch"),
    ("meetings[0].salutation_style", "herzlich"),
    ("meetings[0].sequence", -1),
    ("meetings[0].announced_starts_at", "2020-02-12 13:00"),
    ("meetings[0].subject", "x" * 301),
    ("office.short_name", "x" * 101),
]


@pytest.mark.parametrize(("path", "value"), SCHEMA_REFUSES, ids=[p for p, _ in SCHEMA_REFUSES])
def test_the_schema_refuses_what_the_import_refuses(db: Database, path: str, value: Any) -> None:
    data = small()
    _set(data, path, value)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    with pytest.raises(exchange.ExchangeError):
        exchange.import_office(db, data)


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
    # letter data (extension of v1)
    ("office.short_name", "x" * 101, "office.short_name: Der Text ist mit 101 Zeichen zu lang (höchstens 100)"),
    ("meetings[0].salutation_style", "herzlich", "meetings[0].salutation_style: „herzlich“ ist nicht erlaubt"),
    ("meetings[0].subject", "x" * 301, "meetings[0].subject: Der Text ist mit 301 Zeichen zu lang (höchstens 300)"),
    ("meetings[0].subject", 7, "meetings[0].subject: Ein Text wird erwartet, nicht eine Zahl"),
    ("meetings[0].letter_date", "2020-02-30", "meetings[0].letter_date: „2020-02-30“ ist kein gültiges"),
    ("meetings[0].letter_date", "20.12.2019", "meetings[0].letter_date: „20.12.2019“ hat nicht die Form JJJJ-MM-TT"),
    ("meetings[0].signatory", "x" * 201, "meetings[0].signatory: Der Text ist mit 201 Zeichen zu lang"),
    ("meetings[0].signatory_role", "x" * 201, "meetings[0].signatory_role: Der Text ist mit 201 Zeichen zu lang"),
    ("meetings[0].signatory2", "x" * 201, "meetings[0].signatory2: Der Text ist mit 201 Zeichen zu lang"),
    ("meetings[0].signatory2_role", "x" * 201, "meetings[0].signatory2_role: Der Text ist mit 201 Zeichen zu lang"),
    ("meetings[0].signatory2_role", "Vorstand", "meetings[0].signatory2: Zur Funktion der zweiten Unterschrift fehlt"),
    ("meetings[0].print_venue_notes", "ja", "meetings[0].print_venue_notes: true oder false"),
    ("meetings[0].announced_starts_at", "2020-02-12T24:00", "meetings[0].announced_starts_at: „2020-02-12T24:00“"),
    ("meetings[0].announced_starts_at", "2020-02-12", "meetings[0].announced_starts_at: „2020-02-12“ hat nicht die"),
    ("meetings[0].announced_starts_at", "2020-02-12T13:00", "meetings[0].announced_ends_at: Zum angekündigten Beginn"),
    ("meetings[0].announced_ends_at", "2020-02-12T16:00", "meetings[0].announced_ends_at: Ohne angekündigten Beginn"),
    ("meetings[0].announced_venue", "Weimar", "meetings[0].announced_venue: Ohne angekündigten Beginn"),
    ("meetings[0].sequence", -1, "meetings[0].sequence: Der Wert -1 ist zu klein (mindestens 0)"),
    ("meetings[0].sequence", 2**31, "meetings[0].sequence: Der Wert 2147483648 ist zu groß"),
    ("meetings[0].sequence", "1", "meetings[0].sequence: Eine ganze Zahl wird erwartet"),
    ("meetings[0].sequence", 1.0, "meetings[0].sequence: Eine ganze Zahl wird erwartet"),
    ("meetings[0].agenda[1].kind", "lunch", "meetings[0].agenda[1].kind: „lunch“ ist nicht erlaubt"),
    ("meetings[0].agenda[1].end_time", "24:00", "meetings[0].agenda[1].end_time: „24:00“ ist kein gültiges"),
    ("meetings[0].agenda[1].end_time", "9:30", "meetings[0].agenda[1].end_time: „9:30“ hat nicht die Form HH:MM"),
    ("meetings[0].agenda[1].end_time", "13:14", "meetings[0].agenda[1].end_time: Programmpunkt 2: Das Ende liegt vor"),
    (
        "meetings[0].agenda[2].end_time",
        "14:00",
        "meetings[0].agenda[2].time: Programmpunkt 3: Zum Ende fehlt der Beginn",
    ),
    ("meetings[0].agenda[0].ende", "14:00", "meetings[0].agenda[0].ende: Dieses Feld gibt es"),
    ("letter_templates", {"invitation": "x"}, "Datei.letter_templates: Eine Liste"),
    ("letter_templates", ["x"], "letter_templates[0]: Ein Objekt"),
    ("letter_templates", [{"kind": "memo", "text": "x"}], "letter_templates[0].kind: „memo“ ist nicht erlaubt"),
    ("letter_templates", [{"text": "x"}], "letter_templates[0].kind: Das Feld fehlt"),
    ("letter_templates", [{"kind": "change"}], "letter_templates[0].text: Das Feld fehlt"),
    ("letter_templates", [{"kind": "change", "text": None}], "letter_templates[0].text: Ein Text wird erwartet"),
    ("letter_templates", [{"kind": "change", "text": "\n \n"}], "letter_templates[0].text: Der Text der Vorlage fehlt"),
    ("letter_templates", [{"kind": "change", "text": "a\x00"}], "letter_templates[0].text: Der Text enthält ein Null"),
    ("letter_templates", [{"kind": "change", "text": "x", "version": 2}], "letter_templates[0].version: Dieses Feld"),
    (
        "letter_templates",
        [{"kind": "change", "text": "x"}, {"kind": "change", "text": "y"}],
        "letter_templates[1].kind: Die Vorlage „change“ steht schon bei letter_templates[0]",
    ),
    (
        "letter_templates",
        [{"kind": "invitation", "text": "x"}, {"kind": "reply_form", "text": "{titel}\n\n{anrede}\n"}],
        "letter_templates[1].text: Zeile 3: Den Platzhalter {anrede} gibt es nicht.",
    ),
    (
        "letter_templates",
        [{"kind": "cancellation", "text": "{titel}\n[[Ort: {ort}\n"}],
        "letter_templates[0].text: Zeile 2: Der Block „[[“ wird nicht mit „]]“ geschlossen.",
    ),
    (
        "letter_templates",
        [{"kind": "invitation", "text": "a\n" * (letter_templates.MAX_TEMPLATE_CHARS // 2 + 1)}],
        f"letter_templates[0].text: Zeile {letter_templates.MAX_TEMPLATE_CHARS // 2 + 2}: Die Vorlage ist länger",
    ),
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
