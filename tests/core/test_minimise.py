"""Minimisation: exactly the approved items leave, an unapproved one is refused, 個人番号 stops, 外字 substituted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from handoff.config import VendorProfile
from handoff.contract import ROW
from handoff.errors import ConfigError, PolicyError
from handoff.programme import OutputField, ProgramSpec, check_programme
from handoff.stages import minimise
from tests.core.stage_spec import context, programme, table

ROWS = [
    {"bango": "A0001", "yubin": "1620055", "jusho": "東京都新宿区余丁町1番1号", "shimei": "見本　花子",
     "seinengappi": "1948-04-01", "kubun": "1"},
    {"bango": "A0002", "yubin": "1620055", "jusho": "東京都新宿区余丁町2番1号", "shimei": "見本　太郎",
     "seinengappi": "1950-10-10", "kubun": "2"},
]


def with_output(spec: ProgramSpec, field: str) -> ProgramSpec:
    """``spec`` with ``field`` appended to its output, past the load-time checks (as a hand-built spec could be)."""
    fields = [*spec.output.fields, OutputField(field=field)]
    return spec.model_copy(update={"output": spec.output.model_copy(update={"fields": fields})})


@pytest.mark.parametrize("field", ["seinengappi", "bango", "kojin_bango"])
def test_an_unapproved_output_field_stops_minimisation(field: str) -> None:
    """Minimisation refuses, itself, an output field that is not approved (policy.unapproved_item), never drops it."""
    spec = with_output(programme(), field)
    with pytest.raises(PolicyError) as err:
        minimise.run(table(ROWS), spec, context())
    assert err.value.code == "policy.unapproved_item"
    assert err.value.params == {"programme": "mihon", "field": field}
    assert err.value.exit_code == 5
    assert "見本" not in err.value.message("ja") and "1620055" not in err.value.message("en")


def test_the_load_time_check_refuses_the_same_field() -> None:
    """The programme check refuses the same output at load time (config.invalid, not_approved): two locks."""
    with pytest.raises(ConfigError) as err:
        check_programme(with_output(programme(), "seinengappi"), Path("p.toml"))
    assert err.value.params["rule"] == "not_approved" and err.value.params["key"] == "output.fields.5.field"


def test_exactly_the_approved_items_leave_in_approved_order() -> None:
    """The table out has the approved fields in approved order and the row number; values are untouched."""
    source = table(ROWS)
    result = minimise.run(source, programme(), context())
    assert list(result.table.columns) == ["yubin", "jusho", "shimei", ROW]
    pd.testing.assert_frame_equal(result.table, source[["yubin", "jusho", "shimei", ROW]])
    assert result.findings == [] and result.stats == {"substitutions": {}}


@pytest.mark.parametrize("written", ["621498320257", "6214 9832 0257", "6214-9832-0257"])
def test_a_probable_my_number_stops_naming_row_and_field(written: str) -> None:
    """A 12-digit number passing the 個人番号 check in an approved value stops the run, naming row and label only."""
    rows = [dict(r) for r in [*ROWS, *ROWS]]
    rows[2]["jusho"] = f"東京都新宿区余丁町3番1号　{written}"
    rows[3]["shimei"] = "621498320257"  # a later row: the first one is named
    with pytest.raises(PolicyError) as err:
        minimise.run(table(rows, first_row=10), programme(), context())
    assert err.value.code == "policy.my_number"
    assert err.value.params == {"row": 12, "field": "住所"}
    assert "6214" not in str(err.value)


def test_a_twelve_digit_number_failing_the_check_passes() -> None:
    """The same number with a wrong check digit is not a 個人番号: nothing stops."""
    rows = [dict(r) for r in ROWS]
    rows[1]["jusho"] = "東京都新宿区余丁町3番1号　621498320258"
    assert minimise.run(table(rows), programme(), context()).table["jusho"].tolist()[1].endswith("0258")


def test_gaiji_are_substituted_from_the_profile_table_and_counted() -> None:
    """外字 in the vendor's table are replaced in every approved value; each replacement is counted per row."""
    rows = [dict(r) for r in [*ROWS, *ROWS]]
    rows[0]["shimei"] = rows[2]["shimei"] = "\U00020bb7田　花子"
    rows[1]["jusho"] = "東京都新宿区\U00020bb7町\U00020bb71番"
    rows[3]["seinengappi"] = "\U00020bb7"  # not approved: never read, never counted
    profile = VendorProfile(gaiji={"\U00020bb7": "吉"})
    result = minimise.run(table(rows), programme(), context(profile))
    assert result.table["shimei"].tolist() == ["吉田　花子", "見本　太郎", "吉田　花子", "見本　太郎"]
    assert result.table["jusho"].tolist()[1] == "東京都新宿区吉町吉1番"
    assert result.stats == {"substitutions": {"U+20BB7→U+5409": 4}}
