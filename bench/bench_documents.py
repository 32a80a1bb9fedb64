"""Document speed: the figures of issue 5, each from the database to the finished PDF file.

- 1,000 personalised invitation letters (two pages each: letter and reply form) in one PDF, target ≤ 5 s;
- an attendance list of 2,000 rows, target ≤ 3 s, and of 5,000 rows, target ≤ 2.5 × the 2,000-row time
  (it must grow linearly, which one giant ReportLab `Table` would not);
- each compared with a bare ReportLab canvas script that writes the same text with the same embedded font
  (no layout engine, no database): the ratio says what the layout costs.

Three meetings (1,000 invitees; 2,000 and 5,000 accepted persons) are added to the database: a new temp
SQLite file, or the copy of the big office that bench/run_all.py hands over in $GESCHAEFTSSTELLE_BENCH_DB
(SQLite or PostgreSQL), or `--db`. Prints one JSON object per line (wall and CPU seconds; on a shared
machine the CPU time shows what the code itself costs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from geschaeftsstelle import letter_templates
from geschaeftsstelle.documents import attendance_list, fonts, invitations
from geschaeftsstelle.documents.letter_values import PROGRAMME_MARK, template_values
from geschaeftsstelle.documents.meeting_data import MeetingData, load_meeting
from geschaeftsstelle.documents.text import date_de
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import AgendaItem, Contact, Invitation, LetterKind, Meeting, Office, Venue
from geschaeftsstelle.store.opening import open_database

LETTERS = 1_000
ROWS_SMALL, ROWS_LARGE = 2_000, 5_000
FIRST = ["Anna", "Jörg", "Ulrike", "Łukasz", "Kim", "Sören", "Nguyễn Thị", "Özlem", "Ελένη", "Иван"]
LAST = ["Müller", "Schäfer", "Größer", "Wiśniewski", "Muster", "Öztürk", "Minh", "Becker", "Παπαδοπούλου", "Петров"]
BENCH_DB_ENV = "GESCHAEFTSSTELLE_BENCH_DB"
SALUTATIONS = ["Frau", "Herr", "", "Frau", "Herr"]
REPLY_LABELS = ("nehme teil", "nehme nicht teil", "Anzahl Personen", "Namen der Teilnehmenden", "Assistenzbedarf",
                "Verpflegung", "Ort, Datum", "Unterschrift")  # fmt: skip


OFFICE = {
    "name": "Paritätische Kreisgruppe Weimar/Weimarer Land", "street": "Erfurter Straße 12", "postal_code": "99423",
    "city": "Weimar", "phone": "03643 123456", "fax": "03643 123457", "email": "kreisgruppe@example.org",
    "bank_name": "Sparkasse Jena Saale-Holzland", "iban": "DE82830530300018009220", "bic": "HELADEF1JEN",
    "signatory": "Andrea Lindner", "signatory_role": "Regionalleiterin", "state": "TH",
}  # fmt: skip
AGENDA = ((dt.time(10, 0), "Begrüßung"), (dt.time(10, 15), "Aktuelles aus dem Landesverband"), (None, "Verschiedenes"))


def add_bench_data(db: Database, letters: int, rows_small: int, rows_large: int) -> tuple[int, int, int]:
    """Three meetings in an empty or an existing office: 1,000 open invitations, then 2,000 and 5,000
    accepted persons (named, up to five per invitation) for the attendance lists. Returns the meeting ids."""
    with db.transaction() as s:
        if s.get(Office, 1) is None:
            s.add(Office(id=1, **OFFICE))
        venue = Venue(name="Gutshof Stötteritz e.V.", street="Oberdorfstraße 15", postal_code="04599", city="Leipzig")
        contacts = [
            Contact(
                salutation=SALUTATIONS[i % 5],
                title="Dr." if i % 7 == 0 else "",
                first_name=FIRST[i % 10],
                last_name=f"{LAST[(i // 10) % 10]}-{i}",
                organisation=f"Sozialwerk {LAST[i % 10]} Nr. {i} e. V.",
                street=f"Marktstraße {i % 200 + 1}",
                postal_code="99423",
                city="Weimar",
            )
            for i in range(letters)
        ]
        s.add(venue)
        s.add_all(contacts)

        def meeting(day: int) -> Meeting:
            m = Meeting(
                title="Kreisgruppensitzung", kind="meeting", status="confirmed", venue=venue,
                starts_at=dt.datetime(2031, 3, day, 10), ends_at=dt.datetime(2031, 3, day, 13),
                topic="Integration der Geflüchteten", registration_deadline=dt.date(2031, 2, day),
                registration_contact="kreisgruppe@example.org", members_only=True, catering="Kaffee und Kuchen",
            )  # fmt: skip
            m.agenda = [AgendaItem(position=n, time=t, title=title) for n, (t, title) in enumerate(AGENDA)]
            s.add(m)
            return m

        def accept(m: Meeting, total: int) -> None:
            per = -(-total // letters)
            for i, contact in enumerate(contacts):
                n = min(per, total - i * per)
                if n <= 0:
                    break
                names = [f"{FIRST[(i + k) % 10]} {LAST[k % 10]} {i}-{k}" for k in range(n)]
                s.add(Invitation(meeting=m, contact=contact, response="accepted", persons=n, attendee_names=names))

        t1, t2, t3 = meeting(10), meeting(11), meeting(12)
        for contact in contacts:
            s.add(Invitation(meeting=t1, contact=contact, response="open", persons=1))
        accept(t2, rows_small)
        accept(t3, rows_large)
        s.flush()
        return t1.id, t2.id, t3.id


def timed(action: Callable[[], object]) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds: on a shared machine the CPU time shows what the code itself costs."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - started, time.process_time() - cpu, result


def bare_letters(path: Path, meeting: MeetingData, office_name: str) -> None:
    """What a hand-written canvas script does for the same letters: every line drawn, wrapped, no layout engine."""
    fonts.register()
    values = template_values(meeting, _office_stub(office_name))
    paragraphs = [
        p
        for p in letter_templates.fill(invitations.default_template(), LetterKind.INVITATION, values)
        if p != PROGRAMME_MARK
    ]
    height = A4[1]
    c = Canvas(str(path), pagesize=A4, initialFontName=fonts.SANS, pageCompression=1)
    for inv in meeting.invitees:
        a = inv.addressee
        assert a is not None
        c.setFont(fonts.SANS_BOLD, 15)
        c.drawString(25 * mm, height - 20 * mm, office_name)
        c.setFont(fonts.SANS, 10)
        y = height - 62.7 * mm
        for line in a.address_lines():
            c.drawString(25 * mm, y, line)
            y -= 12.5
        y = height - 98.5 * mm
        lines = [f"Einladung: {meeting.title} am {date_de(meeting.starts_at.date())}", a.greeting()]
        for p in paragraphs:
            lines += simpleSplit(p, fonts.SANS, 10.5, 165 * mm)
        lines += [
            (f"{item.time:%H:%M} Uhr  " if item.time else "") + f"TOP {n}: {item.title}"
            for n, item in enumerate(meeting.agenda, 1)
        ]
        lines += ["Mit freundlichen Grüßen", "Andrea Lindner", "Regionalleiterin"]
        c.setFont(fonts.SANS, 10.5)
        for line in lines:
            if y < 25 * mm:
                c.showPage()
                c.setFont(fonts.SANS, 10.5)
                y = height - 40 * mm
            c.drawString(25 * mm, y, line)
            y -= 14
        c.showPage()
        c.setFont(fonts.SANS_BOLD, 15)
        c.drawString(25 * mm, height - 40 * mm, "Rückantwort / Anmeldung")
        c.setFont(fonts.SANS, 10)
        y = height - 60 * mm
        for line in (meeting.title, a.person, a.organisation, *REPLY_LABELS):
            c.drawString(25 * mm, y, line)
            y -= 12 * mm
        c.showPage()
    c.save()


def bare_attendance(path: Path, meeting: MeetingData) -> None:
    """The same rows drawn with drawString and lines, 23 to a page, header on every page."""
    fonts.register()
    rows = attendance_list.attendees(meeting) + [attendance_list.Attendee("", "", "")] * 10
    width, height = A4
    c = Canvas(str(path), pagesize=A4, initialFontName=fonts.SANS, pageCompression=1)
    per_page = 23
    pages = -(-len(rows) // per_page)
    for page in range(pages):
        c.setFont(fonts.SANS_BOLD, 14)
        c.drawString(15 * mm, height - 25 * mm, f"Teilnehmerliste: {meeting.title}")
        c.setFont(fonts.SANS_BOLD, 9)
        y = height - 50 * mm
        for x, label in ((16, "Nr."), (26, "Name"), (81, "Organisation"), (146, "Unterschrift")):
            c.drawString(x * mm, y, label)
        c.setFont(fonts.SANS, 9)
        for i, row in enumerate(rows[page * per_page : (page + 1) * per_page], start=page * per_page + 1):
            y -= 10 * mm
            c.drawString(16 * mm, y, str(i))
            c.drawString(26 * mm, y, row.name)
            c.drawString(81 * mm, y, row.organisation)
            c.line(15 * mm, y - 3 * mm, width - 15 * mm, y - 3 * mm)
        c.drawRightString(width - 15 * mm, 15 * mm, f"Seite {page + 1} von {pages}")
        c.showPage()
    c.save()


def _office_stub(name: str) -> Office:
    return Office(name=name, email="kreisgruppe@example.org", fax="03643 123457", phone="03643 123456")


def line(name: str, measured: tuple[float, float], target: float | None, **extra: object) -> None:
    wall, cpu = measured
    record = {"name": name, "measured_s": round(wall, 3), "target_s": target, "cpu_s": round(cpu, 3), **extra}
    print(json.dumps(record, ensure_ascii=False), flush=True)


def run(db: Database, folder: Path, letters: int, rows_small: int, rows_large: int) -> None:
    started = time.perf_counter()
    t1, t2, t3 = add_bench_data(db, letters, rows_small, rows_large)
    print(f"# data added in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    wall, cpu, pages = timed(lambda: invitations.invitation_letters(db, t1, folder / "letters.pdf"))
    line(f"{letters} invitation letters with reply forms", (wall, cpu), round(5.0 * letters / LETTERS, 3), pages=pages)
    office, meeting = load_meeting(db, t1)
    b_wall, b_cpu, _ = timed(lambda: bare_letters(folder / "letters-bare.pdf", meeting, office.name))
    line(f"bare canvas: same text of {letters} letters", (b_wall, b_cpu), None, ratio=round(cpu / b_cpu, 2))

    s_wall, s_cpu, pages = timed(lambda: attendance_list.attendance_list(db, t2, folder / "att-small.pdf"))
    _office, small = load_meeting(db, t2)
    assert len(attendance_list.attendees(small)) == rows_small
    line(f"attendance list {rows_small} rows", (s_wall, s_cpu), round(3.0 * rows_small / ROWS_SMALL, 3), pages=pages)
    b_wall, b_cpu, _ = timed(lambda: bare_attendance(folder / "att-small-bare.pdf", small))
    line(f"bare canvas: attendance list {rows_small} rows", (b_wall, b_cpu), None, ratio=round(s_cpu / b_cpu, 2))

    l_wall, l_cpu, pages = timed(lambda: attendance_list.attendance_list(db, t3, folder / "att-large.pdf"))
    line(
        f"attendance list {rows_large} rows",
        (l_wall, l_cpu),
        round(rows_large / rows_small * s_wall, 3),
        pages=pages,
        growth_cpu=round(l_cpu / s_cpu, 2),
        rows_ratio=round(rows_large / rows_small, 2),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--db", default=os.environ.get(BENCH_DB_ENV), help=f"database path or URL (default: ${BENCH_DB_ENV} as "
        "bench/run_all.py sets it, else a new SQLite file in a temp folder); three meetings are added to it",
    )  # fmt: skip
    parser.add_argument("--letters", type=int, default=LETTERS)
    parser.add_argument("--rows", type=int, nargs=2, default=(ROWS_SMALL, ROWS_LARGE), metavar=("SMALL", "LARGE"))
    args = parser.parse_args()
    rows_small, rows_large = args.rows
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(args.db or folder / "bench.sqlite")
        try:
            run(db, folder, args.letters, rows_small, rows_large)
        finally:
            db.engine.dispose()


if __name__ == "__main__":
    main()
