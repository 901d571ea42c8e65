"""Householding (名寄せ): pieces per recipient key, key normalisation, overflow, postcards, determinism."""

from __future__ import annotations

import pandas as pd
import pytest

from handoff.contract import ROW
from handoff.mail import household
from handoff.programme import ProgramSpec
from tests.mail.conftest import CtxFactory, family, kodomo_table

ADDR = "東京都千代田区千代田1丁目2番3号"


def pieces_by_row(table: pd.DataFrame) -> dict[int, tuple[int, str, str, str]]:
    return {int(r[ROW]): (int(r["_piece"]), r["piece_part"], r["doc_index"], r["docs_in_piece"])
            for _, r in table.iterrows()}


def test_children_of_one_guardian_share_a_piece(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Three guardians with 3, 1 and 2 children give 3 pieces holding 3, 1 and 2 documents."""
    rows = (family("1000001", ADDR, "見本 一郎", 3, 1) + family("1000001", ADDR, "見本 二郎", 1, 4)
            + family("1000002", "東京都千代田区永田町2-1", "見本 三子", 2, 5))
    result = household.run(kodomo_table(rows), kodomo, make_ctx())
    got = pieces_by_row(result.table)
    assert {got[r][0] for r in (1, 2, 3)} == {got[1][0]}
    assert got[4][0] not in {got[1][0], got[5][0]} and got[5][0] == got[6][0]
    assert [got[r][2:] for r in (1, 2, 3)] == [("1", "3"), ("2", "3"), ("3", "3")]
    assert result.stats["pieces"] == 3 and result.stats["documents"] == 6
    assert result.stats["docs_per_piece"] == {"1": 1, "2": 1, "3": 1}


def test_key_normalisation_unifies_chome_forms(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """「1丁目2番3号」「１－２－３」「1-2-3 」 and a full-width blank in the name are one household."""
    town = "東京都千代田区千代田"
    spelled = (town + "１－２－３", town + " 1-2-3", town + "一丁目二番三号")
    rows = family("1000001", ADDR, "見本　一郎", 4, 1, spelled=spelled)
    rows[2]["hogosha_shimei"] = "見本 一郎"
    result = household.run(kodomo_table(rows), kodomo, make_ctx())
    assert result.table["_piece"].nunique() == 1
    assert result.table["hogosha_jusho"].tolist() == [ADDR, *spelled]  # values themselves are untouched


def test_different_building_rooms_stay_apart(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Normalisation does not merge different rooms: ...1-2-3 101 vs ...1-2-3 102."""
    rows = family("1000001", ADDR + " 101", "見本 一郎", 1, 1)
    rows += family("1000001", ADDR + " 102", "見本 一郎", 1, 2)
    assert household.run(kodomo_table(rows), kodomo, make_ctx()).table["_piece"].nunique() == 2


def test_overflow_splits_into_numbered_parts(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """5 documents with capacity 2 → pieces 1/3, 2/3, 3/3 holding 2, 2, 1, in source row order."""
    rows = family("1000001", ADDR, "見本 一郎", 5, 10)
    result = household.run(kodomo_table(rows), kodomo, make_ctx(capacity=2))
    got = pieces_by_row(result.table)
    assert [got[r][1:] for r in range(10, 15)] == [
        ("1/3", "1", "2"), ("1/3", "2", "2"), ("2/3", "1", "2"), ("2/3", "2", "2"), ("3/3", "1", "1")]
    assert len({got[r][0] for r in range(10, 15)}) == 3
    assert result.stats["split_recipients"] == 1 and result.stats["docs_per_piece"] == {"1": 1, "2": 2}


def test_capacity_exactly_full_is_one_piece(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """As many documents as the envelope holds: one piece 1/1."""
    table = kodomo_table(family("1000001", ADDR, "見本 一郎", 6, 1))
    result = household.run(table, kodomo, make_ctx(capacity=6))
    assert set(result.table["piece_part"]) == {"1/1"} and set(result.table["docs_in_piece"]) == {"6"}


def test_postcards_are_one_row_per_piece(keirokai: ProgramSpec, make_ctx: CtxFactory) -> None:
    """A postcard programme never groups: two rows with the same key are two pieces."""
    table = pd.DataFrame({"yubin_bango": ["1000001"] * 2, "jusho": [ADDR] * 2, "shimei": ["見本 花子"] * 2})
    for name in keirokai.approved_fields:
        if name not in table:
            table[name] = ""
    table[ROW] = [1, 2]
    result = household.run(table.astype({c: "str" for c in table.columns if c != ROW}), keirokai, make_ctx())
    assert result.table["_piece"].nunique() == 2
    assert set(result.table["piece_part"]) == {"1/1"} and set(result.table["docs_in_piece"]) == {"1"}


def test_household_key_of_seikatsu_hogo_is_the_case_number(hogo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """生活保護: members sharing a ケース番号 are one piece, whatever their names."""
    table = pd.DataFrame({f: [""] * 3 for f in hogo.approved_fields} | {
        "case_bango": ["C001", "C001", "C002"], "shimei": ["見本 父", "見本 子", "試験 母"]}).astype("str")
    table[ROW] = [1, 2, 3]
    result = household.run(table, hogo, make_ctx())
    assert result.stats["pieces"] == 2 and result.stats["recipients"] == 2


def test_shuffled_input_gives_the_same_pieces(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Row order does not change which rows form which piece, nor the piece ids."""
    rows = []
    for g in range(30):
        rows += family(f"10000{g % 7:02d}", f"東京都千代田区千代田{g}-1", f"見本 {g}", 1 + g % 4, 100 * g + 1)
    table = kodomo_table(rows)
    first = pieces_by_row(household.run(table, kodomo, make_ctx(capacity=2)).table)
    shuffled = table.sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert pieces_by_row(household.run(shuffled, kodomo, make_ctx(capacity=2)).table) == first


def test_key_items_are_compared_one_by_one(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Text moved from the address into the name is a different key; pieces follow 郵便番号, address, name."""
    rows = (family("1000002", ADDR, "見本 一郎", 1, 1) + family("1000001", ADDR + "\x1f見本", "一郎", 1, 2)
            + family("1000001", ADDR, "見本\x1f一郎", 1, 3) + family("1000001", ADDR, "見本 一郎", 1, 4))
    got = pieces_by_row(household.run(kodomo_table(rows), kodomo, make_ctx()).table)
    assert [got[r][0] for r in (3, 4, 2, 1)] == [0, 1, 2, 3]


def test_normalise_key_examples() -> None:
    """The comparison form: NFKC, no blanks, 丁目/番地/番/号 and dashes after digits → one hyphen."""
    values = pd.Series(["１丁目２番地３号", "1-2-3", "1ー2ー3 ", "一丁目二番三号", "コーポ 1-2-3-"])
    assert household.normalise_key(values).tolist() == ["1-2-3", "1-2-3", "1-2-3", "1-2-3", "コーポ1-2-3"]


@pytest.mark.parametrize("blank", ["\t", "\n", "\r", "\f", "\u3000", "  ", "\t \r\n"])
def test_normalise_key_removes_every_blank(blank: str) -> None:
    """Tabs, line breaks, form feeds and blanks of either width inside a key item compare as nothing."""
    values = pd.Series([f"見本町{blank}1丁目2番", "見本町1-2", f"見本{blank}太郎", "見本太郎"])
    got = household.normalise_key(values).tolist()
    assert got[0] == got[1] == "見本町1-2" and got[2] == got[3] == "見本太郎"
