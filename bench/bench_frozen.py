"""The frozen program (PyInstaller one-folder build): `--version` (target ≤ 1 s), main window ready (≤ 2.5 s), size.

Uses dist/geschaeftsstelle from `make package` when it is there (or --dist), else builds one into a temp folder
(about a minute). The window is measured from process start until it has been shown, closed by
GESCHAEFTSSTELLE_QUIT_AFTER_MS and the process has exited, an upper bound of "ready". Database: the one
run_all hands over ($GESCHAEFTSSTELLE_BENCH_DB, the big office), else a demo office made by the frozen program.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import BENCH_DB_ENV, backend_label, emit, emit_value  # noqa: E402

EXE = "geschaeftsstelle.exe" if sys.platform == "win32" else "geschaeftsstelle"
SPEC = ROOT / "packaging" / "geschaeftsstelle.spec"


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


def timed(args: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of the whole process, which must succeed each time."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True, timeout=60)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def folder_size_mb(folder: Path) -> tuple[float, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1_000_000, len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, help="folder of a frozen build (default: dist/geschaeftsstelle)")
    parser.add_argument("--rebuild", action="store_true", help="always build anew into a temp folder")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gs-frozen-") as tmp:
        home = Path(tmp)
        folder = args.dist or ROOT / "dist" / "geschaeftsstelle"
        if args.rebuild or not (folder / EXE).exists():
            folder, took = build(home / "build")
            emit("frozen build (PyInstaller)", took, None)
        exe = str(folder / EXE)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "XDG_"))}
        env |= {f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("DATA", "STATE", "CONFIG", "CACHE")}
        env["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
        env.pop("GESCHAEFTSSTELLE_QUIT_AFTER_MS", None)

        timed([exe, "--version"], env, 1)  # the first start reads the files from disk; measure warm starts
        emit("frozen --version", timed([exe, "--version"], env, args.runs), 1.0)

        database = os.environ.get(BENCH_DB_ENV, "")
        office = "big office" if database else "demo office"
        if not database:
            database = str(home / "Demo Kreisgruppe.sqlite")
            subprocess.run([exe, "--db", database, "demo"], env=env, check=True, capture_output=True, timeout=120)
        window_env = env | {"GESCHAEFTSSTELLE_QUIT_AFTER_MS": "1"}
        ready = timed([exe, "--db", database], window_env, max(3, args.runs // 2))
        emit("frozen main window ready (start to closed)", ready, 2.5, office=office, backend=backend_label())

        size_mb, files = folder_size_mb(folder)
        emit_value("frozen size MB", size_mb, None, "MB", files=files, platform=sys.platform)
    return 0


if __name__ == "__main__":
    sys.exit(main())
