"""Reading exchange files: the whole file at once, or streamed entry by entry.

`stream_file` parses one top-level value or one array element at a time with the C scanner of the
`json` module, so a 100 MB office never lies in memory as a whole (only about one meeting with its
invitations does). It hands over only what it is sure of; anything odd (a syntax error, a byte-order
or encoding problem, a duplicate top-level key, nesting too deep) raises `Malformed`, and the caller
reads the whole file with `load_file`, which words the problem exactly as it always has.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from geschaeftsstelle.exchange.format import ExchangeError, HugeNumber
from geschaeftsstelle.file_bytes import read_bytes

# --------------------------------------------------------------------------- whole files


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ExchangeError(f"Das Feld „{key}“ steht in einem Eintrag doppelt.")
            seen.add(key)
    return result


def load_file(path: Path) -> dict[str, Any]:
    raw = read_bytes(path, ExchangeError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"Die Datei „{path.name}“ ist nicht UTF-8-kodiert (Byte {exc.start}).") from exc
    return loads(text, path.name)


class _NotJson(ValueError):
    """NaN or Infinity: Python's json reads them, JSON has no such values (the export would not be JSON)."""


def _constant(name: str) -> Any:
    raise _NotJson(name)


def _integer(text: str) -> Any:
    """An int, or for more digits than Python converts (4,300) a `HugeNumber` the entry check names."""
    return int(text) if len(text) <= HugeNumber.DIGITS else HugeNumber(len(text.lstrip("-")))


#: a \uD800–\uDFFF escape in the file's text: the only way a surrogate gets into a parsed string
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(text: str, name: str = "Datei") -> dict[str, Any]:
    if not text.strip():
        raise ExchangeError(f"Die Datei „{name}“ ist leer.")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_constant, parse_int=_integer)
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            f"Die Datei „{name}“ ist kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}: {exc.msg})."
        ) from exc
    except _NotJson as exc:
        found = re.search(rf"[\[:,]\s*({re.escape(str(exc))})", text)
        place = f" (Zeile {text.count(chr(10), 0, found.start(1)) + 1})" if found else ""
        raise ExchangeError(
            f"Die Datei „{name}“ enthält den Wert {exc}{place}; JSON kennt nur endliche Zahlen."
        ) from exc
    except RecursionError as exc:
        raise ExchangeError(f"Die Datei „{name}“ ist zu tief verschachtelt.") from exc
    if not isinstance(data, dict):
        raise ExchangeError(f"Die Datei „{name}“ enthält kein Objekt auf oberster Ebene.")
    if _SURROGATE_ESCAPE.search(text) and (where := _lone_surrogate(data, "Datei")):
        raise ExchangeError(
            f"{where}: Der Text enthält ein einzelnes Ersatzzeichen (\\u-Escape eines Surrogats), "
            "das kein gültiges Unicode-Zeichen ist."
        )
    return data


def _lone_surrogate(value: Any, path: str) -> str | None:
    """Where the first text holding a surrogate sits (`members[3].name`), or None.
    A correctly paired escape (an emoji written as two \\u escapes) is joined by the parser already."""
    if isinstance(value, str):
        return path if _SURROGATE.search(value) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if found := _lone_surrogate(item, f"{path}[{i}]"):
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = key if path == "Datei" else f"{path}.{key}"
            if _SURROGATE.search(key):
                return f"{path} (Feldname)"
            if found := _lone_surrogate(item, inner):
                return found
    return None


# --------------------------------------------------------------------------- streaming


class Malformed(Exception):
    """The stream met something it leaves to `load_file` to describe."""


class Array:
    """A top-level array handed over element by element; read it before asking for the next key."""

    def __init__(self, items: Iterator[Any]) -> None:
        self._items = items

    def __iter__(self) -> Iterator[Any]:
        return self._items


def top_level(data: Any) -> Iterator[tuple[str, Any]]:
    """An already parsed document in the shape `stream_file` hands over (arrays as `Array`)."""
    if not isinstance(data, dict):
        raise ExchangeError(": Ein Objekt {…} wird erwartet.")
    for key, value in data.items():
        yield key, Array(iter(value)) if isinstance(value, list) else value


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_CHUNK = 1 << 20


class _Stream:
    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        decoder = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys, parse_constant=_constant)
        self.scan = json.scanner.make_scanner(decoder)  # type: ignore[attr-defined]  # the C scanner is not in typeshed
        self.buf = ""
        self.pos = 0
        self.eof = False

    def more(self, size: int = 0) -> bool:
        """Append the next chunk to the buffer (dropping what was read); False at the end of the file."""
        if self.eof:
            return False
        raw = self.file.read(size or _CHUNK)
        try:
            text = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise Malformed from exc
        self.eof = not raw
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character after white space."""
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]  # \s* always matches
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def value(self) -> Any:
        self.peek()
        size = _CHUNK
        while True:
            try:
                value, end = self.scan(self.buf, self.pos)
            except (json.JSONDecodeError, StopIteration) as exc:
                if self.more(size):
                    size *= 2  # a value longer than a chunk (or an error) is read in growing steps
                    continue  # the value may go on in the next chunk
                raise Malformed from exc
            except (RecursionError, ValueError) as exc:  # NaN, or an int of more than 4,300 digits
                raise Malformed from exc
            if end == len(self.buf) and self.more(size):
                continue  # a number may go on in the next chunk
            if _SURROGATE_ESCAPE.search(self.buf, self.pos, end):
                raise Malformed  # load_file finds and names a lone surrogate (a paired one is read there too)
            self.pos = end
            return value

    def expect(self, chars: str) -> str:
        char = self.peek()
        if not char or char not in chars:
            raise Malformed
        self.pos += 1
        return char

    def elements(self) -> Iterator[Any]:
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            if self.expect(",]") == "]":
                return

    def document(self) -> Iterator[tuple[str, Any]]:
        self.expect("{")
        seen: set[str] = set()
        if self.peek() == "}":
            self.pos += 1
        else:
            while True:
                if self.peek() != '"':
                    raise Malformed
                key = self.value()
                if key in seen:
                    raise Malformed  # load_file names it, after the nested objects, as json.loads does
                seen.add(key)
                self.expect(":")
                if self.peek() == "[":
                    items = self.elements()
                    yield key, Array(items)
                    for _ in items:  # whatever the reader left is still checked
                        pass
                else:
                    yield key, self.value()
                if self.expect(",}") == "}":
                    break
        if self.peek():
            raise Malformed


def stream_file(path: Path) -> Iterator[tuple[str, Any]]:
    """(key, value) for each top-level key in file order; arrays come as `Array`."""
    try:
        file = path.open("rb")
    except OSError as exc:
        raise Malformed from exc
    with file:
        yield from _Stream(file).document()
