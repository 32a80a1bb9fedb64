"""`invite --meeting ID (--members | --tag TAG | --contact ID … | --speakers) [--allow-non-members]`: invite
from the command line as the board does. At a members-only meeting, former members, external contacts and
contacts without a member organisation are refused (one German line naming them) unless confirmed with
--allow-non-members."""

from __future__ import annotations

import argparse

from geschaeftsstelle import invitations, meetings
from geschaeftsstelle.cli import argument_types
from geschaeftsstelle.cli.database_access import opened
from geschaeftsstelle.errors import UserError
from geschaeftsstelle.store.models import MeetingStatus


def cmd_invite(args: argparse.Namespace) -> int:
    chosen = [bool(args.members), args.tag is not None, bool(args.contact), bool(args.speakers)]
    if sum(chosen) != 1:
        raise UserError("Bitte genau eines angeben: --members, --tag SCHLAGWORT, --contact ID oder --speakers.")
    allow = args.allow_non_members
    with opened(args, write=True) as db:
        meeting = meetings.get_meeting(db, args.meeting)
        if meeting.status == MeetingStatus.CANCELLED:  # the service invites regardless (reported, issue 15)
            raise UserError(f"„{meeting.title}“ ist abgesagt; dazu wird niemand mehr eingeladen.")
        if args.members:
            result = invitations.invite_all_members(db, args.meeting)
        elif args.tag is not None:
            result = invitations.invite_members_by_tag(db, args.meeting, args.tag)
        elif args.contact:
            result = invitations.invite_contacts(db, args.meeting, args.contact, allow_non_members=allow)
        else:
            result = invitations.invite_speakers(db, args.meeting, allow_non_members=allow)
    print(result.message())
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("invite", help="zu einem Termin einladen (Mitglieder, Schlagwort, Kontakte, Referent/innen)")
    p.add_argument("--meeting", type=argument_types.non_negative, required=True, metavar="ID")
    p.add_argument("--members", action="store_true", help="alle aktiven Mitglieder (Hauptansprechpersonen)")
    p.add_argument("--tag", metavar="SCHLAGWORT", help="aktive Mitglieder mit diesem Schlagwort")
    p.add_argument("--contact", type=argument_types.non_negative, action="append", metavar="ID",
                   help="einzelne Kontakte (mehrfach möglich)")  # fmt: skip
    p.add_argument("--speakers", action="store_true", help="die Referentinnen und Referenten des Termins")
    p.add_argument(
        "--allow-non-members",
        action="store_true",
        help="bei Terminen nur für Mitglieder auch ehemalige Mitglieder und externe Kontakte einladen",
    )
    p.set_defaults(handler=cmd_invite)
