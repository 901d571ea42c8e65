"""Postal sort: piece order by 郵便番号, address, recipient, source row; sequence and document index."""

from __future__ import annotations

import pandas as pd

from handoff.contract import ROW
from handoff.kernels.rows import ints_of
from handoff.kernels.runs import numbered_order
from handoff.mail import household, sort
from handoff.programme import ProgramSpec
from tests.mail.conftest import CtxFactory, family, kodomo_table


def mail(table: pd.DataFrame, spec: ProgramSpec, ctx: object) -> pd.DataFrame:
    return sort.run(household.run(table, spec, ctx).table, spec, ctx).table  # type: ignore[arg-type]


def sample_rows() -> list[dict[str, str]]:
    return (family("2630023", "千葉市稲毛区緑町2-1", "見本 一郎", 2, 1)
            + family("1000001", "東京都千代田区千代田1-1", "見本 二郎", 1, 3)
            + family("263-0023", "千葉市稲毛区緑町1-1", "見本 三郎", 3, 4)
            + family("１００－０００１", "東京都千代田区千代田1-1", "見本 一子", 1, 7))


def test_pieces_follow_postal_address_recipient(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Independent oracle: Python's sorted() over (normalised code, address, guardian) of each family."""
    out = mail(kodomo_table(sample_rows()), kodomo, make_ctx())
    families = {"見本 一郎": ("2630023", "千葉市稲毛区緑町2-1"),
                "見本 二郎": ("1000001", "東京都千代田区千代田1-1"),
                "見本 三郎": ("2630023", "千葉市稲毛区緑町1-1"),
                "見本 一子": ("1000001", "東京都千代田区千代田1-1")}
    expected = [name for name, _ in sorted(families.items(), key=lambda kv: (*kv[1], kv[0]))]
    assert list(dict.fromkeys(out["hogosha_shimei"])) == expected


def test_piece_seq_is_consecutive_and_zero_padded(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """piece_seq runs 1..N with piece_digits digits; every document of a piece shares it."""
    out = mail(kodomo_table(sample_rows()), kodomo, make_ctx(piece_digits=7))
    seqs = list(dict.fromkeys(out["piece_seq"]))
    assert seqs == [f"{i:07d}" for i in range(1, 5)]
    assert out.groupby("_piece")["piece_seq"].nunique().eq(1).all()


def test_doc_index_counts_within_piece_in_source_order(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Documents of a piece are numbered 1..M following their source rows."""
    out = mail(kodomo_table(sample_rows()), kodomo, make_ctx())
    three = out[out["hogosha_shimei"] == "見本 三郎"]
    assert three[ROW].tolist() == [4, 5, 6] and three["doc_index"].tolist() == ["1", "2", "3"]


def test_spelling_variants_of_one_piece_stay_together(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """A piece whose rows spell the address two ways is not interleaved with a neighbour's piece."""
    rows = (family("2630023", "千葉市稲毛区緑町1丁目1番", "見本 一郎", 3, 1, spelled=("千葉市稲毛区緑町1-1",))
            + family("2630023", "千葉市稲毛区緑町1-1", "見本 二郎", 1, 9))
    out = mail(kodomo_table(rows), kodomo, make_ctx())
    pieces = out["_piece"].tolist()
    assert pieces == sorted(pieces)
    assert out.groupby("_piece")["hogosha_shimei"].nunique().eq(1).all()


def test_split_parts_follow_each_other(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Part 1/2 and 2/2 of one recipient get consecutive sequence numbers."""
    rows = family("2630023", "千葉市稲毛区緑町1-1", "見本 一郎", 3, 1)
    rows += family("2630023", "千葉市稲毛区緑町1-2", "見本 二郎", 1, 4)
    out = mail(kodomo_table(rows), kodomo, make_ctx(capacity=2))
    heads = out.drop_duplicates("piece_seq")
    assert heads["piece_part"].tolist() == ["1/2", "2/2", "1/1"]
    assert heads["piece_seq"].tolist() == ["000001", "000002", "000003"]


def test_order_is_stable_across_shuffled_runs(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Shuffling the input rows five times gives the identical output table."""
    rows = []
    for g in range(40):
        addr = f"千葉市稲毛区緑町{g % 3}-{g}"
        rows += family(f"26300{g % 5:02d}", addr, f"見本 {g % 11}", 1 + g % 3, 10 * g + 1)
    table = kodomo_table(rows)
    first = mail(table, kodomo, make_ctx(capacity=2))
    for seed in range(5):
        shuffled = table.sample(frac=1.0, random_state=seed).reset_index(drop=True)
        pd.testing.assert_frame_equal(mail(shuffled, kodomo, make_ctx(capacity=2)), first)


def test_documents_placed_by_householding_or_sorted_give_one_order(kodomo: ProgramSpec,
                                                                   make_ctx: CtxFactory) -> None:
    """Householding's numbering places the documents without a sort; any other numbering is sorted, same result."""
    ctx = make_ctx()
    numbered = household.run(kodomo_table(sample_rows()), kodomo, ctx).table
    expected = sort.run(numbered, kodomo, ctx).table
    rows, pieces = numbered[ROW].to_numpy(), numbered["_piece"].to_numpy()
    assert numbered_order(rows, pieces, ints_of(numbered["doc_index"]) - 1) is not None
    pd.testing.assert_frame_equal(sort.run(numbered.sample(frac=1, random_state=2), kodomo, ctx).table, expected)
    three = numbered["docs_in_piece"] == "3"  # 見本 三郎's children, rows 4, 5 and 6
    assert three.sum() == 3
    for doc_index in (["1", "1", "1"], ["3", "2", "1"]):  # a slot twice; rows descending inside the piece
        other = numbered.copy()
        other.loc[three, "doc_index"] = doc_index
        assert numbered_order(rows, pieces, ints_of(other["doc_index"]) - 1) is None
        pd.testing.assert_frame_equal(sort.run(other, kodomo, ctx).table, expected)


def test_a_table_without_householding_numbers_is_sorted(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Without a doc_index column, or with one that is not numbers, the sort falls back and gives the same order."""
    ctx = make_ctx()
    numbered = household.run(kodomo_table(sample_rows()), kodomo, ctx).table
    expected = sort.run(numbered, kodomo, ctx).table
    blank = numbered.assign(doc_index="")
    assert sort._within(blank) is None and sort._within(numbered.drop(columns="doc_index")) is None
    pd.testing.assert_frame_equal(sort.run(blank, kodomo, ctx).table, expected)
    without = sort.run(numbered.drop(columns="doc_index"), kodomo, ctx).table
    pd.testing.assert_frame_equal(without, expected, check_like=True)  # doc_index is then the last column
