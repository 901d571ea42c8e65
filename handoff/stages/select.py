"""Choose the recipients by the programme's rule, on validated rows only.

Ages follow the 年齢計算ニ関スル法律 (one reaches an age on the day before the birthday) via ``handoff.jp.age``.
Rules are evaluated once per distinct birth date, so a million rows cost a few thousand date computations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.contract import ROW, StageContext, StageResult
from handoff.kernels.distinct import decided
from handoff.kernels.rows import take_rows
from handoff.programme import ProgramSpec

SET_ASIDE = "_set_aside"  # a boolean column: rows an earlier step's error finding took out of the mailing


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    """The rows the programme's rule chooses among those not set aside, with only the approved items.

    The rule is evaluated on every row and counts only on rows not set aside. The rows that go on are gathered
    once, and only the columns minimise reads: the other source columns never leave this stage.
    """
    keep, ref = chosen(table, spec, ctx)
    clean = (~table[SET_ASIDE].to_numpy(dtype=bool) if SET_ASIDE in table.columns
             else np.ones(len(table), dtype=bool))
    selected = take_rows(table[[*spec.approved_fields, ROW]], np.flatnonzero(clean & keep))
    return StageResult(selected, [], {
        "rows_selected": len(selected),
        "rows_not_selected": int((clean & ~keep).sum()),
        "reference_date": ref.isoformat(),
    })


def chosen(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> tuple[npt.NDArray[np.bool_], dt.date]:
    """Per row, does the programme's rule choose it; and the reference date the rule was evaluated on."""
    rule = spec.select
    ref = rule.reference_date or ctx.today
    if rule.rule == "all":
        return np.ones(len(table), dtype=bool), ref
    if rule.rule == "field_equals":
        return table[rule.field].isin(rule.values).to_numpy(dtype=bool), ref
    # one verdict per distinct birth date; a missing date is never selected
    return decided(table[rule.birth_field], _age_rule(rule.rule, rule.min_age, ref)), ref


def _age_rule(kind: str, min_age: int, ref: dt.date) -> Callable[[str], bool]:
    from handoff.jp import age

    def at_least(iso: str) -> bool:
        if not iso:
            return False
        birth = dt.date.fromisoformat(iso)
        return birth <= ref and age.age_on(birth, ref) >= min_age

    def child_medical(iso: str) -> bool:
        # 18歳に達する日以後の最初の3月31日まで: covered from birth until that 31 March inclusive.
        if not iso:
            return False
        birth = dt.date.fromisoformat(iso)
        return birth <= ref <= age.child_medical_end(birth, min_age or 18)

    return at_least if kind == "age_at_least" else child_medical
