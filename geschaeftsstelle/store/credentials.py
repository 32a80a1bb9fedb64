"""The PostgreSQL password: kept in the operating system's credential store, never in settings or the log.

A password is looked up when a connection is made, in this order: this run's memory (a `--db` URL typed
with a password, the window's answer to its question), the credential store (`keyring`: Windows
Credential Manager, macOS Keychain, the Secret Service on Linux), `$GESCHAEFTSSTELLE_DB_PASSWORD`.
Without a usable credential store (a headless Linux or CI, where keyring answers with its "fail" backend,
or a plain-text file backend) nothing is written anywhere: the window asks at start, the command line
reads the environment variable. The URL itself never carries the password, so neither does any text
made from it (settings, log, error messages).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import URL

log = logging.getLogger(__name__)

PASSWORD_ENV_VAR = "GESCHAEFTSSTELLE_DB_PASSWORD"
SERVICE = "Geschäftsstelle PostgreSQL"

Prompt = Callable[[str], "str | None"]
"""Asks the person at the desk for a password (German question in, password or None for cancel out)."""

_memory: dict[str, str] = {}
_prompt: Prompt | None = None


def account(url: URL) -> str:
    """The name the password is filed under: user, server, port and database (never the password)."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def _backend() -> Any | None:
    """keyring's backend if it stores secrets safely; None for the fail/null backends and plain-text files."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring installation must not stop the program
        log.warning("Schlüsselbund nicht verfügbar: %s", type(exc).__name__)
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    kind = f"{type(backend).__module__}.{type(backend).__name__}".lower()
    if "plaintext" in kind or "keyrings.alt" in kind:
        return None
    return backend


def store_available() -> bool:
    """Whether this computer has a credential store the password may be kept in."""
    return _backend() is not None


def remember(url: URL, password: str) -> bool:
    """Keep the password for this run and, where a credential store exists, for later runs.

    Returns True when it went into the credential store, False when only this run knows it."""
    key = account(url)
    _memory[key] = password
    backend = _backend()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, key, password)
    except Exception as exc:  # locked or unreachable store: this run still works, nothing is written elsewhere
        log.warning("Kennwort nicht im Schlüsselbund gespeichert: %s", type(exc).__name__)
        return False
    return True


def forget(url: URL) -> None:
    """Drop a password that the server refused, so the next connection asks again."""
    key = account(url)
    _memory.pop(key, None)
    backend = _backend()
    if backend is None:
        return
    try:
        if backend.get_password(SERVICE, key) is not None:
            backend.delete_password(SERVICE, key)
    except Exception as exc:
        log.warning("Kennwort nicht aus dem Schlüsselbund gelöscht: %s", type(exc).__name__)


def lookup(url: URL) -> tuple[str | None, str]:
    """The password for `url` and where it came from ("memory", "keyring", "env" or "" for none)."""
    key = account(url)
    if key in _memory:
        return _memory[key], "memory"
    backend = _backend()
    if backend is not None:
        try:
            stored = backend.get_password(SERVICE, key)
        except Exception as exc:
            log.warning("Schlüsselbund nicht lesbar: %s", type(exc).__name__)
            stored = None
        if stored is not None:
            return str(stored), "keyring"
    from_env = os.environ.get(PASSWORD_ENV_VAR)
    if from_env:
        return from_env, "env"
    return None, ""


def set_prompt(prompt: Prompt | None) -> None:
    """The window registers its password question here at start; the command line never does."""
    global _prompt
    _prompt = prompt


def ask(url: URL, *, refused: bool) -> str | None:
    """Ask at the desk (window only); the answer is remembered like a password given with the URL."""
    if _prompt is None:
        return None
    who = f"{url.username or 'Benutzer'} auf {url.host or 'localhost'}"
    question = (
        f"Der Datenbankserver hat das Kennwort für {who} abgelehnt. Bitte das Kennwort eingeben:"
        if refused
        else f"Der Datenbankserver verlangt ein Kennwort für {who}. Bitte das Kennwort eingeben:"
    )
    answer = _prompt(question)
    if not answer:
        return None
    remember(url, answer)
    return answer


def scrub(text: str) -> str:
    """Any password known to this run replaced by ***, for texts that might echo connection details."""
    for secret in {*_memory.values(), os.environ.get(PASSWORD_ENV_VAR, "")}:
        if len(secret) >= 3:
            text = text.replace(secret, "***")
    return text
