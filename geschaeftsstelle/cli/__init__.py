"""The command line: `geschaeftsstelle [--db …] [command …]`; without a command the window opens.

Exit codes: 0 success, 2 wrong usage, 1 a user error (one German line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import errno
import gc
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from geschaeftsstelle import __version__
from geschaeftsstelle.cli import german_argparse
from geschaeftsstelle.errors import UserError

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], int]


def _command_modules() -> list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]]:
    """Each command group registers its subcommands; the list is explicit so frozen builds find them."""
    from geschaeftsstelle.cli import (
        award_commands,
        data_commands,
        invite_commands,
        meeting_commands,
        print_commands,
        privacy_commands,
        reply_commands,
        reply_import_commands,
        safety_commands,
    )

    return [
        data_commands.register,
        meeting_commands.register,
        print_commands.register,
        privacy_commands.register,
        safety_commands.register,
        award_commands.register,
        reply_import_commands.register,
        invite_commands.register,
        reply_commands.register,
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
    from geschaeftsstelle import log_setup
    from geschaeftsstelle.cli.terminal_output import escaped_output

    log_file = log_setup.configure()
    with escaped_output(), _unraisable_into_log():
        return _run(args.handler, args, log_file)


def _run(handler: Handler, args: argparse.Namespace, log_file: object) -> int:
    from sqlalchemy.exc import DBAPIError

    from geschaeftsstelle.store.database import describe_error

    try:
        code = handler(args)
        sys.stdout.flush()  # a closed pipe (`… | head`) shows here, not as Python's complaint at exit
        return code
    except UserError as exc:
        print(f"Fehler: {exc}".replace("\n", " "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader has all it wanted: not an error
        _discard_stdout()
        return 0
    except OSError as exc:
        where = f" „{exc.filename}“" if exc.filename else ""
        reason = _os_reason(exc)
        print(f"Fehler: Die Datei{where} kann nicht gelesen oder geschrieben werden: {reason}", file=sys.stderr)
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


_OS_REASONS = {
    errno.ENOENT: "Datei oder Ordner gibt es nicht.",
    errno.EACCES: "keine Berechtigung.",
    errno.EPERM: "keine Berechtigung.",
    errno.ENOSPC: "der Datenträger ist voll.",
    errno.EROFS: "das Laufwerk ist schreibgeschützt.",
    errno.EISDIR: "das ist ein Ordner.",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner.",
}


def _os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno or 0, f"{exc.strerror or exc}.")


def _discard_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit has nowhere to fail."""
    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else -1
    except (OSError, ValueError):
        return
    if fd >= 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


@contextmanager
def _unraisable_into_log() -> Iterator[None]:
    """Errors Python can only report as "Exception ignored in …" (a library's half-closed writer collected
    after a failed save) go into the log file, never as a traceback under the German line."""
    previous = sys.unraisablehook

    def into_log(unraisable: sys.UnraisableHookArgs) -> None:
        log.warning(
            "Nachträglicher Fehler in %r: %s", unraisable.object, unraisable.exc_value, exc_info=unraisable.exc_value
        )

    sys.unraisablehook = into_log
    try:
        yield
    finally:
        gc.collect()  # what the command left behind is finalised now, while the hook still logs
        sys.unraisablehook = previous


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
