"""The password: entropy, alphabet, grouping, and that it never shows itself by accident."""

from __future__ import annotations

import logging
import pickle

import pytest

from handoff.package.password import ALPHABET, Password


def test_length_alphabet_and_entropy() -> None:
    """28 symbols from a 32-symbol alphabet (140 bits ≥ 128) without 0, O, 1, I, l or lower case."""
    pw = Password.generate()
    assert len(pw.typed()) == 28 and pw.bits == 140 and pw.bits >= 128
    assert len(set(ALPHABET)) == 32
    assert not set("0O1Il") & set(ALPHABET)
    assert ALPHABET.upper() == ALPHABET
    assert set(pw.typed()) <= set(ALPHABET)


def test_groups_of_four_join_to_what_is_typed() -> None:
    """The printed groups are 7 × 4 characters and joined without separators give the typed password."""
    pw = Password.generate()
    assert [len(g) for g in pw.groups()] == [4] * 7
    assert "".join(pw.groups()) == pw.typed() and pw.for_zip() == pw.typed().encode("ascii")


def test_generation_is_not_repetitive() -> None:
    """A thousand passwords are all different and use the whole alphabet."""
    pws = [Password.generate().typed() for _ in range(1000)]
    assert len(set(pws)) == 1000 and set("".join(pws)) == set(ALPHABET)


def test_never_revealed_by_str_repr_format_logging(caplog: pytest.LogCaptureFixture) -> None:
    """str, repr, f-strings, containers and %-style logging show a placeholder, never the characters."""
    pw = Password.generate()
    secret = pw.typed()
    logging.getLogger("t").warning("pw=%s %r", pw, pw)
    shown = [str(pw), repr(pw), f"{pw}", f"{pw!r}", caplog.text, str([pw]), str({"p": pw})]
    assert not any(secret in s for s in shown)


def test_pickling_refused_and_equality() -> None:
    """A password cannot be pickled (it would land in a file); equal values compare equal."""
    pw = Password.generate()
    with pytest.raises(TypeError):
        pickle.dumps(pw)
    assert Password(pw.typed()) == pw and Password.generate() != pw


def test_weak_or_foreign_values_rejected_without_echo() -> None:
    """A short or look-alike value is refused and the error does not repeat it."""
    for bad in ("ABCD", "O" * 28, "abcdefghijkmnpqrstuvwxyzabcd"):
        with pytest.raises(ValueError) as err:
            Password(bad)
        assert bad not in str(err.value)
