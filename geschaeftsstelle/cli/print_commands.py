"""`print …`: every document as a PDF, the same as the window makes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geschaeftsstelle.cli import argument_types, award_commands
from geschaeftsstelle.cli.database_access import opened
from geschaeftsstelle.cli.output_file import written_whole
from geschaeftsstelle.errors import UserError

KINDS = ("invitations", "reply-form", "cancellation", "change-notice", "attendance", "labels", "badges", "schedule",
         "dossier", "certificates", "award-letters", "catering", "venue", "speakers", "sign-in",
         "anniversaries")  # fmt: skip
#: The lists for one recipient of a meeting (documents/recipient_lists.py).
RECIPIENT_KINDS = ("catering", "venue", "speakers")
YEAR_KINDS = ("schedule", "anniversaries")
AWARD_KINDS = ("dossier", "certificates", "award-letters")


def cmd_print(args: argparse.Namespace) -> int:
    from geschaeftsstelle.documents import (
        anniversaries,
        attendance_list,
        award_documents,
        badges,
        invitations,
        labels,
        recipient_lists,
        schedule,
    )

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise UserError("Die Ausgabedatei muss auf .pdf enden (--out datei.pdf).")
    kind = args.kind
    needs_meeting = kind in ("invitations", "reply-form", "cancellation", "change-notice", "attendance", "badges",
                             "sign-in", *RECIPIENT_KINDS) or (kind == "labels" and not args.members)  # fmt: skip
    if needs_meeting and args.meeting is None:
        raise UserError(f"Für „print {kind}“ fehlt --meeting ID (die Nummer aus „meetings“).")
    if kind in YEAR_KINDS and args.year is None:
        raise UserError(f"Für „print {kind}“ fehlt --year JAHR.")
    if kind in AWARD_KINDS and args.award is None:
        raise UserError(f"Für „print {kind}“ fehlt --award JAHR (das Jahr der Preisrunde).")
    with opened(args, write=False) as db, written_whole(out) as tmp:
        if kind == "invitations":
            pages = invitations.invitation_letters(
                db,
                args.meeting,
                tmp,
                selection=args.only,
                with_reply_form=not args.without_reply_form,
                warn=lambda text: print(f"Hinweis: {text}", file=sys.stderr),
            )
        elif kind == "cancellation":
            pages = invitations.cancellation_letters(db, args.meeting, tmp)
        elif kind == "change-notice":
            pages = invitations.change_letters(db, args.meeting, tmp)
        elif kind == "reply-form":
            pages = invitations.reply_forms(db, args.meeting, tmp, selection=args.only)
        elif kind == "attendance":
            pages = attendance_list.attendance_list(
                db, args.meeting, tmp, blank_rows=args.blank_rows, with_assistance=args.assistance
            )
        elif kind == "sign-in":
            pages = attendance_list.sign_in_sheet(db, args.meeting, tmp, blank_rows=args.blank_rows)
        elif kind in RECIPIENT_KINDS:
            pages = recipient_lists.recipient_list(db, kind, args.meeting, tmp)
        elif kind == "anniversaries":
            pages = anniversaries.anniversary_list(db, args.year, tmp)
        elif kind == "labels" and args.members:
            pages = labels.member_labels(db, tmp, sheet_type=args.label_type, start=args.start)
        elif kind == "labels":
            pages = labels.meeting_labels(db, args.meeting, tmp, sheet_type=args.label_type, start=args.start)
        elif kind == "badges":
            pages = badges.name_badges(db, args.meeting, tmp)
        elif kind == "dossier":
            pages = award_documents.jury_dossier(db, args.award, tmp)
        elif kind == "certificates":
            pages, warnings = award_documents.certificates(db, args.award, tmp)
            for warning in warnings:
                print(f"Hinweis: {warning}", file=sys.stderr)
        elif kind == "award-letters":
            pages = award_commands.print_letters(db, args.award, tmp, args.letters)
        else:
            pages = schedule.year_schedule(db, args.year, tmp)
    print(f"{out} geschrieben ({pages} Seiten).")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("print", help="Dokument als PDF: Einladungen, Rückantwort, Teilnehmerliste, Etiketten, …")
    p.add_argument("kind", choices=KINDS, metavar="DOKUMENT", help="|".join(KINDS))
    p.add_argument("--meeting", type=argument_types.non_negative, metavar="ID", help="Termin (Nummer aus „meetings“)")
    p.add_argument("--year", type=argument_types.year, metavar="JAHR", help="Jahr (Termine, Jubiläen)")
    p.add_argument(
        "--award",
        type=argument_types.year,
        metavar="JAHR",
        help="Preisrunde (Jahr) für Juryunterlagen, Urkunden, Briefe",
    )
    p.add_argument("--letters", choices=award_commands.LETTER_CHOICES, help="Briefe zum Ehrenamtspreis: "
                   "winner (Preisträger und ihre Vorschlagenden, Vorgabe), thanks, consent oder all")  # fmt: skip
    p.add_argument("--members", action="store_true", help="Etiketten für alle aktiven Mitglieder")
    p.add_argument("--out", required=True, metavar="DATEI.pdf")
    p.add_argument("--only", choices=("all", "unsent", "open"), default="all", help="Einladungen: alle, "
                   "nur noch nicht versandte oder nur ohne Rückmeldung")  # fmt: skip
    p.add_argument("--without-reply-form", action="store_true", help="Einladungen ohne Rückantwort-Seite")
    p.add_argument("--label-type", choices=("3474", "L7163"), default="3474", help="Etikettenbogen")
    p.add_argument(
        "--start", type=argument_types.non_negative, default=1, metavar="N", help="erste freie Etikettposition (ab 1)"
    )
    p.add_argument(
        "--blank-rows", type=argument_types.non_negative, default=10, metavar="N", help="Leerzeilen der Teilnehmerliste"
    )
    p.add_argument("--assistance", action="store_true", help="Spalte Assistenzbedarf in der Teilnehmerliste")
    p.set_defaults(handler=cmd_print)
