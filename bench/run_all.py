"""`make bench`: build (or reuse) the big office, run every bench/bench_*.py on it, print and record one table.

Each script gets its own copy of the big database in $GESCHAEFTSSTELLE_BENCH_DB (so writes never touch
the cache) and prints JSON result lines (bench/common.py). With $GESCHAEFTSSTELLE_TEST_PG set, the big
office is loaded into a new PostgreSQL database too and every script runs again against copies of it.
The table goes to stdout and docs/performance.md. Exit status 1 only when a script fails to run;
a missed target is information for people, not an error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import BACKEND_ENV, BENCH_DB_ENV, ROOT
from generate import Scale, cached_database, generate
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from geschaeftsstelle.store.opening import open_database

BENCH_DIR = ROOT / "bench"
REPORT = ROOT / "docs" / "performance.md"
SCRIPT_TIMEOUT_S = 420
PG_ENV = "GESCHAEFTSSTELLE_TEST_PG"
#: What follows this line in docs/performance.md is written by people (profiling findings) and kept on every run.
NOTES_MARKER = "<!-- Ab hier von Hand geschrieben; bleibt bei jedem Lauf erhalten. -->"


@dataclass
class Row:
    script: str
    backend: str
    name: str
    measured: float | None
    target: float | None
    unit: str
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.measured is None or not self.target:
            return None
        return self.measured / self.target


def parse_line(script: str, backend: str, line: str) -> Row | None:
    """A result line, or None for any other output."""
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        data: dict[str, Any] = json.loads(line)
    except json.JSONDecodeError:
        return None
    if "name" not in data:
        return None
    if "measured_s" in data:
        measured, target, unit = data.get("measured_s"), data.get("target_s"), "s"
    else:
        measured, target, unit = data.get("measured"), data.get("target"), str(data.get("unit", ""))
    extra = {
        k: v
        for k, v in data.items()
        if k not in {"name", "measured_s", "target_s", "measured", "target", "unit", "backend"}
    }
    note = ", ".join(f"{k}={v}" for k, v in extra.items())
    return Row(script, str(data.get("backend", backend)), str(data["name"]), measured, target, unit, note)


def run_script(script: Path, backend: str, database: str, env: dict[str, str]) -> tuple[list[Row], str | None]:
    """Run one script; its rows, and an error text if it failed (non-zero, timeout, no result)."""
    started = time.perf_counter()
    print(f"→ {script.name} [{backend}] …", file=sys.stderr, flush=True)
    try:
        proc = subprocess.run(
            [sys.executable, str(script)],
            cwd=ROOT,
            env={**env, BENCH_DB_ENV: database, BACKEND_ENV: backend},
            capture_output=True,
            text=True,
            timeout=SCRIPT_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return [], f"nach {SCRIPT_TIMEOUT_S} s abgebrochen"
    rows = [r for line in proc.stdout.splitlines() if (r := parse_line(script.stem, backend, line))]
    print(f"  {len(rows)} Werte in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        print(tail, file=sys.stderr)
        return rows, f"Exit-Code {proc.returncode}: {tail.splitlines()[-1] if tail else ''}"
    if not rows:
        return rows, "kein Messwert ausgegeben"
    return rows, None


@contextmanager
def sqlite_copy(source: Path) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="gs-bench-") as tmp:
        copy = Path(tmp) / "office.sqlite"
        shutil.copyfile(source, copy)
        yield str(copy)


@contextmanager
def pg_database(admin_url: str, template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (empty, or a copy of template), dropped afterwards."""
    name = f"gs_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import sqlalchemy

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {
        "CPU": cpu,
        "Kerne": str(os.cpu_count()),
        "RAM": ram,
        "System": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "SQLAlchemy": sqlalchemy.__version__,
        "Commit": commit.strip() or "?",
        "Last (load average, 1 min) beim Ende": f"{os.getloadavg()[0]:.1f}",
    }


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:,.0f} {unit}"


def table(rows: list[Row]) -> list[str]:
    lines = ["| Messung | Datenbank | Ziel | gemessen | Verhältnis | Skript |", "|---|---|---:|---:|---:|---|"]
    for r in rows:
        ratio = f"{r.ratio:.2f}" + (" ⚠" if r.ratio > 1 else "") if r.ratio is not None else "–"
        name = r.name + (f" ({r.note})" if r.note else "")
        lines.append(
            f"| {name} | {r.backend} | {fmt(r.target, r.unit)} | {fmt(r.measured, r.unit)} | {ratio} | {r.script} |"
        )
    return lines


def write_report(rows: list[Row], failures: list[str], info: dict[str, str], build_note: str, took: float) -> None:
    missed = [r for r in rows if r.ratio is not None and r.ratio > 1]
    lines = [
        "# Leistung (Performance)",
        "",
        "Erzeugt von `make bench` (`bench/run_all.py`); nicht von Hand bearbeiten, sondern neu messen.",
        f"Lauf vom {dt.datetime.now():%d.%m.%Y, %H:%M} Uhr, Dauer {took / 60:.1f} min.",
        "",
        "Großes Büro (`bench/generate.py`): 5.000 Mitglieder, 20.000 Kontakte, 600 Termine über zehn Jahre, "
        "200.000 Einladungen mit Rückmeldungen, zehn Preisrunden mit je 40 Vorschlägen. " + build_note,
        "Jeder Wert ist der Median mehrerer Läufe. Verhältnis = gemessen / Ziel (über 1: Ziel verfehlt, ⚠).",
        "",
        "## Rechner",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        "",
        "## Messwerte",
        "",
        *table(rows),
        "",
    ]
    if failures:
        lines += ["## Fehlgeschlagen", "", *[f"- {f}" for f in failures], ""]
    lines += ["## Verfehlte Ziele", ""]
    lines += [f"- {r.name} [{r.backend}]: {fmt(r.measured, r.unit)} statt {fmt(r.target, r.unit)}" for r in missed] or [
        "- keine"
    ]
    kept = REPORT.read_text(encoding="utf-8").partition(NOTES_MARKER)[2] if REPORT.exists() else ""
    lines += ["", NOTES_MARKER + (kept.rstrip() if kept.strip() else "\n\n## Befunde\n\n(noch keine)")]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", help="run only these scripts (e.g. bench_data); repeatable")
    parser.add_argument("--no-report", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args()
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]  # other work on a shared machine inflates every figure
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem in args.only]
    built = time.perf_counter()
    was_cached = cached_database_exists()
    big = cached_database()
    build_note = (
        "Die SQLite-Datei lag schon im Cache (bench/.cache/)."
        if was_cached
        else f"Die SQLite-Datei wurde in {time.perf_counter() - built:.1f} s erzeugt."
    )
    with tempfile.TemporaryDirectory(prefix="gs-bench-home-") as home:
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[var] = str(Path(home) / var.lower())  # never the user's own settings or database
        rows: list[Row] = []
        failures: list[str] = []

        def run(script: Path, backend: str, database: str) -> None:
            got, error = run_script(script, backend, database, env)
            rows.extend(got)
            if error:
                failures.append(f"{script.name} [{backend}]: {error}")

        for script in scripts:
            with sqlite_copy(big) as copy:
                run(script, "sqlite", copy)
        pg_url = os.environ.get(PG_ENV, "")
        pg_version = ""
        if pg_url:
            with pg_database(pg_url) as loaded:
                t0 = time.perf_counter()
                db = open_database(loaded)
                try:
                    with db.engine.connect() as conn:
                        pg_version = str(conn.execute(text("SHOW server_version")).scalar())
                    generate(db, Scale())
                finally:
                    db.dispose()
                build_note += f" In PostgreSQL in {time.perf_counter() - t0:.1f} s geladen."
                template = make_url(loaded).database
                skipped = [s.stem for s in scripts if not reads_big_database(s)]
                if skipped:
                    build_note += f" Ohne PostgreSQL-Lauf (lesen das große Büro nicht): {', '.join(skipped)}."
                for script in [s for s in scripts if reads_big_database(s)]:
                    with pg_database(pg_url, template) as copy:
                        run(script, "postgresql", copy)
    took = time.perf_counter() - started
    print("\n".join(table(rows)))
    for failure in failures:
        print(f"FEHLGESCHLAGEN: {failure}")
    print(f"make bench: {took / 60:.1f} min")
    if not args.no_report:
        info = {**machine(), "Last (load average, 1 min) beim Start": f"{load_at_start:.1f}"}
        if pg_version:
            info["PostgreSQL"] = pg_version
        write_report(rows, failures, info, build_note, took)
    return 1 if failures else 0


def reads_big_database(script: Path) -> bool:
    """Only a script that takes the big office from us can measure PostgreSQL; the others would repeat SQLite."""
    source = script.read_text(encoding="utf-8")
    return BENCH_DB_ENV in source or "bench_database(" in source


def cached_database_exists() -> bool:
    from generate import cache_path

    return cache_path().exists()


if __name__ == "__main__":
    sys.exit(main())
