"""Reply import speed (issue 16: importing 2,000 form rows with preview ≤ 2 s).

A meeting with 2,000 invited contacts and an online-form export answering for each of them (CSV and
XLSX, German headers). Measured: reading the file plus the preview (matching every row), and the
one-transaction apply, each on a fresh copy. Run alone it uses a new SQLite file, or with `--db URL` a
throw-away database on that PostgreSQL server. Prints one JSON line per figure (bench/common.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from common import emit, throwaway_opened
from sqlalchemy import select

from geschaeftsstelle import invitations, reply_import
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Meeting, Member

ROWS = 2_000
TARGET_S = 2.0
HEADERS = [
    "ID", "Startzeit", "Fertigstellungszeit", "Vorname", "Nachname", "E-Mail-Adresse", "Organisation",
    "Nehmen Sie teil?", "Anzahl der Personen", "Namen der Begleitpersonen", "Verpflegung", "Anmerkungen",
]  # fmt: skip
ANSWERS = ["Ja, ich nehme teil", "Nein, leider nicht", "vielleicht", "Zusage"]


def fill(db: Database, rows: int) -> int:
    """A meeting with `rows` invited contacts (one member); the meeting's id."""
    with db.transaction() as s:
        meeting = Meeting(title="Fachtag", starts_at=dt.datetime(2030, 9, 1, 10), ends_at=dt.datetime(2030, 9, 1, 16))
        member = Member(name="Landesverband", street="", postal_code="", city="", notes="", search_text="")
        s.add_all([meeting, member])
        s.flush()
        s.execute(
            Contact.__table__.insert(),
            [{"member_id": member.id, "first_name": f"Vorname{i}", "last_name": f"Nachname{i}",
              "email": f"person{i}@example.org", "is_primary": False, "salutation": "", "title": "", "role": "",
              "needs": "", "notes": "", "search_text": "", "version": 1} for i in range(rows)],
        )  # fmt: skip
        ids = list(s.scalars(select(Contact.id).where(Contact.member_id == member.id)))
        meeting_id = meeting.id
    invitations.invite_contacts(db, meeting_id, ids)
    return meeting_id


def form_rows(rows: int) -> list[list[object]]:
    start = dt.datetime(2030, 5, 2, 9)
    return [
        [i + 1, start + dt.timedelta(minutes=i), start + dt.timedelta(minutes=i, seconds=90), f"Vorname{i}",
         f"Nachname{i}", f"person{i}@example.org", "Landesverband", ANSWERS[i % 4], 1 + i % 3 if i % 4 != 1 else None,
         "Begleitung Eins" if i % 3 == 1 else "", "vegetarisch" if i % 5 == 0 else "", ""]
        for i in range(rows)
    ]  # fmt: skip


def write_csv(path: Path, rows: int) -> None:
    lines = [";".join(HEADERS)]
    for r in form_rows(rows):
        lines.append(";".join("" if v is None else str(v) for v in r))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def write_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADERS)
    for r in form_rows(rows):
        ws.append(r)
    wb.save(path)


def measure(pg_url: str | None, runs: int, rows: int) -> None:
    backend = "postgresql" if pg_url else "sqlite"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {"csv": folder / "anmeldungen.csv", "xlsx": folder / "anmeldungen.xlsx"}
        write_csv(files["csv"], rows)
        write_xlsx(files["xlsx"], rows)
        for kind, path in files.items():
            previews, applies = [], []
            for _ in range(runs):
                with throwaway_opened(pg_url, folder, "gs_bench_replies") as db:
                    meeting_id = fill(db, rows)
                    started = time.perf_counter()
                    result = reply_import.read_preview(db, meeting_id, path)
                    previews.append(time.perf_counter() - started)
                    assert len(result.matched) == rows, result.summary()
                    started = time.perf_counter()
                    reply_import.apply_import(db, result)
                    applies.append(time.perf_counter() - started)
            preview_s, apply_s = statistics.median(previews), statistics.median(applies)
            emit(f"reply_import_preview_{kind}_{rows}", preview_s, TARGET_S, backend=backend)
            emit(f"reply_import_apply_{kind}_{rows}", apply_s, None, backend=backend)
            emit(f"reply_import_total_{kind}_{rows}", preview_s + apply_s, TARGET_S, backend=backend)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="PostgreSQL server URL (a throw-away database is made there)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    measure(args.db, args.runs, args.rows)


if __name__ == "__main__":
    main()
