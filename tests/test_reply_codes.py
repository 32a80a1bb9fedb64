"""Reply codes: every single wrong character and every swap is refused before a lookup; printed and typed
forms read back to the same code; every path that invites gives each invitation its own valid code."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from geschaeftsstelle import invitations, reply_codes
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Meeting, Member

bodies = st.text(alphabet=reply_codes.ALPHABET, min_size=reply_codes.RANDOM_LENGTH, max_size=reply_codes.RANDOM_LENGTH)
codes = bodies.map(lambda body: body + reply_codes.check_character(body))


@given(codes, st.integers(0, reply_codes.LENGTH - 1), st.sampled_from(reply_codes.ALPHABET))
def test_every_single_substitution_is_caught(code: str, position: int, other: str) -> None:
    wrong = code[:position] + other + code[position + 1 :]
    if wrong == code:
        return
    assert not reply_codes.is_valid(wrong)
    with pytest.raises(UserError, match="Prüfzeichen falsch"):
        reply_codes.check(wrong)


@given(codes, st.integers(0, reply_codes.LENGTH - 2))
def test_every_adjacent_transposition_is_caught(code: str, position: int) -> None:
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    if swapped != code:
        assert not reply_codes.is_valid(swapped)


def test_every_substitution_and_swap_exhaustively_for_one_body() -> None:
    """Beside the sampled ones: all 6·28 substitutions and all swaps of a code using the alphabet's ends."""
    body = reply_codes.ALPHABET[0] + reply_codes.ALPHABET[-1] + reply_codes.ALPHABET[0] + "K7"
    code = body + reply_codes.check_character(body)
    for i in range(reply_codes.LENGTH):
        for c in reply_codes.ALPHABET:
            if c != code[i]:
                assert not reply_codes.is_valid(code[:i] + c + code[i + 1 :])
        for j in range(i + 1, reply_codes.LENGTH):
            if code[i] != code[j]:
                chars = list(code)
                chars[i], chars[j] = chars[j], chars[i]
                assert not reply_codes.is_valid("".join(chars))


@given(codes, st.sampled_from(["{}", "{} ", " {}", "{}\t"]), st.booleans(), st.sampled_from(["-", " ", "", " - "]))
def test_printed_and_typed_forms_read_back(code: str, frame: str, lower: bool, separator: str) -> None:
    printed = reply_codes.printed(code)
    assert printed == f"{code[:3]}-{code[3:]}"
    typed = frame.format(printed.replace("-", separator))
    assert reply_codes.check(typed.lower() if lower else typed) == code


def test_new_codes_are_valid_distinct_and_free_of_look_alikes() -> None:
    fresh = reply_codes.new_codes(5_000, taken={"ABCDEF"})
    assert len(set(fresh)) == 5_000
    assert "ABCDEF" not in fresh
    assert all(reply_codes.is_valid(c) for c in fresh)
    assert not set("".join(fresh)) & set("0O1ILUV")


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFG2", "K7M-Q2", "O0O-O0O", "ILU-V10"])
def test_impossible_codes_are_refused_with_one_german_sentence(typed: str) -> None:
    with pytest.raises(UserError) as err:
        reply_codes.check(typed)
    assert str(err.value).startswith(f"Den Code „{typed.strip()}“ gibt es nicht")
    assert "\n" not in str(err.value)


def test_the_module_stays_a_leaf() -> None:
    """The store imports reply_codes (the column default), so reply_codes imports nothing of the program
    but errors."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(reply_codes.__file__).read_text("utf-8"))
    ours = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert {m for m in ours if m.startswith("geschaeftsstelle")} == {"geschaeftsstelle.errors"}


# --------------------------------------------------------------------------- codes on invitations


def _office(db: Database, members: int = 30) -> int:
    import datetime as dt

    with db.transaction() as s:
        for n in range(members):
            m = Member(name=f"Verein {n}", street="", postal_code="", city="Jena", notes="", search_text="")
            s.add(m)
            s.flush()
            s.add(Contact(member_id=m.id, first_name=f"V{n}", last_name=f"N{n}", is_primary=True, search_text=""))
        start = dt.datetime(2030, 5, 6, 14)
        meeting = Meeting(title="Sitzung", starts_at=start, ends_at=start + dt.timedelta(hours=2), status="confirmed")
        s.add(meeting)
        s.flush()
        return meeting.id


def test_every_inviting_path_gives_a_valid_unique_code_and_find_by_code_reads_it(db: Database) -> None:
    meeting_id = _office(db)
    assert invitations.invite_all_members(db, meeting_id).added == 30
    guest = invitations.add_guest(db, meeting_id, "Gast Eins", "Presse")
    rows = invitations.invitees(db, meeting_id)
    assert len(rows) == 31
    assert len({r.reply_code for r in rows}) == 31
    assert all(reply_codes.is_valid(r.reply_code) for r in rows)
    for row in rows[:5] + [r for r in rows if r.id == guest]:
        typed = reply_codes.printed(row.reply_code).lower().replace("-", " ")
        found = invitations.find_by_code(db, typed)
        assert (found.id, found.name) == (row.id, row.name)
        assert invitations.meeting_of(db, row.id) == invitations.load_board(db, meeting_id).meeting  # one head


def test_find_by_code_refuses_a_wrong_check_character_before_any_lookup(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting_id = _office(db, 2)
    invitations.invite_all_members(db, meeting_id)
    code = invitations.invitees(db, meeting_id)[0].reply_code
    wrong = code[:5] + next(c for c in reply_codes.ALPHABET if c != code[5])

    def no_lookup() -> None:
        raise AssertionError("looked up")

    monkeypatch.setattr(db, "read", no_lookup)
    with pytest.raises(UserError, match="Prüfzeichen falsch"):
        invitations.find_by_code(db, wrong)


def test_an_unknown_valid_code_is_reported(db: Database) -> None:
    meeting_id = _office(db, 2)
    invitations.invite_all_members(db, meeting_id)
    taken = {r.reply_code for r in invitations.invitees(db, meeting_id)}
    (free,) = reply_codes.new_codes(1, taken)
    with pytest.raises(UserError, match=f"„{reply_codes.printed(free)}“ gibt es nicht"):
        invitations.find_by_code(db, free)


def test_a_colliding_code_is_drawn_anew(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bulk path checks its codes against the stored ones; a guest whose first code is taken gets another."""
    meeting_id = _office(db, 3)
    invitations.invite_all_members(db, meeting_id)
    taken = invitations.invitees(db, meeting_id)[0].reply_code
    spare = reply_codes.new_codes(60, {taken})
    drawn = iter([taken, taken, *spare[:10]])
    monkeypatch.setattr(reply_codes, "new_code", lambda: next(drawn))
    guest = invitations.add_guest(db, meeting_id, "Gast")
    assert invitations.load_row(db, guest).reply_code not in ("", taken)
    drawn = iter([taken, *spare[10:]])
    monkeypatch.setattr(reply_codes, "new_code", lambda: next(drawn))
    with db.transaction() as s:
        for n in range(3):
            s.add(Contact(first_name=f"X{n}", last_name="Neu", search_text=""))
    with db.read() as s:
        new_ids = list(s.scalars(select(Contact.id).where(Contact.last_name == "Neu")))
    assert invitations.invite_contacts(db, meeting_id, new_ids).added == 3
    codes = [r.reply_code for r in invitations.invitees(db, meeting_id)]
    assert len(set(codes)) == len(codes) == 7


# --------------------------------------------------------------------------- codes on paper


def _demo_meeting(db: Database) -> int:
    from geschaeftsstelle import exchange
    from geschaeftsstelle.demo import build_demo

    exchange.import_office(db, build_demo())
    with db.read() as s:
        return next(m.id for m in s.scalars(select(Meeting).order_by(Meeting.id)) if m.invitations)


def test_letters_and_reply_forms_print_each_invitees_code_and_qr_code(sqlite_db: Database) -> None:
    """Read back with pdfplumber: the letter's information block and the reply form carry the invitee's own
    code; the reply form's QR code stands right of the tick boxes, and its dark squares are exactly the
    modules ReportLab's encoder gives for the printed code."""
    from io import BytesIO

    import pdfplumber
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
    from reportlab.lib.units import mm

    from geschaeftsstelle.documents import invitations as letters
    from geschaeftsstelle.documents import reply_form
    from geschaeftsstelle.documents.page import PAGE_W

    meeting_id = _demo_meeting(sqlite_db)
    expected = {reply_codes.printed(r.reply_code) for r in invitations.invitees(sqlite_db, meeting_id) if r.addressee}
    pattern = re.compile(r"^[2-9A-Z]{3}-[2-9A-Z]{3}$")
    out = BytesIO()
    letters.invitation_letters(sqlite_db, meeting_id, out)
    with pdfplumber.open(out) as pdf:
        pages = pdf.pages
        forms = [p for p in pages if "Rückantwort / Anmeldung" in (p.extract_text() or "")]
        printed = []
        for form in forms:
            (shown,) = [w["text"] for w in form.extract_words() if pattern.match(w["text"])]
            printed.append(shown)
            letter_text = pages[pages.index(form) - 1].extract_text() or ""
            assert f"Ihr Rückmeldecode\n{shown}" in letter_text
        assert sorted(printed) == sorted(expected)
        for form, shown in list(zip(forms, printed, strict=True))[:8]:
            squares = [r for r in form.rects if r["x0"] >= PAGE_W - 40 * mm - 0.5 and r["x1"] <= PAGE_W - 20 * mm + 0.5]
            assert squares, "no QR code right of the tick boxes"
            words = form.extract_words()
            name_label = next(w for w in words if w["text"] == "Name")
            top, left = min(r["top"] for r in squares), min(r["x0"] for r in squares)
            # where reply_form puts it: its top QR_BELOW_NAME below the name field's, right edge at the margin
            assert abs(top - (name_label["bottom"] + reply_form.QR_BELOW_NAME)) < 4 * mm
            assert abs(max(r["x1"] for r in squares) - reply_form.QR_RIGHT) < 3 * mm
            qr = QRCode(1, QRErrorCorrectLevel.M)
            qr.addData(shown)
            qr.makeImpl(False, 0)
            n = qr.getModuleCount()
            unit = reply_form.QR_SIDE / (n + 4)
            drawn: set[tuple[int, int]] = set()
            for r in squares:  # each a run of dark modules in one row; (0, 0) is dark (a finder pattern)
                row = round((r["top"] - top) / unit)
                drawn.update(
                    (row, col) for col in range(round((r["x0"] - left) / unit), round((r["x1"] - left) / unit))
                )
            assert drawn == {(r, c) for r in range(n) for c in range(n) if qr.isDark(r, c)}


def test_the_code_template_field_prints_per_letter(sqlite_db: Database) -> None:
    from io import BytesIO

    import pdfplumber

    from geschaeftsstelle import letter_templates
    from geschaeftsstelle.documents import invitations as letters
    from geschaeftsstelle.store.models import LetterKind

    meeting_id = _demo_meeting(sqlite_db)
    codes = {reply_codes.printed(r.reply_code) for r in invitations.invitees(sqlite_db, meeting_id)}
    text = letter_templates.default_text(LetterKind.INVITATION) + "\n\nIhr Code für Rückfragen: {code}\n"
    assert letter_templates.check(text, LetterKind.INVITATION) == []
    out = BytesIO()
    letters.invitation_letters(sqlite_db, meeting_id, out, template=text, with_reply_form=False)
    with pdfplumber.open(out) as pdf:
        found = {
            line.split(": ", 1)[1].strip()
            for p in pdf.pages
            for line in (p.extract_text() or "").splitlines()
            if line.startswith("Ihr Code für Rückfragen:")
        }
    assert found
    assert found <= codes
    assert len(found) > 1


@given(codes)
def test_the_fast_qr_matrix_is_reportlabs_own(code: str) -> None:
    """reply_form.qr_modules computes only the codewords; the matrix equals ReportLab's full encoding."""
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

    from geschaeftsstelle.documents.reply_form import qr_modules

    shown = reply_codes.printed(code)
    qr = QRCode(1, QRErrorCorrectLevel.M)
    qr.addData(shown)
    qr.makeImpl(False, 0)
    assert qr_modules(shown) == [list(line) for line in qr.modules]


# --------------------------------------------------------------------------- on the command line


def test_reply_on_the_command_line(db: Database, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from geschaeftsstelle.cli import main

    meeting_id = _office(db, 3)
    invitations.invite_all_members(db, meeting_id)
    first, second, _ = invitations.invitees(db, meeting_id)
    assert main(["--db", db_url, "reply", "--code", reply_codes.printed(first.reply_code).lower(), "--accept",
                 "--persons", "2"]) == 0  # fmt: skip
    assert f"({reply_codes.printed(first.reply_code)}): Zusage (2 Pers.)." in capsys.readouterr().out
    assert main(["--db", db_url, "reply", "--code", second.reply_code, "--decline"]) == 0
    wrong = first.reply_code[:5] + next(c for c in reply_codes.ALPHABET if c != first.reply_code[5])
    assert main(["--db", db_url, "reply", "--code", wrong, "--accept"]) == 1
    assert "Prüfzeichen falsch" in capsys.readouterr().err
    stored = {r.id: r for r in invitations.invitees(db, meeting_id)}
    assert (stored[first.id].response, stored[first.id].persons) == ("accepted", 2)
    assert (stored[second.id].response, stored[second.id].persons) == ("declined", 0)


def test_the_reply_entry_reads_the_same_meeting_head_as_the_board(db: Database) -> None:
    """Rückmeldung erfassen shows what the board shows, members-only included."""
    meeting_id = _office(db, members=2)
    with db.transaction() as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.members_only = True
    invitations.invite_all_members(db, meeting_id)
    (row, _) = invitations.invitees(db, meeting_id)
    head = invitations.meeting_of(db, row.id)
    assert head == invitations.load_board(db, meeting_id).meeting
    assert head.members_only
