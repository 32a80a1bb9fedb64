"""Shared helpers for the bench scripts: the big database, median timing and the JSON result line.

Every bench script prints one JSON line per figure, which `bench/run_all.py` collects:
`{"name": ..., "measured_s": ..., "target_s": ...}` for times, or
`{"name": ..., "measured": ..., "target": ..., "unit": "MB"}` for anything else.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from geschaeftsstelle.store.database import Database

BENCH_DB_ENV = "GESCHAEFTSSTELLE_BENCH_DB"
BACKEND_ENV = "GESCHAEFTSSTELLE_BENCH_BACKEND"


def bench_database() -> str:
    """The big office to measure on: $GESCHAEFTSSTELLE_BENCH_DB (a SQLite path or a URL), else the cached build.

    run_all hands every script its own copy, so a script may write to it.
    """
    value = os.environ.get(BENCH_DB_ENV, "")
    if value:
        return value
    from generate import cached_database  # bench/ is sys.path[0] for every bench script

    return str(cached_database())


def backend_label() -> str:
    return os.environ.get(BACKEND_ENV, "sqlite")


def median_time(
    action: Callable[[], object],
    runs: int = 5,
    setup: Callable[[], object] | None = None,
    budget_s: float | None = None,
) -> float:
    """Median wall time of `runs` calls of action, each after an untimed setup (seconds).

    With budget_s, stop early once the timed runs together took longer: a figure of a minute
    needs fewer repetitions than one of 20 ms, and `make bench` must stay within ten minutes.
    """
    times: list[float] = []
    for _ in range(runs):
        if setup is not None:
            setup()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
        if budget_s is not None and sum(times) > budget_s:
            break
    return statistics.median(times)


def emit(name: str, measured_s: float, target_s: float | None, **extra: Any) -> None:
    """One result line for run_all (seconds)."""
    print(json.dumps({"name": name, "measured_s": round(measured_s, 4), "target_s": target_s, **extra}), flush=True)


def emit_value(name: str, measured: float, target: float | None, unit: str, **extra: Any) -> None:
    """One result line in another unit (MB, rows/s …); lower is better, like times."""
    print(
        json.dumps({"name": name, "measured": round(measured, 2), "target": target, "unit": unit, **extra}),
        flush=True,
    )


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    Linux: VmHWM of /proc/self/status, which belongs to this program alone. getrusage's ru_maxrss
    would be wrong for a child: it keeps the peak of the forked copy of its parent from before exec.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # macOS reports bytes, others KiB
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def is_server_url(source: str | None) -> bool:
    """A database server's URL (PostgreSQL), as opposed to a SQLite file's path or sqlite:// URL."""
    return source is not None and "://" in source and not source.startswith("sqlite")


@contextmanager
def throwaway_database(source: str | None, folder: Path, prefix: str) -> Iterator[str]:
    """A new empty database on the same backend as `source` (a server URL, else a SQLite file in `folder`),
    removed afterwards, also when the bench fails; yields its URL or path (not migrated: open it for that)."""
    if not is_server_url(source):
        path = folder / f"{prefix}-{uuid.uuid4().hex[:8]}.sqlite"
        try:
            yield str(path)
        finally:
            for leftover in folder.glob(path.name + "*"):
                leftover.unlink()
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(source)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def throwaway_opened(source: str | None, folder: Path, prefix: str) -> Iterator[Database]:
    """`throwaway_database`, opened (so migrated) for the bench and closed before it is removed."""
    from geschaeftsstelle.store.opening import open_database

    with throwaway_database(source, folder, prefix) as where:
        db = open_database(where)
        try:
            yield db
        finally:
            db.dispose()


def insert_members(s: Session, count: int) -> list[int]:
    """`count` bare members „Verein 0000 e. V.“ … in one statement; returns their ids in that order."""
    from sqlalchemy import insert

    from geschaeftsstelle.store.models import Member

    rows = [{"name": f"Verein {i:04d} e. V.", "street": "", "postal_code": "", "city": "", "notes": "",
             "search_text": ""} for i in range(count)]  # fmt: skip
    return list(s.scalars(insert(Member).returning(Member.id), rows))
