"""Project to exactly the approved items, fail closed.

A programme whose output would hold any unapproved item does not start. Every outgoing value is scanned for a
probable 個人番号 (the run stops, naming row and field). 外字 are substituted only from the vendor profile's table,
and every substitution is counted for the job report.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from handoff.errors import PolicyError
from handoff.programme import SYSTEM_FIELDS, ProgramSpec
from handoff.stages.base import ROW, StageContext, StageResult


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    approved = spec.approved_fields
    for name in spec.output_fields:
        if name not in approved and name not in SYSTEM_FIELDS:
            raise PolicyError("policy.unapproved_item", programme=spec.id, field=name)
    out = table[[*approved, ROW]].copy()
    substitutions: Counter[str] = Counter()
    if ctx.profile.gaiji:
        for name in approved:
            out[name], subs = _substitute(out[name], ctx.profile.gaiji)
            substitutions.update(subs)
    _refuse_my_number(out, spec)
    return StageResult(out, [], {"substitutions": dict(sorted(substitutions.items()))})


def _substitute(values: pd.Series, table: dict[str, str]) -> tuple[pd.Series, Counter[str]]:
    from handoff.jp import charset

    pattern = "|".join(sorted(map(_escape, table), key=len, reverse=True))
    hit = values.str.contains(pattern, regex=True)
    counts: Counter[str] = Counter()
    if not hit.any():
        return values, counts
    changed = []
    for value in values[hit].tolist():
        new, subs = charset.substitute(value, table)
        changed.append(new)
        counts.update(f"U+{a:04X}→U+{b:04X}" for _, a, b in subs)
    values = values.copy()
    values[hit] = changed
    return values, counts


def _escape(text: str) -> str:
    import re

    return re.escape(text)


def _refuse_my_number(table: pd.DataFrame, spec: ProgramSpec) -> None:
    """Stop on the first probable 個人番号 in any outgoing value (no approved programme carries one)."""
    from handoff.jp import mynumber

    for name in spec.approved_fields:
        hits = mynumber.column_has_probable(table[name])
        if hits.any():
            row = int(table.loc[hits[hits].index[0], ROW])
            raise PolicyError("policy.my_number", row=row, field=spec.label(name))
