"""Safe text for ReportLab: user text never becomes markup, German formats for dates and times, and text
fitted to a width without losing or overflowing a letter."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")  # fmt: skip
Hyphenate = Callable[[str], Iterable[tuple[str, str]]]  # word -> (head, tail) pairs, longest head first
LONGEST_WORD = 100  # longer runs of letters are no words a dictionary knows: they break between letters


SOFT_HYPHEN = "\u00ad"
_UNPRINTABLE = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def esc(text: str | None, *, keep_soft_hyphens: bool = False) -> str:
    """Escape for a Paragraph: `<img src=…>`, `<font size=80>` and `&` print literally; line breaks stay
    (CR LF and a lone CR, as pasted from old programs, become one). Soft hyphens pasted with a text go:
    after one, ReportLab drops the space before an escaped character ("Kreisgruppe& Co"); only those
    placed by `page.soft_hyphens` for a too-wide word stay (`keep_soft_hyphens`)."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not keep_soft_hyphens:
        text = text.replace(SOFT_HYPHEN, "")
    return escape(text.translate(_UNPRINTABLE)).replace("\n", "<br/>")


def date_de(value: dt.date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def long_date_de(value: dt.date) -> str:
    """`Mittwoch, 12. Februar 2020`, as a letter names the day of a meeting."""
    return f"{WEEKDAYS[value.weekday()]}, {value.day}. {MONTHS[value.month - 1]} {value.year}"


def time_de(value: dt.datetime | dt.time) -> str:
    return f"{value:%H:%M} Uhr"


def time_range_de(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start:%H:%M} bis {end:%H:%M} Uhr"


def money_de(value: Decimal | None) -> str:
    if value is None:
        return "kostenlos"
    return f"{value:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


# Text that must fit a width, for documents drawn straight on the canvas (labels, badges). Prefixes are
# measured by galloping and bisection, so the cost grows with what fits and at most linearly with the text:
# shortening one letter at a time took 148 s for a 100,000-character name.


def fitting_prefix(text: str, font: str, size: float, width: float, start: int = 0, suffix: str = "") -> int:
    """The largest k ≥ start such that text[start:k] + suffix fits into `width` (start if nothing fits)."""
    n = len(text)

    def fits(k: int) -> bool:
        measured: float = stringWidth(text[start:k] + suffix, font, size)
        return measured <= width

    lo, step = start, 1  # lo always fits (or is start)
    while lo < n:
        probe = min(lo + step, n)
        if not fits(probe):
            hi = probe
            break
        lo, step = probe, step * 2
    else:
        return n
    while hi - lo > 1:  # lo fits, hi does not
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return lo


def shorten_to_width(text: str, font: str, size: float, width: float, *, cut: bool = False) -> str:
    """`text` if it fits (and `cut` is false), else its longest prefix that fits with an ellipsis."""
    if not cut and stringWidth(text, font, size) <= width:
        return text
    k = fitting_prefix(text, font, size, width, suffix="…")
    return text[:k].rstrip() + "…"


def wrap_to_width(text: str, font: str, size: float, width: float, hyphenate: Hyphenate | None = None) -> Iterator[str]:
    """Lines no wider than `width`, broken at spaces. A word wider than a whole line begins on the current
    line and breaks at a hyphenation point (`hyphenate(word)` gives (head, tail) pairs, longest head first,
    as pyphen's `iterate`), else between letters: nothing is left out. Lazy, and linear in the text however
    long its words are."""
    space = stringWidth(" ", font, size)
    line: list[str] = []
    line_w = 0.0
    for word in text.split():
        w = stringWidth(word, font, size)
        if line and line_w + space + w <= width:
            line.append(word)
            line_w += space + w
            continue
        start = 0
        if line and w > width:  # it breaks anyway: fill this line first
            piece, start = _break_word(word, start, font, size, width - line_w - space, hyphenate)
            if piece:
                line.append(piece)
        if line:
            yield " ".join(line)
        while w > width:
            piece, start = _break_word(word, start, font, size, width, hyphenate)
            if not piece:  # a single letter wider than the line
                piece, start = word[start], start + 1
            if start >= len(word):
                word = piece
                break
            yield piece
        else:
            word = word[start:]
        line, line_w = [word], stringWidth(word, font, size)
    if line:
        yield " ".join(line)


def _break_word(
    word: str, start: int, font: str, size: float, room: float, hyphenate: Hyphenate | None
) -> tuple[str, int]:
    """The longest piece of word[start:] that fits into `room` (all of it if it fits; else up to a
    hyphenation point, with its hyphen; else up to a letter) and where the rest begins."""
    end = fitting_prefix(word, font, size, room, start)
    if end >= len(word):
        return word[start:], end
    if hyphenate is not None and len(word) - start <= LONGEST_WORD:  # no copy of a long rest: stays linear
        for head, _tail in hyphenate(word[start:]):
            if stringWidth(head + "-", font, size) <= room:
                return head + "-", start + len(head)
    return word[start:end], end


def fit_lines(
    text: str, font: str, size: float, width: float, max_lines: int, hyphenate: Hyphenate | None = None
) -> tuple[list[str], bool]:
    """At most `max_lines` wrapped lines, and whether that is all of the text; when it is not, the last
    line ends with an ellipsis."""
    lines = list(itertools.islice(wrap_to_width(text, font, size, width, hyphenate), max_lines + 1))
    if len(lines) <= max_lines:
        return lines, True
    last = lines[max_lines - 1] + " " + lines[max_lines]
    return [*lines[: max_lines - 1], shorten_to_width(last, font, size, width, cut=True)], False
