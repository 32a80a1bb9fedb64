"""Search that ignores case, diacritics and their spelled-out forms: "MÜLLER", "Muller", "Mueller" and
"Müller" find the same rows, "Strasse" finds "Straße".

SQLite's LIKE folds only ASCII, so every searchable record keeps a folded `search_text` column that
the services maintain and the views filter on. The stored text and the typed query are folded by the same
`search_fold`, so "ae"/"oe"/"ue" become "a"/"o"/"u" on both sides ("Michael" is kept as "michal" and
is still found by "Michael"). `fold` alone (accents only) serves matching that compares with fixed words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_EXTRA = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
#: "ae", "oe", "ue" (and a run of e after them, so the result has no new pair: folding twice changes nothing).
_SPELLED_UMLAUT = re.compile("([aou])e+")


def fold(text: str) -> str:
    """Lower-case, strip accents (é → e, ü → u, ß → ss) and squeeze white space."""
    if text.isascii():  # most names and addresses: nothing to decompose (bulk imports fold 200,000 of them)
        return " ".join(text.lower().split())
    # decomposed before and after case folding: "𝓐" only becomes a capital "A" by decomposing
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_EXTRA).split())


def search_fold(text: str) -> str:
    """`fold`, then "ae" → "a", "oe" → "o", "ue" → "u": the form stored text and typed queries are compared in."""
    folded = fold(text)
    return _SPELLED_UMLAUT.sub(r"\1", folded) if "e" in folded else folded


def search_text(parts: Iterable[str | None]) -> str:
    """The folded text a record is found by; parts are joined by a separator no query contains."""
    return " | ".join(search_fold(p) for p in parts if p)


def matches(haystack_folded: str, query: str) -> bool:
    """Every word of the query occurs somewhere (so "weimar camsin" finds Camsin e. V. in Weimar)."""
    return all(word in haystack_folded for word in search_fold(query).split())
