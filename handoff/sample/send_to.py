"""方書 and 送付先 in synthetic exports, for a programme that declares them (``[recipient] katagaki`` / ``send_to``).

A programme that declares neither is not touched, and the values here come from a random stream of their own
(seeded from the sample's seed), so every other programme's sample stays byte-identical for its seed.

- 方書: the building and room the synthetic address carries after a blank move to the 方書 field.
- 送付先: about one household in thirty sends its mail elsewhere — another address in the ward, with a
  postal code matching its town; half of them 「○○様方」, some with a 送付先氏名 (a guardian's name).
  Every row of a household gets the same 送付先, so the household stays one piece.
"""

from __future__ import annotations

import random

from handoff.programme import ProgramSpec
from handoff.sample import names
from handoff.sample.households import Row

SEND_TO_RATE = 1 / 30
CARE_RATE = 0.5
NAME_RATE = 0.3


def _address_field(spec: ProgramSpec) -> str:
    """The recipient's address field: the one in ``recipient.key``, else the first declared (as mail does)."""
    fields = [c.field for c in spec.source.columns if c.kind == "address"]
    keyed = [f for f in fields if f in spec.recipient.key]
    return (keyed or fields or [""])[0]


def split_katagaki(spec: ProgramSpec, rows: list[Row]) -> None:
    """The building and room after the address's blank moved to the programme's 方書 field (in place; nothing
    when it declares none). Done before defects are planted, so a planted address defect stays in the address."""
    katagaki = spec.recipient.katagaki
    if not katagaki:
        return
    address = _address_field(spec)
    for row in rows:
        head, _blank, building = row.values.get(address, "").partition("\u3000")
        row.values[katagaki] = building
        row.values[address] = head


def add(spec: ProgramSpec, rows: list[Row], seed: int, large: bool) -> None:
    """Fill the programme's 送付先 fields in ``rows`` (in place; nothing when it declares none)."""
    send = spec.recipient.send_to
    if not send:
        return
    rng = random.Random(f"send-to/{seed}")
    for row in rows:
        for field in send.values():
            row.values.setdefault(field, "")
    towns = names.ward_towns(large=large)
    chosen: dict[int, dict[str, str]] = {}
    for row in rows:
        if row.household not in chosen:
            chosen[row.household] = _destination(rng, towns) if rng.random() < SEND_TO_RATE else {}
        for role, value in chosen[row.household].items():
            if role in send:
                row.values[send[role]] = value


def _destination(rng: random.Random, towns: tuple[names.Town, ...]) -> dict[str, str]:
    town = rng.choice(towns)
    street, _blank, building = names.address(rng, town, building=rng.random() < 0.4).partition("\u3000")
    out = {"postal": town.code, "address": street, "katagaki": building}
    if rng.random() < CARE_RATE:
        out["care"] = names.person(rng)
    elif rng.random() < NAME_RATE:
        out["name"] = names.person(rng)
    return out
