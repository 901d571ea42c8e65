"""Validation of outgoing values runs every rule the render enforces: a clean check means run does not stop."""

from __future__ import annotations

import numpy as np
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
from tests.core.stage_spec import COLUMNS, context, programme, table
from tests.core.test_validate_rules import Seen, _found, _rows, _run, _with

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


# --- numbers leaving in a digits field -----------------------------------------------------------------

@pytest.mark.parametrize("kind", ["number", "amount"])
def test_a_number_in_a_digits_field_is_reported_once(kind: str) -> None:
    """A number or amount leaving in a ``digits`` field is checked as a number: one number.format, not two."""
    spec = _with({"field": "kingaku", "kind": kind}, output=[{"field": "kingaku", "style": "digits"}])
    assert _found(spec, _rows({"kingaku": "1a"}, {"kingaku": "12"})) == [
        ("number.format", "error", 2, "kingaku", "")]


def test_a_number_the_stage_passes_is_one_the_render_writes_as_digits() -> None:
    """A number leaving in a ``digits`` field for a UTF-8 vendor (no 外字 rule then): validate flags what the render refuses, once, and passes the rest."""
    col = {"field": "kingaku", "kind": "number"}
    spec = _with(col, output=[{"field": "kingaku", "style": "digits"}])
    utf8 = VendorProfile(encoding="utf-8")
    table, found = _run(spec, _rows({"kingaku": "１２"}, {"kingaku": "١٢"}, {"kingaku": "1a"}), utf8)
    assert found == [("number.format", "error", 3, "kingaku", ""), ("number.format", "error", 4, "kingaku", "")]
    leaving = table[[*spec.output_fields, ROW_NUMBER]]
    render_file(leaving.iloc[[0]], spec, utf8)
    with pytest.raises(PolicyError) as err:
        render_file(leaving.iloc[[1]], spec, utf8)
    assert err.value.code == "render.not_digits"


# --- lengths in the vendor's encoding ----------------------------------------------------------------------

def _lengths(values: list[str], limit: int, encoding: str = "cp932", field: str = "shimei",
             fmt: str = "csv") -> list[int]:
    """Rows of ``values`` (in ``field``, leaving with ``limit`` bytes) that are length.over."""
    spec = _with(output=[{"field": field, "bytes": limit}], fmt=fmt)
    found = _found(spec, _rows(*({field: v} for v in values)), "length", VendorProfile(encoding=encoding))
    assert all(f[1:] == ("error", f[2], field, "") for f in found)
    return [f[2] - 2 for f in found]


def test_cp932_bytes_are_one_for_ascii_and_half_width_kana_and_two_otherwise() -> None:
    """At 10 bytes: 見本花子 (8), ab見本花子 (10) and ten half-width kana pass; 見本花子太郎 (12) and abc見本花子 (11) are length.over."""
    values = ["見本花子", "ab見本花子", "ｱｲｳｴｵｶｷｸｹｺ", "見本花子太郎", "abc見本花子", "abcdefghij", "abcdefghijk", ""]
    assert _lengths(values, 10) == [3, 4, 6]


def test_an_ascii_column_is_measured_by_its_characters() -> None:
    """A column of ASCII only: exactly the limit passes, one byte more is length.over."""
    assert _lengths(["abcde", "abcdef", "abcd", ""], 5) == [1]


def test_a_utf8_vendor_counts_utf8_bytes() -> None:
    """For a UTF-8 vendor the value's UTF-8 bytes count: ｱｲｳ is 9 bytes, 見本花 9, 見本 6 (CP932: 3, 6, 4)."""
    assert _lengths(["ｱｲｳ", "見本花", "見本", "abcdefg", "abcdef"], 6, encoding="utf-8") == [0, 1, 3]
    assert _lengths(["ｱｲｳ", "見本花", "見本", "abcdefg", "abcdef"], 6) == [3]


def test_half_width_kana_bounds_and_other_characters() -> None:
    """U+FF61 (｡) and U+FF9F (ﾟ) are one CP932 byte, U+FF60 and U+FFA0 two; DEL one, U+0080 two."""
    for value, over in [("｡ﾟ", False), ("｡ﾟa", True), ("｡\uff60", True), ("\uffa0ﾟ", True), ("見\x7f", True),
                        ("見", False), ("\x80", False), ("\x80a", True)]:
        assert _lengths(["見", value], 2) == ([1] if over else []), value


def test_byte_len_of_one_value() -> None:
    """_byte_len counts UTF-8 bytes for a UTF-8 vendor and CP932 widths (1 or 2) otherwise."""
    assert rules._byte_len("aｱ見𠮷", "utf-8") == 1 + 3 + 3 + 4
    assert rules._byte_len("aｱ見𠮷", "cp932") == 1 + 1 + 2 + 2


def test_a_fixed_layout_measures_every_field_too() -> None:
    """A fixed-width field's bytes are its maximum as well: 見本花子太 (10) does not fit 8."""
    assert _lengths(["見本花子", "見本花子太"], 8, fmt="fixed") == [1]


def test_a_wareki_date_that_is_not_in_an_era_is_measured_as_written() -> None:
    """A 和暦 field holding a date before 明治 (read from an ISO column) is measured as its ISO text."""
    approved = [{"item": "郵便番号", "fields": ["yubin"]}, {"item": "生年月日", "fields": ["seinengappi"]}]
    columns = [{**c, "date_format": "iso"} if c["field"] == "seinengappi" else c for c in COLUMNS]
    # 令和元年5月1日 is 14 CP932 bytes; 1860-01-01 stays ISO (10)
    for limit, over in [(10, [4]), (9, [2, 4]), (14, [])]:
        spec = programme(approved=approved, recipient={"row_key": ["bango"], "key": ["yubin"]},
                         source={"format": "csv", "columns": columns},
                         output={"format": "fixed", "fields": [{"field": "yubin", "bytes": 7},
                                                               {"field": "seinengappi", "bytes": limit,
                                                                "style": "date_wareki"}]})
        rows = _rows({"seinengappi": "1860-01-01"}, {"seinengappi": ""}, {"seinengappi": "2019-05-01"})
        assert [f[2] for f in _found(spec, rows, "length")] == over, limit


def test_only_an_iso_date_is_written_in_wareki() -> None:
    """as_written turns ISO dates into 和暦 and leaves any other text as it is (the render refuses it as a date)."""
    values = pd.Series(["2025-04-01", "20250401", "", "2019-05-01", "1860-01-01", "2025-4-1"], dtype="str")
    assert rules.as_written(values, "date_wareki").tolist() == ["令和7年4月1日", "20250401", "", "令和元年5月1日",
                                                                "1860-01-01", "2025-4-1"]
    assert rules.as_written(values, "date_iso") is values


def test_an_iso_date_style_is_measured_as_iso() -> None:
    """A ``date_iso`` field is the ISO text (10 bytes) whatever form the export used."""
    approved = [{"item": "郵便番号", "fields": ["yubin"]}, {"item": "生年月日", "fields": ["seinengappi"]}]
    for limit, over in [(10, []), (9, [2])]:
        spec = programme(approved=approved, recipient={"row_key": ["bango"], "key": ["yubin"]},
                         output={"format": "csv", "fields": [{"field": "yubin"},
                                                             {"field": "seinengappi", "bytes": limit,
                                                              "style": "date_iso"}]})
        assert [f[2] for f in _found(spec, _rows({"seinengappi": "R070401"}), "length")] == over


def test_over_length_direct() -> None:
    """over_length on a mixed column: CP932 widths per value, each value judged against the limit alone."""
    values = pd.Series(["ab", "abc", "見本", "見a", "ｱｲｳ", "", "見本花"], dtype="str")
    assert rules.over_length(values, lay_out(values), "cp932", 3).tolist() == [
        False, False, True, False, False, False, True]
    assert rules.over_length(values, lay_out(values), "utf-8", 3).tolist() == [
        False, False, True, True, True, False, True]


# --- 外字 classes and the vendor's character set ------------------------------------------------------------

NAMES = ["𠮷田　一郎", "見本\ue000子", "葛\U000E0100西", "見本〜花子", "髙橋　花子", "𠮷田鷗", "\uf8ff髙", "見本　花子"]


def _charset(profile: VendorProfile, names: list[str] = NAMES) -> list[Seen]:
    return _found(programme(), _rows(*({"shimei": n} for n in names)), "charset", profile)


def test_each_class_of_character_is_its_own_finding_with_positions() -> None:
    """For a CP932 vendor: not in CP932, private use, variation selector, round-trip change and vendor extension each give their code, with ``position:U+XXXX`` per character and never the value."""
    assert _charset(VendorProfile()) == [
        ("charset.not_cp932", "error", 2, "shimei", "1:U+20BB7"),
        ("charset.private_use", "error", 3, "shimei", "3:U+E000"),
        ("charset.variation_selector", "error", 4, "shimei", "2:U+E0100"),
        ("charset.roundtrip_change", "error", 5, "shimei", "3:U+301C"),
        ("charset.vendor_extension", "error", 6, "shimei", "1:U+9AD9"),
        ("charset.not_cp932", "error", 7, "shimei", "1:U+20BB7 3:U+9DD7"),
        ("charset.private_use", "error", 8, "shimei", "1:U+F8FF"),
        ("charset.vendor_extension", "error", 8, "shimei", "2:U+9AD9"),
    ]


def test_allowed_vendor_extensions_are_information() -> None:
    """With the vendor's extensions allowed, 髙 is charset.vendor_extension_allowed (info); the rest stay."""
    found = _charset(VendorProfile(allow_vendor_extensions=True))
    assert [f for f in found if "vendor" in f[0]] == [
        ("charset.vendor_extension_allowed", "info", 6, "shimei", "1:U+9AD9"),
        ("charset.vendor_extension_allowed", "info", 8, "shimei", "2:U+9AD9")]
    assert len(found) == 8


def test_a_character_in_the_gaiji_table_is_substituted() -> None:
    """A character the ward's 外字 table maps is charset.substituted (a warning) whatever its class."""
    found = _charset(VendorProfile(gaiji={"髙": "高", "𠮷": "吉"}), ["𠮷田鷗", "髙橋", "見本"])
    assert found == [("charset.not_cp932", "error", 2, "shimei", "3:U+9DD7"),
                     ("charset.substituted", "warning", 2, "shimei", "1:U+20BB7"),
                     ("charset.substituted", "warning", 3, "shimei", "1:U+9AD9")]


def test_a_utf8_vendor_is_told_only_of_private_use() -> None:
    """UTF-8 carries every character but the private-use ones, which print as the vendor's own glyph."""
    assert _charset(VendorProfile(encoding="utf-8")) == [
        ("charset.private_use", "error", 3, "shimei", "3:U+E000"),
        ("charset.private_use", "error", 8, "shimei", "1:U+F8FF")]
    assert _charset(VendorProfile(encoding="utf-8", gaiji={"𠮷": "吉"}), ["𠮷田"]) == [
        ("charset.substituted", "warning", 2, "shimei", "1:U+20BB7")]


def test_positions_are_counted_after_nfc() -> None:
    """A decomposed が is one character: the 外字 after it is at position 2 of the NFC text."""
    assert _charset(VendorProfile(), ["か\u3099髙", "が"]) == [("charset.vendor_extension", "error", 2, "shimei",
                                                                "2:U+9AD9")]


def test_a_field_that_stays_is_not_classified() -> None:
    """区分 and 宛名番号 never leave: 外字 in them is no finding."""
    assert _found(programme(), _rows({"kubun": "髙", "bango": "𠮷1"}), "charset") == []


# --- CSV formula injection ---------------------------------------------------------------------------------

def test_a_value_beginning_as_a_formula_is_an_error_in_a_csv() -> None:
    """= + - @ at the start of an outgoing CSV value is csv.formula_injection; inside a value it is not."""
    names = ["=SUM(A1)", "+81", "-1", "@x", "a=b", "見本-花子", "＝1", ""]
    found = _found(programme(), _rows(*({"shimei": n} for n in names)), "csv")
    assert found == [("csv.formula_injection", "error", row, "shimei", "") for row in (2, 3, 4, 5)]


def test_a_fixed_layout_has_no_formula_rule() -> None:
    """A fixed-width file is no spreadsheet: =1 in it is no csv.formula_injection."""
    spec = _with(output=[{"field": "shimei", "bytes": 20}], fmt="fixed")
    assert _found(spec, _rows({"shimei": "=1"}, {"shimei": "@x"})) == []


def test_formula_start_includes_tab_and_cr() -> None:
    """formula_start flags a first character of = + - @, tab or CR (the stage strips tab and CR at the ends, so these two reach it only through the rule itself)."""
    values = pd.Series(["\tx", "\rx", "x\t", "=", "", "a+", "@", "\nx", " =x"], dtype="str")
    assert rules.formula_start(lay_out(values)).tolist() == [True, True, False, True, False, False, True, False,
                                                             False]


# --- control characters ------------------------------------------------------------------------------------

def test_control_characters_are_the_c0_range_and_del() -> None:
    """U+0000–U+001F and U+007F are control characters; space, ~ and U+0080 onwards are not."""
    values = pd.Series(["a\x1fb", "a b", "~", "a\x7f", "\x00", "見本", "", "\x80"], dtype="str")
    assert rules.control_chars(values, lay_out(values)).tolist() == [True, False, False, True, True, False,
                                                                     False, False]
    for only in (["a\x7fb", "見本"], ["見本\x7f"], ["\x1f"], ["\x7f", ""], ["\x7f\x7f"]):
        column = pd.Series(only, dtype="str")
        assert rules.control_chars(column, lay_out(column)).tolist() == [True] + [False] * (len(only) - 1)
    blank = pd.Series(["", ""], dtype="str")
    assert rules.control_chars(blank, lay_out(blank)).tolist() == [False, False]


def test_a_control_character_is_reported_by_the_stage_on_its_row() -> None:
    """The stage reports charset.control on the row and field (a CSV's tab inside a name too)."""
    found = _found(programme(), _rows({"shimei": "見本\x1f花子"}, {}, {"jusho": "東京都新宿区余丁町\t1"}),
                   "charset.control")
    assert found == [("charset.control", "error", 2, "shimei", ""), ("charset.control", "error", 4, "jusho", "")]


def test_every_rule_gives_boolean_masks() -> None:
    """Each rule's masks are booleans, one per value (the Found contract), for a clean column and an empty one."""
    profile = VendorProfile()
    for texts in (["1600023", "見本髙", "=1", "\x07"], ["a", "b"], []):
        values = pd.Series(texts, dtype="str")
        laid = lay_out(values)
        masks = [m for _, m, _ in rules.postal(values, values == "", values)[1]]
        masks += [m for _, m, _ in rules.charset_findings(values, laid, profile)]
        masks += [rules.control_chars(values, laid), rules.not_digits(values), rules.kouhi_valid(values),
                  rules.over_length(values, laid, "cp932", 2), rules.formula_start(laid)]
        for mask in masks:
            assert np.asarray(mask).dtype == np.bool_ and len(mask) == len(texts)
