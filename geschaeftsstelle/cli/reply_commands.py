"""`reply --code CODE --accept|--decline [--persons N]`: a reply recorded by the code on the reply form, as
„Rückmeldung erfassen“ does in the window (a mistyped code is refused before any lookup)."""

from __future__ import annotations

import argparse

from geschaeftsstelle import invitations, reply_codes
from geschaeftsstelle.cli import argument_types
from geschaeftsstelle.cli.database_access import opened
from geschaeftsstelle.store.models import Channel, Response


def cmd_reply(args: argparse.Namespace) -> int:
    response = Response.ACCEPTED.value if args.accept else Response.DECLINED.value
    persons = args.persons if args.persons is not None else (1 if args.accept else 0)
    with opened(args, write=True) as db:
        row = invitations.find_by_code(db, args.code)
        reply = invitations.ReplyInput(
            response=response,
            persons=persons,
            attendee_names=list(row.attendee_names),
            assistance=row.assistance,
            diet=row.diet,
            channel=row.channel or Channel.FAX.value,
            notes=row.notes,
        )
        saved = invitations.record_reply(db, row.id, row.version, reply)
    answer = f"Zusage ({saved.persons} Pers.)" if saved.response == Response.ACCEPTED.value else "Absage"
    if saved.response not in (Response.ACCEPTED.value, Response.DECLINED.value):
        answer = saved.response  # e.g. the waiting list took an acceptance of a full meeting
    print(f"{saved.name} ({reply_codes.printed(saved.reply_code)}): {answer}.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("reply", help="Rückmeldung zu einer Einladung per Code erfassen")
    p.add_argument(
        "--code",
        required=True,
        type=argument_types.text_of_at_most(40),
        metavar="CODE",
        help="der Code auf der Rückantwort, z. B. K7M-Q2X",
    )
    answer = p.add_mutually_exclusive_group(required=True)
    answer.add_argument("--accept", dest="accept", action="store_true", help="Zusage")
    answer.add_argument("--decline", dest="accept", action="store_false", help="Absage")
    p.add_argument(
        "--persons", type=argument_types.whole_number, metavar="N", help="Anzahl Personen (Zusage: 1, Absage: 0)"
    )
    p.set_defaults(handler=cmd_reply)
