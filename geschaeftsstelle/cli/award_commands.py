"""Award round replies on the command line: `award-consent` records a winner's answer to the consent
request by the reply code printed on it; `print award-letters --letters …` lives with the other documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geschaeftsstelle import awards, reply_codes
from geschaeftsstelle.cli import argument_types
from geschaeftsstelle.cli.database_access import opened

if TYPE_CHECKING:
    from geschaeftsstelle.store.database import Database

#: `print award-letters --letters …`: which of the decision's letters (default: winners and their nominators).
LETTER_CHOICES = ("winner", "thanks", "consent", "all")


def letter_kinds(choice: str | None) -> tuple[str, ...]:
    if choice in (None, "all"):
        return awards.REPLY_KINDS if choice == "all" else ("winner",)
    return (str(choice),)


def print_letters(db: Database, year: int, target: Path, choice: str | None) -> int:
    """The letters of `choice` as one PDF; names on stderr the nominations left out for want of an address."""
    from geschaeftsstelle.documents import award_letters

    pages, missing = award_letters.reply_letters(db, year, target, kinds=letter_kinds(choice))
    for line in missing:
        print(f"Hinweis: {line}", file=sys.stderr)
    return pages


def cmd_award_consent(args: argparse.Namespace) -> int:
    with opened(args, write=True) as db:
        n = awards.nomination_by_code(db, args.code)
        warnings = awards.record_consent(db, n.reply_code or args.code, args.yes, version=n.version)
    answer = "Einverständnis zur Veröffentlichung erteilt" if args.yes else "kein Einverständnis zur Veröffentlichung"
    print(f"{n.nominee} ({reply_codes.printed(n.reply_code or '')}): {answer}.")
    for line in warnings:
        print(f"Hinweis: {line}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "award-consent", help="Antwort auf die Bitte um Einverständnis (Ehrenamtspreis) per Code erfassen"
    )
    p.add_argument(
        "--code",
        required=True,
        type=argument_types.text_of_at_most(40),
        metavar="CODE",
        help="der Code auf dem Brief, z. B. K7M-Q2X",
    )
    answer = p.add_mutually_exclusive_group(required=True)
    answer.add_argument("--yes", dest="yes", action="store_true", help="einverstanden")
    answer.add_argument("--no", dest="yes", action="store_false", help="nicht einverstanden")
    p.set_defaults(handler=cmd_award_consent)
