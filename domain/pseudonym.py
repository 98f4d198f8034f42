"""Keyed pseudonyms for personal numbers: the ledger knows a person, never their BSN.

HMAC-SHA256 with a per-home secret (`secret.key`, created on first use, mode 0600). Without the
key a pseudonym cannot be turned back into a BSN, not even by trying all nine-digit numbers.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

_KEY_BYTES = 32
STAND_IN_PREFIX = "verwijderd-"
"""How a pseudonym replaced by retention (`sroi purge`) begins: a random stand-in that keeps a
person's lines together but leads back to no one."""


def is_stand_in(person_key: str) -> bool:
    return person_key.startswith(STAND_IN_PREFIX)


def load_or_create_key(path: Path) -> bytes:
    if path.is_file():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(_KEY_BYTES)
    # O_EXCL: two workers starting at once must not both write a different key.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key


@dataclass(frozen=True)
class Pseudonymizer:
    key: bytes

    def _digest(self, namespace: str, value: str) -> str:
        message = f"{namespace}:{value}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:24]

    def person_by_bsn(self, bsn: str) -> str:
        """The same person under every contract and contractor."""
        return "B" + self._digest("bsn", bsn)

    def match_key(self, purpose: str, *parts: str) -> str:
        """A keyed digest of some values of a row, to recognise the row's correction later
        without keeping the values themselves."""
        return "M" + self._digest(purpose, "|".join(parts))

    def person_by_personnel_number(self, contractor: str, number: str) -> str:
        """A personnel number only identifies a person within one contractor."""
        return "P" + self._digest("personeelsnummer", f"{contractor.casefold()}|{number}")


def initials_of(name: str) -> str:
    """'Jan de Vries' -> 'J.d.V.'; keeps nothing beyond initials."""
    parts = [part for part in name.replace(".", " ").split() if part]
    return "".join(f"{part[0]}." for part in parts)
