"""Load test: 4 and 12 desks (processes) reading and writing one shared database at once.

Each desk opens the database the way the program does, then for `--seconds` mixes reads (the member
list, one member, the contact list) with saves: a counter on one of three *hot* members every desk
fights over, and a counter on the desk's own member. A save that loses the race must end in the German
conflict message (ConflictError), never in a raw database error; a desk that sees a conflict reloads and
tries again, as a person would. At the end every counter must equal the number of saves reported as
successful: `lost_updates` = successes − stored value, which must be 0.

    python bench/bench_desks.py --seconds 60     # SQLite file and, with $GESCHAEFTSSTELLE_TEST_PG, PostgreSQL
    python bench/bench_desks.py --backend postgresql --desks 12 --pg postgresql+psycopg://postgres@server/postgres

`--without-version-check` saves as if no one else were working (no version sent): it shows that the
count does see lost updates when the locking is missing.

Prints one JSON line per run (backend, desks) and exits 1 if anything was lost or a raw error appeared.
On PostgreSQL it also samples how many server connections the desks held at most (the pool is 2 + 2 per
desk).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOT_ROWS = 3
FILLER_MEMBERS = 150
CONFLICT_WORDS = "anderen Platz"


def _member_input(m: Any, notes: str) -> Any:
    from geschaeftsstelle.members import MemberInput

    return MemberInput(
        name=m.name,
        member_number=m.member_number,
        street=m.street,
        postal_code=m.postal_code,
        city=m.city,
        country=m.country,
        email=m.email,
        phone=m.phone,
        website=m.website,
        joined_on=m.joined_on,
        left_on=m.left_on,
        notes=notes,
        tags=list(m.tags),
        id=m.id,
        version=m.version,
    )


def seed(url: str, desks: int) -> dict[str, Any]:
    """A small office: filler members with a contact each, HOT_ROWS hot members, one own member per desk."""
    from geschaeftsstelle import members
    from geschaeftsstelle.store.opening import open_database

    db = open_database(url)
    try:
        for i in range(FILLER_MEMBERS):
            mid = members.save_member(db, members.MemberInput(name=f"Verein {i:03d}", city="Musterstadt"))
            members.save_contact(
                db, members.ContactInput(last_name=f"Muster{i}", first_name="Erika", member_id=mid, is_primary=True)
            )
        hot = [members.save_member(db, members.MemberInput(name=f"Heiß {i}", notes="0")) for i in range(HOT_ROWS)]
        own = [members.save_member(db, members.MemberInput(name=f"Platz {i}", notes="0")) for i in range(desks)]
    finally:
        db.dispose()
    return {"hot": hot, "own": own}


def desk(
    url: str, number: int, ids: dict[str, Any], start: Any, seconds: float, results: Any, checked: bool = True
) -> None:
    """One desk: wait for the common start, then work for `seconds`; report counts through `results`."""
    from geschaeftsstelle import members
    from geschaeftsstelle.errors import ConflictError, UserError
    from geschaeftsstelle.store.opening import open_database

    rng = random.Random(number)
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    hot_saved: Counter[int] = Counter()
    own_saved = 0
    db = open_database(url, migrate=False)
    start.wait()
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            roll = rng.random()
            try:
                if roll < 0.15:
                    members.list_members(db)
                    counts["read_list"] += 1
                elif roll < 0.25:
                    members.list_contacts(db)
                    counts["read_contacts"] += 1
                elif roll < 0.50:
                    members.get_member(db, rng.choice(ids["hot"] + ids["own"]))
                    counts["read_one"] += 1
                elif roll < 0.85:
                    hot = rng.choice(ids["hot"])
                    m = members.get_member(db, hot)
                    time.sleep(rng.uniform(0, 0.02))  # the person types: the other desks get in between
                    data = _member_input(m, str(int(m.notes) + 1))
                    if not checked:
                        data.version = None
                    members.save_member(db, data)
                    hot_saved[hot] += 1
                    counts["save_hot"] += 1
                else:
                    m = members.get_member(db, ids["own"][number])
                    members.save_member(db, _member_input(m, str(int(m.notes) + 1)))
                    own_saved += 1
                    counts["save_own"] += 1
            except ConflictError as exc:
                counts["conflict_german" if CONFLICT_WORDS in str(exc) else "conflict_other_text"] += 1
            except UserError as exc:
                errors[f"UserError: {str(exc)[:80]}"] += 1
            except Exception as exc:
                errors[f"{type(exc).__name__}: {str(exc).splitlines()[0][:80] if str(exc) else ''}"] += 1
    finally:
        db.dispose()
    results.put(
        {"desk": number, "counts": dict(counts), "errors": dict(errors), "hot": dict(hot_saved), "own": own_saved}
    )


def _peak_connections(admin_url: str, database: str, stop: threading.Event, peak: list[int]) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            while not stop.wait(0.5):
                n = conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"),
                    {"d": database},
                ).scalar_one()
                peak[0] = max(peak[0], int(n))
                conn.rollback()
    finally:
        engine.dispose()


def run(backend: str, desks: int, seconds: float, pg_admin: str | None, checked: bool = True) -> dict[str, Any]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    tmp = tempfile.TemporaryDirectory(prefix="bench_desks_")
    pg_name = None
    if backend == "sqlite":
        url = str(Path(tmp.name) / "desks.sqlite")
    else:
        assert pg_admin
        pg_name = f"gs_bench_desks_{uuid.uuid4().hex[:8]}"
        admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{pg_name}"'))
        admin.dispose()
        url = make_url(pg_admin).set(database=pg_name).render_as_string(hide_password=False)
    try:
        ids = seed(url, desks)
        ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        start = ctx.Event()
        results = ctx.Queue()
        procs = [ctx.Process(target=desk, args=(url, n, ids, start, seconds, results, checked)) for n in range(desks)]
        for p in procs:
            p.start()
        time.sleep(1.0 + 0.3 * desks)  # every desk has opened the database (imports take a moment)
        stop, peak = threading.Event(), [0]
        sampler = None
        if pg_name is not None:
            assert pg_admin
            sampler = threading.Thread(target=_peak_connections, args=(pg_admin, pg_name, stop, peak), daemon=True)
            sampler.start()
        began = time.monotonic()
        start.set()
        reports = [results.get(timeout=seconds + 120) for _ in procs]
        elapsed = time.monotonic() - began
        for p in procs:
            p.join(timeout=30)
        stop.set()
        if sampler is not None:
            sampler.join(timeout=5)
        return _summary(backend, desks, elapsed, url, ids, reports, peak[0] if pg_name else None)
    finally:
        if pg_name is not None:
            assert pg_admin
            admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
            admin.dispose()
        tmp.cleanup()


def _summary(
    backend: str,
    desks: int,
    elapsed: float,
    url: str,
    ids: dict[str, Any],
    reports: list[dict[str, Any]],
    peak_connections: int | None,
) -> dict[str, Any]:
    from geschaeftsstelle import members
    from geschaeftsstelle.store.opening import open_database

    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    hot_saved: Counter[int] = Counter()
    own_saved: dict[int, int] = {}
    for r in reports:
        counts.update(r["counts"])
        errors.update(r["errors"])
        hot_saved.update({int(k): v for k, v in r["hot"].items()})
        own_saved[r["desk"]] = r["own"]
    db = open_database(url, migrate=False)
    try:
        lost = sum(hot_saved[h] - int(members.get_member(db, h).notes) for h in ids["hot"])
        lost += sum(own_saved[n] - int(members.get_member(db, ids["own"][n]).notes) for n in own_saved)
    finally:
        db.dispose()
    operations = sum(v for k, v in counts.items() if not k.startswith("conflict"))
    return {
        "name": f"desks_{backend}_{desks}",
        "backend": backend,
        "desks": desks,
        "seconds": round(elapsed, 1),
        "operations": operations,
        "operations_per_s": round(operations / elapsed, 1),
        "saves": counts["save_hot"] + counts["save_own"],
        "reads": counts["read_list"] + counts["read_contacts"] + counts["read_one"],
        "conflicts_german": counts["conflict_german"],
        "conflicts_other_text": counts["conflict_other_text"],
        "other_errors": dict(errors),
        "lost_updates": lost,
        "peak_server_connections": peak_connections,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long each run works (default 60)")
    parser.add_argument("--desks", type=int, nargs="+", default=[4, 12], help="desk counts to run (default 4 12)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--pg", default=os.environ.get("GESCHAEFTSSTELLE_TEST_PG", ""), help="PostgreSQL admin URL (a database per run)"
    )
    parser.add_argument("--without-version-check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and not args.pg:
        if args.backend == "postgresql":
            parser.error("--pg oder GESCHAEFTSSTELLE_TEST_PG fehlt")
        backends.remove("postgresql")
    bad = False
    for backend in backends:
        for n in args.desks:
            result = run(backend, n, args.seconds, args.pg or None, not args.without_version_check)
            print(json.dumps(result, ensure_ascii=False), flush=True)
            bad |= result["lost_updates"] != 0 or bool(result["other_errors"]) or result["conflicts_other_text"] > 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
