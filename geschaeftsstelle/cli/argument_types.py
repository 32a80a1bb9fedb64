"""Argument types shared by the command groups, with German messages for wrong values."""

from __future__ import annotations

import argparse


def year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine Jahreszahl") from None
    if not 1900 <= value <= 2200:
        raise argparse.ArgumentTypeError(f"{value} liegt außerhalb von 1900–2200")
    return value


def non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine ganze Zahl") from None
    if value < 0:
        raise argparse.ArgumentTypeError("die Zahl darf nicht negativ sein")
    return value
