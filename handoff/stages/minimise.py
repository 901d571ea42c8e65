"""Project to exactly the approved items, fail closed.

A programme whose output would hold any unapproved item does not start. Every outgoing value is scanned for a
probable 個人番号 (the run stops, naming row and field). 外字 are substituted only from the vendor profile's table,
and every substitution is counted for the job report.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.errors import PolicyError
from handoff.programme import SYSTEM_FIELDS, ProgramSpec
from handoff.stages.base import ROW, StageContext, StageResult
from handoff.stages.codepoints import Laid
from handoff.stages.columns import arrow_strings, ascii_only, by_distinct, spread


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    approved = spec.approved_fields
    for name in spec.output_fields:
        if name not in approved and name not in SYSTEM_FIELDS:
            raise PolicyError("policy.unapproved_item", programme=spec.id, field=name)
    out = table[[*approved, ROW]]  # a new frame: a column replaced below never reaches ``table``
    substitutions: Counter[str] = Counter()
    # Two threads, as in validate (the scans run in numpy and Arrow); results are taken in approved order,
    # so the first column with a probable 個人番号 is the one named, whichever thread finished first.
    def one(name: str) -> tuple[pd.Series, Counter[str]]:
        return _column(table[name], table[ROW], name, spec, ctx)

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="minimise") as pool:
        results = pool.map(one, approved)
        for name, (values, subs) in zip(approved, results, strict=True):
            if subs:
                out[name] = values
                substitutions.update(subs)
    return StageResult(out, [], {"substitutions": dict(sorted(substitutions.items()))})


def _column(values: pd.Series, rows: pd.Series, name: str, spec: ProgramSpec, ctx: StageContext
            ) -> tuple[pd.Series, Counter[str]]:
    """One approved column after 外字 substitution, and its substitutions; PolicyError on a 個人番号.

    Both rules depend on the value alone: a column with few distinct values is worked once per distinct
    value (substitutions counted once per row that holds it) and spread back to the rows.
    """
    from handoff.stages.codepoints import lay_out

    # An ASCII column (numbers, dates, codes) is scanned whole: its layout is its own bytes and both scans
    # cost less than finding its distinct values would (about 0.012 s a column for a million rows).
    encoded = None if ascii_only(arrow_strings(values)) else by_distinct(values)
    work, at = encoded if encoded is not None else (values, None)
    weights = np.bincount(at, minlength=len(work)) if at is not None else np.ones(len(work), dtype=np.int64)
    laid = lay_out(work)  # one layout serves the 外字 prefilter and the 個人番号 scan
    subs: Counter[str] = Counter()
    if ctx.profile.gaiji:
        work, subs = _substitute(work, laid, ctx.profile.gaiji, weights)
        if subs:
            laid = lay_out(work)
    hits = _probable(work, laid)
    _refuse_my_number(hits if at is None else hits[at], rows, name, spec)
    if not subs:
        return values, subs
    return (work if at is None else spread(work, at, values.index)), subs


def _substitute(values: pd.Series, laid: Laid, table: dict[str, str], weights: npt.NDArray[np.int64]
                ) -> tuple[pd.Series, Counter[str]]:
    """Values after substitution from ``table``, and the substitutions (each value counted ``weights`` times)."""
    from handoff.jp import charset
    from handoff.stages.codepoints import rows_with, table_of_chars

    # Candidates hold the first character of a key (raw or normalised); the exact rule runs on those only,
    # and only values it actually changed are replaced.
    firsts = {k[0] for k in table} | {charset.normalize(k)[0] for k in table if charset.normalize(k)}
    candidate = rows_with(laid, table_of_chars(frozenset(firsts)))
    counts: Counter[str] = Counter()
    if not candidate.any():
        return values, counts
    positions, changed = [], []
    for pos, value in zip(np.flatnonzero(candidate), values[candidate].tolist(), strict=True):
        new, subs = charset.substitute(value, table)
        if subs:
            positions.append(int(pos))
            changed.append(new)
            for _, a, b in subs:
                counts[f"U+{a:04X}→U+{b:04X}"] += int(weights[pos])
    if positions:
        values = values.copy()
        values.iloc[positions] = changed
    return values, counts


def _probable(values: pd.Series, laid: Laid) -> npt.NDArray[np.bool_]:
    from handoff.jp import mynumber

    return np.asarray(mynumber.column_has_probable(values, laid).to_numpy(), dtype=bool)


def _refuse_my_number(hits: npt.NDArray[np.bool_], rows: pd.Series, name: str, spec: ProgramSpec) -> None:
    """Stop on the first probable 個人番号 in an outgoing value (no approved programme carries one)."""
    if hits.any():
        row = int(rows.iloc[int(np.argmax(hits))])
        raise PolicyError("policy.my_number", row=row, field=spec.label(name))
