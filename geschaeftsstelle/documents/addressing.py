"""The addressing rule for the documents: it lives in the core (`geschaeftsstelle.addressing`) so that the
RSVP board, the letters and the e-mail drafts name and greet a person by the same rule; here under the name
the documents (and their tests) have always imported it by."""

from __future__ import annotations

from geschaeftsstelle.addressing import (
    EVERYONE,
    SOFT_HYPHEN,
    Addressee,
    addressee_of,
    contact_addressee,
    greeting,
    one_line,
    without_soft_hyphens,
)

__all__ = [
    "EVERYONE",
    "SOFT_HYPHEN",
    "Addressee",
    "addressee_of",
    "contact_addressee",
    "greeting",
    "one_line",
    "without_soft_hyphens",
]
