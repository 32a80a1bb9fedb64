"""DSGVO commands: `privacy access|erase|clear-needs|stale`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from geschaeftsstelle import members, privacy
from geschaeftsstelle.cli import argument_types
from geschaeftsstelle.cli.database_access import opened
from geschaeftsstelle.errors import UserError


def cmd_access(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".json", ".pdf"):
        raise UserError("Die Auskunft wird als .pdf oder .json geschrieben (z. B. --out auskunft.pdf).")
    with opened(args, write=False) as db:
        report = privacy.access_report(db, args.contact)
        if out.suffix.lower() == ".pdf":
            from geschaeftsstelle.documents.access_report import access_report_pdf

            access_report_pdf(db, args.contact, out)
        else:
            out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Auskunft für {report['Person']['Vorname']} {report['Person']['Nachname']} geschrieben: {out}")
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    with opened(args, write=bool(args.yes)) as db:  # the plan alone only reads
        plan = privacy.plan_erasure(db, args.contact)
        seen = members.get_contact(db, args.contact).version  # what this command read and printed
        print(plan.describe())
        for m in plan.mentions:
            print(f"  {m.record} – {m.field}: {m.excerpt}")
        if plan.mentions and not args.blank_mentions:
            print("Diese Freitexte bleiben unverändert; mit --blank-mentions wird der Name darin geschwärzt.")
        if not args.yes:
            print("Nichts gelöscht. Zum Ausführen --yes angeben.")
            return 0
        done = privacy.erase_contact(db, args.contact, version=seen, blank_mentions=args.blank_mentions)
    if done.mentions_blanked:
        print(f"Name in {done.mentions_blanked} Freitext-Feld(ern) geschwärzt.")
    print("Gelöscht." if done.complete else f"Gelöscht. {privacy.ERASURE_PENDING}")
    return 0


def cmd_clear_needs(args: argparse.Namespace) -> int:
    with opened(args, write=True) as db:
        count = privacy.clear_old_needs(db, args.months, standing_needs=args.standing_needs)
    print(f"Assistenz- und Verpflegungsangaben in {count} Einladung(en) gelöscht.")
    if args.standing_needs:
        print("Die ständigen Bedarfe der zu diesen Terminen Eingeladenen wurden ebenfalls gelöscht.")
    return 0


def cmd_stale(args: argparse.Namespace) -> int:
    with opened(args, write=False) as db:
        rows = privacy.contacts_of_former_members(db, args.years)
    for row in rows:
        print(f"{row.contact_id}\t{row.name}\t{row.member}\t{row.left_on:%d.%m.%Y}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("privacy", help="Datenschutz (DSGVO): Auskunft, Löschung, Bedarfe, alte Kontakte")
    psub = p.add_subparsers(dest="privacy_command", metavar="AKTION", required=True)

    a = psub.add_parser("access", help="Auskunft nach Art. 15: alles über eine Person als PDF oder JSON")
    a.add_argument("--contact", type=argument_types.non_negative, required=True, metavar="ID")
    a.add_argument("--out", required=True, metavar="DATEI.pdf|DATEI.json")
    a.set_defaults(handler=cmd_access)

    e = psub.add_parser("erase", help="Person löschen (Art. 17); Einladungen bleiben anonym gezählt")
    e.add_argument("--contact", type=argument_types.non_negative, required=True, metavar="ID")
    e.add_argument("--yes", action="store_true", help="wirklich löschen (sonst nur anzeigen, was geschähe)")
    e.add_argument(
        "--blank-mentions",
        action="store_true",
        help="den Namen auch in den angezeigten Freitexten (Programm, Begründungen, Notizen) schwärzen",
    )
    e.set_defaults(handler=cmd_erase)

    c = psub.add_parser("clear-needs", help="Assistenz- und Verpflegungsangaben vergangener Termine löschen")
    c.add_argument(
        "--months", type=argument_types.non_negative, default=privacy.DEFAULT_NEEDS_RETENTION_MONTHS, metavar="MONATE"
    )
    c.add_argument(
        "--standing-needs",
        action="store_true",
        help="auch die ständigen Bedarfe (Assistenz, Ernährung) der Eingeladenen im Kontakt löschen",
    )
    c.set_defaults(handler=cmd_clear_needs)

    s = psub.add_parser("stale", help="Kontakte von Mitgliedern, die vor mehr als N Jahren ausgetreten sind")
    s.add_argument("--years", type=argument_types.non_negative, default=3, metavar="JAHRE")
    s.set_defaults(handler=cmd_stale)
