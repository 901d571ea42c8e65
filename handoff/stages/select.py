"""Choose the recipients by the programme's rule, on validated rows only.

Ages follow the 年齢計算ニ関スル法律 (one reaches an age on the day before the birthday) via ``handoff.jp.age``.
Rules are evaluated once per distinct birth date, so a million rows cost a few thousand date computations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.contract import MATCH_KEY, ROW, StageContext, StageResult
from handoff.kernels.distinct import decided
from handoff.kernels.rows import take_rows
from handoff.programme import ProgramSpec

SET_ASIDE = "_set_aside"  # a boolean column: rows an earlier step's error finding took out of the mailing


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    """The rows the programme's rule chooses among those not set aside, with only the approved items.

    The rule is evaluated on every row and counts only on rows not set aside. A row the run's 異動 names
    (``ctx.excluded``) is not selected either, and counted by its reason. The rows that go on are gathered once,
    and only the columns minimise reads (and the exclusion key, for a later pull list): the other source columns
    never leave this stage.
    """
    keep, ref = chosen(table, spec, ctx)
    clean = (~table[SET_ASIDE].to_numpy(dtype=bool) if SET_ASIDE in table.columns
             else np.ones(len(table), dtype=bool))
    columns = [*spec.approved_fields, ROW]
    stats: dict[str, object] = {}
    if spec.exclusions is not None:
        table = table.assign(**{MATCH_KEY: match_keys(table, spec, spec.exclusions.match)})
        columns.append(MATCH_KEY)
        if ctx.excluded is not None:
            keep, stats["rows_excluded"] = _without_excluded(table[MATCH_KEY], clean & keep, ctx.excluded)
    selected = take_rows(table[columns], np.flatnonzero(clean & keep))
    return StageResult(selected, [], {
        "rows_selected": len(selected),
        "rows_not_selected": int((clean & ~keep).sum()),
        "reference_date": ref.isoformat(),
        **stats,
    })


def match_keys(table: pd.DataFrame, spec: ProgramSpec, fields: list[str]) -> pd.Series:
    """Each row's exclusion key: its ``fields`` as validated, joined by a separator no value holds (US, 0x1F). A
    number is compared as a number: 期別 ``01`` in a fixed-width export is ``1`` in a payment list."""
    def part(name: str) -> pd.Series:
        values = table[name].fillna("").astype(str)
        return values.str.lstrip("0") if spec.field_spec(name).kind in ("number", "amount") else values

    key = part(fields[0])
    for name in fields[1:]:
        key = key + "\x1f" + part(name)
    return key


def _without_excluded(keys: pd.Series, going: npt.NDArray[np.bool_], excluded: Mapping[str, str]
                      ) -> tuple[npt.NDArray[np.bool_], dict[str, int]]:
    """``going`` without the rows whose key the 異動 names, and how many it took out by reason label."""
    hit = keys.isin(list(excluded)).to_numpy(dtype=bool) & going
    by_reason = keys[hit].map(dict(excluded)).value_counts()
    return going & ~hit, {str(label): int(n) for label, n in sorted(by_reason.items())}


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
