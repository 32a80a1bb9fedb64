"""bench/bench_letters.py at three letters: the database, the flat ODT, the bare canvas, one whole comparison
(and the LibreOffice conversion where soffice is installed). Figures are not checked, only that every piece runs
and the three ways print the same number of pages."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from geschaeftsstelle.store.models import Contact, Invitation, Meeting
from geschaeftsstelle.store.opening import open_database

BENCH = Path(__file__).resolve().parent.parent / "bench"
LETTERS = 3
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@pytest.fixture(scope="module")
def bl() -> Iterator[ModuleType]:
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCH))  # the script imports bench/common.py as run from bench/
        spec = importlib.util.spec_from_file_location("bench_letters_under_test", BENCH / "bench_letters.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
        spec.loader.exec_module(module)
        yield module
        sys.modules.pop(spec.name, None)


def test_database_has_one_meeting_with_every_member_invited(bl: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "letters.sqlite"
    meeting_id = bl.build_database(path, bl.recipients(LETTERS))
    db = open_database(path)
    try:
        with db.read() as s:
            meeting = s.get(Meeting, meeting_id)
            assert meeting is not None
            assert len(meeting.agenda) == 5
            assert s.scalar(select(func.count()).select_from(Invitation)) == LETTERS
            assert s.scalar(select(func.count()).where(Contact.is_primary.is_(True))) == LETTERS
    finally:
        db.dispose()


def test_flat_odt_is_well_formed_with_a_page_break_per_letter(bl: ModuleType, tmp_path: Path) -> None:
    people = bl.recipients(LETTERS)
    fodt = tmp_path / "letters.fodt"
    bl.write_fodt(fodt, bl.letter_text(people))
    root = ET.parse(fodt).getroot()
    styles = [p.get(f"{TEXT_NS}style-name") for p in root.iter(f"{TEXT_NS}p")]
    assert styles.count("First") == 1
    assert styles.count("Letter") == LETTERS - 1  # the sender line that starts every further letter on a new page
    assert styles.count("ReplyTitle") == LETTERS
    text = "".join(root.itertext())
    assert all(p.greeting() in text and p.organisation in text for p in people)


def test_bare_canvas_draws_three_pages_per_letter(bl: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "canvas.pdf"
    content = json.loads(json.dumps(bl.canvas_lines(bl.letter_text(bl.recipients(LETTERS)))))  # as the child reads it
    assert bl.draw_canvas(content, out) == 3 * LETTERS
    assert len(PdfReader(out).pages) == 3 * LETTERS


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_flat_odt(bl: ModuleType, tmp_path: Path) -> None:
    fodt = tmp_path / "letters.fodt"
    bl.write_fodt(fodt, bl.letter_text(bl.recipients(LETTERS)))
    command = bl.libreoffice_command(bl.soffice(), fodt, tmp_path / "lo", tmp_path / "profile")
    bl.run_child(command, bl.child_env(tmp_path / "home"))
    assert len(PdfReader(tmp_path / "lo" / "letters.pdf").pages) == 3 * LETTERS


def test_whole_comparison(bl: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert bl.main(["--letters", str(LETTERS), "--runs", "2", "--no-libreoffice"]) == 0
    out = capsys.readouterr().out
    results = {r["name"]: r for r in (json.loads(line) for line in out.splitlines() if line.startswith("{"))}
    ours = results[f"{LETTERS} letters: ours, print invitations (whole process)"]
    canvas = results[f"{LETTERS} letters: bare ReportLab canvas (whole process)"]
    assert ours["pages"] == canvas["pages"] == 3 * LETTERS  # a two-page letter and its reply form, both ways
    assert ours["measured_s"] > 0
    assert ours["target_s"] is None  # targets belong to 1,000 letters
    assert results[f"{LETTERS} letters: ours / bare canvas, paired"]["unit"] == "%"
    assert results[f"{LETTERS} letters: LibreOffice"]["measured_s"] is None
    assert "paired ratios" in out


def test_profile_pieces(bl: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The --profile children, run in this process: the clocked steps, then cProfile, then the printed tables."""
    path = tmp_path / "letters.sqlite"
    meeting_id = bl.build_database(path, bl.recipients(LETTERS))
    bl.phases_child(path, meeting_id, tmp_path / "clocked.pdf", None)
    phases = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"imports_s", "command_s", "load", "layout", "drawing", "save"} <= phases.keys()
    assert len(PdfReader(tmp_path / "clocked.pdf").pages) == 3 * LETTERS
    lines = bl.phase_lines(0.02, phases)
    assert lines[-1].split()[0] == "sum"
    prof = tmp_path / "ours.prof"
    bl.phases_child(path, meeting_id, tmp_path / "profiled.pdf", prof)
    text = "\n".join(bl.profile_lines(prof))
    assert "Paragraph.wrap" in text
    assert "tottime" in text
