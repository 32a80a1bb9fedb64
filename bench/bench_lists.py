"""Lists many desks open all day, and inviting everyone, on the big office (issue 14).

Figures (one JSON line each, see bench/common.py): the contacts view's first paint at 20,000 contacts
(150 ms; `list_contacts` alone is in bench_data) and one search keystroke over all of them (50 ms), the
Termine list's figures for all 600 meetings (`list_meeting_rows`, 50 ms) before and after the invitations
double (it should stay flat), and inviting all 5,000 members to a new meeting (300 ms). On PostgreSQL
also: temporary file blocks the list queries write (target 0; EXPLAIN ANALYZE of the very statements the
services send) and two desks inviting everyone to one meeting at the same moment (both must succeed,
nobody invited twice).

Uses $GESCHAEFTSSTELLE_BENCH_DB (a copy handed over by run_all, or --db); writes into it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import ROOT, backend_label, bench_database, emit, emit_value, median_time
from qt_views import show_until_painted, type_key
from sqlalchemy import event, func, select, text

from geschaeftsstelle import invitations, meetings, members
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import Contact, Invitation, Meeting, Member, Response
from geschaeftsstelle.store.opening import open_database

LIST_TARGET_S = 0.15
KEY_TARGET_S = 0.05
MEETINGS_TARGET_S = 0.05
INVITE_TARGET_S = 0.3
TYPED = "müller"  # one key at a time, over all 20,000 contacts


@contextmanager
def statements(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with parameters) the services send while the block runs."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def temp_blocks(db: Database, queries: list[tuple[str, Any]]) -> tuple[int, list[str]]:
    """Temporary file blocks the SELECTs write, from EXPLAIN (ANALYZE, BUFFERS); and the plan lines that
    mention a sort or the disk (for the reader of the bench output)."""
    written, notes = 0, []
    with db.engine.connect() as conn:
        for statement, parameters in queries:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).scalars().all()
            for line in plan:
                if "temp" in line and "written=" in line:
                    written += int(line.split("written=")[1].split()[0])
                if "Sort Method" in line or "Disk" in line or "Index Scan using ix_contacts" in line:
                    notes.append(line.strip().split("  (")[0])
    return written, notes


def plan_figures(db: Database, label: str) -> None:
    """The plans of the very statements behind the two lists (list_contacts reads through the driver)."""
    with statements(db) as seen:
        meetings.list_meeting_rows(db)
    contacts = members.contact_list_query().compile(db.engine, compile_kwargs={"literal_binds": True})
    for name, queries in (("list_contacts", [(str(contacts), {})]), ("list_meeting_rows", seen)):
        written, notes = temp_blocks(db, queries)
        emit_value(f"temp file blocks written by {name} (EXPLAIN ANALYZE)", written, None, "blocks",
                   backend=label, plan="; ".join(notes) or "no sort")  # fmt: skip


def view_figures(db: Database, label: str, runs: int) -> None:
    """The contacts view as the main window builds it: its first paint, the moment the whole list is in it
    (it reads the rest after that first paint), then one keystroke of search right after that."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.app import make_application
    from ui.contacts_view import ContactsView

    make_application()
    total = len(members.list_contacts(db))

    def open_view() -> tuple[ContactsView, float, float]:
        started = time.perf_counter()
        view = ContactsView(db)
        show_until_painted(view)
        painted = time.perf_counter() - started
        while view.model.rowCount() < total:
            QApplication.processEvents()
        return view, painted, time.perf_counter() - started

    open_view()[0].close()  # fonts and styles once, as any window before it would have
    painted, complete = [], []
    for _ in range(runs):
        view, first, whole = open_view()
        painted.append(first)
        complete.append(whole)
        view.close()
    emit("contacts view first paint (big office)", statistics.median(painted), LIST_TARGET_S, backend=label,
         rows=total)  # fmt: skip
    emit("contacts view with the whole list (big office)", statistics.median(complete), None, backend=label)
    view = open_view()[0]
    slowest = 0.0
    for ch in TYPED:
        started = time.perf_counter()
        type_key(view.search, ch)
        view.table.viewport().repaint()
        slowest = max(slowest, time.perf_counter() - started)
    emit(f"contacts search keystroke over {total:,} (slowest of {len(TYPED)})", slowest, KEY_TARGET_S,
         backend=label, shown=view.proxy.rowCount())  # fmt: skip
    view.close()


def double_invitations(db: Database) -> int:
    """As many invitations again, spread over the same meetings and random replies (ten more years of use)."""
    from geschaeftsstelle.member_import import _insert_many

    rnd = random.Random(14)
    with db.read() as s:
        taken = set(s.execute(select(Invitation.meeting_id, Invitation.contact_id)).all())
        meeting_ids = list(s.scalars(select(Meeting.id)))
        contact_ids = list(s.scalars(select(Contact.id)))
    per_meeting = len(taken) // len(meeting_ids)
    responses = [r.value for r in Response]
    rows = []
    for meeting_id in meeting_ids:
        for contact_id in rnd.sample(contact_ids, per_meeting):
            if (meeting_id, contact_id) not in taken:
                response = rnd.choice(responses)
                rows.append({"meeting_id": meeting_id, "contact_id": contact_id, "response": response,
                             "persons": rnd.randint(1, 3) if response == "accepted" else 1, "attendee_names": [],
                             "assistance": "", "diet": "", "notes": "", "version": 1})  # fmt: skip
    started = time.perf_counter()
    with db.transaction() as s:
        s.info["audit"] = False
        _insert_many(s, Invitation.__table__, rows)  # type: ignore[arg-type]
    emit(f"{len(rows):,} invitations written at once (counted by the triggers)", time.perf_counter() - started,
         None, backend=backend_label())  # fmt: skip
    if not db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE invitations")  # what autovacuum does after such growth
    return len(rows)


def check_counters(db: Database, label: str) -> None:
    """After the bulk growth (executemany or COPY): the counters equal a fresh count, meeting by meeting."""
    with db.read() as s:
        counted = {(m, r): (n, p) for m, r, n, p in s.execute(
            select(Invitation.meeting_id, Invitation.response, func.count(), func.sum(Invitation.persons))
            .group_by(Invitation.meeting_id, Invitation.response))}  # fmt: skip
    by_meeting = {row.id: row for row in meetings.list_meeting_rows(db)}
    wrong = 0
    for meeting_id, row in by_meeting.items():
        kept = {"open": row.open, "accepted": row.accepted, "declined": row.declined, "tentative": row.tentative}
        wrong += any(counted.get((meeting_id, r), (0, 0))[0] != n for r, n in kept.items())
        wrong += counted.get((meeting_id, "accepted"), (0, 0))[1] != row.persons
    emit_value("meetings whose counters differ from a fresh count (target 0)", wrong, 0, "meetings", backend=label)


def invitation_count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Invitation)) or 0)


def new_meeting(db: Database, day: int) -> int:
    start = dt.datetime(2040, 1, 1, 10) + dt.timedelta(days=day)
    return meetings.save_meeting(
        db, meetings.MeetingInput(title=f"Mitgliederversammlung {day}", starts_at=start, ends_at=start)
    )


def at_once(desk: Callable[[], None], desks: int) -> float:
    """Seconds until `desks` threads, each running `desk`, have all finished (started together)."""
    threads = [threading.Thread(target=desk) for _ in range(desks)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def two_desks_invite_all(db: Database, label: str) -> None:
    """Two desks press „Alle Mitglieder einladen“ for the same meeting at the same moment."""
    meeting_id = new_meeting(db, 999)
    start = threading.Barrier(2)
    results: list[invitations.InviteResult] = []
    errors: list[BaseException] = []

    def desk() -> None:
        start.wait()
        try:
            results.append(invitations.invite_all_members(db, meeting_id))
        except BaseException as exc:  # a desk that fails is the figure
            errors.append(exc)

    took = at_once(desk, 2)
    with db.read() as s:
        stored = s.scalar(select(func.count()).where(Invitation.meeting_id == meeting_id))
    emit("two desks invite all members to one meeting at once", took, None, backend=label,
         failed=len(errors), added=sorted(r.added for r in results),
         already=sorted(len(r.already) for r in results), stored=stored)  # fmt: skip


def twelve_desks(db: Database, label: str, rounds: int = 3) -> None:
    """Twelve desks refreshing the contacts and the Termine lists at once: the temporary files PostgreSQL
    wrote meanwhile (pg_stat_database; each backend reports when it closes). The time is that of twelve
    threads in this one process on this machine, so mostly Python, not the server."""

    def temp_bytes() -> int:
        db.engine.dispose()  # closed backends have reported their statistics
        with db.engine.connect() as conn:
            return int(
                conn.exec_driver_sql(
                    "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()"
                ).scalar()
                or 0
            )

    def desk() -> None:
        for _ in range(rounds):
            members.list_contacts(db)
            meetings.list_meeting_rows(db)

    before = temp_bytes()
    took = at_once(desk, 12)
    emit_value(f"temp files of 12 desks refreshing both lists {rounds}x (target 0)", (temp_bytes() - before) / 1e6,
               None, "MB", backend=label, seconds=round(took, 2))  # fmt: skip


def counted_meeting_rows(db: Database) -> list[tuple[Any, ...]]:
    """The Termine list's figures as read before migration 0005 (for the comparison): counted per meeting
    and reply from ix_invitations_meeting_response on every refresh."""
    counts = select(
        Invitation.meeting_id, Invitation.response, func.count(), func.coalesce(func.sum(Invitation.persons), 0)
    ).group_by(Invitation.meeting_id, Invitation.response)
    meeting_rows = select(Meeting.id, Meeting.starts_at, Meeting.title).order_by(Meeting.starts_at, Meeting.id)
    with db.read() as s:
        conn = s.connection()
        rows = conn.execute(meeting_rows).all()
        figures: dict[int, list[tuple[str, int, int]]] = {}
        for meeting_id, response, number, persons in conn.execute(counts):
            figures.setdefault(meeting_id, []).append((response, number, persons))
    return [(*row, figures.get(row[0], [])) for row in rows]


def contacts_before(db: Database) -> list[Any]:
    """list_contacts before this change: members through SQLAlchemy rows, the cyclic collector running."""
    with db.read() as s:
        conn = s.connection()
        member_of = {m: (n, c) for m, n, c in conn.execute(select(Member.id, Member.name, Member.city)).all()}
        rows = members._driver_rows(conn, members.contact_list_query())
    return members._contact_rows(rows, member_of)


@contextmanager
def old_index(db: Database) -> Iterator[None]:
    """ix_invitations_meeting_response as it was until 0005, while the old count is measured."""
    with db.transaction() as s:
        s.execute(text("CREATE INDEX ix_old_meeting_response ON invitations (meeting_id, response, persons)"))
    try:
        yield
    finally:
        with db.transaction() as s:
            s.execute(text("DROP INDEX ix_old_meeting_response"))


def alternately(label: str, name: str, before: Any, after: Any, runs: int, target: float | None) -> float:
    """Old and new one after the other in each round (the machine's load hits both alike); medians, ratio."""
    old, new = [], []
    for _ in range(runs):
        for action, times in ((before, old), (after, new)):
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
    emit(name, statistics.median(new), target, backend=label, before_s=round(statistics.median(old), 4),
         ratio=round(statistics.median(new) / statistics.median(old), 3), fastest_s=round(min(new), 4))  # fmt: skip
    return statistics.median(new)


def measure(source: str, runs: int) -> None:
    label = backend_label()
    db = open_database(source)
    try:
        view_figures(db, label, runs)  # list_contacts alone: bench_data
        contacts = f"list_contacts ({len(members.list_contacts(db)):,} rows), before and now"
        alternately(label, contacts, lambda: contacts_before(db), lambda: members.list_contacts(db), runs * 2,
                    LIST_TARGET_S)  # fmt: skip
        before = invitation_count(db)
        shown = len(meetings.list_meeting_rows(db))
        with old_index(db):
            first = alternately(label, f"list_meeting_rows ({shown} meetings, {before:,} invitations), counted before",
                                lambda: counted_meeting_rows(db), lambda: meetings.list_meeting_rows(db), runs * 2,
                                MEETINGS_TARGET_S)  # fmt: skip
        if not db.is_sqlite:
            twelve_desks(db, label)
            plan_figures(db, label)
        meeting_ids: list[int] = []
        took = median_time(
            lambda: invitations.invite_all_members(db, meeting_ids[-1]),
            runs,
            setup=lambda: meeting_ids.append(new_meeting(db, len(meeting_ids))),
        )
        with db.read() as s:
            invited = s.scalar(select(func.count()).where(Invitation.meeting_id == meeting_ids[-1]))
        emit("invite all members to a new meeting", took, INVITE_TARGET_S, backend=label, invited=invited)
        if not db.is_sqlite:
            two_desks_invite_all(db, label)
        added = double_invitations(db)
        after = invitation_count(db)
        with old_index(db):
            second = alternately(label, f"list_meeting_rows ({shown} meetings, {after:,} invitations), counted before",
                                 lambda: counted_meeting_rows(db), lambda: meetings.list_meeting_rows(db), runs * 2,
                                 MEETINGS_TARGET_S)  # fmt: skip
        emit_value("list_meeting_rows growth with the invitations (now)", second / first, None, "x", backend=label,
                   added=added)  # fmt: skip
        check_counters(db, label)
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="the big office (SQLite path or URL); default $GESCHAEFTSSTELLE_BENCH_DB")
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median)")
    args = parser.parse_args()
    source = args.db or bench_database()
    if "://" in source:
        measure(source, args.runs)
        return
    with tempfile.TemporaryDirectory(prefix="gs-bench-db-") as tmp:  # never write into the cached office
        copy = Path(tmp) / "office.sqlite"
        shutil.copyfile(source, copy)
        measure(str(copy), args.runs)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
