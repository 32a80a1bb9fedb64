"""Speed of the meeting work on a 2,000-invitee meeting in a temporary SQLite database.

Prints one JSON line per figure: {"name": ..., "measured_s": ..., "target_s": ...}; best of a few runs.
Run: .venv/bin/python bench/bench_meetings.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import insert_members
from sqlalchemy import insert

from geschaeftsstelle import invitations as inv
from geschaeftsstelle import planning
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Meeting, Response
from geschaeftsstelle.store.opening import open_database

INVITEES = 2000


def build(db: Database) -> int:
    with db.transaction() as s:
        member_ids = insert_members(s, INVITEES)
        contacts = [{"member_id": mid, "first_name": f"Vorname{i}", "last_name": f"Nachname{i}", "is_primary": True,
                     "email": f"p{i}@example.org"} for i, mid in enumerate(member_ids)]  # fmt: skip
        contact_ids = list(s.scalars(insert(Contact).returning(Contact.id), contacts))
        meeting = Meeting(title="Große Regionalkonferenz", starts_at=dt.datetime(2030, 6, 1, 10),
                          ends_at=dt.datetime(2030, 6, 1, 16), capacity=500)  # fmt: skip
        s.add(meeting)
        s.flush()
        responses = [r.value for r in Response]
        s.execute(
            insert(Invitation),
            [{"meeting_id": meeting.id, "contact_id": cid, "response": responses[i % 4], "persons": 1 + i % 3,
              "attendee_names": [], "diet": "vegetarisch" if i % 5 == 0 else "", "assistance": "",
              "notes": ""} for i, cid in enumerate(contact_ids)],
        )  # fmt: skip
        return meeting.id


def best(fn: Callable[[], object], runs: int = 5) -> tuple[float, float]:
    """Best and median of `runs` timings: the best is the program's speed, the median shows machine load."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def report(name: str, measured: tuple[float, float], target: float) -> None:
    fastest, median = measured
    print(json.dumps({"name": name, "measured_s": round(fastest, 4), "target_s": target, "median_s": round(median, 4)}))


def window_figures(db: Database, meeting_id: int) -> None:
    """The same on screen: the board window opened and painted, and one reply key with the repaint."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.meetings.board import RsvpBoard

    app = QApplication.instance() or QApplication([])
    RsvpBoard(db, meeting_id).close()  # first window pays for fonts and styles once

    def open_window() -> None:
        board = RsvpBoard(db, meeting_id)
        board.show()
        app.processEvents()
        board.close()

    report("rsvp_board_window_open_2000", best(open_window), 0.3)
    board = RsvpBoard(db, meeting_id)
    board.show()
    app.processEvents()
    responses = [Response.TENTATIVE.value, Response.ACCEPTED.value]

    def reply_key() -> None:
        row = board.model.row_at(7)
        board.set_response(row, responses[row.version % 2])
        app.processEvents()

    report("rsvp_board_reply_key_with_repaint", best(reply_key, 10), 0.03)
    board.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.sqlite")
        try:
            meeting_id = build(db)

            def open_board() -> None:
                board = inv.load_board(db, meeting_id)
                inv.summarize(board.meeting, board.rows)
                inv.catering_summary(board.rows)

            report("rsvp_board_open_2000", best(open_board), 0.3)
            board = inv.load_board(db, meeting_id)
            rows = {"row": board.rows[1000]}
            responses = [Response.ACCEPTED.value, Response.DECLINED.value]

            def save_reply() -> None:
                rows["row"] = inv.set_response(db, rows["row"], responses[rows["row"].version % 2])

            report("save_one_reply", best(save_reply, 10), 0.03)
            summary_time = best(lambda: inv.summarize(board.meeting, board.rows), 10)
            report("header_figures_2000", summary_time, 0.05)

            def plan_year() -> None:
                planning._holidays.cache_clear()
                dates = planning.expand_rule("FREQ=MONTHLY;BYDAY=+2WE", 2031)
                planning.mark_holidays(dates, "TH")

            report("year_planning_12_dates", best(plan_year), 0.1)
            window_figures(db, meeting_id)
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
