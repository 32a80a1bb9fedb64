"""Child process for the kill tests: writes to a database and says on stdout what it has committed.

    crash_writer.py import DB FILE.json      import a whole office; "committed import" after the commit
    crash_writer.py rsvp DB RUN START        RSVP saves forever; "committed N" after each commit
    crash_writer.py backup DB                backups forever; "committed PATH" after each one
    crash_writer.py restore DB SOURCE        restore DB from SOURCE; "committed restore" afterwards

It prints "ready" once the database is open, so the parent kills it while it writes, not while Python
starts. The RSVP change N (saved through the RSVP service `invitations.record_reply`) goes to invitation
number N (modulo their count) and leaves a label naming RUN and N in the notes, so the parent can check
every reported change in the row and in the audit log.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geschaeftsstelle import exchange, invitations
from geschaeftsstelle.store import backup
from geschaeftsstelle.store.models import Invitation, Meeting, MeetingStatus, Response
from geschaeftsstelle.store.opening import open_database

RESPONSES = [Response.ACCEPTED, Response.DECLINED, Response.TENTATIVE, Response.ACCEPTED]


def label(run: int, n: int) -> str:
    return f"Lauf {run} Änderung {n}"


def expected(run: int, n: int) -> tuple[str, int, str]:
    """The response, persons and notes that change N of run RUN writes."""
    return RESPONSES[n % len(RESPONSES)].value, 1 + n % 3, label(run, n)


def invitation_ids(db_path: str) -> list[int]:
    db = open_database(db_path, migrate=False)
    try:
        with db.read() as s:
            query = (
                select(Invitation.id)
                .join(Meeting)
                .where(Meeting.status != MeetingStatus.CANCELLED.value)
                .order_by(Invitation.id)
            )
            return list(s.scalars(query))
    finally:
        db.dispose()


def run_import(db_path: str, file: str) -> None:
    data = exchange.load_file(Path(file))
    db = open_database(db_path, migrate=False)
    print("ready", flush=True)
    exchange.import_office(db, data)
    print("committed import", flush=True)


def run_rsvp(db_path: str, run: int, start: int) -> None:
    ids = invitation_ids(db_path)
    db = open_database(db_path, migrate=False)
    print("ready", flush=True)
    n = start
    while True:
        response, persons, notes = expected(run, n)
        invitation_id = ids[n % len(ids)]
        seen = invitations.load_row(db, invitation_id).version  # the only desk: the version it just read
        invitations.record_reply(
            db, invitation_id, seen, invitations.ReplyInput(response=response, persons=persons, notes=notes)
        )
        print(f"committed {n}", flush=True)
        n += 1


def run_backup(db_path: str) -> None:
    db = open_database(db_path, migrate=False)
    print("ready", flush=True)
    while True:
        info = backup.make_backup(db, backup.KIND_MANUAL)
        print(f"committed {info.path}", flush=True)


def run_restore(db_path: str, source: str) -> None:
    print("ready", flush=True)
    backup.restore(Path(db_path), Path(source))
    print("committed restore", flush=True)


def main(argv: list[str]) -> int:
    if argv[0] == "import":
        run_import(argv[1], argv[2])
    elif argv[0] == "backup":
        run_backup(argv[1])
    elif argv[0] == "restore":
        run_restore(argv[1], argv[2])
    elif argv[0] == "rsvp":
        run_rsvp(argv[1], int(argv[2]), int(argv[3]))
    else:
        print(f"unbekannte Aufgabe {argv[0]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
