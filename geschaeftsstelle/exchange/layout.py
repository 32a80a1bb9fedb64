"""The exchange file's text: exactly `json.dumps(data, ensure_ascii=False, indent=2)`, at the C encoder's speed.

With `indent` the json module takes its pure-Python encoder. A line break never occurs inside an
encoded string (it is written as `\\n`), so an object or list holding only scalars is encoded in one
call of the C encoder with `",\\n" + indentation` as item separator; only its brackets are added here.
Deeper values are walked level by level. `write_document` streams a document whose sections are
iterators, so the export never holds more than a few entries' text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]  # C encoder: not in typeshed
from typing import IO, Any

_UNIT = "  "
_SCALARS = frozenset({str, int, float, bool, type(None)})
_TEXT = frozenset({str})
_encoders: dict[int, Callable[[Any], str]] = {}
_keys: dict[str, str] = {}
_scalar = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _refuse(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _flat_encoder(depth: int) -> Callable[[Any], str]:
    """The C encoder putting each item of an object or list on its own line at `depth`."""
    encode = _encoders.get(depth)
    if encode is None:
        separator = ",\n" + _UNIT * depth
        if c_make_encoder is not None:  # called directly: JSONEncoder.encode builds a new one per call
            c_encode = c_make_encoder(None, _refuse, encode_basestring, None, ": ", separator, False, False, True)

            def encode(value: Any) -> str:
                return "".join(c_encode(value, 0))

        else:  # pragma: no cover - a Python without the _json accelerator
            encode = json.JSONEncoder(ensure_ascii=False, separators=(separator, ": ")).encode
        _encoders[depth] = encode
    return encode


def _leaf(value: Any) -> str:
    if value.__class__ is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value.__class__ is int:
        return int.__repr__(value)
    return _scalar(value)


def _key(key: str) -> str:
    """`"key": ` (the few keys of the format are remembered)."""
    text = _keys.get(key)
    if text is None:
        text = encode_basestring(key) + ": "
        if len(_keys) < 1000:
            _keys[key] = text
    return text


def _is_flat(values: Iterable[Any]) -> bool:
    """Only scalars and empty containers (the common case is decided without isinstance)."""
    for v in values:  # noqa: SIM110 (a plain loop: it runs for each of 200,000 invitations)
        if v.__class__ not in _SCALARS and v and isinstance(v, (dict, list, tuple)):
            return False
    return True


def flat(value: dict[str, Any] | list[Any] | tuple[Any, ...], depth: int) -> str:
    """A non-empty object or list of scalars (and empty containers) whose closing bracket stands at `depth`."""
    text = _flat_encoder(depth + 1)(value)
    return text[0] + "\n" + _UNIT * (depth + 1) + text[1:-1] + "\n" + _UNIT * depth + text[-1]


def write(value: Any, depth: int, out: list[str]) -> None:
    """Append the text of `value` as it stands at `depth` (the indentation of its closing bracket)."""
    if value.__class__ in _SCALARS:
        out.append(_leaf(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
        elif _is_flat(value.values()):
            out.append(flat(value, depth))
        elif not _TEXT.issuperset(map(type, value)):  # keys as json words them: leave it to json
            out.append(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + _UNIT * depth))
        else:
            inner = "\n" + _UNIT * (depth + 1)
            separator = "{" + inner
            for key, item in value.items():
                if item.__class__ in _SCALARS:
                    out.append(separator + _key(key) + _leaf(item))
                else:
                    out.append(separator + _key(key))
                    write(item, depth + 1, out)
                separator = "," + inner
            out.append("\n" + _UNIT * depth + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
        elif _is_flat(value):
            out.append(flat(value, depth))
        else:
            write_list(value, depth, out)
    else:
        out.append(_scalar(value))


def write_list(items: Iterable[Any], depth: int, out: list[str], flush: Callable[[], None] | None = None) -> None:
    """A list given as an iterable (possibly a stream); `[]` when it yields nothing. `flush` runs after each item."""
    inner = "\n" + _UNIT * (depth + 1)
    separator = "[" + inner
    for item in items:
        out.append(separator)
        write(item, depth + 1, out)
        separator = "," + inner
        if flush is not None:
            flush()
    out.append("[]" if separator.startswith("[") else "\n" + _UNIT * depth + "]")


def dumps(data: Any) -> str:
    """The exchange file's text of a document (with the final line break)."""
    out: list[str] = []
    write(data, 0, out)
    out.append("\n")
    return "".join(out)


def write_document(file: IO[str], sections: Iterator[tuple[str, Any]]) -> None:
    """The whole document; a section given as an iterator (not a list) is written entry by entry."""
    out: list[str] = []

    def flush() -> None:
        if len(out) >= 4096:
            file.write("".join(out))
            out.clear()

    separator = "{\n" + _UNIT
    for key, value in sections:
        out.append(separator + _key(key))
        if isinstance(value, Iterator):
            write_list(value, 1, out, flush)
        else:
            write(value, 1, out)
        separator = ",\n" + _UNIT
    out.append("{}\n" if separator.startswith("{") else "\n}\n")
    file.write("".join(out))
