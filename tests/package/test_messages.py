"""Every code raised or printed by the package and media areas has a Japanese and an English message."""

from __future__ import annotations

import re
import string
from pathlib import Path

from handoff.messages import CATALOGUE

REPO = Path(__file__).resolve().parents[2]
SOURCES = [*(REPO / "handoff" / "package").glob("*.py"), *(REPO / "handoff" / "media").glob("*.py"),
           REPO / "handoff" / "mail" / "render.py", REPO / "handoff" / "cli" / "package_cmds.py"]
CODE = re.compile(r'(?:Error|\bt)\(\s*"((?:render|package|notice|label|media)\.[a-z_.]+)"')


def used_codes() -> set[str]:
    codes = {m for src in SOURCES for m in CODE.findall(src.read_text(encoding="utf-8"))}
    codes |= {f"media.state_{s}" for s in ("missing", "written", "verified", "unusable")}  # f-string codes
    return codes


def test_every_code_in_the_catalogue_in_both_languages() -> None:
    """Each code used by these modules has a non-empty ja and en text."""
    missing = sorted(c for c in used_codes() if c not in CATALOGUE)
    assert not missing
    for code in used_codes():
        ja, en = CATALOGUE[code]
        assert ja and en and any("\u3040" <= ch <= "\u9fff" for ch in ja)


def test_ja_and_en_take_the_same_parameters() -> None:
    """A message's Japanese and English templates use the same placeholders (no value slips into one)."""
    for code in used_codes():
        ja, en = CATALOGUE[code]
        names = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in (ja, en)]
        assert names[0] == names[1], code
