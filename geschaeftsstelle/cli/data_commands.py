"""Commands on the whole office: import, export, meetings, demo."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from geschaeftsstelle import exchange
from geschaeftsstelle.cli import argument_types
from geschaeftsstelle.cli.database_access import opened
from geschaeftsstelle.cli.output_file import written_whole
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.meetings import STATUS_LABELS, list_meetings, time_range
from geschaeftsstelle.store.database import Database
from geschaeftsstelle.store.models import MeetingStatus

#: Importers and exporters by file ending; the member-list module adds .csv and .xlsx.
IMPORTERS: dict[str, Callable[[Database, Path], str]] = {}
EXPORTERS: dict[str, Callable[[Database, Path], str]] = {}


def _import_json(db: Database, path: Path) -> str:
    warnings: list[str] = []  # e.g. an old file's attachment path taken as a label only
    c = exchange.import_file(db, path, warnings=warnings)
    summary = (
        f"Importiert: {c['members']} Mitglieder, {c['contacts']} Kontakte, {c['venues']} Orte, "
        f"{c['meetings']} Termine, {c['invitations']} Einladungen, {c['awards']} Preisrunden, "
        f"{c['nominations']} Nominierungen."
    )
    return "\n".join([summary, *(f"Hinweis: {w}" for w in warnings)])


def _export_json(db: Database, path: Path) -> str:
    c = exchange.export_file(db, path)
    return f"Exportiert nach {path}: {c['members']} Mitglieder, {c['contacts']} Kontakte, {c['meetings']} Termine."


def _import_member_list(db: Database, path: Path) -> str:
    from geschaeftsstelle import member_import

    result = member_import.import_file(db, path)
    return "\n".join([result.summary(), *member_import.problem_lines(result)])


def _export_member_list(db: Database, path: Path) -> str:
    from geschaeftsstelle.member_export import export_members

    return f"{export_members(db, path)} Mitglieder exportiert nach {path}."


IMPORTERS[".json"] = _import_json
EXPORTERS[".json"] = _export_json
IMPORTERS[".csv"] = IMPORTERS[".xlsx"] = _import_member_list
EXPORTERS[".csv"] = EXPORTERS[".xlsx"] = _export_member_list


def _pick(table: dict[str, Callable[[Database, Path], str]], path: Path, verb: str) -> Callable[[Database, Path], str]:
    suffix = path.suffix.lower()
    if suffix not in table:
        endings = ", ".join(sorted(table))
        raise UserError(f"Dateien mit der Endung „{suffix or '(keine)'}“ kann ich nicht {verb} (möglich: {endings}).")
    return table[suffix]


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    importer = _pick(IMPORTERS, path, "importieren")
    with opened(args, write=True) as db:
        print(importer(db, path))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    path = Path(args.file)
    exporter = _pick(EXPORTERS, path, "exportieren")
    with opened(args, write=False) as db, written_whole(path) as draft:
        summary = exporter(db, draft)
    print(summary.replace(str(draft), str(path)))
    return 0


def cmd_meetings(args: argparse.Namespace) -> int:
    with opened(args, write=False) as db:
        found = list_meetings(db, args.year)
    for m in found:
        city = m.venue.city if m.venue else ""
        status = STATUS_LABELS[MeetingStatus(m.status)]
        fields = [str(m.id), f"{m.starts_at:%d.%m.%Y}", time_range(m), m.title, city, status]
        print("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from geschaeftsstelle.demo import load_demo

    with opened(args, write=True) as db:
        counts = load_demo(db)
    print(
        f"Demo-Daten geladen: {counts['members']} Mitglieder, {counts['contacts']} Kontakte, "
        f"{counts['meetings']} Termine, {counts['nominations']} Nominierungen."
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="Austauschdatei (.json) oder Mitgliederliste (.csv, .xlsx) einlesen")
    p.add_argument("file", metavar="DATEI")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", help="alle Daten (.json) oder das Mitgliederverzeichnis (.csv, .xlsx) schreiben")
    p.add_argument("file", metavar="DATEI")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("meetings", help="Termine auflisten (eine Zeile je Termin, Tab-getrennt)")
    p.add_argument("--year", type=argument_types.year, metavar="JAHR", help="nur Termine dieses Jahres")
    p.set_defaults(handler=cmd_meetings)

    p = sub.add_parser("demo", help="eine leere Datenbank mit einer Demo-Kreisgruppe füllen")
    p.set_defaults(handler=cmd_demo)
