"""The frozen program, built with packaging/geschaeftsstelle.spec, works from a folder like `C:\\Users\\Jürgen Groß\\…`.

One PyInstaller build per run (about a minute); then the built program itself starts, fills a fresh database,
prints a year schedule, opens its main window offscreen and closes. It must find resources and migrations
beside itself and write nothing but the user's data folder and the files it was asked to write.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "geschaeftsstelle.spec"
EXE_NAME = "geschaeftsstelle.exe" if sys.platform == "win32" else "geschaeftsstelle"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file below folder with size and modification time, to notice anything written there."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build once into a folder whose path has spaces and umlauts; yields the program's folder."""
    base = tmp_path_factory.mktemp("frozen") / "Jürgen Groß"
    dist, work = base / "Programme", base / "build temp"
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    result = subprocess.run(
        [*command, "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    folder = dist / "geschaeftsstelle"
    assert (folder / EXE_NAME).is_file()
    return folder


@pytest.fixture(scope="module")
def user_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home") / "Jürgen Groß"


def _env(home: Path) -> dict[str, str]:
    """A clean environment: no PYTHONPATH into the source tree, user folders below `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "GESCHAEFTSSTELLE_", "XDG_"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        QT_QPA_PLATFORM="offscreen",
        LANG="de_DE.UTF-8",
    )
    return env


def _run(
    frozen: Path, home: Path, *args: str, extra_env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    cwd = home / "Arbeitsordner"  # an empty working directory: the program must not write here either
    cwd.mkdir(parents=True, exist_ok=True)
    env = _env(home) | (extra_env or {})
    return subprocess.run(
        [str(frozen / EXE_NAME), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_frozen_program_runs_from_a_path_with_spaces_and_umlauts(frozen: Path, user_home: Path) -> None:
    before = _tree(frozen)
    data = user_home / "Eigene Dateien"
    data.mkdir(parents=True)
    database = data / "Kreisgruppe Süd.sqlite"

    version = _run(frozen, user_home, "--version")
    assert version.returncode == 0, version.stderr
    from geschaeftsstelle import __version__

    assert version.stdout.strip() == f"Geschäftsstelle {__version__}"

    demo = _run(frozen, user_home, "--db", str(database), "demo")
    assert demo.returncode == 0, demo.stdout + demo.stderr
    listing = _run(frozen, user_home, "--db", str(database), "meetings")
    assert listing.returncode == 0, listing.stderr
    assert len(listing.stdout.splitlines()) >= 5, listing.stdout  # the demo year has meetings

    # Without --db the program keeps its database in the user's data folder, migrated from the shipped files.
    default = _run(frozen, user_home, "meetings")
    assert default.returncode == 0, default.stderr
    assert (user_home / ".local" / "share" / "geschaeftsstelle" / "geschaeftsstelle.sqlite").is_file()

    year = dt.date.today().year
    has_print = _run(frozen, user_home, "print", "--help").returncode == 0
    if has_print:
        pdf = data / f"Jahresplan {year}.pdf"
        printed = _run(
            frozen, user_home, "--db", str(database), "print", "schedule", "--year", str(year), "--out", str(pdf)
        )
        assert printed.returncode == 0, printed.stdout + printed.stderr
        from pypdf import PdfReader

        reader = PdfReader(pdf)
        text = "".join(page.extract_text() for page in reader.pages)
        assert str(year) in text
        fonts = {
            str(font["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()  # type: ignore[union-attr]
        }
        assert any("DejaVu" in name for name in fonts), fonts  # the shipped fonts were found beside the program

    shots = data / "Bildschirmfotos"
    screenshots = _run(frozen, user_home, "--db", str(database), "--screenshots", str(shots))
    assert screenshots.returncode == 0, screenshots.stdout + screenshots.stderr
    assert len(list(shots.glob("*.png"))) >= 5
    assert all(p.stat().st_size > 10_000 for p in shots.glob("*.png"))  # real pictures, not empty frames

    window = _run(frozen, user_home, "--db", str(database), extra_env={"GESCHAEFTSSTELLE_QUIT_AFTER_MS": "300"})
    assert window.returncode == 0, window.stdout + window.stderr
    assert "Traceback" not in window.stderr

    assert _tree(frozen) == before, "the program wrote into its own folder"
    assert not any((user_home / "Arbeitsordner").iterdir()), "the program wrote into the working directory"
    written = {p.relative_to(user_home) for p in user_home.rglob("*") if p.is_file() and not p.is_relative_to(data)}
    assert written, "no log file was written"
    # Database, log, backups and window settings, each in the program's own per-user folder; nothing else.
    strays = {
        str(p) for p in written if p.parts[0] not in {".local", ".config"} or "geschaeftsstelle" not in p.parts[:-1]
    }
    assert not strays, strays
    if not has_print:
        pytest.skip("`print schedule` gibt es noch nicht; alle anderen Schritte sind geprüft")


@pytest.mark.skipif(not os.environ.get("GESCHAEFTSSTELLE_TEST_PG"), reason="GESCHAEFTSSTELLE_TEST_PG ist nicht gesetzt")
def test_frozen_program_uses_postgresql(frozen: Path, user_home: Path) -> None:
    """The bundled psycopg driver and the PostgreSQL migrations work in the frozen program."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = os.environ["GESCHAEFTSSTELLE_TEST_PG"]
    name = f"gs_frozen_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        demo = _run(frozen, user_home, "--db", url, "demo")
        assert demo.returncode == 0, demo.stdout + demo.stderr
        listing = _run(frozen, user_home, "--db", url, "meetings")
        assert listing.returncode == 0, listing.stderr
        assert len(listing.stdout.splitlines()) >= 5, listing.stdout
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
