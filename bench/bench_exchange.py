"""The exchange format on the big office: JSON export and import, each timed in a process of its own.

Uses $GESCHAEFTSSTELLE_BENCH_DB (or --db, or the cached generated office). Each operation runs in a child
process, so its peak memory (VmHWM) is its own and nothing measured before counts towards it. The import
goes into a fresh, migrated, empty database on the same backend; the export of what was imported must be
byte for byte the first export (the round trip the format promises), or the script fails.
Targets (issue 14): export 5 s, import 10 s on SQLite and 15 s on PostgreSQL, each at most 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, bench_database, emit, emit_value, is_server_url, peak_rss_mb, throwaway_database

EXPORT_TARGET_S = 5.0
IMPORT_TARGET_S = {"sqlite": 10.0, "postgresql": 15.0}
RSS_TARGET_MB = 400.0
BUDGET_S = 40.0  # more runs only while they fit: make bench must stay within its time


def child(action: str, database: str, file: str) -> None:
    """One export or import, as the command line runs it; prints wall and CPU seconds and the peak memory."""
    from geschaeftsstelle import exchange
    from geschaeftsstelle.store.opening import open_database

    db = open_database(database)  # opening (and migrating an empty database) is not part of the figure
    started, cpu = time.perf_counter(), time.process_time()
    if action == "export":
        counts = exchange.export_file(db, Path(file))
    else:
        counts = exchange.import_file(db, Path(file))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.dispose()
    print(json.dumps({"wall_s": wall, "cpu_s": cpu, "peak_mb": peak_rss_mb(), "counts": counts}))


def run_child(action: str, database: str, file: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", action, database, str(file)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        raise SystemExit(f"{action} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(source: str, runs: int) -> None:
    label = "postgresql" if is_server_url(source) else "sqlite"
    with tempfile.TemporaryDirectory(prefix="gs-bench-exchange-") as tmp:
        workdir = Path(tmp)
        exported = workdir / "office.json"
        exports = _repeat(lambda: run_child("export", source, exported), runs)
        _emit("export", exports, EXPORT_TARGET_S, label, mb=round(exported.stat().st_size / 1e6, 1))
        imports = []
        again = workdir / "again.json"
        for _ in range(runs):
            with throwaway_database(source, workdir, "gs_bench_exchange") as fresh:
                imports.append(run_child("import", fresh, exported))
                if len(imports) == 1:  # the round trip, checked once
                    run_child("export", fresh, again)
                    if again.read_bytes() != exported.read_bytes():
                        raise SystemExit("export → import → export is not byte for byte the same file")
            if sum(r["wall_s"] for r in imports) > BUDGET_S / 2:
                break
        _emit("import", imports, IMPORT_TARGET_S[label], label)


def _repeat(action: object, runs: int) -> list[dict[str, float]]:
    results: list[dict[str, float]] = []
    while len(results) < runs and sum(r["wall_s"] for r in results) <= BUDGET_S / 4:
        results.append(action())  # type: ignore[operator]
    return results


def _emit(action: str, results: list[dict[str, float]], target_s: float, label: str, **extra: object) -> None:
    wall = statistics.median(r["wall_s"] for r in results)
    cpu = statistics.median(r["cpu_s"] for r in results)
    what = "export of the whole office" if action == "export" else "import of the whole office into an empty database"
    emit(f"JSON {what}", wall, target_s, backend=label, cpu_s=round(cpu, 2), runs=len(results), **extra)
    peak = max(r["peak_mb"] for r in results)
    emit_value(f"peak RSS: JSON {action} (own process)", peak, RSS_TARGET_MB, "MB", backend=label)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="the big office (SQLite path or URL); default $GESCHAEFTSSTELLE_BENCH_DB")
    parser.add_argument("--runs", type=int, default=3, help="runs of each operation (median), within the budget")
    parser.add_argument("--child", nargs=3, metavar=("ACTION", "DATABASE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    measure(args.db or bench_database(), args.runs)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
