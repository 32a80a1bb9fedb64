"""Attachments are stored copies: hostile paths refused, opening only the verified copy, the exchange's folder."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from geschaeftsstelle import attachments, awards, demo, exchange
from geschaeftsstelle.awards import NominationInput
from geschaeftsstelle.errors import ConflictError, UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.opening import open_database

HOSTILE = [
    "../../../../etc/passwd",
    "/etc/passwd",
    r"\\server\share\x.pdf",
    "//server/share/x.pdf",
    r"C:\Windows\x.exe",
    "C:/Windows/system32/cmd.exe",
    "CON",
    "nul.pdf",
    r"C:\Temp\COM1.txt",
    "Verknüpfung.lnk",
    "skript.ps1",
    "setup.msi",
    "a/../../b.pdf",
    "C:relative.pdf",
]


def _nomination(db: Database) -> tuple[int, int]:
    award_id = awards.save_award(db, awards.AwardInput(year=2026, title="Ehrenamtspreis 2026"))
    n, _ = awards.save_nomination(db, NominationInput(award_id, "Erika", justification="x"))
    return n, _version(db, n)


def _version(db: Database, nomination_id: int) -> int:
    with db.read() as s:
        return int(s.scalar(text("SELECT version FROM nominations WHERE id = :i"), {"i": nomination_id}))


def _file(tmp_path: Path, name: str = "Vorschlag Erika.pdf", content: bytes = b"%PDF-1.4 Vorschlag") -> Path:
    path = tmp_path / "eingang" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def test_a_file_is_copied_and_opened_only_as_the_stored_copy(db: Database, tmp_path: Path) -> None:
    n, version = _nomination(db)
    source = _file(tmp_path)
    att_id = awards.add_attachment(db, n, str(source), version=version)
    source.write_bytes(b"changed after adding")  # the original does not matter any more
    opened = attachments.open_path(db, att_id)
    assert opened.parent == attachments.folder(db).resolve()
    assert opened.read_bytes() == b"%PDF-1.4 Vorschlag"
    assert opened.name != source.name
    assert opened.suffix == ".pdf"
    with db.read() as s:
        label, sha, size = s.execute(text("SELECT label, sha256, size FROM nomination_attachments")).one()
    assert (label, sha, size) == ("Vorschlag Erika.pdf", hashlib.sha256(b"%PDF-1.4 Vorschlag").hexdigest(), 18)
    assert _version(db, n) == version + 1  # the list is part of the nomination


def test_a_changed_copy_is_not_opened(db: Database, tmp_path: Path) -> None:
    n, version = _nomination(db)
    att_id = awards.add_attachment(db, n, str(_file(tmp_path)), version=version)
    attachments.open_path(db, att_id).write_bytes(b"MZ evil")
    with pytest.raises(UserError, match="verändert"):
        attachments.open_path(db, att_id)


def test_a_row_pointing_outside_the_folder_is_never_opened(db: Database, tmp_path: Path) -> None:
    n, version = _nomination(db)
    att_id = awards.add_attachment(db, n, str(_file(tmp_path)), version=version)
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"x")
    with db.transaction() as s:
        s.execute(text("UPDATE nomination_attachments SET stored_name = :p"), {"p": "../outside.pdf"})
    with pytest.raises(UserError, match="keine gültige Datei"):
        attachments.open_path(db, att_id)


@pytest.mark.parametrize("path", [p for p in HOSTILE if p != "/etc/passwd"])  # a picked local file is copied
def test_hostile_paths_are_refused_when_adding(db: Database, path: str) -> None:
    n, version = _nomination(db)
    with pytest.raises(UserError) as caught:
        awards.add_attachment(db, n, path, version=version)
    assert "\n" not in str(caught.value)
    assert not attachments.folder(db).exists() or not any(attachments.folder(db).iterdir())


def test_an_executable_by_its_ending_and_a_device_name_are_named(db: Database, tmp_path: Path) -> None:
    n, version = _nomination(db)
    exe = _file(tmp_path, "rechnung.pdf.exe", b"MZ")
    with pytest.raises(UserError, match=r"„rechnung.pdf.exe“ ist ein Programm"):
        awards.add_attachment(db, n, str(exe), version=version)
    with pytest.raises(UserError, match="Gerätename"):
        awards.add_attachment(db, n, str(tmp_path / "CON.pdf"), version=version)


def test_the_size_limit(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    n, version = _nomination(db)
    monkeypatch.setattr(attachments, "MAX_BYTES", 10)
    big = _file(tmp_path, "gross.pdf", b"x" * 11)
    with pytest.raises(UserError, match=r"„gross.pdf“ ist größer als"):
        awards.add_attachment(db, n, str(big), version=version)
    assert _version(db, n) == version


def test_a_stale_version_is_refused_and_leaves_no_copy(db: Database, tmp_path: Path) -> None:
    n, version = _nomination(db)
    awards.add_attachment(db, n, str(_file(tmp_path)), version=version)
    with pytest.raises(ConflictError):
        awards.add_attachment(db, n, str(_file(tmp_path, "zwei.pdf")), version=version)
    assert len(list(attachments.folder(db).iterdir())) == 1


def test_removing_deletes_the_copy_and_checks_the_version(db: Database, tmp_path: Path) -> None:
    n, version = _nomination(db)
    att_id = awards.add_attachment(db, n, str(_file(tmp_path)), version=version)
    stored = attachments.open_path(db, att_id)
    with pytest.raises(ConflictError):
        awards.remove_attachment(db, att_id, version=version)
    assert stored.exists()
    awards.remove_attachment(db, att_id, version=_version(db, n))
    assert not stored.exists()


# --------------------------------------------------------------------------- exchange


def _office_with_file(db: Database, tmp_path: Path) -> tuple[Path, bytes]:
    n, version = _nomination(db)
    awards.add_attachment(db, n, str(_file(tmp_path)), "Vorschlag", version=version)
    path = tmp_path / "export" / "office.json"
    path.parent.mkdir()
    exchange.export_file(db, path)
    return path, path.read_bytes()


def _fresh(tmp_path: Path, name: str) -> Database:
    """An empty SQLite database in its own folder (so its attachments folder is its own)."""
    (tmp_path / name).mkdir()
    return open_database(tmp_path / name / "new.sqlite")


def test_the_round_trip_carries_the_files_byte_for_byte(db: Database, tmp_path: Path) -> None:
    path, first = _office_with_file(db, tmp_path)
    entry = json.loads(first)["awards"][0]["nominations"][0]["attachments"][0]
    assert set(entry) == {"file", "label", "sha256", "size", "added_on"}
    assert (path.parent / "office.json.anlagen" / entry["file"]).read_bytes() == b"%PDF-1.4 Vorschlag"
    other = _fresh(tmp_path, "b")
    exchange.import_file(other, path)
    again = tmp_path / "again.json"
    exchange.export_file(other, again)
    assert again.read_bytes() == first
    with other.read() as s:
        att_id = s.scalar(text("SELECT id FROM nomination_attachments"))
    assert attachments.open_path(other, att_id).read_bytes() == b"%PDF-1.4 Vorschlag"
    other.dispose()


def _import_refused(tmp_path: Path, path: Path, match: str) -> None:
    other = _fresh(tmp_path, "refused")
    with pytest.raises(exchange.ExchangeError, match=match) as caught:
        exchange.import_file(other, path)
    assert "\n" not in str(caught.value)
    assert other.is_empty()
    assert not attachments.folder(other).exists() or not any(attachments.folder(other).iterdir())
    other.dispose()


def test_a_changed_file_beside_the_export_is_refused(db: Database, tmp_path: Path) -> None:
    path, first = _office_with_file(db, tmp_path)
    name = json.loads(first)["awards"][0]["nominations"][0]["attachments"][0]["file"]
    (path.parent / "office.json.anlagen" / name).write_bytes(b"MZ changed")
    _import_refused(tmp_path, path, r"^awards\[0\]\.nominations\[0\]\.attachments\[0\]\.sha256: .*andere Prüfsumme")


def test_a_missing_file_beside_the_export_is_refused(db: Database, tmp_path: Path) -> None:
    path, _ = _office_with_file(db, tmp_path)
    shutil.rmtree(path.parent / "office.json.anlagen")
    _import_refused(tmp_path, path, r"^awards\[0\]\.nominations\[0\]\.attachments\[0\]\.file: Die Datei .* fehlt")


def _with_attachment(path: Path, attachment: dict[str, Any]) -> Path:
    data = json.loads(path.read_text("utf-8"))
    data["awards"][0]["nominations"][0]["attachments"] = [attachment]
    out = path.with_name("edited.json")
    out.write_text(json.dumps(data), "utf-8")
    shutil.copytree(path.parent / "office.json.anlagen", path.parent / "edited.json.anlagen", dirs_exist_ok=True)
    return out


@pytest.mark.parametrize("hostile", HOSTILE)
def test_old_paths_that_lead_outside_are_refused_on_import(db: Database, tmp_path: Path, hostile: str) -> None:
    path, _ = _office_with_file(db, tmp_path)
    edited = _with_attachment(path, {"path": hostile, "label": ""})
    _import_refused(tmp_path, edited, r"^awards\[0\]\.nominations\[0\]\.attachments\[0\]\.path: ")


@pytest.mark.parametrize("name", ["../office.json", "..\\x.pdf", "/etc/passwd", "0" * 32 + ".exe", "x" * 32])
def test_a_file_name_that_is_not_a_stored_name_is_refused(db: Database, tmp_path: Path, name: str) -> None:
    path, _ = _office_with_file(db, tmp_path)
    edited = _with_attachment(path, {"file": name, "label": "x", "sha256": "0" * 64})
    _import_refused(tmp_path, edited, r"attachments\[0\]\.file: ")


def test_a_relative_old_path_becomes_a_label_with_a_warning(db: Database, tmp_path: Path) -> None:
    path, _ = _office_with_file(db, tmp_path)
    (path.parent / "Lebenslauf.pdf").write_bytes(b"not taken")
    edited = _with_attachment(path, {"path": "Unterlagen/Lebenslauf.pdf", "label": ""})
    other = _fresh(tmp_path, "label")
    warnings: list[str] = []
    exchange.import_file(other, edited, warnings=warnings)
    assert len(warnings) == 1
    assert warnings[0].startswith("awards[0].nominations[0].attachments[0].path:")
    with other.read() as s:
        row = s.execute(text("SELECT id, label, stored_name, sha256 FROM nomination_attachments")).one()
    assert tuple(row)[1:] == ("Lebenslauf.pdf", None, None)
    with pytest.raises(UserError, match="keine Datei gespeichert"):
        attachments.open_path(other, row[0])
    other.dispose()


def test_import_without_the_folder_names_the_missing_file(db: Database, tmp_path: Path) -> None:
    _path, first = _office_with_file(db, tmp_path)
    other = _fresh(tmp_path, "nofolder")
    with pytest.raises(exchange.ExchangeError, match=r"attachments\[0\]\.file: Die Datei .* fehlt"):
        exchange.import_office(other, json.loads(first))
    assert other.is_empty()
    other.dispose()


# --------------------------------------------------------------------------- migration


def test_old_path_rows_become_labels_without_a_file(tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "fixtures" / "schema" / "0006.sqlite"
    path = tmp_path / "old.sqlite"
    shutil.copyfile(fixture, path)
    raw = sqlite3.connect(path)
    before = raw.execute("SELECT id, nomination_id FROM nomination_attachments ORDER BY id").fetchall()
    raw.close()
    db = open_database(path)
    with db.read() as s:
        rows = s.execute(
            text("SELECT id, nomination_id, label, stored_name, sha256, size FROM nomination_attachments ORDER BY id")
        ).all()
    assert [tuple(r[:2]) for r in rows] == before
    assert [(r[2], r[3], r[4], r[5]) for r in rows] == [
        ("Vorschlag", None, None, None),
        ("Lebenslauf.pdf", None, None, None),
    ]
    for r in rows:
        with pytest.raises(UserError, match="keine Datei gespeichert"):
            attachments.open_path(db, r[0])
    db.dispose()


def test_the_demo_office_exports_without_attachment_folder(db: Database, tmp_path: Path) -> None:
    demo.load_demo(db)
    exchange.export_file(db, tmp_path / "demo.json")
    assert not (tmp_path / "demo.json.anlagen").exists()


def test_the_command_line_shows_the_imports_warnings(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from geschaeftsstelle.cli import main

    path, _ = _office_with_file(db, tmp_path)
    edited = _with_attachment(path, {"path": "Unterlagen/Lebenslauf.pdf", "label": ""})
    (tmp_path / "cli").mkdir()
    assert main(["--db", str(tmp_path / "cli" / "new.sqlite"), "import", str(edited)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Importiert: ")
    assert out[1].startswith("Hinweis: awards[0].nominations[0].attachments[0].path:")
