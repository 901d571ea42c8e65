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


def _many(n: int) -> list[dict[str, str]]:
    """``n`` rows: distinct addresses, names from a few, 𠮷 in every fifth name and every seventh address."""
    rows = []
    for i in range(n):
        name = ("\U00020bb7田　" if i % 5 == 0 else "見本　") + "花子太郎一郎"[i % 3 * 2: i % 3 * 2 + 2]
        town = "\U00020bb7町" if i % 7 == 0 else "余丁町"
        rows.append({"bango": f"A{i:05d}", "yubin": "1620055", "jusho": f"東京都新宿区{town}{i}番1号",
                     "shimei": name, "seinengappi": "1948-04-01", "kubun": "1"})
    return rows


def test_each_distinct_value_worked_once_gives_the_row_by_row_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """Columns worked once per distinct value give the values and per-row substitution counts of row by row."""
    from handoff.kernels import ranks

    source = table(_many(70))
    ctx = context(VendorProfile(gaiji={"\U00020bb7": "吉"}))
    monkeypatch.setattr(ranks, "DISTINCT_MIN_ROWS", 10**9)
    rows = minimise.run(source, programme(), ctx)
    monkeypatch.setattr(ranks, "DISTINCT_MIN_ROWS", 0)
    monkeypatch.setattr(ranks, "DISTINCT_MAX_SHARE", 1.0)
    assert ranks.by_distinct(source["shimei"]) is not None  # the name column does take that path
    values = minimise.run(source, programme(), ctx)
    pd.testing.assert_frame_equal(values.table, rows.table)
    assert values.stats == rows.stats == {"substitutions": {"U+20BB7→U+5409": 14 + 10}}
    assert values.table["shimei"].tolist()[:2] == ["吉田　花子", "見本　太郎"]


def test_a_long_distinct_column_is_worked_in_halves_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """A nearly distinct column of other than ASCII is split in two halves; values and counts are those of one pass."""
    source = table(_many(60))
    ctx = context(VendorProfile(gaiji={"\U00020bb7": "吉"}))
    whole = minimise.run(source, programme(), ctx)
    monkeypatch.setattr(minimise, "_SPLIT_ROWS", 0)
    assert minimise._parts(source["jusho"]) == [slice(0, 30), slice(30, 60)]
    assert minimise._parts(source["yubin"]) == [None]  # ASCII: one scan is cheaper than any split
    assert minimise._parts(source["shimei"]) == [None]  # six names: worked once per distinct value instead
    halves = minimise.run(source, programme(), ctx)
    pd.testing.assert_frame_equal(halves.table, whole.table)
    assert halves.stats == whole.stats


@pytest.mark.parametrize(("planted", "split"), [((40,), True), ((10, 40), True), ((40, 10), False)])
def test_the_first_my_number_is_named_whichever_half_holds_it(monkeypatch: pytest.MonkeyPatch,
                                                            planted: tuple[int, ...], split: bool) -> None:
    """With the address column in halves or whole, the first row holding a 個人番号 is the one named."""
    rows = _many(60)
    for i in planted:
        rows[i]["jusho"] += "　6214 9832 0257"
    monkeypatch.setattr(minimise, "_SPLIT_ROWS", 0 if split else 10**9)
    with pytest.raises(PolicyError) as err:
        minimise.run(table(rows, first_row=100), programme(), context())
    assert err.value.params == {"row": 100 + min(planted), "field": "住所"}


def test_a_my_number_in_a_repeated_value_names_its_first_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worked once per distinct value, a repeated value holding a 個人番号 still names the first row that holds it."""
    from handoff.kernels import ranks

    rows = _many(40)
    for i in (23, 31):
        rows[i]["shimei"] = "見本　621498320257"
    monkeypatch.setattr(ranks, "DISTINCT_MIN_ROWS", 0)
    monkeypatch.setattr(ranks, "DISTINCT_MAX_SHARE", 1.0)
    source = table(rows, first_row=100)
    assert ranks.by_distinct(source["shimei"]) is not None
    with pytest.raises(PolicyError) as err:
        minimise.run(source, programme(), context())
    assert err.value.params == {"row": 123, "field": "氏名"}


@pytest.mark.parametrize("distinct", [True, False])
def test_rows_keep_their_index_through_substitution(monkeypatch: pytest.MonkeyPatch, distinct: bool) -> None:
    """A table whose row index is not 0…n-1 (rows taken out before) gets its substituted values on the right rows."""
    from handoff.kernels import ranks

    source = table(_many(30)).iloc[5:].copy()  # index 5…29
    monkeypatch.setattr(ranks, "DISTINCT_MIN_ROWS", 0 if distinct else 10**9)
    monkeypatch.setattr(ranks, "DISTINCT_MAX_SHARE", 1.0)
    result = minimise.run(source, programme(), context(VendorProfile(gaiji={"\U00020bb7": "吉"})))
    assert result.table.index.tolist() == list(range(5, 30))
    expected = [v.replace("\U00020bb7", "吉") for v in source["shimei"]]
    assert result.table["shimei"].tolist() == expected
    assert result.table.loc[10, "shimei"].startswith("吉田")


def test_a_table_key_written_otherwise_than_nfc_still_matches() -> None:
    """A 外字 table key given in another form (U+212B ANGSTROM SIGN for Å) replaces the character in either form."""
    rows = [dict(r) for r in ROWS]
    rows[0]["shimei"] = "見本　\u00c5"
    rows[1]["shimei"] = "見本　\u212b"
    result = minimise.run(table(rows), programme(), context(VendorProfile(gaiji={"\u212b": "A"})))
    assert result.table["shimei"].tolist() == ["見本　A", "見本　A"]
    assert result.stats == {"substitutions": {"U+00C5→U+0041": 2}}


def _dated(spec: ProgramSpec, item: str, **dates: object) -> ProgramSpec:
    """``spec`` with the council's approval of ``item`` limited to the given days."""
    approved = [a.model_copy(update=dates) if a.item == item else a for a in spec.approved]
    return spec.model_copy(update={"approved": approved})


def test_an_approval_not_yet_in_force_or_ended_counts_as_none() -> None:
    """On a day outside an item's approval dates its output field is refused as unapproved; inside, it leaves."""
    import datetime as dt

    today = context().today
    for dates in ({"approved_from": today + dt.timedelta(days=1)}, {"approved_until": today - dt.timedelta(days=1)}):
        with pytest.raises(PolicyError) as err:
            minimise.run(table(ROWS), _dated(programme(), "住所", **dates), context())
        assert err.value.code == "policy.unapproved_item" and err.value.params["field"] == "jusho"
    spec = _dated(programme(), "住所", approved_from=today, approved_until=today)
    assert list(minimise.run(table(ROWS), spec, context()).table.columns) == ["yubin", "jusho", "shimei", ROW]
