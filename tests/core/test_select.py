"""Selection: each rule chooses the recipients worked out by hand, on rows not set aside, with approved items only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import pytest

from handoff.contract import ROW
from handoff.stages import select
from tests.core.stage_spec import context, programme, table

REF = dt.date(2026, 9, 15)


def births(*isos: str) -> list[dict[str, str]]:
    return [{"bango": f"A{i:04d}", "yubin": "1620055", "jusho": f"東京都新宿区余丁町{i}番1号", "shimei": f"見本　{i}",
             "seinengappi": iso, "kubun": str(i % 3)} for i, iso in enumerate(isos, start=1)]


def chosen(rule: Mapping[str, object], rows: list[dict[str, str]], today: dt.date = REF) -> list[bool]:
    keep, _ = select.chosen(table(rows), programme(select=rule), context(today=today))
    return [bool(k) for k in keep]


def test_all_chooses_every_row() -> None:
    """Rule ``all``: every row, evaluated on the run date."""
    keep, ref = select.chosen(table(births("", "1950-01-01")), programme(), context(today=dt.date(2026, 7, 1)))
    assert keep.tolist() == [True, True] and ref == dt.date(2026, 7, 1)


def test_field_equals_chooses_the_listed_values() -> None:
    """Rule ``field_equals``: rows whose field holds one of the values (exactly, no prefix or case games)."""
    rows = births(*["1950-01-01"] * 6)
    rows[4]["kubun"] = "10"
    assert chosen({"rule": "field_equals", "field": "kubun", "values": ["1", "2"]}, rows) == [
        True, True, False, True, False, False]


def test_age_at_least_reaches_the_age_the_day_before_the_birthday() -> None:
    """77 on 2026-09-15: born 1949-09-16 (reaches 77 that day) is in, born 1949-09-17 is out (年齢計算ニ関スル法律)."""
    rule = {"rule": "age_at_least", "birth_field": "seinengappi", "min_age": 77, "reference_date": REF}
    rows = births("1949-09-16", "1949-09-17", "1949-09-15", "1930-02-28", "1960-01-01", "", "2027-01-01")
    assert chosen(rule, rows) == [True, False, True, True, False, False, False]


def test_age_at_least_uses_the_run_date_without_a_reference_date() -> None:
    """Without ``reference_date`` the run date decides; with one, the run date does not matter."""
    rule: dict[str, object] = {"rule": "age_at_least", "birth_field": "seinengappi", "min_age": 77}
    rows = births("1949-09-16")
    assert chosen(rule, rows, today=dt.date(2026, 9, 14)) == [False]
    assert chosen(rule, rows, today=dt.date(2026, 9, 15)) == [True]
    assert chosen({**rule, "reference_date": REF}, rows, today=dt.date(2000, 1, 1)) == [True]


def test_child_medical_covers_until_the_first_31_march_after_reaching_18() -> None:
    """On 2026-06-01: born 2008-04-01 reached 18 on 2026-03-31 (cover ended), born 2008-04-02 is covered to 2027."""
    rule = {"rule": "child_medical", "birth_field": "seinengappi", "min_age": 18}
    rows = births("2008-04-01", "2008-04-02", "2026-06-01", "2026-06-02", "2020-01-01", "", "2007-06-01")
    assert chosen(rule, rows, today=dt.date(2026, 6, 1)) == [False, True, True, False, True, False, False]
    assert chosen(rule, rows[:2], today=dt.date(2026, 3, 31)) == [True, True]
    assert chosen(rule, rows[1:2], today=dt.date(2027, 3, 31)) == [True]
    assert chosen(rule, rows[1:2], today=dt.date(2027, 4, 1)) == [False]


def test_child_medical_without_an_age_means_18() -> None:
    """``min_age`` left at 0 for child_medical means the ordinance's 18."""
    rule = {"rule": "child_medical", "birth_field": "seinengappi"}
    assert chosen(rule, births("2008-04-01", "2008-04-02"), today=dt.date(2026, 6, 1)) == [False, True]


@pytest.mark.parametrize("set_aside", [True, False])
def test_run_keeps_chosen_rows_not_set_aside_with_approved_items_only(set_aside: bool) -> None:
    """run: chosen rows in source order, approved fields and row number only; set-aside rows are counted nowhere."""
    rule = {"rule": "age_at_least", "birth_field": "seinengappi", "min_age": 77, "reference_date": REF}
    source = table(births("1940-01-01", "1960-01-01", "1941-01-01", "1942-01-01", "1961-01-01"), first_row=5)
    if set_aside:
        source[select.SET_ASIDE] = [False, False, True, False, True]
    result = select.run(source, programme(select=rule), context())
    assert list(result.table.columns) == ["yubin", "jusho", "shimei", ROW]
    assert result.table[ROW].tolist() == ([5, 8] if set_aside else [5, 7, 8])
    assert result.table["shimei"].tolist() == (["見本　1", "見本　4"] if set_aside else ["見本　1", "見本　3", "見本　4"])
    assert result.stats == {"rows_selected": 2 if set_aside else 3, "rows_not_selected": 1 if set_aside else 2,
                            "reference_date": "2026-09-15"}
    assert result.findings == []


def test_run_without_a_reference_date_uses_the_run_date() -> None:
    """run evaluates a rule without reference_date on the context's date and reports that date."""
    rule = {"rule": "age_at_least", "birth_field": "seinengappi", "min_age": 77}
    source = table(births("1949-09-16", "1949-09-17"))
    result = select.run(source, programme(select=rule), context(today=dt.date(2026, 9, 16)))
    assert result.table[ROW].tolist() == [2, 3]
    assert result.stats["reference_date"] == "2026-09-16"


def test_run_with_rule_all_keeps_every_row_not_set_aside() -> None:
    """Rule ``all``: every row goes on except those set aside (a set-aside column held as objects reads the same)."""
    source = table(births("", "1950-01-01", "1960-01-01"))
    source[select.SET_ASIDE] = pd.Series([False, True, False], dtype=object)
    result = select.run(source, programme(), context())
    assert result.table[ROW].tolist() == [2, 4]
    assert result.stats["rows_selected"] == 2 and result.stats["rows_not_selected"] == 0
    keep, _ = select.chosen(source, programme(), context())
    assert keep.dtype == bool


def test_age_zero_includes_a_birth_on_the_reference_date() -> None:
    """Born on the reference date is age 0 on it (so chosen for min_age 0); born the day after is not yet born."""
    rule = {"rule": "age_at_least", "birth_field": "seinengappi", "min_age": 0, "reference_date": REF}
    assert chosen(rule, births("2026-09-15", "2026-09-16")) == [True, False]


def test_child_medical_follows_the_programme_age() -> None:
    """With min_age 15 (to the end of 中学生), cover ends on the first 31 March after reaching 15."""
    rule = {"rule": "child_medical", "birth_field": "seinengappi", "min_age": 15}
    assert chosen(rule, births("2011-04-01", "2011-04-02"), today=dt.date(2026, 6, 1)) == [False, True]
