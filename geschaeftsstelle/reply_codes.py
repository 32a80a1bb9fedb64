"""Reply codes: short codes printed on a letter that come back by fax, phone or scanner and name one record.

A code is five random characters and one check character from an alphabet of 29 that leaves out what is
misread on a fax or in handwriting: 0/O, 1/I/L and U/V. It is printed in two groups („K7M-Q2X“) and read
back in any case, with spaces or hyphens. The check is a weighted sum modulo 29 (a prime, the alphabet's
size): the six characters x₁…x₆ satisfy Σ i·xᵢ ≡ 0 (mod 29). Because every weight is non-zero and any two
weights differ, every single wrong character and every swap of two characters (adjacent or not) changes the
sum, so such a mistype is refused before any lookup instead of finding somebody else's invitation. (Luhn
mod N would miss one adjacent swap, the first and the last character of the alphabet.)

Look-alikes are refused rather than guessed: an „O“ could be a misread D, Q or 0, so mapping it would only
make a wrong code look right. The message names the characters that never occur.

Pure and without dependencies beyond errors: the store uses `new_code` as the column default, the
invitations and the award round read codes with `check`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from geschaeftsstelle.errors import UserError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
#: Characters a code never contains (named in the message when one is typed).
EXCLUDED = "0O1IL UV".replace(" ", "")
RANDOM_LENGTH = 5
LENGTH = RANDOM_LENGTH + 1
_MOD = len(ALPHABET)  # 29, a prime
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_SEPARATORS = str.maketrans("", "", " -\t\u00a0\u2010\u2011\u2012\u2013\u2014_./")


def check_character(body: str) -> str:
    """The character that makes Σ i·xᵢ ≡ 0 (mod 29) for `body` (the five random characters) plus it."""
    total = sum(i * _VALUE[c] for i, c in enumerate(body, start=1))
    weight = len(body) + 1
    return ALPHABET[(-total * pow(weight, -1, _MOD)) % _MOD]


def is_valid(code: str) -> bool:
    """A canonical code (upper case, no separators) of the right length whose check character fits."""
    if len(code) != LENGTH or any(c not in _VALUE for c in code):
        return False
    return sum(i * _VALUE[c] for i, c in enumerate(code, start=1)) % _MOD == 0


def new_code() -> str:
    """A fresh random code, canonical form. Uniqueness is the database's (unique column, retry on collision)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_character(body)


def new_codes(count: int, taken: Iterable[str] = ()) -> list[str]:
    """`count` distinct fresh codes, none of them in `taken`."""
    seen = set(taken)
    out: list[str] = []
    while len(out) < count:
        code = new_code()
        if code not in seen:
            seen.add(code)
            out.append(code)
    return out


def printed(code: str) -> str:
    """The code as printed and shown: two groups of three („K7M-Q2X“)."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise(text: str) -> str:
    """What the user typed or the scanner sent, upper case without spaces or hyphens (not yet checked)."""
    return (text or "").strip().upper().translate(_SEPARATORS)


def check(text: str) -> str:
    """The canonical code of `text`, or a German UserError when it cannot be a code (wrong length, a character
    that never occurs, a check character that does not fit). Called before any lookup."""
    code = normalise(text)
    shown = (text or "").strip()
    if any(c in EXCLUDED for c in code):
        raise UserError(f"Den Code „{shown}“ gibt es nicht: O, 0, I, 1, L, U und V kommen in Codes nicht vor.")
    if not is_valid(code):
        raise UserError(f"Den Code „{shown}“ gibt es nicht (Prüfzeichen falsch?).")
    return code
