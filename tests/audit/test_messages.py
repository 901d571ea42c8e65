"""Every finding the audit can give has its text in both languages and a scenario that produces it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handoff.messages import CATALOGUE, render
from handoff.messages.audit import MESSAGES

AUDIT = Path(__file__).resolve().parents[2] / "handoff" / "audit"
HERE = Path(__file__).resolve().parent
EMITTED = sorted({code for name in ("checks.py", "oversight.py")
                  for code in re.findall(r'"(audit\.[a-z_]+)"', (AUDIT / name).read_text(encoding="utf-8"))})
SCENARIOS = "\n".join(p.read_text(encoding="utf-8") for p in sorted(HERE.glob("test_*.py")) if p.name != Path(__file__).name)


def test_the_checks_emit_codes() -> None:
    """The code list is read from the checks' source (an empty list would make the other tests pass vacuously)."""
    assert len(EMITTED) >= 20 and "audit.return_overdue" in EMITTED


@pytest.mark.parametrize("code", EMITTED)
def test_code_has_both_texts(code: str) -> None:
    """Each code the checks emit is in the audit catalogue with a Japanese and an English text."""
    ja, en = MESSAGES[code]
    assert CATALOGUE[code] == (ja, en)
    assert re.search(r"[ぁ-んァ-ン一-龥]", ja) and en.isascii()
    assert set(re.findall(r"{(\w+)}", ja)) == set(re.findall(r"{(\w+)}", en))


@pytest.mark.parametrize("code", EMITTED)
def test_code_has_a_scenario(code: str) -> None:
    """Each code is produced by a scenario test that checks its text renders with the parameters it carries."""
    assert f'"{code}"' in SCENARIOS


@pytest.mark.parametrize("code", EMITTED)
def test_text_says_what_to_do(code: str) -> None:
    """Each text renders with its parameters and ends by telling the auditor what to do (a sentence, not a label)."""
    params = dict.fromkeys(re.findall(r"{(\w+)}", "".join(MESSAGES[code])), "X1")
    ja, en = (render(code, lang, **params) for lang in ("ja", "en"))
    assert "{" not in ja + en and ja.endswith("。") and en.endswith(".")
    assert "X1" in ja and "X1" in en


def test_no_stray_codes() -> None:
    """The audit catalogue holds no code the checks never emit (a renamed rule leaves no orphan text)."""
    assert sorted(MESSAGES) == EMITTED
