"""The command line as a user runs it: exit codes, German messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geschaeftsstelle import __version__, members, privacy
from geschaeftsstelle.cli import main
from geschaeftsstelle.store import backup
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.opening import open_database

ROOT = Path(__file__).parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "office_small.json"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real program in a child process, as `python main.py …`."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=full_env, timeout=120
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"Geschäftsstelle {__version__}"


def test_help_is_german() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "Aufruf:" in result.stdout
    assert "Befehle" in result.stdout
    assert "show this help" not in result.stdout


def test_wrong_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["import"])
    assert info.value.code == 2
    assert "diese Angaben fehlen" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["meetings", "--year", "zwanzig"])
    assert info.value.code == 2


def test_import_export_meetings_round_trip(db_url: str, tmp_path: Path) -> None:
    result = run("--db", db_url, "import", str(FIXTURE))
    assert result.returncode == 0, result.stderr
    assert "3 Mitglieder" in result.stdout
    out = tmp_path / "export.json"
    assert run("--db", db_url, "export", str(out)).returncode == 0
    assert json.loads(out.read_text("utf-8"))["members"][0]["name"] == "Camsin e. V."
    result = run("--db", db_url, "meetings", "--year", "2020")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[1:] == ["12.02.2020", "13:00–16:00", "Kreisgruppensitzung", "Leipzig", "bestätigt"]
    assert lines[1].split("\t")[4] == ""  # no venue yet: empty city
    assert run("--db", db_url, "meetings", "--year", "2021").stdout == ""


def test_db_from_environment_variable(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite"
    result = run("import", str(FIXTURE), env={"GESCHAEFTSSTELLE_DB": str(path)})
    assert result.returncode == 0, result.stderr
    assert path.exists()


def test_user_errors_exit_1_with_one_line_and_no_traceback(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    data = json.loads(FIXTURE.read_text("utf-8"))
    data["meetings"][1]["ends_at"] = "2020-06-17T14:00"
    bad.write_text(json.dumps(data), "utf-8")
    result = run("--db", db_url, "import", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip() == "Fehler: meetings[1].ends_at: Ende liegt vor Beginn."
    assert "Traceback" not in result.stderr
    assert run("--db", db_url, "meetings").stdout == ""  # nothing was imported

    for args, expected in [
        (("import", str(tmp_path / "missing.json")), "gibt es nicht"),
        (("import", str(tmp_path / "list.doc")), "Endung"),
        (("export", str(tmp_path / "no-such-dir" / "x.json")), "Fehler:"),
    ]:
        result = run("--db", db_url, *args)
        assert result.returncode == 1, args
        assert expected in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    not_a_db = tmp_path / "kaputt.sqlite"
    not_a_db.write_bytes(b"das ist keine Datenbank" * 100)
    result = run("--db", str(not_a_db), "meetings")
    assert result.returncode == 1
    assert "keine Datenbank" in result.stderr
    result = run("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "meetings")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    result = run("--db", "mysql://x@y/z", "meetings")
    assert result.returncode == 1
    assert "nicht unterstützt" in result.stderr


def test_demo_fills_an_empty_database_and_refuses_a_full_one(db: Database, db_url: str) -> None:
    result = run("--db", db_url, "demo")
    assert result.returncode == 0, result.stderr
    assert "35 Mitglieder" in result.stdout
    assert len(run("--db", db_url, "meetings").stdout.splitlines()) >= 8
    again = run("--db", db_url, "demo")
    assert again.returncode == 1
    assert "schon Daten" in again.stderr


def test_privacy_commands(db_url: str, tmp_path: Path) -> None:
    assert run("--db", db_url, "import", str(FIXTURE)).returncode == 0
    out = tmp_path / "auskunft.json"
    result = run("--db", db_url, "privacy", "access", "--contact", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text("utf-8"))["Person"]["Nachname"] == "Beispiel"
    dry = run("--db", db_url, "privacy", "erase", "--contact", "1")
    assert "Nichts gelöscht" in dry.stdout
    assert run("--db", db_url, "privacy", "erase", "--contact", "1", "--yes").returncode == 0
    missing = run("--db", db_url, "privacy", "access", "--contact", "1", "--out", str(out))
    assert missing.returncode == 1
    assert "gibt es nicht" in missing.stderr
    stale = run("--db", db_url, "privacy", "stale", "--years", "1")
    assert "Lebenshilfe" in stale.stdout


def test_restore_erases_again_whoever_was_erased_since_the_backup(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Art. 17 survives a restore from the command line too."""
    person = members.save_contact(sqlite_db, members.ContactInput(first_name="Zora", last_name="Quellmalz"))
    older = backup.backup_to(sqlite_db, tmp_path / "older.sqlite").path
    privacy.erase_contact(sqlite_db, person, version=members.get_contact(sqlite_db, person).version)
    path = sqlite_db.sqlite_path
    sqlite_db.dispose()
    assert main(["--db", str(path), "restore", str(older)]) == 0
    out = capsys.readouterr().out
    assert "eine seither gelöschte Person wurde erneut gelöscht" in out
    again = open_database(f"sqlite:///{path}")
    try:
        assert person not in [c.id for c in members.list_contacts(again)]
        assert [e.contact_id for e in privacy.erasure_register(again)] == [person]
    finally:
        again.dispose()
