"""The frozen program (PyInstaller one-folder build): `--version` (target ≤ 1 s), main window ready (≤ 2.5 s), size.

Uses --dist, else dist/geschaeftsstelle from `make package` when it is newer than the sources, else builds one
into bench/.cache/frozen (about a minute; reused while the sources do not change). The window is measured from
process start until it has been shown, closed by GESCHAEFTSSTELLE_QUIT_AFTER_MS and the process has exited, an
upper bound of "ready". Times are wall-clock medians; each line also carries the child's CPU seconds (`cpu_s`),
which a busy machine inflates much less. Database: the one run_all hands over ($GESCHAEFTSSTELLE_BENCH_DB, the
big office), else a demo office made by the frozen program.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import BENCH_DB_ENV, emit, emit_value  # noqa: E402

EXE = "geschaeftsstelle.exe" if sys.platform == "win32" else "geschaeftsstelle"
SPEC = ROOT / "packaging" / "geschaeftsstelle.spec"
CACHE = ROOT / "bench" / ".cache" / "frozen"


def build(target: Path) -> tuple[Path, float]:
    started = time.perf_counter()
    paths = ["--distpath", str(target / "dist"), "--workpath", str(target / "work")]
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR", *paths, str(SPEC)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return target / "dist" / "geschaeftsstelle", time.perf_counter() - started


def newest_source() -> float:
    folders = [ROOT / "geschaeftsstelle", ROOT / "ui", ROOT / "packaging", ROOT / "resources"]
    return max(p.stat().st_mtime for folder in folders for p in folder.rglob("*") if p.is_file())


def frozen_folder(requested: Path | None, rebuild: bool) -> Path:
    """A current build: the one asked for, `make package`'s, or a cached one (built now if stale)."""
    if requested:
        return requested
    for candidate in (ROOT / "dist" / "geschaeftsstelle", CACHE / "dist" / "geschaeftsstelle"):
        exe = candidate / EXE
        if not rebuild and exe.exists() and exe.stat().st_mtime >= newest_source():
            return candidate
    folder, took = build(CACHE)
    emit("frozen build (PyInstaller)", took, None)
    return folder


def timed(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of the whole process, which must succeed each time."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True, timeout=60)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def folder_size_mb(folder: Path) -> tuple[float, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1_000_000, len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, help="folder of a frozen build (default: dist/geschaeftsstelle)")
    parser.add_argument("--rebuild", action="store_true", help="build anew into bench/.cache/frozen")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = frozen_folder(args.dist, args.rebuild)
    exe = str(folder / EXE)
    with tempfile.TemporaryDirectory(prefix="gs-frozen-") as tmp:
        home = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "XDG_"))}
        env |= {f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("DATA", "STATE", "CONFIG", "CACHE")}
        env["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
        env.pop("GESCHAEFTSSTELLE_QUIT_AFTER_MS", None)

        timed([exe, "--version"], env, 1)  # the first start reads the files from disk; measure warm starts
        wall, cpu = timed([exe, "--version"], env, args.runs)
        emit("frozen --version", wall, 1.0, cpu_s=round(cpu, 3))

        database = os.environ.get(BENCH_DB_ENV, "")
        office = "big office" if database else "demo office"
        if not database:
            database = str(home / "Demo Kreisgruppe.sqlite")
            subprocess.run([exe, "--db", database, "demo"], env=env, check=True, capture_output=True, timeout=120)
        window_env = env | {"GESCHAEFTSSTELLE_QUIT_AFTER_MS": "1"}
        wall, cpu = timed([exe, "--db", database], window_env, max(3, args.runs // 2))
        emit("frozen main window ready (start to closed)", wall, 2.5, cpu_s=round(cpu, 3), office=office)

        size_mb, files = folder_size_mb(folder)
        emit_value("frozen size MB", size_mb, None, "MB", files=files, platform=sys.platform)
    return 0


if __name__ == "__main__":
    sys.exit(main())
