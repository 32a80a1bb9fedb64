"""The command line: `geschaeftsstelle [--db …] [command …]`; without a command the window opens.

Exit codes: 0 success, 2 wrong usage, 1 a user error (one German line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from geschaeftsstelle import __version__
from geschaeftsstelle.cli import german_argparse
from geschaeftsstelle.errors import UserError

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], int]


def _command_modules() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Each command group registers its subcommands; the list is explicit so frozen builds find them."""
    from geschaeftsstelle.cli import data_commands, meeting_commands, print_commands, privacy_commands, safety_commands

    return [
        data_commands.register,
        meeting_commands.register,
        print_commands.register,
        privacy_commands.register,
        safety_commands.register,
    ]


def build_parser() -> argparse.ArgumentParser:
    german_argparse.install()
    parser = argparse.ArgumentParser(
        prog="geschaeftsstelle",
        description="Geschäftsstelle – Mitglieder, Termine, Einladungen und Ehrenamtspreis. "
        "Ohne Befehl öffnet sich das Programmfenster.",
    )
    parser.add_argument(
        "--version", action="version", version=f"Geschäftsstelle {__version__}", help="Programmversion zeigen"
    )
    parser.add_argument(
        "--db",
        metavar="PFAD_ODER_URL",
        help="Datenbank: Pfad einer SQLite-Datei oder postgresql+psycopg://…-Adresse "
        "(Vorgabe: $GESCHAEFTSSTELLE_DB oder die Datei im Benutzerordner)",
    )
    parser.add_argument("--screenshots", metavar="ORDNER", help="jede Ansicht als PNG in ORDNER speichern und beenden")
    sub = parser.add_subparsers(dest="command", metavar="BEFEHL", title="Befehle")
    for register in _command_modules():
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, open_window: Handler | None = None) -> int:
    """Run one command. Without a command, `open_window` (given by main.py, the start) opens the window:
    the command line never imports the screens; alone it prints its help."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # answered before SQLAlchemy, Qt and the services are even imported
        print(f"Geschäftsstelle {__version__}")
        return 0
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        if open_window is None:
            parser.print_help()
            return 0
        return open_window(args)
    from sqlalchemy.exc import DBAPIError

    from geschaeftsstelle import log_setup
    from geschaeftsstelle.store.database import describe_error

    handler: Handler = args.handler
    log_file = log_setup.configure()
    try:
        return handler(args)
    except UserError as exc:
        print(f"Fehler: {exc}".replace("\n", " "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f" „{exc.filename}“" if exc.filename else ""
        print(f"Fehler: Die Datei{where} kann nicht gelesen oder geschrieben werden: {exc.strerror}.", file=sys.stderr)
        return 1
    except DBAPIError as exc:
        log.exception("Datenbankfehler")
        print(f"Fehler: {describe_error(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line for the user, the traceback into the log file
        log.exception("Unerwarteter Fehler")
        print(
            f"Fehler: Unerwarteter Programmfehler ({type(exc).__name__}). Details stehen im Protokoll {log_file}.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
