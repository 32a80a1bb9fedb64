"""The exchange's bulk paths: the streamed file reading, the ranked first problem, the bulk writer, the file layout.

The streamed import must say exactly what the whole-file reading said, for every broken file and in every
order of sections; the bulk writer must keep one transaction and the ids of what is already there; the
file's text must stay `json.dumps(indent=2)` byte for byte.
"""

from __future__ import annotations

import copy
import datetime as dt
import gc
import io
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from geschaeftsstelle import exchange, meetings, members
from geschaeftsstelle.demo import build_demo
from geschaeftsstelle.exchange import bulk, export, layout, reader
from geschaeftsstelle.store import audit
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import (
    AuditEntry,
    Award,
    Contact,
    Invitation,
    Meeting,
    Member,
    Nomination,
    Office,
    Score,
    Venue,
)
from geschaeftsstelle.store.opening import open_database
from tests.test_exchange import BROKEN, FIXTURE, _set, small, with_letter_data

TABLES = (Member, Contact, Meeting, Invitation, Nomination, Score, AuditEntry)


def _counts(db: Database) -> tuple[int, ...]:
    with db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0 for m in TABLES)


def _write(tmp_path: Path, data: Any, name: str = "office.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _message(action: Any) -> str:
    with pytest.raises(exchange.ExchangeError) as info:
        action()
    return str(info.value)


# --------------------------------------------------------------------------- streamed = whole file


@pytest.mark.parametrize(("path", "value", "expected"), BROKEN, ids=[f"{p}={v!r}" for p, v, _ in BROKEN])
def test_the_streamed_file_is_refused_with_the_same_line(
    sqlite_db: Database, tmp_path: Path, path: str, value: Any, expected: str
) -> None:
    data = copy.deepcopy(small())
    _set(data, path, value)
    message = _message(lambda: exchange.import_file(sqlite_db, _write(tmp_path, data)))
    assert message.startswith(expected), message
    assert message == _message(lambda: exchange.import_office(sqlite_db, copy.deepcopy(data)))
    assert _counts(sqlite_db) == (0,) * len(TABLES)


def _two_problems() -> list[tuple[str, Any, Any]]:
    """Files with two problems: the one the whole-file reading reported first is still the one reported."""

    def bad_member(d: dict[str, Any]) -> None:
        d["members"][0]["email"] = "keine-adresse"

    def duplicate_award_id(d: dict[str, Any]) -> None:
        d["awards"].append(copy.deepcopy(d["awards"][0]))

    def unknown_top_key(d: dict[str, Any]) -> None:
        d["zusatz"] = 1

    def bad_template_at_the_end(d: dict[str, Any]) -> None:
        d["letter_templates"] = [{"kind": "memo", "text": "x"}]  # the key comes last in the file

    def awards_not_a_list(d: dict[str, Any]) -> None:
        d["awards"] = {"a1": {}}

    def wrong_version_at_the_end(d: dict[str, Any]) -> None:
        del d["version"]
        d["version"] = 2

    return [
        ("duplicate id beats a bad field", bad_member, duplicate_award_id),
        ("unknown top-level key beats a bad field", bad_member, unknown_top_key),
        ("letter texts come before members", bad_member, bad_template_at_the_end),
        ("a section that is no list beats a bad field", bad_member, awards_not_a_list),
        ("the version beats everything in the sections", bad_member, wrong_version_at_the_end),
    ]


@pytest.mark.parametrize(("case", "first", "second"), _two_problems(), ids=[c for c, _, _ in _two_problems()])
def test_of_two_problems_the_same_one_is_reported(
    sqlite_db: Database, tmp_path: Path, case: str, first: Any, second: Any
) -> None:
    data = small()
    first(data)
    alone = _message(lambda: exchange.import_office(sqlite_db, copy.deepcopy(data)))
    second(data)
    expected = {
        "duplicate id beats a bad field": "awards[1].id: Die Kennung „a1“ steht schon bei awards[0].",
        "unknown top-level key beats a bad field": ".zusatz: Dieses Feld gibt es im Format nicht (Tippfehler?).",
        "letter texts come before members": "letter_templates[0].kind: „memo“ ist nicht erlaubt",
        "a section that is no list beats a bad field": "Datei.awards: Eine Liste […] wird erwartet, nicht ein Objekt.",
        "the version beats everything in the sections": "Datei.version: Version 2 wird nicht unterstützt",
    }[case]
    assert alone.startswith("members[0].email:")
    assert _message(lambda: exchange.import_file(sqlite_db, _write(tmp_path, data))).startswith(expected)
    assert _message(lambda: exchange.import_office(sqlite_db, copy.deepcopy(data))).startswith(expected)


def test_a_broken_end_beats_every_problem_before_it(sqlite_db: Database, tmp_path: Path) -> None:
    data = small()
    data["members"][0]["email"] = "keine-adresse"
    path = _write(tmp_path, data)
    path.write_text(path.read_text("utf-8")[:-2], encoding="utf-8")  # the last brace is missing
    message = _message(lambda: exchange.import_file(sqlite_db, path))
    assert message.startswith("Die Datei „office.json“ ist kein gültiges JSON (Zeile")
    assert _counts(sqlite_db) == (0,) * len(TABLES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"format": "geschaeftsstelle", "version": 1} x', "kein gültiges JSON"),
        ('{"format": "geschaeftsstelle", "version": 1, "format": "x"}', "„format“ steht in einem Eintrag doppelt"),
        ('{"members": [{"id": "m1", "name": "A", "name": "B"}]}', "„name“ steht in einem Eintrag doppelt"),
        ('{"members": [1, 2,]}', "kein gültiges JSON"),
        ('{"members": [' + "[" * 50_000 + "]" * 50_000 + "]}", "zu tief verschachtelt"),
        (" \n\t ", "ist leer"),
        ('["format"]', "kein Objekt"),
    ],
)
def test_odd_files_are_named_as_the_whole_file_reading_names_them(
    sqlite_db: Database, tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    assert expected in _message(lambda: exchange.import_file(sqlite_db, path))
    assert _message(lambda: exchange.import_file(sqlite_db, path)) == _message(lambda: exchange.load_file(path))


def test_values_cut_by_the_read_chunks_are_read_whole(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "_CHUNK", 7)  # every number, string and entry crosses a chunk boundary
    data = with_letter_data(build_demo())
    path = _write(tmp_path, data)
    streamed = list(reader.stream_file(path))
    assert [k for k, _ in streamed] == list(data)
    assert exchange.import_file(sqlite_db, path) == exchange.counts(data)
    assert exchange.export_office(sqlite_db)["meetings"][0]["agenda"] == data["meetings"][0]["agenda"]


def test_sections_in_any_order_give_the_same_office(db: Database, tmp_path: Path) -> None:
    data = with_letter_data(build_demo())
    reference = open_database(tmp_path / "reference.sqlite")
    exchange.import_office(reference, copy.deepcopy(data))
    expected = exchange.dumps(exchange.export_office(reference))
    reference.dispose()
    backwards = dict(reversed(list(data.items())))  # audit first, members after the contacts that need them
    assert exchange.import_file(db, _write(tmp_path, backwards)) == exchange.counts(data)
    assert exchange.dumps(exchange.export_office(db)) == expected


# --------------------------------------------------------------------------- one transaction, bulk rows


def test_a_problem_after_many_written_chunks_leaves_nothing(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "_CHUNK", 3)  # members, contacts and meetings are long written when awards fail
    data = build_demo()
    data["awards"][0]["nominations"][0]["scores"][0]["score"] = 9
    with pytest.raises(exchange.ExchangeError, match=r"^awards\[0\]\.nominations\[0\]\.scores\[0\]\.score:"):
        exchange.import_file(db, _write(tmp_path, data))
    assert _counts(db) == (0,) * len(TABLES)
    assert db.is_empty()


def test_the_import_loads_the_files_log_and_writes_no_entry_of_its_own(db: Database, tmp_path: Path) -> None:
    exchange.import_file(db, FIXTURE)
    assert audit.history(db) == []  # thousands of rows, not one entry each
    m = members.get_member(db, members.list_members(db)[0].id)
    members.save_member(db, members.MemberInput(id=m.id, version=m.version, name=m.name, city="Erfurt"))
    exported = exchange.export_office(db)
    assert [e["action"] for e in exported["audit"]] == ["update"]
    with db.transaction() as s:  # an emptied office keeps its log: the imported entries come after it
        for model in (Award, Meeting, Member, Contact, Venue, Office):
            for obj in s.scalars(select(model)):
                s.delete(obj)
    before = audit.history(db)
    assert len(before) > 1
    assert exchange.import_file(db, _write(tmp_path, exported))["audit"] == 1
    after = audit.history(db)
    assert after[1:] == before  # nothing lost, nothing added but the file's one entry
    (new,) = [e for e in after if e not in before]
    assert (new.action, new.label, new.changes) == ("update", m.name, exported["audit"][0]["changes"])
    assert new.changes["city"] == ["Weimar", "Erfurt"]
    assert new.id > max(e.id for e in before)
    assert new.entity_id == next(r.id for r in members.list_members(db) if r.name == m.name)


def test_new_records_after_an_import_get_new_ids(db: Database) -> None:
    exchange.import_file(db, FIXTURE)
    before = {m.id for m in members.list_members(db)}
    mid = members.save_member(db, members.MemberInput(name="Nach dem Import e. V."))
    assert mid not in before
    cid = members.save_contact(db, members.ContactInput(member_id=mid, last_name="Neu"))
    assert (members.get_contact(db, cid).last_name, members.get_contact(db, cid).member_id) == ("Neu", mid)


def test_rows_the_database_refuses_are_one_line(db: Database) -> None:
    with pytest.raises(exchange.ExchangeError) as info, db.transaction() as s:
        writer = bulk.Writer(s)
        for name in ("A", "B"):
            writer.add(Member.__table__, {"id": 7, "version": 1, "name": name, "search_text": ""})  # type: ignore[arg-type]
        writer.flush()
    assert isinstance(info.value, bulk.DatabaseRefused)
    assert str(info.value).startswith("Die Datei verletzt eine Regel der Datenbank: ")
    assert "\n" not in str(info.value)
    assert _counts(db) == (0,) * len(TABLES)


def test_the_garbage_collector_runs_again_after_import_and_export(sqlite_db: Database, tmp_path: Path) -> None:
    data = small()
    data["meetings"][0]["ends_at"] = "2000-01-01T00:00"
    with pytest.raises(exchange.ExchangeError):
        exchange.import_file(sqlite_db, _write(tmp_path, data))
    assert gc.isenabled()
    exchange.import_file(sqlite_db, FIXTURE)
    exchange.export_file(sqlite_db, tmp_path / "out.json")
    assert gc.isenabled()


# --------------------------------------------------------------------------- the file's text


def test_the_streamed_export_is_the_document_as_dumps_writes_it(db: Database, tmp_path: Path) -> None:
    exchange.import_office(db, with_letter_data(build_demo()))
    out = tmp_path / "office.json"
    counts = exchange.export_file(db, out)
    document = exchange.export_office(db)
    assert out.read_text("utf-8") == exchange.dumps(document)
    assert counts == exchange.counts(document)
    assert not list(tmp_path.glob("*.tmp"))


def test_the_export_reads_one_state_while_another_desk_saves(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contact and a meeting naming it as speaker, saved between the export's contacts and its meetings:
    the file shows the office as it was when the export began, never a speaker it has not listed."""
    exchange.import_file(db, FIXTURE)
    before = exchange.dumps(exchange.export_office(db))
    meetings_section = export._Export.meetings

    def saved_meanwhile(self: Any) -> Any:
        cid = members.save_contact(db, members.ContactInput(last_name="Zwischendurch"))
        when = dt.datetime(2031, 5, 1, 10, 0)
        meetings.save_meeting(db, meetings.MeetingInput("Neu", when, when, speaker_ids=[cid]))
        return meetings_section(self)

    monkeypatch.setattr(export._Export, "meetings", saved_meanwhile)
    out = tmp_path / "office.json"
    exchange.export_file(db, out)
    assert out.read_text("utf-8") == before
    monkeypatch.undo()
    assert "Zwischendurch" in exchange.dumps(exchange.export_office(db))


def test_a_failed_export_leaves_no_file(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exchange.import_file(db, FIXTURE)
    folder = tmp_path / "export"
    folder.mkdir()
    out = folder / "office.json"

    def broken(*_args: Any) -> None:
        raise OSError("Datenträger voll")

    monkeypatch.setattr(layout, "write_list", broken)
    with pytest.raises(OSError, match="voll"):
        exchange.export_file(db, out)
    assert list(folder.iterdir()) == []


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_the_layout_is_json_dumps_with_indent_2_byte_for_byte(value: Any) -> None:
    assert layout.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.lists(_JSON, max_size=4) | _JSON, max_size=4))
def test_the_streamed_document_is_json_dumps_too(sections: dict[str, Any]) -> None:
    out = io.StringIO()
    layout.write_document(out, ((k, iter(v) if isinstance(v, list) else v) for k, v in sections.items()))
    assert out.getvalue() == json.dumps(sections, ensure_ascii=False, indent=2) + "\n"


def test_nan_stays_as_json_writes_it() -> None:
    assert layout.dumps({"x": [math.nan]}) == json.dumps({"x": [math.nan]}, ensure_ascii=False, indent=2) + "\n"


def test_the_bench_script_measures_both_ways_and_checks_the_round_trip(tmp_path: Path) -> None:
    """bench/bench_exchange.py on a tiny generated office: four figures, and it fails on a broken round trip."""
    root = Path(__file__).resolve().parent.parent
    office = tmp_path / "tiny.sqlite"
    subprocess.run([sys.executable, "bench/generate.py", "--tiny", "--db", str(office)], cwd=root, check=True,
                   capture_output=True)  # fmt: skip
    done = subprocess.run(
        [sys.executable, "bench/bench_exchange.py", "--db", str(office), "--runs", "1"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = {f["name"]: f for f in map(json.loads, done.stdout.splitlines())}
    assert set(figures) == {
        "JSON export of the whole office",
        "peak RSS: JSON export (own process)",
        "JSON import of the whole office into an empty database",
        "peak RSS: JSON import (own process)",
    }
    assert figures["JSON import of the whole office into an empty database"]["target_s"] == 10.0
    assert 0 < figures["peak RSS: JSON import (own process)"]["measured"] < 400
