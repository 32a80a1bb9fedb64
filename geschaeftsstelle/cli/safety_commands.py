"""`backup`, `restore`, `backups`: the SQLite database's backups from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from geschaeftsstelle import privacy
from geschaeftsstelle.cli.database_access import database_url, opened
from geschaeftsstelle.store import backup


def _sqlite_path(args: argparse.Namespace) -> Path:
    url = database_url(args)
    if url.get_backend_name() != "sqlite":
        raise backup.BackupError(backup.POSTGRES_MESSAGE)
    return Path(url.database or "")


def cmd_backup(args: argparse.Namespace) -> int:
    _sqlite_path(args)
    with opened(args, write=False, migrate=False) as db:  # the state as it is, before any migration
        info = backup.backup_to(db, Path(args.out)) if args.out else backup.make_backup(db, backup.KIND_MANUAL)
    print(f"Gesichert nach {info.path}: {info.describe()}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    live = _sqlite_path(args)
    info, kept = backup.restore(live, Path(args.file))
    with opened(args, write=True) as db:  # checks the restored file and brings an older schema up to date
        # The backup may predate erasures (Art. 17): the kept previous state's register names them.
        again = privacy.reapply_erasures(db, kept) if kept is not None else 0
    print(f"Wiederhergestellt: {info.describe()}")
    if notice := privacy.reapplied_text(again):
        print(notice)
    if kept is not None:
        print(f"Der vorherige Stand ist aufbewahrt in {kept}.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    live = _sqlite_path(args)
    items = backup.list_backups_of(live)  # without opening the database: it may be the damaged one
    if not items:
        print(f"Noch keine Sicherungen in {backup.backup_folder(live)}.")
    for item in items:
        print(f"{item.describe()}\t{item.path}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="die SQLite-Datenbank sichern (Online-Sicherung, auch während sie offen ist)")
    p.add_argument("--out", metavar="DATEI", help="Zieldatei (Vorgabe: neue Sicherung im Sicherungsordner)")
    p.set_defaults(handler=cmd_backup)

    r = sub.add_parser("restore", help="aus einer Sicherung wiederherstellen (der jetzige Stand wird vorher gesichert)")
    r.add_argument("file", metavar="DATEI", help="die Sicherung (.sqlite)")
    r.set_defaults(handler=cmd_restore)

    b = sub.add_parser("backups", help="die Sicherungen mit Datum und Umfang auflisten")
    b.set_defaults(handler=cmd_list)
