"""Checking one entry of an exchange file against its field table, with the format's messages.

`Entry.read(table)` checks every plain field of an entry (kind, limits, references) and returns the values
under their column names; each reader takes the common case first and leaves every message to `Entry`.
A problem is raised as one line `path.field: message`, indices counted from 0.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from geschaeftsstelle.errors import FieldError
from geschaeftsstelle.exchange.format import AUDIT_TIME, DATE, DATETIME, TIME, ExchangeError, Field, HugeNumber, Table

_SHAPES = {
    DATE: re.compile(r"\d{4}-\d{2}-\d{2}"),
    DATETIME: re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"),
    TIME: re.compile(r"\d{2}:\d{2}"),
    AUDIT_TIME: re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"),
}
_MISSING = object()


def kind_of(value: Any) -> str:
    if isinstance(value, HugeNumber):
        return f"eine {value}"
    return {bool: "true/false", int: "eine Zahl", float: "eine Zahl", str: "ein Text", list: "eine Liste"}.get(
        type(value), "ein Objekt" if isinstance(value, dict) else "null"
    )


class Entry:
    """Typed, strict access to one JSON object; every problem names `path.field`."""

    __slots__ = ("obj", "path", "refs")

    def __init__(self, obj: Any, path: str, table: Table | frozenset[str], refs: dict[str, dict[str, Any]]) -> None:
        if not isinstance(obj, dict):
            raise ExchangeError(f"{path}: Ein Objekt {{…}} wird erwartet.")
        self.obj = obj
        self.path = path
        self.refs = refs
        allowed = table.keys if isinstance(table, Table) else table
        if not allowed.issuperset(obj):
            self.fail(sorted(set(obj) - allowed)[0], "Dieses Feld gibt es im Format nicht (Tippfehler?).")

    def fail(self, key: str, message: str) -> NoReturn:
        raise ExchangeError(f"{self.path}.{key}: {message}")

    def check(self, errors: list[FieldError], rename: dict[str, str] | None = None) -> None:
        """Raise the first error a domain validator found, under this entry's path."""
        if errors:
            e = errors[0]
            self.fail((rename or {}).get(e.field, e.field), e.message)

    def get(self, key: str, required: bool = False) -> Any:
        value = self.obj.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(key, "Das Feld fehlt.")
            return None
        return value

    def text(self, key: str, *, required: bool = False, default: str = "", limit: int = 100_000) -> str:
        value = self.get(key, required)
        if value is None:
            if required:
                self.fail(key, "Ein Text wird erwartet, nicht null.")
            return default
        if not isinstance(value, str):
            self.fail(key, f"Ein Text wird erwartet, nicht {kind_of(value)}.")
        if len(value) > limit:
            self.fail(key, f"Der Text ist mit {len(value)} Zeichen zu lang (höchstens {limit}).")
        if "\x00" in value:
            self.fail(key, "Der Text enthält ein Nullzeichen.")
        return value

    def opt_text(self, key: str, *, limit: int = 100_000) -> str | None:
        return None if self.get(key) is None else self.text(key, limit=limit)

    def array(self, key: str) -> list[Any]:
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"Eine Liste […] wird erwartet, nicht {kind_of(value)}.")
        return value

    def parse(self, key: str, value: Any, fmt: str, shape: str) -> dt.datetime:
        if not isinstance(value, str):
            self.fail(key, f"Ein Datum als Text ({shape}) wird erwartet, nicht {kind_of(value)}.")
        if not _SHAPES[fmt].fullmatch(value):
            self.fail(key, f"„{value}“ hat nicht die Form {shape}.")
        try:  # the shape is fixed above, so the fast ISO parser is exact here
            return dt.datetime.strptime(value, fmt) if fmt == TIME else dt.datetime.fromisoformat(value)
        except ValueError:
            self.fail(key, f"„{value}“ ist kein gültiges Datum bzw. keine gültige Uhrzeit ({shape}).")
            raise  # unreachable: fail raised

    def choice(self, key: str, values: tuple[str, ...], *, default: str | None = None, nullable: bool = False) -> Any:
        value = self.get(key, default is None and not nullable)
        if value is None:
            if nullable:
                return None
            if default is not None:
                return default
            self.fail(key, "Ein Wert fehlt.")
        if value not in values:
            shown = ", ".join(f'"{a}"' for a in values)
            self.fail(key, f"„{value}“ ist nicht erlaubt (möglich: {shown}).")
        return value

    def ref(self, f: Field) -> Any:
        value = self.get(f.key, f.required)
        if value is None:
            if f.required:
                self.fail(f.key, f"Der Verweis auf {f.what} fehlt.")
            return None
        table = self.refs[f.target]
        if not isinstance(value, str) or value not in table:
            self.fail(f.key, f"Verweis „{value}“ auf {f.what} führt ins Leere.")
        return table[value]

    def read(self, table: Table) -> dict[str, Any]:
        """Every plain field of the entry, checked, under its column name (nested rows are left out)."""
        plan = _PLANS.get(table)
        if plan is None:
            plan = _PLANS[table] = [
                (f.name, _READERS[f.kind], f) for f in table.fields if f.kind not in ("rows", "ident")
            ]
        return {name: read(self, f) for name, read, f in plan}


_PLANS: dict[Table, list[tuple[str, Any, Field]]] = {}


def _text(e: Entry, f: Field) -> Any:
    value = e.obj.get(f.key)
    if value.__class__ is str and len(value) <= f.limit and "\x00" not in value:
        return value
    return e.text(f.key, required=f.required, default=f.default, limit=f.limit)


def _opt_text(e: Entry, f: Field) -> Any:
    value = e.obj.get(f.key)
    if value is None:
        return None
    value = _text(e, f)
    return (value or None) if f.nullable else value


def _flag(e: Entry, f: Field) -> Any:
    value = e.obj.get(f.key)
    if value is None:
        return None if f.nullable else f.default
    if value.__class__ is not bool:
        e.fail(f.key, f"true oder false wird erwartet, nicht {kind_of(value)}.")
    return value


def _number(e: Entry, f: Field) -> Any:
    value = e.obj.get(f.key)
    if value is None:
        return f.default
    if value.__class__ is not int:
        e.fail(f.key, f"Eine ganze Zahl wird erwartet, nicht {kind_of(value)}.")
    if f.low is not None and value < f.low:
        e.fail(f.key, f"Der Wert {value} ist zu klein (mindestens {f.low}).")
    if f.high is not None and value > f.high:
        e.fail(f.key, f"Der Wert {value} ist zu groß (höchstens {f.high}).")
    return value


def _day(e: Entry, f: Field) -> Any:
    value = e.obj.get(f.key)
    return None if value is None else e.parse(f.key, value, DATE, "JJJJ-MM-TT").date()


def _moment(e: Entry, f: Field) -> Any:
    value = e.get(f.key, f.required)
    return None if value is None and not f.required else e.parse(f.key, value, DATETIME, "JJJJ-MM-TTTHH:MM")


def _stamp(e: Entry, f: Field) -> Any:
    return e.parse(f.key, e.get(f.key, True), AUDIT_TIME, "JJJJ-MM-TTTHH:MM:SS")


def _clock(e: Entry, f: Field) -> Any:
    value = e.obj.get(f.key)
    return None if value is None else e.parse(f.key, value, TIME, "HH:MM").time()


def _choice(e: Entry, f: Field) -> Any:
    value = e.obj.get(f.key)
    if value.__class__ is str and value in f.choices:
        return value
    value = e.choice(f.key, f.choices, default=f.default, nullable=f.nullable)
    return None if value is None else str(value)  # an enum member given in a document becomes its text


def _ref(e: Entry, f: Field) -> Any:
    value = e.obj.get(f.key)
    if value is None and not f.required:
        return None
    found = e.refs[f.target].get(value) if value.__class__ is str else None
    return found if found is not None else e.ref(f)


def _pick(e: Entry, f: Field) -> Any:
    """A reference by name among the entry's siblings (a score's criterion), worded like a choice."""
    table = e.refs[f.target]
    return table[e.choice(f.key, tuple(table))]


def _amount(e: Entry, f: Field) -> Any:
    text = _opt_text(e, f)
    if text is None:
        return None
    try:
        fee = Decimal(text)
    except InvalidOperation:
        e.fail(f.key, f'„{text}“ ist kein Betrag (z. B. "15.00"; null für kostenlos).')
    if not fee.is_finite() or fee >= Decimal("1000000"):
        e.fail(f.key, f"„{text}“ ist kein gültiger Betrag.")
    return fee


def _texts(e: Entry, f: Field) -> Any:
    names = e.array(f.key)
    for i, name in enumerate(names):
        if not isinstance(name, str):
            e.fail(f"{f.key}[{i}]", f"Ein Name (Text) wird erwartet, nicht {kind_of(name)}.")
    return list(names)


def _tags(e: Entry, f: Field) -> Any:
    tags = e.array(f.key)
    for i, tag in enumerate(tags):
        if not isinstance(tag, str) or not tag.strip():
            e.fail(f"{f.key}[{i}]", "Ein Schlagwort muss ein nicht leerer Text sein.")
        if len(tag) > 100:
            e.fail(f"{f.key}[{i}]", "Das Schlagwort ist zu lang (höchstens 100 Zeichen).")
    if len(set(tags)) != len(tags):
        e.fail(f.key, "Ein Schlagwort steht doppelt in der Liste.")
    return sorted(tags)


def _names(e: Entry, f: Field) -> Any:
    names = e.array(f.key)
    for i, name in enumerate(names):
        if not isinstance(name, str) or not name.strip():
            e.fail(f"{f.key}[{i}]", "Ein Kriterium muss ein nicht leerer Text sein.")
    return list(names)


def _refs(e: Entry, f: Field) -> Any:
    table = e.refs[f.target]
    found = []
    seen = set()
    for i, value in enumerate(e.array(f.key)):
        if not isinstance(value, str) or value not in table:
            e.fail(f"{f.key}[{i}]", f"Verweis „{value}“ auf {f.what} führt ins Leere.")
        if value in seen:
            e.fail(f"{f.key}[{i}]", f"„{value}“ steht doppelt in der Liste.")
        seen.add(value)
        found.append(table[value])
    return found


def _grade(e: Entry, f: Field) -> Any:
    """A score as given: its rule (a whole number from 1 to 5) is `awards.validate_score`'s, applied by the import."""
    return e.obj.get(f.key)


def _changes(e: Entry, f: Field) -> Any:
    changes = e.obj.get(f.key) or {}
    if not isinstance(changes, dict) or not all(isinstance(v, list) and len(v) == 2 for v in changes.values()):
        e.fail(f.key, "Ein Objekt {Feld: [alt, neu]} wird erwartet.")
    for name, pair in changes.items():
        if not all(map(_plain, pair)):
            e.fail(f"{f.key}.{name}", "Ein Wert ist kein gültiges JSON (zu große Zahl, NaN oder Unendlich).")
    return changes


_PLAIN = frozenset((str, int, bool, type(None)))


def _plain(value: Any) -> bool:
    """A value the export writes back as strict JSON (no NaN, no infinity, no unconvertible number)."""
    kind = value.__class__
    if kind in _PLAIN:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(map(_plain, value))
    if kind is dict:
        return all(map(_plain, value.values()))
    return False


_READERS = {
    "text": _text,
    "opt_text": _opt_text,
    "flag": _flag,
    "number": _number,
    "day": _day,
    "moment": _moment,
    "stamp": _stamp,
    "clock": _clock,
    "choice": _choice,
    "ref": _ref,
    "pick": _pick,
    "amount": _amount,
    "texts": _texts,
    "tags": _tags,
    "names": _names,
    "refs": _refs,
    "grade": _grade,
    "changes": _changes,
}
