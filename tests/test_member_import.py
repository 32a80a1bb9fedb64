"""Member lists in and out: Outlook CSV in Windows-1252, UTF-8/UTF-16, delimiters, Excel, broken files."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from geschaeftsstelle import member_import, members
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.member_export import export_members
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Member

ROOT = Path(__file__).parent.parent
OUTLOOK = Path(__file__).parent / "fixtures" / "import" / "outlook_kontakte_cp1252.csv"


def _count(db: Database) -> tuple[int, int]:
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(Member)), s.scalar(select(func.count()).select_from(Contact)))


def test_outlook_export_maps_automatically() -> None:
    table = member_import.read_table(OUTLOOK)
    assert (table.encoding, table.delimiter) == ("Windows-1252", ";")
    mapping = member_import.auto_mapping(table.headers)
    named = {table.headers[i]: key for i, key in mapping.items()}
    assert named == {
        "Anrede": "salutation",
        "Titel": "title",
        "Vorname": "first_name",
        "Nachname": "last_name",
        "Firma": "name",
        "Position": "role",
        "E-Mail-Adresse": "contact_email",
        "Straße geschäftlich": "street",
        "Postleitzahl geschäftlich": "postal_code",
        "Ort geschäftlich": "city",
        "Telefon geschäftlich": "contact_phone",
        "Kategorien": "tags",
    }


def test_cli_imports_valid_rows_and_lists_the_others(db: Database, db_url: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", db_url, "import", str(OUTLOOK)],
        capture_output=True, text=True, timeout=120, env={**os.environ},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "5 Mitglieder importiert, 2 Zeilen mit Problemen nicht importiert."
    assert lines[1] == "Zeile 6: Der Name der Mitgliedsorganisation fehlt."
    assert lines[2].startswith("Zeile 7: Die Postleitzahl „9944“")
    assert "E-Mail-Adresse „keine-adresse“" in lines[2]
    assert _count(db) == (5, 5)
    with db.read() as s:
        anna = s.scalars(select(Contact).where(Contact.last_name == "Beispiel")).one()
        assert (anna.salutation, anna.title, anna.role, anna.is_primary) == ("Frau", "Dr.", "Geschäftsführerin", True)
        assert anna.member is not None
        assert (anna.member.name, anna.member.city, anna.member.tags) == (
            "Camsin e. V.",
            "Weimar",
            ["Beratung", "Migration"],
        )
        assert s.scalars(select(Member.name).where(Member.city == "Apolda")).one() == "Kinder <Zukunft> & Familie e. V."
    assert any(r.search_text and "grosser" in r.search_text for r in members.list_members(db))


def test_second_import_finds_every_duplicate(db: Database) -> None:
    member_import.import_file(db, OUTLOOK)
    result = member_import.import_file(db, OUTLOOK)
    assert result.imported == 0
    assert all("gibt es schon" in " ".join(c.problems) or c.line in (6, 7) for c in result.skipped)
    assert _count(db) == (5, 5)


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [
        ("utf-8", ";", False),
        ("utf-8", ",", True),
        ("utf-8", "\t", False),
        ("utf-16", ";", True),
        ("cp1252", ",", False),
    ],
)
def test_encodings_and_delimiters(db: Database, tmp_path: Path, encoding: str, delimiter: str, bom: bool) -> None:
    path = tmp_path / "liste.csv"
    rows = [["Name", "PLZ", "Ort", "E-Mail"], ["Łódź-Hilfe e. V." if encoding != "cp1252" else "Größer e. V.",
            "99423", "Weimar", "a@b.de"], ["Zweite, mit Komma", "99510", "Apolda", ""]]  # fmt: skip
    with path.open("w", encoding=encoding + ("-sig" if bom and encoding == "utf-8" else ""), newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    table = member_import.read_table(path)
    assert table.delimiter == delimiter
    result = member_import.import_file(db, path)
    assert result.imported == 2
    assert {r.name for r in members.list_members(db)} == {rows[1][0], "Zweite, mit Komma"}


def test_three_valid_two_broken_rows_in_xlsx(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "liste.xlsx"
    wb = Workbook()
    sheet = wb.active
    sheet.append(["Organisation", "Mitgliedsnummer", "PLZ", "Ort", "Mitglied seit", "E-Mail"])
    import datetime as dt

    sheet.append(["A e. V.", 1, "99423", "Weimar", dt.datetime(2005, 3, 1), "a@a.de"])
    sheet.append(["B e. V.", 2, "99423", "Weimar", "01.04.2010", ""])
    sheet.append(["", 3, "99423", "Weimar", None, ""])
    sheet.append(["C e. V.", 4, "99423", "Weimar", "31.02.2010", ""])
    sheet.append(["D e. V.", 5, "99423", "Weimar", None, "d@d.de"])
    wb.save(path)
    result = member_import.import_file(db, path)
    assert result.imported == 3
    assert [c.line for c in result.skipped] == [4, 5]
    assert "kein Datum" in result.skipped[1].problems[0]
    a = next(r for r in members.list_members(db) if r.name == "A e. V.")
    assert (a.member_number, a.joined_on) == ("1", dt.date(2005, 3, 1))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leer.csv", b"", "leer"),
        ("nur-leerzeilen.csv", b"\r\n;;\r\n", "keine Zeilen"),
        ("kaputt.xlsx", b"PK\x03\x04 nicht wirklich", "beschädigt"),
        ("binär.csv", b"\x00\x01\x02\x03" * 100, "keine Textdatei"),
        ("liste.pdf", b"%PDF-1.4", "Endung"),
    ],
)
def test_broken_files_change_nothing(db: Database, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        member_import.import_file(db, path)
    assert _count(db) == (0, 0)


def test_truncated_xlsx(db: Database, tmp_path: Path) -> None:
    good = tmp_path / "gut.xlsx"
    wb = Workbook()
    wb.active.append(["Name"])
    for i in range(200):
        wb.active.append([f"Verein {i}"])
    wb.save(good)
    broken = tmp_path / "abgeschnitten.xlsx"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(UserError, match="beschädigt"):
        member_import.import_file(db, broken)
    assert _count(db) == (0, 0)


def test_missing_name_column_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "ohne-name.csv"
    path.write_text("PLZ;Ort\n99423;Weimar\n", "utf-8")
    with pytest.raises(UserError, match="Namen der Organisation"):
        member_import.import_file(db, path)


def test_cancel_leaves_the_database_as_it_was(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "viele.csv"
    path.write_text("Name;Ort\n" + "".join(f"Verein {i};Weimar\n" for i in range(1200)), "utf-8")
    table = member_import.read_table(path)
    checks = member_import.check_rows(db, table, member_import.auto_mapping(table.headers))
    with pytest.raises(member_import.ImportCancelled):
        member_import.import_rows(db, checks, lambda done, total: done < 1000)
    assert _count(db) == (0, 0)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_neutralises_formulas_and_reimports(db: Database, tmp_path: Path, suffix: str) -> None:
    member_import.import_file(db, OUTLOOK)
    members.save_member(db, members.MemberInput(name="-minus", city="Weimar", notes="@home"))
    out = tmp_path / f"mitglieder{suffix}"
    assert export_members(db, out) == 6
    if suffix == ".csv":
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert b"\r\n" in raw
        text = raw.decode("utf-8-sig")
        assert "'=HYPERLINK" in text
        assert "\n'-minus;" in text
        assert text.splitlines()[0].split(";")[:3] == ["Name", "Mitgliedsnummer", "Straße"]
    else:
        cells = [row[0] for row in load_workbook(out).active.iter_rows(values_only=True)]
        assert '\'=HYPERLINK("http://x")' in cells
        assert all(not str(c).startswith("=") for c in cells)
    table = member_import.read_table(out)
    mapping = member_import.auto_mapping(table.headers)
    assert {"name", "postal_code", "city", "tags", "first_name", "last_name", "contact_email"} <= set(mapping.values())


def test_imported_records_are_in_the_change_log(db: Database) -> None:
    from geschaeftsstelle.store import audit

    member_import.import_file(db, OUTLOOK)
    logged = audit.history(db, "member")
    assert len(logged) == 5
    assert {e.action for e in logged} == {"insert"}
    camsin = next(e for e in logged if e.label == "Camsin e. V.")
    assert camsin.changes["city"] == [None, "Weimar"]
    assert len(audit.history(db, "contact")) == 5


def test_import_next_to_existing_records_and_saving_afterwards(db: Database) -> None:
    """The import reserves its own ids; records saved before and after it keep theirs."""
    before = members.save_member(db, members.MemberInput(name="Vorher e. V.", city="Erfurt"))
    members.save_contact(db, members.ContactInput(last_name="Extern", organisation="Gast GmbH"))
    member_import.import_file(db, OUTLOOK)
    after = members.save_member(db, members.MemberInput(name="Nachher e. V.", city="Erfurt"))
    contact = members.save_contact(db, members.ContactInput(last_name="Neu", member_id=after, is_primary=True))
    assert _count(db) == (7, 7)
    with db.read() as s:
        ids = s.scalars(select(Member.id)).all()
        assert len(set(ids)) == 7
        assert before < min(i for i in ids if i not in (before, after)) < after
        assert s.get(Contact, contact) is not None
        assert s.scalars(select(Contact.member_id).where(Contact.last_name == "Beispiel")).one() not in (before, after)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_failed_export_leaves_no_file_behind(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    members.save_member(db, members.MemberInput(name="Lebenshilfe e. V."))
    folder = tmp_path / "export"
    folder.mkdir()
    target = folder / f"mitglieder{suffix}"

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        export_members(db, target)
    assert list(folder.iterdir()) == []
