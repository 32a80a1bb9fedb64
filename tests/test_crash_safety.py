"""Kill tests: a child writing to SQLite is killed with SIGKILL at random moments, over and over.

After every kill the file must pass `PRAGMA integrity_check`, every change the child reported as
committed must be in the database (row and audit log), and an import is either wholly there or not at all.
The figures (kills survived, changes verified, time) are printed; run with `-s` to see them.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geschaeftsstelle import exchange
from geschaeftsstelle.database import open_database
from geschaeftsstelle.demo import build_demo
from geschaeftsstelle.exchange import import_office
from tests.crash_writer import expected

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL gibt es nur unter POSIX"),
]

WRITER = Path(__file__).with_name("crash_writer.py")
IMPORT_KILLS = 20
RSVP_KILLS = 30
TABLES = ("members", "contacts", "venues", "meetings", "invitations", "awards", "nominations")


def _start(*args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        pytest.fail(f"Schreibprozess nicht bereit: {line!r} {proc.stderr.read() if proc.stderr else ''}")
    return proc


def _kill(proc: subprocess.Popen[str], delay: float) -> list[str]:
    """SIGKILL after `delay` seconds (or when it ends by itself); returns what it reported."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.002)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode in (0, -signal.SIGKILL), err
    return out.splitlines()


def _integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def test_import_killed_at_random_moments_is_all_or_nothing(sqlite_template: Path, tmp_path: Path) -> None:
    rnd = random.Random(int(os.environ.get("CRASH_SEED", "7")))
    office = build_demo(seed=11)
    file = tmp_path / "buero.json"
    file.write_text(exchange.dumps(office), encoding="utf-8")
    full = {k: v for k, v in exchange.counts(office).items() if k in TABLES}
    db_path = tmp_path / "import.sqlite"
    shutil.copyfile(sqlite_template, db_path)

    started = time.monotonic()
    committed = empty = 0
    for _ in range(IMPORT_KILLS):
        lines = _kill(_start("import", str(db_path), str(file)), rnd.uniform(0.0, 0.6))
        assert _integrity(db_path) == "ok"
        counts = _counts(db_path)
        if "committed import" in lines:
            assert counts == full, "gemeldeter Import fehlt ganz oder teilweise"
        else:
            assert counts in (full, dict.fromkeys(TABLES, 0)), f"halber Import: {counts}"
        if counts == full:
            committed += 1
            for extra in ("-wal", "-shm"):
                Path(f"{db_path}{extra}").unlink(missing_ok=True)
            shutil.copyfile(sqlite_template, db_path)
        else:
            empty += 1
    db = open_database(db_path)  # the program opens what the crashes left
    db.dispose()
    took = time.monotonic() - started
    print(f"\nImport: {IMPORT_KILLS} Abbrüche überstanden ({committed} ganz, {empty} gar nicht da), {took:.1f} s")
    assert committed + empty == IMPORT_KILLS


def test_rsvp_saves_killed_at_random_moments_are_all_kept(sqlite_template: Path, tmp_path: Path) -> None:
    rnd = random.Random(int(os.environ.get("CRASH_SEED", "7")))
    db_path = tmp_path / "rsvp.sqlite"
    shutil.copyfile(sqlite_template, db_path)
    db = open_database(db_path)
    import_office(db, build_demo(seed=12))
    db.dispose()
    con = sqlite3.connect(db_path)
    state = {
        row[0]: (row[1], row[2], row[3]) for row in con.execute("SELECT id, response, persons, notes FROM invitations")
    }
    con.close()
    ids = sorted(state)

    started = time.monotonic()
    n = 0
    verified = 0
    for run in range(RSVP_KILLS):
        lines = _kill(_start("rsvp", str(db_path), str(run), str(n)), rnd.uniform(0.0, 0.4))
        reported = [int(line.split()[1]) for line in lines if line.startswith("committed ")]
        assert reported == list(range(n, n + len(reported)))
        assert _integrity(db_path) == "ok"
        in_flight = n + len(reported)  # the change being saved when the kill came: may or may not be there
        for change in reported:
            state[ids[change % len(ids)]] = expected(run, change)
        con = sqlite3.connect(db_path)
        rows = {
            row[0]: (row[1], row[2], row[3])
            for row in con.execute("SELECT id, response, persons, notes FROM invitations")
        }
        logged = {
            json.loads(row[0])["notes"][1]
            for row in con.execute("SELECT changes FROM audit_log WHERE entity = 'invitation' AND action = 'update'")
        }
        con.close()
        target = ids[in_flight % len(ids)]
        if rows[target] == expected(run, in_flight):
            state[target] = rows[target]  # committed just before the kill, not yet reported
            in_flight += 1
        assert rows == state, "eine gemeldete Änderung fehlt"
        missing = [c for c in reported if expected(run, c)[2] not in logged]
        assert not missing, f"Änderungen ohne Protokolleintrag: {missing[:5]}"
        verified += len(reported)
        n = in_flight
    took = time.monotonic() - started
    print(f"\nRückmeldungen: {RSVP_KILLS} Abbrüche überstanden, {verified} gemeldete Änderungen geprüft, {took:.1f} s")
    assert verified > RSVP_KILLS  # the kills really came while it was writing
