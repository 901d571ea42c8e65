"""送付先: a row with one is householded, sorted and barcoded at it; a row without one stays at its own address."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from handoff.config import defaults_dir
from handoff.contract import ROW
from handoff.errors import ConfigError
from handoff.mail import barcode, household, recipient, sort
from handoff.programme import ProgramSpec, check_programme
from tests.mail.conftest import KODOMO_FIELDS, CtxFactory

# The 送付先 and 方書 fields a programme declares (here on 子ども医療証, through this fixture only).
EXTRA = [
    ("katagaki", "保護者方書"), ("okurisaki_yubin", "送付先郵便番号"), ("okurisaki_jusho", "送付先住所"),
    ("okurisaki_katagaki", "送付先方書"), ("okurisaki_shimei", "送付先氏名"), ("okurisaki_samakata", "送付先様方"),
]
SEND_TO = {"postal": "okurisaki_yubin", "address": "okurisaki_jusho", "katagaki": "okurisaki_katagaki",
           "name": "okurisaki_shimei", "care": "okurisaki_samakata"}


def send_to_programme() -> ProgramSpec:
    """子ども医療証 with 方書 and 送付先 declared, approved and in the output (a test fixture, not a shipped file)."""
    path = defaults_dir() / "pipelines" / "kodomo-iryosho.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    raw["source"]["columns"] += [{"field": f, "label": label, "column": label, "kind": "text"} for f, label in EXTRA]
    raw["approved"].append({"item": "送付先", "fields": [f for f, _ in EXTRA], "assumed": True})
    raw["output"]["fields"] += [{"field": f, "bytes": 120} for f, _ in EXTRA]
    raw["recipient"]["katagaki"] = "katagaki"
    raw["recipient"]["send_to"] = SEND_TO
    spec = ProgramSpec.model_validate(raw)
    check_programme(spec, Path("send-to.toml"))
    return spec


HOME = ("1100016", "東京都台東区台東5-6-3")  # reference p25: barcode 1100016 5-6-3
AWAY = ("0600906", "北海道札幌市東区北六条東4丁目")  # reference p25: barcode 0600906 4


def row(n: int, postal: str, address: str, guardian: str, **extra: str) -> dict[str, str]:
    base = {f: "" for f in (*KODOMO_FIELDS, *(f for f, _ in EXTRA))}
    base.update({"yubin_bango": postal, "hogosha_jusho": address, "hogosha_shimei": guardian,
                 "jido_shimei": f"見本 子{n}", "jukyusha_bango": f"{n:07d}", "row": str(n)})
    base.update(extra)
    return base


def table_of(rows: list[dict[str, str]]) -> pd.DataFrame:
    columns = [c for c in rows[0] if c != "row"]
    out = pd.DataFrame([{c: r[c] for c in columns} for r in rows], columns=columns).astype("str")
    out[ROW] = [int(r["row"]) for r in rows]
    return out


@pytest.fixture(scope="module")
def spec() -> ProgramSpec:
    return send_to_programme()


def pieces(spec: ProgramSpec, table: pd.DataFrame, make_ctx: CtxFactory) -> pd.DataFrame:
    ctx = make_ctx()
    return sort.run(household.run(table, spec, ctx).table, spec, ctx).table


def test_a_row_with_send_to_goes_there(spec: ProgramSpec, make_ctx: CtxFactory) -> None:
    """A row with a 送付先 takes its 郵便番号/住所/様方 as the destination; a row without one keeps its own."""
    table = table_of([
        row(1, *HOME, "見本 太郎"),
        row(2, *HOME, "見本 次郎", okurisaki_yubin=AWAY[0], okurisaki_jusho=AWAY[1],
            okurisaki_samakata="見本 花子"),
    ])
    out = pieces(spec, table, make_ctx).set_index(ROW)
    assert out.loc[1, recipient.TO["postal"]] == HOME[0] and out.loc[1, recipient.TO["care"]] == ""
    assert out.loc[2, recipient.TO["postal"]] == AWAY[0] and out.loc[2, recipient.TO["address"]] == AWAY[1]
    assert out.loc[2, recipient.TO["name"]] == "見本 次郎"  # a blank 送付先氏名 keeps the recipient's name
    assert out.loc[2, recipient.TO["care"]] == "見本 花子"
    assert out.loc[2, "hogosha_jusho"] == HOME[1]  # the programme's own field keeps its value


def test_postal_sort_uses_the_send_to(spec: ProgramSpec, make_ctx: CtxFactory) -> None:
    """The piece sent to 060-0906 sorts before those at 110-0016, although its own address is at 110-0016."""
    table = table_of([
        row(1, *HOME, "見本 一郎"),
        row(2, *HOME, "見本 二郎"),
        row(3, *HOME, "見本 三郎", okurisaki_yubin=AWAY[0], okurisaki_jusho=AWAY[1]),
    ])
    out = pieces(spec, table, make_ctx)
    assert out[ROW].tolist()[0] == 3 and out["piece_seq"].tolist()[0] == "000001"
    without = pieces(spec, table.assign(okurisaki_yubin="", okurisaki_jusho=""), make_ctx)
    assert without[ROW].tolist()[0] == 1  # the same rows without 送付先: one address, ordered by recipient key


def test_householding_groups_by_destination(spec: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Two children of one guardian: one piece at home; a child with a 送付先 (or other 方書) gets its own."""
    table = table_of([
        row(1, *HOME, "見本 太郎"),
        row(2, *HOME, "見本 太郎"),
        row(3, *HOME, "見本 太郎", okurisaki_yubin=AWAY[0], okurisaki_jusho=AWAY[1]),
        row(4, *HOME, "見本 太郎", katagaki="サンプル荘203号室"),
    ])
    out = pieces(spec, table, make_ctx).set_index(ROW)
    assert out.loc[1, "piece_seq"] == out.loc[2, "piece_seq"]
    assert len({out.loc[1, "piece_seq"], out.loc[3, "piece_seq"], out.loc[4, "piece_seq"]}) == 3


def test_barcode_of_the_send_to_postal_code(spec: ProgramSpec, make_ctx: CtxFactory) -> None:
    """The customer barcode made from the destination columns is the 送付先's (manual p25 vectors)."""
    table = table_of([
        row(1, *HOME, "見本 太郎"),
        row(2, *HOME, "見本 次郎", okurisaki_yubin=AWAY[0], okurisaki_jusho=AWAY[1]),
    ])
    out = pieces(spec, table, make_ctx).set_index(ROW)
    symbols, _bars, _reason = barcode.customer_barcodes(*recipient.barcode_columns(out, spec))
    assert symbols.loc[2].startswith("0 6 0 0 9 0 6 4")  # 060-0906, 4丁目
    assert symbols.loc[1].startswith("1 1 0 0 0 1 6 5 - 6 - 3")  # 110-0016, 5-6-3


def test_programme_without_send_to_is_unchanged(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Without 送付先 declared, householding adds no destination column."""
    table = table_of([row(1, *HOME, "見本 太郎")])[[*KODOMO_FIELDS, ROW]]
    out = household.run(table, kodomo, make_ctx()).table
    assert not any(c.startswith("_to_") for c in out.columns)


def test_undeclared_send_to_field_is_refused(spec: ProgramSpec, make_ctx: CtxFactory) -> None:
    """A 送付先 field missing from the table (not approved) stops the run with mail.send_to_field."""
    table = table_of([row(1, *HOME, "見本 太郎")]).drop(columns=["okurisaki_jusho"])
    with pytest.raises(ConfigError) as err:
        household.run(table, spec, make_ctx())
    assert err.value.code == "mail.send_to_field"


def test_barcode_takes_the_room_number_from_katagaki(spec: ProgramSpec, make_ctx: CtxFactory) -> None:
    """The barcode's address is the destination with its 方書: the room number of 方書 is in the symbols."""
    table = table_of([
        row(1, *HOME, "見本 太郎", katagaki="ABCビル10F"),
        row(2, *HOME, "見本 次郎", okurisaki_yubin=AWAY[0], okurisaki_jusho=AWAY[1],
            okurisaki_katagaki="郵便センター6号館"),
    ])
    out = pieces(spec, table, make_ctx).set_index(ROW)
    symbols, _bars, _reason = barcode.customer_barcodes(*recipient.barcode_columns(out, spec))
    # reference p25: 110-0016 東京都台東区台東5-6-3 ABCビル10F → 5-6-3-10; 060-0906 …4丁目 郵便センター6号館 → 4-6
    assert symbols.loc[1].startswith("1 1 0 0 0 1 6 5 - 6 - 3 - 1 0")
    assert symbols.loc[2].startswith("0 6 0 0 9 0 6 4 - 6")
