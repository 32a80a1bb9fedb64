"""Recording replies by code (issue 16.1): Enter to saved in „Rückmeldung erfassen“ (target ≤ 30 ms), and
inviting 2,000 members now that every invitation draws a reply code.

A temporary SQLite database, or PostgreSQL with `--db postgresql+psycopg://…` (an empty scratch database).
Prints one JSON line per figure: {"name": ..., "measured_s": ..., "target_s": ...}, the median of the runs.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_reply_entry.py [--db URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import insert_members
from sqlalchemy import delete, insert

from geschaeftsstelle import invitations as inv
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Meeting
from geschaeftsstelle.store.opening import open_database

MEMBERS = 2000
REPLIES = 200


def build(db: Database) -> int:
    with db.transaction() as s:
        member_ids = insert_members(s, MEMBERS)
        contacts = [{"member_id": mid, "first_name": f"Vorname{i}", "last_name": f"Nachname{i}", "is_primary": True,
                     "search_text": ""} for i, mid in enumerate(member_ids)]  # fmt: skip
        s.execute(insert(Contact), contacts)
        start = dt.datetime(2030, 6, 1, 10)
        meeting = Meeting(title="Regionalkonferenz", starts_at=start, ends_at=start + dt.timedelta(hours=6))
        s.add(meeting)
        s.flush()
        return meeting.id


def line(name: str, times: list[float], target: float | None) -> None:
    print(json.dumps({"name": name, "measured_s": round(statistics.median(times), 4),
                      "p95_s": round(sorted(times)[int(len(times) * 0.95) - 1], 4), "target_s": target}))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="PostgreSQL URL of an empty scratch database (default: temporary SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(args.db or Path(tmp) / "bench.sqlite")
        meeting_id = build(db)
        invite = []
        for _ in range(5):  # inviting all members: codes drawn, checked against the stored ones, inserted
            with db.transaction() as s:
                s.execute(delete(Invitation).where(Invitation.meeting_id == meeting_id))
            started = time.perf_counter()
            assert inv.invite_all_members(db, meeting_id).added == MEMBERS
            invite.append(time.perf_counter() - started)
        line(f"invite_all_members ({MEMBERS}, with reply codes)", invite, None)

        from ui.app import make_application
        from ui.meetings.reply_entry import ReplyEntryDialog

        make_application()
        dialog = ReplyEntryDialog(db)
        saves = []
        for row in inv.invitees(db, meeting_id)[:REPLIES]:
            dialog.code.setText(row.reply_code)
            assert dialog.look_up()
            assert dialog.save()
            saves.append(dialog.last_save_seconds)
        line("reply entry: Enter to saved", saves, 0.030)
        db.dispose()


if __name__ == "__main__":
    main()
