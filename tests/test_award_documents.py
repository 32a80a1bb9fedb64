"""Ehrenamtspreis documents read back: certificate names, dossier sections, letters, consent rules."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from geschaeftsstelle import awards
from geschaeftsstelle.demo import load_demo
from geschaeftsstelle.documents import award_documents
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database

ROOT = Path(__file__).parent.parent
YEAR = 2026


@pytest.fixture
def demo_db(sqlite_db: Database) -> Database:
    load_demo(sqlite_db, today=dt.date(2026, 11, 23))
    return sqlite_db


def texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [" ".join((p.extract_text() or "").split()) for p in pdf.pages]


def _decide(db: Database, names: list[str]) -> None:
    award = awards.award_for_year(db, YEAR)
    ids = [n.id for n in award.nominations if n.nominee in names]
    awards.decide(db, award.id, ids, version=award.version)


def test_dossier_has_one_section_per_nomination(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "dossier.pdf"
    award_documents.jury_dossier(demo_db, YEAR, out)
    pages = texts(out)
    award = awards.award_for_year(demo_db, YEAR)
    for i, n in enumerate(award.nominations, start=1):
        section = next(p for p in pages if f"{i}. {n.nominee}" in p)
        assert "Bewertung (bitte ankreuzen)" in section
        for criterion in ("Wirkung", "Nachhaltigkeit", "Vorbildcharakter"):
            assert criterion in section
    assert "Begründung fehlt" in "".join(pages)  # marked, not dropped


def test_certificate_prints_the_winner_large(demo_db: Database, tmp_path: Path) -> None:
    _decide(demo_db, ["Erika Sommer"])
    out = tmp_path / "urkunden.pdf"
    count, warnings = award_documents.certificates(demo_db, YEAR, out)
    assert (count, warnings) == (1, [])
    page = texts(out)[0]
    assert "Urkunde" in page
    assert f"Ehrenamtspreis {YEAR}" in page
    assert "Erika Sommer" in page
    assert "Seit 22 Jahren leitet sie ehrenamtlich die Kleiderkammer" in page
    assert "Weimar, 19.06.2026" in page
    with pdfplumber.open(out) as pdf:
        word = next(w for w in pdf.pages[0].extract_words() if w["text"] == "Sommer")
        assert word["bottom"] - word["top"] > 25  # the name is the largest text


def test_certificate_without_consent_omits_the_name_and_warns(demo_db: Database, tmp_path: Path) -> None:
    _decide(demo_db, ["Mehmet Yılmaz"])  # no consent to publication in the demo
    out = tmp_path / "urkunden.pdf"
    _count, warnings = award_documents.certificates(demo_db, YEAR, out)
    assert warnings
    assert "Veröffentlichung" in warnings[0]
    page = texts(out)[0]
    assert "Yılmaz" not in page
    assert "Name nicht veröffentlicht" in page


def test_letters_to_winners_and_nominators(demo_db: Database, tmp_path: Path) -> None:
    _decide(demo_db, ["Erika Sommer", "Lesepaten Weimar"])
    out = tmp_path / "briefe.pdf"
    award_documents.award_letters(demo_db, YEAR, out)
    joined = " ".join(texts(out))
    assert joined.count("Herzlichen Glückwunsch") == 2
    assert joined.count("Ihr Vorschlag für den") == 2
    assert "Sehr geehrte Damen und Herren," in joined
    assert "am 19.06.2026 um 15:00 Uhr" in joined


def test_no_winner_yet_is_a_clear_message(demo_db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="noch niemand ausgezeichnet"):
        award_documents.certificates(demo_db, YEAR, tmp_path / "x.pdf")
    with pytest.raises(UserError, match="keine Preisrunde"):
        award_documents.jury_dossier(demo_db, 1999, tmp_path / "x.pdf")


def test_print_commands_for_meetings_and_awards(demo_db: Database, tmp_path: Path) -> None:
    _decide(demo_db, ["Erika Sommer"])
    env = {**os.environ}
    db = demo_db.describe()
    for args in (
        ["print", "invitations", "--meeting", "6", "--only", "open"],
        ["print", "attendance", "--meeting", "3", "--blank-rows", "5", "--assistance"],
        ["print", "labels", "--members", "--label-type", "L7163", "--start", "2"],
        ["print", "schedule", "--year", "2026"],
        ["print", "dossier", "--award", "2026"],
        ["print", "certificates", "--award", "2026"],
        ["print", "award-letters", "--award", "2026"],
    ):
        out = tmp_path / f"{args[1]}.pdf"
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--db", db, *args, "--out", str(out)],
            capture_output=True, text=True, timeout=120, env=env,
        )  # fmt: skip
        assert result.returncode == 0, (args, result.stderr)
        assert out.read_bytes().startswith(b"%PDF")
    bad = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", db, "print", "badges", "--out", str(tmp_path / "b.pdf")],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert bad.returncode == 1
    assert "--meeting" in bad.stderr
