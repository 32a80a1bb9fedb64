"""Data-layer figures on the big office: member and contact lists, JSON export and import, peak memory.

Uses $GESCHAEFTSSTELLE_BENCH_DB (or --db, or the cached generated office). Prints one JSON line per
figure (see bench/common.py). Import runs into a fresh empty database each time, on the same backend.
Peak memory is measured in a child process, so nothing this process did counts towards it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common import (
    ROOT,
    backend_label,
    bench_database,
    emit,
    emit_value,
    median_time,
    peak_rss_mb,
    throwaway_opened,
)

from geschaeftsstelle import exchange, members
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.opening import open_database

LIST_TARGET_S = 0.3  # the members view's first paint (issue 3) includes building these rows
EXCHANGE_TARGET_S = 30.0  # no target in issue 2; half a minute is what a user waits for a whole office
CONTACTS_TARGET_S = 0.15  # issue 14: 20,000 contacts, also on PostgreSQL under load
RSS_TARGET_MB = 400.0
EXCHANGE_BUDGET_S = 25.0  # more runs only while they fit: a slow export or import is measured once


@contextmanager
def empty_database(source: str, workdir: Path) -> Iterator[Database]:
    """A fresh, migrated, empty database on the same backend as `source`; removed afterwards."""
    with throwaway_opened(source, workdir, "gs_bench_import") as db:
        yield db


def measure(source: str, runs: int, exchange_runs: int) -> None:
    label = backend_label()
    result = subprocess.run(
        [sys.executable, __file__, "--rss-child", "--db", source],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        timeout=300,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    emit_value(
        "peak RSS: big office open, member and contact rows built",
        figures["data_mb"],
        RSS_TARGET_MB,
        "MB",
        backend=label,
    )
    if figures.get("window_mb") is not None:
        emit_value(
            "peak RSS: main window, every page shown once, big office",
            figures["window_mb"],
            RSS_TARGET_MB,
            "MB",
            backend=label,
        )
    db = open_database(source)
    try:
        rows = members.list_members(db)
        contacts = members.list_contacts(db)
        emit(
            f"list_members ({len(rows):,} rows)",
            median_time(lambda: members.list_members(db), runs),
            LIST_TARGET_S,
            backend=label,
        )
        emit(
            f"list_contacts ({len(contacts):,} rows)",
            median_time(lambda: members.list_contacts(db), runs),
            CONTACTS_TARGET_S,
            backend=label,
        )
        with tempfile.TemporaryDirectory(prefix="gs-bench-") as tmp:
            workdir = Path(tmp)
            target = workdir / "office.json"
            took = median_time(lambda: exchange.export_file(db, target), exchange_runs, budget_s=EXCHANGE_BUDGET_S)
            emit(
                "JSON export of the whole office",
                took,
                EXCHANGE_TARGET_S,
                backend=label,
                mb=round(target.stat().st_size / 1e6, 1),
            )
            times: list[float] = []
            while len(times) < exchange_runs and (not times or sum(times) <= EXCHANGE_BUDGET_S):
                with empty_database(source, workdir) as fresh:
                    times.append(median_time(lambda fresh=fresh: exchange.import_file(fresh, target), 1))
            emit(
                "JSON import of the whole office",
                statistics.median(times),
                EXCHANGE_TARGET_S,
                backend=label,
                runs=len(times),
            )
        emit_value("peak RSS of this process after JSON export and import", peak_rss_mb(), None, "MB", backend=label)
    finally:
        db.dispose()


def rss_child(source: str) -> None:
    """Open the office as the program does, build the rows, show the window if there is one; print peaks."""
    db = open_database(source)
    members.list_members(db)
    members.list_contacts(db)
    figures: dict[str, float | None] = {"data_mb": peak_rss_mb(), "window_mb": None}
    if importlib.util.find_spec("ui.main_window") is not None:
        from PySide6.QtCore import QCoreApplication

        from ui.app import make_application
        from ui.main_window import MainWindow

        app = make_application()
        window = MainWindow(db)
        window.show()
        for index in range(len(getattr(window, "pages", []))):  # every page once, as a user's morning would
            window.show_page(index)
            for _ in range(5):
                QCoreApplication.processEvents()
        figures["window_mb"] = peak_rss_mb()
        window.close()
        app.processEvents()
    db.dispose()
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="the big office (SQLite path or URL); default $GESCHAEFTSSTELLE_BENCH_DB")
    parser.add_argument("--runs", type=int, default=5, help="runs per fast figure (median)")
    parser.add_argument("--exchange-runs", type=int, default=3, help="runs of JSON export and import (median)")
    parser.add_argument("--rss-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    source = args.db or bench_database()
    if args.rss_child:
        rss_child(source)
        return
    if "://" not in source:
        # measure on a copy: the cache stays pristine whatever a later version of this script writes
        with tempfile.TemporaryDirectory(prefix="gs-bench-db-") as tmp:
            copy = Path(tmp) / "office.sqlite"
            shutil.copyfile(source, copy)
            measure(str(copy), args.runs, args.exchange_runs)
        return
    measure(source, args.runs, args.exchange_runs)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
