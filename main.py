"""Start Geschäftsstelle: `python main.py` opens the window, `python main.py --help` lists the commands.

The only place that knows both the command line and the window: no command → the window, otherwise
the command (geschaeftsstelle.cli never imports ui/).
"""

import argparse
import sys

from geschaeftsstelle.cli import main as run_command


def open_window(args: argparse.Namespace) -> int:
    from ui.app import run_app

    return run_app(args)


def main() -> int:
    return run_command(open_window=open_window)


if __name__ == "__main__":
    sys.exit(main())
