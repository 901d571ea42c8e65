"""Validation of outgoing values runs every rule the render enforces: a clean check means run does not stop."""

from __future__ import annotations

import pandas as pd
import pytest

from handoff.config import VendorProfile
from handoff.contract import ROW as ROW_NUMBER
from handoff.errors import PolicyError
from handoff.kernels.codepoints import lay_out
from handoff.mail.render import render_file
from handoff.programme import ProgramSpec
from handoff.stages import validate
from handoff.stages import validate_rules as rules
from tests.core.stage_spec import context, programme, table

ROW = {"bango": "A0001", "yubin": "1620055", "jusho": "東京都新宿区余丁町1番1号", "shimei": "見本　花子",
       "seinengappi": "1948-04-01", "kubun": "1"}


def _codes(spec: ProgramSpec, rows: list[dict[str, str]], profile: VendorProfile | None = None
           ) -> list[tuple[str, int, str]]:
    found = validate.run(table(rows), spec, context(profile)).findings
    return [(f.code, f.row, f.field) for f in found if not f.code.startswith("postal.")]


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x00", "\x7f", "\n", "\t"])
def test_a_control_character_inside_an_outgoing_value_is_an_error(char: str) -> None:
    """BEL, ESC, NUL, DEL, LF or tab inside an address that leaves is charset.control on its row and field."""
    rows = [ROW, {**ROW, "bango": "A0002", "jusho": f"東京都新宿区{char}余丁町1番1号"}]
    assert _codes(programme(), rows) == [("charset.control", 3, "jusho")]
    assert validate.SEVERITY["charset.control"] == "error"


def test_a_control_character_in_a_field_that_stays_is_no_finding() -> None:
    """区分 never leaves for the vendor: a control character in it is nobody's concern at the render."""
    assert _codes(programme(), [{**ROW, "kubun": "1\x072"}]) == []


def test_a_value_check_passes_is_rendered_and_one_it_flags_stops_the_render() -> None:
    """The render stops on exactly the value validate flags: the rules agree in both directions."""
    spec = programme(output={"format": "csv", "fields": [{"field": "yubin"}, {"field": "jusho"},
                                                          {"field": "shimei"}]})
    clean = validate.run(table([ROW]), spec, context()).table[["yubin", "jusho", "shimei", ROW_NUMBER]]
    render_file(clean, spec, VendorProfile())
    bad = clean.assign(jusho=["東京都\x07新宿区"])
    with pytest.raises(PolicyError) as err:
        render_file(bad, spec, VendorProfile())
    assert err.value.code == "render.control_char"
    assert rules.control_chars(bad["jusho"], lay_out(bad["jusho"])).tolist() == [True]


def test_a_date_written_in_wareki_is_measured_as_written() -> None:
    """A 和暦 date is checked against the field's bytes as the render writes it (令和7年…), not as ISO."""
    approved = [{"item": "郵便番号", "fields": ["yubin"]}, {"item": "生年月日", "fields": ["seinengappi"]}]
    spec = programme(approved=approved, recipient={"row_key": ["bango"], "key": ["yubin"]},
                     output={"format": "fixed", "fields": [{"field": "yubin", "bytes": 7},
                                                           {"field": "seinengappi", "bytes": 14,
                                                            "style": "date_wareki"}]})
    rows = [{**ROW, "seinengappi": "2025-04-01"}, {**ROW, "bango": "A0002", "seinengappi": "2025-12-31"}]
    # 令和7年4月1日 is 13 CP932 bytes; 令和7年12月31日 is 15
    assert _codes(spec, rows, VendorProfile()) == [("length.over", 3, "seinengappi")]


def test_a_digits_field_holding_other_characters_is_a_number_finding() -> None:
    """A ``digits`` output field of a code kind holding a letter is number.format, as the render would refuse."""
    approved = [{"item": "郵便番号", "fields": ["yubin"]}, {"item": "区分", "fields": ["kubun"]}]
    spec = programme(approved=approved, recipient={"row_key": ["bango"], "key": ["yubin"]},
                     output={"format": "csv", "fields": [{"field": "yubin"}, {"field": "kubun", "style": "digits"}]})
    rows = [ROW, {**ROW, "bango": "A0002", "kubun": "1A"}, {**ROW, "bango": "A0003", "kubun": ""}]
    assert _codes(spec, rows) == [("number.format", 3, "kubun")]


def test_not_digits_is_the_render_rule() -> None:
    """not_digits flags exactly the values holding something other than ASCII digits; empty passes."""
    values = pd.Series(["0123", "", "１２", "1 2", "12a"], dtype="string[pyarrow]")
    assert rules.not_digits(values).tolist() == [False, False, True, True, True]
