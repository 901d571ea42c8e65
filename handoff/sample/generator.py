"""Plant defects at known rates into synthetic households and work out what ``handoff check`` must report.

The expected counts are derived from what was planted (not by running handoff), so a test comparing them with
the run report checks the validation rules against an independent account.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handoff.config import VendorProfile
from handoff.programme import ProgramSpec
from handoff.sample import dates, names, send_to
from handoff.sample.households import MAKERS, Row

# What each planted defect must do to its row, stated here from the council rules and DESIGN.md §4 (fail closed),
# not read from the validator: a row with one of these leaves the mailing for the exceptions list; the others
# (a 代表郵便番号, a 平成 date after its end, an allowed vendor character, a configured substitution) are
# reported and the row goes on.
KEEPS_ROW = frozenset({"postal.daihyo", "date.heisei_after_end", "charset.vendor_extension_allowed",
                       "charset.substituted"})

PROGRESS_EVERY = 1000  # rows between two calls of a progress hook

# defect -> rate per row (each planted row carries exactly one defect)
RATES: dict[str, float] = {
    "required.missing": 0.002,
    "postal.format": 0.002,
    "postal.unknown": 0.002,
    "postal.address_mismatch": 0.002,
    "postal.daihyo": 0.001,
    "checkdigit.invalid": 0.003,
    "number.format": 0.002,
    "date.invalid": 0.001,
    "date.sentinel_undeclared": 0.001,
    "date.heisei_after_end": 0.001,
    "charset.private_use": 0.001,
    "charset.substituted": 0.003,
    "charset.vendor_extension_allowed": 0.005,
    "csv.formula_injection": 0.0005,
    "length.over": 0.001,
    "duplicate.row_key": 0.001,
}


@dataclass
class Sample:
    spec: ProgramSpec
    rows: list[Row]
    expected: dict[str, Any]


def generate(spec: ProgramSpec, profile: VendorProfile, n: int, seed: int, today: dt.date,
             progress: Callable[[int], None] | None = None) -> Sample:
    """``n`` rows of ``spec`` with defects planted. ``progress(rows made so far)`` is called every
    :data:`PROGRESS_EVERY` rows and at the end; it does not touch the random stream, so the rows are the same."""
    rng = random.Random(seed)
    ref = spec.select.reference_date or today
    rows: list[Row] = []
    for row in MAKERS[spec.id](rng, n, ref).rows():
        rows.append(row)
        if progress is not None and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows))
    if progress is not None and len(rows) % PROGRESS_EVERY:
        progress(len(rows))
    send_to.split_katagaki(spec, rows)  # only a programme declaring 方書; before the defects go in
    planter = _Planter(spec, profile, rng, rows)
    for defect, rate in RATES.items():
        if planter.applicable(defect):
            planter.plant(defect, max(1, round(rate * n)) if n >= 200 else (1 if rng.random() < 0.5 else 0))
    send_to.add(spec, rows, seed, large=n > 60_000)  # only a programme declaring 送付先; a stream of its own
    return Sample(spec, rows, _expected(spec, profile, rows, seed))


class _Planter:
    def __init__(self, spec: ProgramSpec, profile: VendorProfile, rng: random.Random, rows: list[Row]) -> None:
        self.spec, self.profile, self.rng, self.rows = spec, profile, rng, rows
        # the first declared field of each kind (later ones are overwritten by earlier ones)
        self.by_kind: dict[str, str] = {c.kind: c.field for c in reversed(spec.source.columns)}
        self.outgoing = set(spec.output_fields)
        self.key = set(spec.recipient.key)
        self.households: dict[int, list[Row]] = {}
        for row in rows:
            self.households.setdefault(row.household, []).append(row)

    def _field(self, defect: str) -> str:
        kinds: dict[str, str] = {"postal": "postal", "checkdigit": "jukyusha", "number": "amount",
                                 "length": "address"}
        kind = kinds.get(defect.split(".")[0], "")
        if defect.startswith("date."):
            return next((c.field for c in self.spec.source.columns if c.kind == "date" and not c.sentinels
                         and c.date_format.startswith("wareki")), "")
        if defect.startswith(("charset.", "csv.", "required.")):
            return next((c.field for c in self.spec.source.columns if c.kind == "name" and c.required
                         and c.field in self.outgoing), "")
        return self.by_kind.get(kind, "")

    def applicable(self, defect: str) -> bool:
        src, out = self.spec.source, self.spec.output
        if defect == "duplicate.row_key":
            return True
        if defect == "csv.formula_injection" and out.format != "csv":
            return False
        if defect == "length.over" and src.format == "fixed":
            return False  # a fixed-width source cannot hold a longer value than the vendor layout
        if defect == "charset.substituted" and (self.profile.encoding == "utf-8" or not self.profile.gaiji):
            return False
        if defect == "charset.vendor_extension_allowed" and not (
                self.profile.allow_vendor_extensions and self.profile.encoding == "cp932"):
            return False
        if defect == "date.heisei_after_end" and src.format == "fixed":
            return bool(self._field(defect))
        return bool(self._field(defect))

    def _targets(self, field: str) -> list[Row]:
        """An untouched row; for a householding key field, every row of its household (keeps pieces whole)."""
        for _ in range(10_000):
            row = self.rng.choice(self.rows)
            group = self.households[row.household] if field in self.key else [row]
            if all(not r.defects for r in group):
                return group
        return []

    def plant(self, defect: str, count: int) -> None:
        for _ in range(count):
            if defect == "duplicate.row_key":
                self._duplicate()
                continue
            field = self._field(defect)
            group = self._targets(field)
            mutated = self._mutate(defect, group[0].values[field]) if group else None
            for row in group:
                row.values[field] = mutated if mutated is not None else row.values[field]
                row.defects.append(defect)

    def _duplicate(self) -> None:
        keys = self.spec.recipient.row_key
        for _ in range(10_000):
            a, b = self.rng.sample(self.rows, 2)
            if a.defects or b.defects or (a.household == b.household and set(keys) & self.key):
                continue
            if set(keys) & self.key and (len(self.households[a.household]) > 1
                                         or len(self.households[b.household]) > 1):
                continue
            for k in keys:
                b.values[k] = a.values[k]
            a.defects.append("duplicate.row_key")
            b.defects.append("duplicate.row_key")
            return

    def _mutate(self, defect: str, value: str) -> str:
        fmt = next((c.date_format for c in self.spec.source.columns if c.kind == "date"
                    and c.date_format.startswith("wareki")), "wareki_digit")
        rng = self.rng
        match defect:
            case "required.missing":
                return ""
            case "postal.format":
                return value.replace("-", "")[:5]
            case "postal.unknown":
                return "1609998"  # 160-99xx is not assigned in KEN_ALL (checked by a test)
            case "postal.address_mismatch":
                return "0600906"  # 北海道札幌市東区: the address is in 東京都
            case "postal.daihyo":
                return "1600000"  # 新宿区 代表番号: same prefecture and city, so only a warning
            case "checkdigit.invalid":
                return value[:-1] + str((int(value[-1]) + 1) % 10)
            case "number.format":
                return f"{int(value):,}"
            case "date.invalid":
                return dates.impossible(fmt)
            case "date.sentinel_undeclared":
                return "0" * len(value)
            case "date.heisei_after_end":
                return dates.heisei_late(fmt)
            case "charset.private_use":
                return names.PUA_UNMAPPED + value[value.index("\u3000"):]
            case "charset.substituted":
                return names.PUA_MAPPED + value[value.index("\u3000"):]
            case "charset.vendor_extension_allowed":
                return rng.choice(names.VENDOR_EXT_SURNAMES) + value[value.index("\u3000"):]
            case "csv.formula_injection":
                return "=" + value
            case "length.over":
                return value + "\u3000" + "長い建物名" * 12 + "101号室"
        raise ValueError(defect)


def _expected(spec: ProgramSpec, profile: VendorProfile, rows: list[Row], seed: int) -> dict[str, Any]:
    findings: Counter[str] = Counter()
    excepted = selected = 0
    docs: Counter[int] = Counter()
    for row in rows:
        findings.update(row.defects)
        if any(d not in KEEPS_ROW for d in row.defects):
            excepted += 1
        elif row.selected:
            selected += 1
            docs[row.household] += 1
    capacity = 1 if spec.postcard else profile.sheets_per_envelope
    pieces = sum(math.ceil(n / capacity) for n in docs.values())
    return {
        "programme": spec.id,
        "seed": seed,
        "counts": {"rows_read": len(rows), "rows_selected": selected,
                   "rows_not_selected": len(rows) - selected - excepted, "rows_excepted": excepted},
        "findings": dict(sorted(findings.items())),
        "households": {"recipients": len(docs), "pieces": pieces, "documents": selected,
                       "histogram": dict(sorted(Counter(docs.values()).items()))},
    }
