"""The package password: machine-generated, high-entropy, easy to read off paper and type.

AE-2 derives its key with PBKDF2-HMAC-SHA1 × 1000 only, so the entropy must come from the password itself:
28 symbols from a 32-symbol alphabet = 140 bits (≥ 128 required). The alphabet is upper case and digits
without look-alikes (no 0/O, 1/I; no lower case at all, so l/1 and c/C cannot be confused and Caps Lock
does not matter for reading). The notice prints it in groups of 4 for reading; **what is typed is the
28 characters without separators** — the one rule the notice states.

``Password`` never reveals itself through ``str``/``repr``/``format`` (so it cannot leak into a log line,
an f-string or an exception by accident); the characters are obtained only with :meth:`Password.typed`.
"""

from __future__ import annotations

import hmac
import secrets
from typing import NoReturn

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols = 5 bits each
LENGTH = 28  # 140 bits
GROUP = 4
MIN_BITS = 128


class Password:
    """A secret that refuses to be printed. Compare with ``==`` (constant time)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if any(ch not in ALPHABET for ch in value) or len(value) * 5 < MIN_BITS:
            # No value in the message: this is reached only with a typed-in candidate.
            raise ValueError("password does not follow the handoff rule")
        self._value = value

    @classmethod
    def generate(cls) -> Password:
        return cls("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))

    def typed(self) -> str:
        """Exactly what is typed into 7-Zip's dialog: the characters without separators."""
        return self._value

    def groups(self) -> list[str]:
        """The characters in groups of 4, for printing."""
        return [self._value[i : i + GROUP] for i in range(0, len(self._value), GROUP)]

    def for_zip(self) -> bytes:
        """The bytes given to the ZIP key derivation (ASCII of :meth:`typed`)."""
        return self._value.encode("ascii")

    @property
    def bits(self) -> int:
        return len(self._value) * 5

    def __repr__(self) -> str:
        return "Password(<hidden>)"

    def __str__(self) -> str:
        return "<hidden>"

    def __format__(self, spec: str) -> str:
        return "<hidden>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Password):
            return NotImplemented
        return hmac.compare_digest(self._value, other._value)

    def __hash__(self) -> int:
        return hash(Password)  # equal passwords must hash equal; no information about the value

    def __reduce__(self) -> NoReturn:
        # Pickling would write the secret somewhere (a cache, a queue): refuse.
        raise TypeError("Password cannot be pickled")
