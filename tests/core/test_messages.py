"""The message catalogue: every error code raised in the package has a Japanese and an English text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handoff.errors import ExitCode, InputError
from handoff.messages import CATALOGUE, render

PACKAGE = Path(__file__).resolve().parents[2] / "handoff"
RAISED = re.compile(r"\b[A-Z][A-Za-z]*Error\(\s*\"([a-z0-9_]+\.[a-z0-9_.]+)\"")


def _raised_codes() -> set[str]:
    codes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        codes.update(RAISED.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_raised_code_is_in_the_catalogue() -> None:
    """A HandoffError raised anywhere with a literal code has a catalogue entry."""
    missing = sorted(c for c in _raised_codes() if c not in CATALOGUE)
    assert not missing


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_both_languages_present_and_formattable(code: str) -> None:
    """Each entry has non-empty ja and en texts that format with the parameters the pair names."""
    ja, en = CATALOGUE[code]
    assert ja.strip() and en.strip()
    params = dict.fromkeys(re.findall(r"{(\w+)(?::[^}]*)?}", ja + en), 1)
    assert ja.format(**params) and en.format(**params)


def test_language_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Japanese by default; HANDOFF_LANG=en gives English."""
    err = InputError("input.decode", encoding="cp932", line=3, offset=7)
    monkeypatch.delenv("HANDOFF_LANG", raising=False)
    assert "3 行目" in err.message()
    monkeypatch.setenv("HANDOFF_LANG", "en")
    assert "Line 3" in err.message()
    assert err.exit_code == ExitCode.INPUT


def test_unknown_code_renders_without_raising() -> None:
    """A code missing from the catalogue still renders as a usable line (never a crash in the handler)."""
    assert render("no.such.code", "ja", row=3) == "no.such.code (row=3)"
