"""`import-replies`: registrations exported from an online form (CSV/XLSX) become a meeting's replies.

Without `--apply` only the preview is printed (matched, new, doubtful, each row with what it would do);
with it the preview is written in one transaction. `--map field=column` changes the column mapping,
which is remembered for the meeting once applied.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geschaeftsstelle import member_import, reply_import
from geschaeftsstelle.cli import argument_types
from geschaeftsstelle.cli.database_access import opened


def cmd_import_replies(args: argparse.Namespace) -> int:
    overrides = [reply_import.parse_map_option(text) for text in args.map or []]
    table = member_import.read_table(Path(args.file))
    with opened(args, write=args.apply) as db:
        mapping = reply_import.mapping_for(db, args.meeting, table)
        for key, header in overrides:
            if header:
                mapping[key] = header
            else:
                mapping.pop(key, None)
        preview = reply_import.preview(db, args.meeting, table, mapping, Path(args.file).name)
        print("Zuordnung: " + ", ".join(f"{reply_import.FIELD_LABELS[k]} = „{h}“" for k, h in mapping.items()))
        for line in preview.report_lines():
            print(line)
        if not args.apply:
            print("Nur Vorschau; mit --apply wird übernommen (neue Personen zusätzlich mit --add-new).")
            return 0
        outcome = reply_import.apply_import(db, preview, add_new=args.add_new, allow_non_members=args.allow_non_members)
    print(outcome.summary())
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import-replies", help="Anmeldungen aus einem Online-Formular (CSV/XLSX) als Rückmeldungen übernehmen"
    )
    p.add_argument(
        "--meeting", type=argument_types.whole_number, required=True, metavar="NR", help="Nummer des Termins"
    )
    p.add_argument("file", metavar="DATEI", help="Export des Formulars (.csv oder .xlsx)")
    p.add_argument("--apply", action="store_true", help="übernehmen (sonst nur Vorschau)")
    p.add_argument("--add-new", action="store_true", help="neue Personen (nicht eingeladen) als Gäste einladen")
    p.add_argument(
        "--allow-non-members", action="store_true", help="bei Terminen nur für Mitglieder auch Nichtmitglieder einladen"
    )
    p.add_argument(
        "--map", action="append", type=argument_types.text_of_at_most(500), metavar="FELD=SPALTE",
        help="Spalte für ein Feld (code, email, first_name, last_name, name, organisation, answer, persons, "
        "attendee_names, assistance, diet, notes); leer = Feld nicht übernehmen",
    )  # fmt: skip
    p.set_defaults(handler=cmd_import_replies)
