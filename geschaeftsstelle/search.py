"""Search that ignores case and diacritics: "MÜLLER", "muller" and "Müller" find the same rows.

SQLite's LIKE folds only ASCII, so every searchable record keeps a folded `search_text` column that
the services maintain and the views filter on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_EXTRA = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


def fold(text: str) -> str:
    """Lower-case, strip accents (é → e, ü → u, ß → ss) and squeeze white space."""
    if text.isascii():  # most names and addresses: nothing to decompose (bulk imports fold 200,000 of them)
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_EXTRA).split())


def search_text(parts: Iterable[str | None]) -> str:
    """The folded text a record is found by; parts are joined by a separator no query contains."""
    return " | ".join(fold(p) for p in parts if p)


def matches(haystack_folded: str, query: str) -> bool:
    """Every word of the query occurs somewhere (so "weimar camsin" finds Camsin e. V. in Weimar)."""
    return all(word in haystack_folded for word in fold(query).split())
