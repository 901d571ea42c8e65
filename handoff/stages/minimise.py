"""Project to exactly the approved items, fail closed.

A programme whose output would hold any unapproved item does not start. Every outgoing value is scanned for a
probable 個人番号 (the run stops, naming row and field). 外字 are substituted only from the vendor profile's table,
and every substitution is counted for the job report.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.contract import MATCH_KEY, ROW, StageContext, StageResult
from handoff.errors import PolicyError
from handoff.kernels import threads
from handoff.kernels.codepoints import Laid
from handoff.kernels.halves import costly_halves
from handoff.kernels.ranks import by_distinct, spread
from handoff.kernels.strings import arrow_strings, ascii_only
from handoff.programme import SYSTEM_FIELDS, ProgramSpec


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    """The columns of the items approved on the run's day only, after 外字 substitution; a probable 個人番号 stops
    the run."""
    fields = spec.approved_fields_on(ctx.today)
    _refuse_unapproved(spec, fields)
    # A new frame: a column replaced below never reaches ``table``. The exclusion key rides along for the in-house
    # pull index; it is a stage column, which render never writes.
    out = table[[*fields, ROW, *([MATCH_KEY] if MATCH_KEY in table.columns else [])]]
    substitutions: Counter[str] = Counter()
    for name, results in _worked(table, spec, ctx, fields).items():
        subs = sum((s for _, s in results), Counter())
        if subs:
            out[name] = results[0][0] if len(results) == 1 else pd.concat([v for v, _ in results])
            substitutions.update(subs)
    return StageResult(out, [], {"substitutions": dict(sorted(substitutions.items()))})


def _refuse_unapproved(spec: ProgramSpec, approved: list[str]) -> None:
    """Fail closed: an output field that is neither approved (on the run's day: an approval that has not started
    or has ended counts as none) nor a system field stops the programme."""
    for name in spec.output_fields:
        if name not in approved and name not in SYSTEM_FIELDS:
            raise PolicyError("policy.unapproved_item", programme=spec.id, field=name)


def _worked(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext, fields: list[str]
            ) -> dict[str, list[tuple[pd.Series, Counter[str]]]]:
    """Per approved column, its values and substitutions after ``_column`` (one result, or one per half).

    The columns are worked on the pool's threads (the scans run in numpy and Arrow). A nearly distinct column
    of other than ASCII (the address) costs more than all the others together, so it is worked in two halves.
    Results are taken in approved order, halves in row order, so the first probable 個人番号 of the first
    column holding one is the one named, whichever thread finished first.
    """
    jobs = [(name, part) for name in fields for part in _parts(table[name])]

    def one(job: tuple[str, slice | None]) -> tuple[pd.Series, Counter[str]]:
        name, part = job
        if part is None:
            return _column(table[name], table[ROW], name, spec, ctx)
        return _column(table[name].iloc[part], table[ROW].iloc[part], name, spec, ctx, distinct=False)

    with threads.pool("minimise") as pool:
        done: dict[str, list[tuple[pd.Series, Counter[str]]]] = {}
        for (name, _), result in zip(jobs, pool.map(one, jobs), strict=True):
            done.setdefault(name, []).append(result)
    return done


_SPLIT_ROWS = 200_000  # a column shorter than this is quick either way


def _parts(values: pd.Series) -> list[slice | None]:
    """``[None]`` (the column whole), or the two halves of a long, nearly distinct column of other than ASCII."""
    return costly_halves(values, _SPLIT_ROWS)


def _column(values: pd.Series, rows: pd.Series, name: str, spec: ProgramSpec, ctx: StageContext,
            distinct: bool = True) -> tuple[pd.Series, Counter[str]]:
    """One approved column after 外字 substitution, and its substitutions; PolicyError on a 個人番号.

    Both rules depend on the value alone: a column with few distinct values is worked once per distinct
    value (substitutions counted once per row that holds it) and spread back to the rows. ``distinct=False``:
    the column is known to be nearly distinct (a half of one, see ``_parts``), so its distinct values are not
    looked for.
    """
    from handoff.kernels.codepoints import lay_out

    # An ASCII column (numbers, dates, codes) is scanned whole: its layout is its own bytes and both scans
    # cost less than finding its distinct values would.
    encoded = None if not distinct or ascii_only(arrow_strings(values)) else by_distinct(values)
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
    from handoff.kernels.codepoints import rows_with, table_of_chars

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
