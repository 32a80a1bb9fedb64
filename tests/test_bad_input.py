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


# --------------------------------------------------------------------------- the command line (issue 15 parts 3, 9)
#
# Each case runs the real command line in this process against the test database (SQLite and PostgreSQL):
# the exit code, exactly one German line on stderr, no traceback anywhere, the database unchanged and no
# file left behind in the folder a failed export was meant for.

import errno  # noqa: E402
import re  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import zipfile  # noqa: E402

from sqlalchemy import text  # noqa: E402

from geschaeftsstelle import paths  # noqa: E402
from geschaeftsstelle.cli import main  # noqa: E402

ROOT = Path(__file__).parent.parent
Argv = Callable[[str, Path], list[str]]
Patch = Callable[[pytest.MonkeyPatch], None] | None


def _disk_full(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _xlsx_fails_midway(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipfile.ZipFile, "writestr", _disk_full)


def _csv_fails_midway(monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    real = csv.writer

    class Failing:
        def __init__(self, file: Any, **kw: Any) -> None:
            self.inner = real(file, **kw)

        def writerow(self, row: list[str]) -> None:
            self.inner.writerow(row)

        def writerows(self, rows: list[list[str]]) -> None:
            _disk_full()

    monkeypatch.setattr(csv, "writer", Failing)


def _json_fails_midway(monkeypatch: pytest.MonkeyPatch) -> None:
    from geschaeftsstelle.exchange import layout

    real = layout.write_document

    def half(file: Any, sections: Any) -> None:
        file.write('{"format": "geschaeftsstelle", ')
        _disk_full()

    monkeypatch.setattr(layout, "write_document", half)
    assert real is not None


def _pdf_fails_midway(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfgen import canvas

    def half(self: Any) -> None:
        Path(self._filename).write_bytes(b"%PDF-1.4 halb")
        _disk_full()

    monkeypatch.setattr(canvas.Canvas, "save", half)


def _missing(tmp: Path, name: str) -> str:
    return str(tmp / "gibt-es-nicht" / name)


def _other_page_size_backup(db_url: str, tmp: Path) -> str:
    """A restorable copy of the test database (or, on PostgreSQL, of a fresh one) with 1 KB pages."""
    source = Path(db_url) if "://" not in db_url else None
    target = tmp / "seiten-1k.sqlite"
    if source is None:
        fresh = tmp / "frisch.sqlite"
        from geschaeftsstelle.store.opening import open_database

        open_database(fresh).dispose()
        source = fresh
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dest:
        src.backup(dest)
    con = sqlite3.connect(target, isolation_level=None)
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute("PRAGMA page_size = 1024")
    con.execute("VACUUM")
    con.close()
    return str(target)


PASSWORD_URL = "postgresql+psycopg://buero:geheim123@127.0.0.1"

# (id, argv from (db_url, tmp_path), exit code, pattern the one stderr line must match, patch)
CLI_CASES: list[tuple[str, Argv, int, str, Patch]] = [
    ("--db empty", lambda u, t: ["--db", "", "meetings"], 1, r"^Fehler: Die Angabe --db ist leer", None),
    ("--db blank", lambda u, t: ["--db", "   ", "export", str(t / "x.json")], 1, r"--db ist leer", None),
    ("--db port not a number", lambda u, t: ["--db", f"{PASSWORD_URL}:abc/x", "meetings"], 1, r"ungültig", None),
    ("--db port empty", lambda u, t: ["--db", f"{PASSWORD_URL}:/x", "meetings"], 1, r"ungültig", None),
    ("--db port 99999", lambda u, t: ["--db", f"{PASSWORD_URL}:99999/x", "meetings"], 1, r"Port 99999.*65535", None),
    ("--db port 0", lambda u, t: ["--db", f"{PASSWORD_URL}:0/x", "demo"], 1, r"Port 0", None),
    ("--db unknown scheme", lambda u, t: ["--db", "mysql://x@y/z", "meetings"], 1, r"nicht unterstützt", None),
    ("export .xlsx into a missing folder", lambda u, t: ["--db", u, "export", _missing(t, "m.xlsx")], 1,
     r"Ordner .* gibt es nicht", None),
    ("export .csv into a missing folder", lambda u, t: ["--db", u, "export", _missing(t, "m.csv")], 1,
     r"Ordner .* gibt es nicht", None),
    ("export .json into a missing folder", lambda u, t: ["--db", u, "export", _missing(t, "a.json")], 1,
     r"Ordner .* gibt es nicht", None),
    ("export onto a folder", lambda u, t: ["--db", u, "export", str(t)], 1, r"Endung|ist ein Ordner", None),
    ("export .xlsx named like a folder", lambda u, t: ["--db", u, "export", str(t / "ordner.xlsx")], 1,
     r"ist ein Ordner", lambda mp: None),
    ("export .xlsx, disk full midway", lambda u, t: ["--db", u, "export", str(t / "m.xlsx")], 1,
     r"Datenträger ist voll", _xlsx_fails_midway),
    ("export .csv, disk full midway", lambda u, t: ["--db", u, "export", str(t / "m.csv")], 1,
     r"Datenträger ist voll", _csv_fails_midway),
    ("export .json, disk full midway", lambda u, t: ["--db", u, "export", str(t / "a.json")], 1,
     r"Datenträger ist voll", _json_fails_midway),
    ("print schedule, disk full midway", lambda u, t: ["--db", u, "print", "schedule", "--year", "2020", "--out",
     str(t / "s.pdf")], 1, r"Datenträger ist voll", _pdf_fails_midway),
    ("print into a missing folder", lambda u, t: ["--db", u, "print", "schedule", "--year", "2020", "--out",
     _missing(t, "s.pdf")], 1, r"Ordner .* gibt es nicht", None),
    ("ics into a missing folder", lambda u, t: ["--db", u, "ics", "--year", "2020", "--out", _missing(t, "k.ics")], 1,
     r"Ordner .* gibt es nicht", None),
    ("import a missing file", lambda u, t: ["--db", u, "import", _missing(t, "m.csv")], 1, r"gibt es nicht", None),
    ("restore a missing backup", lambda u, t: ["--db", u, "restore", _missing(t, "b.sqlite")], 1,
     r"gibt es nicht|pg_dump", None),
    ("restore a file that is no database", lambda u, t: ["--db", u, "restore", str(FIXTURE)], 1,
     r"keine lesbare Datenbank|pg_dump", None),
    ("backup onto an existing file", lambda u, t: ["--db", u, "backup", "--out", str(FIXTURE)], 1,
     r"gibt es schon|pg_dump", None),
]  # fmt: skip


@pytest.fixture
def folder_with_a_folder(tmp_path: Path) -> Path:
    (tmp_path / "ordner.xlsx").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "code", "pattern", "patch"),
    [(a, c, p, x) for _, a, c, p, x in CLI_CASES],
    ids=[case[0] for case in CLI_CASES],
)
def test_command_line_bad_input(
    db: Database,
    db_url: str,
    folder_with_a_folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: Argv,
    code: int,
    pattern: str,
    patch: Patch,
) -> None:
    tmp = folder_with_a_folder
    exchange.import_office(db, json.loads(FIXTURE.read_text("utf-8")))
    before = _snapshot(db)
    files_before = sorted(p.name for p in tmp.iterdir())
    args = argv(db_url, tmp)
    with monkeypatch.context() as mp:
        if patch is not None:
            patch(mp)
        result = main(args)
    out, err = capsys.readouterr()
    assert result == code, err
    assert re.search(pattern, err), err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in out + err
    assert "geheim123" not in out + err  # the password is never shown
    assert _snapshot(db) == before
    assert sorted(p.name for p in tmp.iterdir()) == files_before  # no half file, no temporary file
    assert not paths.default_database_path().exists()  # never silently the default database


def test_command_line_catalogue_size() -> None:
    assert len(CLI_CASES) >= 20


def test_restore_of_a_backup_with_another_page_size(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was refused as "schreibgeschützt" (the backup API cannot change a WAL file's page size)."""
    exchange.import_office(db, json.loads(FIXTURE.read_text("utf-8")))
    source = _other_page_size_backup(db_url, tmp_path)
    saved = sorted(m.name for m in members.list_members(db))
    members.save_member(db, members.MemberInput(name="Nach der Sicherung e. V."))
    code = main(["--db", db_url, "restore", source])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "schreibgeschützt" not in err
    if not db.is_sqlite:
        assert code == 1
        assert "pg_dump" in err
        assert len(err.strip().splitlines()) == 1
        return
    assert code == 0, err
    assert "Wiederhergestellt" in out
    assert sorted(m.name for m in members.list_members(db)) == saved
    con = sqlite3.connect(db_url)
    assert con.execute("PRAGMA page_size").fetchone()[0] == 4096
    con.close()


RAW_TITLE = "Sitzung \x1b]0;gekapert\x07\x1b[2J\x1b[31m rot \r\u202egpj.exe\u2066 \x9b"


def test_terminal_controls_in_printed_data_are_shown_escaped(
    db: Database, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting_id = meetings.save_meeting(
        db, meetings.MeetingInput("Sitzung", dt.datetime(2021, 3, 1, 14), dt.datetime(2021, 3, 1, 16))
    )
    with db.transaction() as s:  # as an older program or another client could have stored it
        s.execute(text("UPDATE meetings SET title = :t WHERE id = :i"), {"t": RAW_TITLE, "i": meeting_id})
    before = _snapshot(db)
    assert main(["--db", db_url, "meetings"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)
    assert r"\x1b]0;gekapert\x07\x1b[2J\x1b[31m rot \x0d\u202egpj.exe\u2066 \x9b" in out
    assert out.count("\n") == 1  # the output's own structure stays
    assert out.count("\t") == 5
    assert _snapshot(db) == before


def test_a_closed_pipe_ends_quietly(db: Database, db_url: str, tmp_path: Path) -> None:
    """`geschaeftsstelle meetings | head -1`: the reader stops early; no "Broken pipe", no traceback."""
    from geschaeftsstelle.demo import load_demo

    load_demo(db)
    before = _snapshot(db)
    env = {**dict(__import__("os").environ), "XDG_STATE_HOME": str(tmp_path / "state")}
    for _attempt in range(2):
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--db", db_url, "meetings"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()  # closed before the program writes its first line
        err = proc.stderr.read().decode("utf-8")
        assert proc.wait(timeout=120) == 0, err
        assert err == ""
    assert _snapshot(db) == before


def test_a_failed_xlsx_export_prints_one_line_and_no_late_traceback(db_url: str, tmp_path: Path) -> None:
    """openpyxl's half-written sheet was collected at exit with "Exception ignored … Traceback" under the
    German line; now it goes to the log file."""
    out = tmp_path / "ausgabe"
    out.mkdir()
    script = (
        "import errno, sys, zipfile\n"
        "def full(*a, **k): raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "zipfile.ZipFile.writestr = full\n"
        "from geschaeftsstelle.cli import main\n"
        f"sys.exit(main(['--db', {db_url!r}, 'export', {str(out / 'm.xlsx')!r}]))\n"
    )
    env = {**dict(__import__("os").environ), "XDG_STATE_HOME": str(tmp_path / "state"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Fehler: ")
    assert "Datenträger ist voll" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.iterdir()) == []  # neither the file nor a temporary one
