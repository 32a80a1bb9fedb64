"""`geschaeftsstelle print …` as a user types it: every document, its options, German errors, clean PDFs.

Runs the command line in this process (`cli.main`) so the many small calls stay fast; test_cli.py checks
the real program start once.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest

from geschaeftsstelle import exchange
from geschaeftsstelle.cli import main
from geschaeftsstelle.store.database import Database

FIXTURE = Path(__file__).parent / "fixtures" / "documents" / "office_documents.json"


@pytest.fixture
def db_path(sqlite_db: Database) -> str:
    exchange.import_file(sqlite_db, FIXTURE)
    path = sqlite_db.describe()
    sqlite_db.dispose()
    return path


def run(db_path: str, *args: str) -> int:
    return main(["--db", db_path, "print", *args])


def texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def assert_clean_pdf(path: Path) -> None:
    """Every font embedded, no Helvetica, and poppler reads it without a warning."""
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows, fonts.stdout
    for row in rows:
        name, emb = row.split()[0], row.split()[-5]
        assert emb == "yes", row
        assert "DejaVu" in name, row
    assert fonts.stderr == ""
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["invitations", "--meeting", "1"], "Sehr geehrte Frau Dr. Beispiel,"),
        (["invitations", "--meeting", "1", "--only", "open"], "Sehr geehrter Herr Prof. Dr. Löcherbach,"),
        (["reply-form", "--meeting", "1"], "Rückantwort / Anmeldung"),
        (["attendance", "--meeting", "1", "--blank-rows", "3", "--assistance"], "Assistenz"),
        (["labels", "--meeting", "1", "--label-type", "L7163", "--start", "3"], "Herrn Дмитрий Смирнов"),
        (["labels", "--members"], "Camsin e. V."),
        (["badges", "--meeting", "1"], "Ελένη Αθανασίου"),
        (["schedule", "--year", "2020"], "Sitzungstermine 2020"),
    ],
)
def test_print_each_document(
    db_path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expect: str
) -> None:
    out = tmp_path / "Ordner mit Ümlaut" / "dokument.pdf"
    out.parent.mkdir()
    assert run(db_path, *args, "--out", str(out)) == 0
    assert f"{out} geschrieben (" in capsys.readouterr().out
    assert expect in "\n".join(texts(out))
    assert_clean_pdf(out)
    assert not list(out.parent.glob("*.tmp"))


def test_print_options_change_the_document(db_path: str, tmp_path: Path) -> None:
    few, many = tmp_path / "wenig.pdf", tmp_path / "viel.pdf"
    assert run(db_path, "attendance", "--meeting", "1", "--blank-rows", "0", "--out", str(few)) == 0
    assert run(db_path, "attendance", "--meeting", "1", "--blank-rows", "60", "--out", str(many)) == 0
    assert len(texts(few)) == 1
    assert len(texts(many)) == 4  # 13 accepted + 60 blank rows, 23 rows a page
    assert "Assistenz" not in texts(few)[0]
    only_open = tmp_path / "offen.pdf"
    assert run(db_path, "invitations", "--meeting", "1", "--only", "open", "--out", str(only_open)) == 0
    assert len(texts(only_open)) == 2  # one letter and its reply form


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["invitations", "--out", "x.pdf"], "fehlt --meeting"),
        (["labels", "--out", "x.pdf"], "fehlt --meeting"),
        (["schedule", "--out", "x.pdf"], "fehlt --year"),
        (["invitations", "--meeting", "1", "--out", "x.txt"], "muss auf .pdf enden"),
        (["invitations", "--meeting", "99", "--out", "x.pdf"], "Einen Termin mit der Nummer 99 gibt es nicht"),
        (["labels", "--members", "--start", "25", "--out", "x.pdf"], "Startposition: bitte eine Zahl von 1 bis 24"),
        (["labels", "--members", "--label-type", "L7163", "--start", "15", "--out", "x.pdf"], "1 bis 14"),
        (["attendance", "--meeting", "1", "--blank-rows", "501", "--out", "x.pdf"], "Leerzeilen"),
        (["badges", "--meeting", "3", "--out", "x.pdf"], "keine Zusagen"),
        (["invitations", "--meeting", "2", "--out", "x.pdf"], "keine Empfänger"),
    ],
)
def test_print_errors_are_one_german_line(
    db_path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    assert run(db_path, *args) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fehler: ")
    assert message in err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("x.*"))  # no half-written file is left


def test_print_missing_folder_and_bad_numbers(db_path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db_path, "schedule", "--year", "2020", "--out", str(tmp_path / "fehlt" / "x.pdf")) == 1
    assert "gibt es nicht" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        run(db_path, "attendance", "--meeting", "1", "--blank-rows", "-3", "--out", str(tmp_path / "x.pdf"))
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        run(db_path, "labels", "--members", "--label-type", "9999", "--out", str(tmp_path / "x.pdf"))
