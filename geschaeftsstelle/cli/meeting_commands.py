"""Commands for meetings: `plan` (Jahresplanung with holiday warnings) and `ics` (calendar export)."""

from __future__ import annotations

import argparse
from pathlib import Path

from geschaeftsstelle import calendar_export, planning
from geschaeftsstelle.cli import argument_types
from geschaeftsstelle.cli.database_access import opened
from geschaeftsstelle.cli.output_file import written_whole
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.meetings import KIND_LABELS
from geschaeftsstelle.store.models import MeetingKind


def _kind(text: str) -> str:
    wanted = text.strip().lower()
    for kind, label in KIND_LABELS.items():
        if wanted in (kind.value, label.lower()):
            return kind.value
    choices = ", ".join(KIND_LABELS.values())
    raise argparse.ArgumentTypeError(f"„{text}“ ist keine Art (möglich: {choices})")


def cmd_plan(args: argparse.Namespace) -> int:
    if bool(args.rule) == bool(args.dates):
        raise UserError("Bitte genau eines angeben: --rule „FREQ=…“ oder --dates „TT.MM.JJJJ, …“.")
    start, end = planning.parse_time_range(args.time)
    dates = planning.expand_rule(args.rule, args.year) if args.rule else planning.parse_dates(args.dates)
    with opened(args, write=args.create) as db:
        state = planning.office_state(db)
        planned = planning.mark_holidays(dates, state)
        print(f"{len(planned)} Termine {start:%H:%M}–{end:%H:%M} Uhr: {args.title}")
        print(planning.state_note(state))
        for p in planned:
            print(("! " if p.holiday else "  ") + p.label())
        if holidays := [p for p in planned if p.holiday]:
            print(f"Warnung: {len(holidays)} Termine fallen auf einen Feiertag.")
        if args.create:
            ids = planning.create_series(
                db,
                planning.SeriesInput(
                    title=args.title, dates=dates, start=start, end=end, kind=args.kind, venue_id=args.venue
                ),
            )
            print(f"{len(ids)} Termine angelegt.")
        else:
            print("Nur Vorschau; mit --create werden die Termine angelegt.")
    return 0


def cmd_ics(args: argparse.Namespace) -> int:
    if (args.year is None) == (args.meeting is None):
        raise UserError("Bitte genau eines angeben: --year JAHR oder --meeting NR.")
    out = Path(args.out)
    if out.suffix.lower() != ".ics":
        raise UserError("Die Kalenderdatei muss auf .ics enden.")
    with opened(args, write=False) as db, written_whole(out) as draft:
        if args.meeting is not None:
            count = calendar_export.export_meeting(db, args.meeting, draft)
        else:
            count = calendar_export.export_year(db, args.year, draft)
    print(f"{count} Termine in {out} geschrieben.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("plan", help="Jahresplanung: Termine nach Regel vorschauen (mit Feiertagen) und anlegen")
    p.add_argument("--year", type=argument_types.year, required=True, metavar="JAHR", help="das zu planende Jahr")
    p.add_argument(
        "--rule",
        type=argument_types.text_of_at_most(500),
        metavar="REGEL",
        help="z. B. „FREQ=MONTHLY;INTERVAL=2;BYDAY=+2WE“",
    )
    p.add_argument(
        "--dates",
        type=argument_types.text_of_at_most(5000),
        metavar="DATEN",
        help="feste Daten, z. B. „12.02.2021, 14.04.2021“",
    )
    p.add_argument("--time", required=True, metavar="VON-BIS", help="z. B. 14:00-16:00")
    p.add_argument("--title", required=True, metavar="TITEL", help="Titel jedes Termins")
    p.add_argument(
        "--kind", type=_kind, default=MeetingKind.MEETING.value, metavar="ART",
        help="Sitzung (Vorgabe), Konferenz, Netzwerktreffen, Fest, Workshop oder Sonstiges",
    )  # fmt: skip
    p.add_argument("--venue", type=argument_types.whole_number, metavar="ORT_NR", help="Nummer des Veranstaltungsorts")
    p.add_argument("--create", action="store_true", help="die Termine anlegen (sonst nur Vorschau)")
    p.set_defaults(handler=cmd_plan)

    p = sub.add_parser("ics", help="Termine als Kalenderdatei (.ics) schreiben")
    p.add_argument("--year", type=argument_types.year, metavar="JAHR", help="alle Termine dieses Jahres")
    p.add_argument(
        "--meeting", type=argument_types.whole_number, metavar="NR", help="nur dieser Termin (Nummer wie in „meetings“)"
    )
    p.add_argument("--out", required=True, metavar="DATEI.ics")
    p.set_defaults(handler=cmd_ics)
