"""Barcode stage: control codes, customer barcodes, no-barcode findings, manifest."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest
import zxingcpp

from handoff.contract import ROW, StageResult
from handoff.errors import IntegrityError
from handoff.mail import barcode, household, inserter, manifest, sort
from handoff.programme import ProgramSpec
from tests.mail.conftest import CtxFactory, family, kodomo_table
from tests.mail.p25_vectors import CASES


def run_all(table: pd.DataFrame, spec: ProgramSpec, ctx: object) -> StageResult:
    t = sort.run(household.run(table, spec, ctx).table, spec, ctx).table  # type: ignore[arg-type]
    return barcode.run(t, spec, ctx)  # type: ignore[arg-type]


def p25_rows() -> list[dict[str, str]]:
    rows = []
    for i, (zip_code, address, *_rest) in enumerate(CASES, start=1):
        rows += family(zip_code, address, f"見本 {i}", 1 + i % 3, 10 * i)
    return rows


def test_customer_barcode_columns_are_the_published_ones(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Every row of a p25 address carries that example's symbols + check and bars."""
    out = run_all(kodomo_table(p25_rows()), kodomo, make_ctx()).table
    expected = {a: (" ".join([*s, c]), b) for _, a, _, s, c, b in CASES}
    for _, row in out.iterrows():
        assert (row["cb_symbols"], row["cb_bars"]) == expected[row["hogosha_jusho"]]


def test_customer_barcodes_in_halves_are_the_published_ones(kodomo: ProgramSpec, make_ctx: CtxFactory,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Encoded in two halves, with a run of one address cut between them, every row has its example's bars."""
    out = run_all(kodomo_table(p25_rows()), kodomo, make_ctx()).table
    k = len(out) // 2
    rows = [*range(k), k - 1, k - 1, *range(k, len(out))]  # the row before the middle three times over
    postal = out["yubin_bango"].iloc[rows].reset_index(drop=True)
    address = out["hogosha_jusho"].iloc[rows].reset_index(drop=True)
    middle = len(rows) // 2
    assert address.iloc[middle - 1] == address.iloc[middle]  # the halves cut a run
    whole = barcode.customer_barcodes(postal, address)
    monkeypatch.setattr(barcode, "_SPLIT_ROWS", 0)
    halves = barcode.customer_barcodes(postal, address)
    for got, expected in zip(halves, whole, strict=True):
        pd.testing.assert_series_equal(got, expected)
    expected_bars = {a: b for _, a, _, _, _, b in CASES}
    assert halves[1].tolist() == [expected_bars[a] for a in address]


def test_control_codes_decode_and_follow_the_pieces(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Each document's control code carries its piece, N of M and feeders, and decodes with zxing-cpp."""
    ctx = make_ctx()
    out = run_all(kodomo_table(p25_rows()), kodomo, ctx).table
    for _, row in out.iterrows():
        value = row["control_code"]
        assert value == inserter.compose(ctx.profile.inserter, int(row["piece_seq"]), int(row["doc_index"]),
                                         int(row["docs_in_piece"]), "3")
        image = inserter.render(value)
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [value]
    assert set(out["feeder_flags"]) == {"3"}  # お知らせ + てびき are feeders 1 and 2


@pytest.mark.parametrize(("zip_code", "address", "reason"), [
    ("1000000", "東京都千代田区どこか1-1", "daihyo"),
    ("2630023", "千葉市稲毛区稲毛東3-1", "town_mismatch"),
])
def test_rows_without_customer_barcode_get_a_warning(kodomo: ProgramSpec, make_ctx: CtxFactory,
                                                     zip_code: str, address: str, reason: str) -> None:
    """代表番号 / town mismatch: no customer barcode, one warning per row, still mailed (control code)."""
    rows = family(zip_code, address, "見本 一郎", 2, 1) + family(*CASES[0][:2], "見本 二郎", 1, 3)
    result = run_all(kodomo_table(rows), kodomo, make_ctx())
    out = result.table
    bad = out[out[ROW].isin([1, 2])]
    assert (bad["cb_symbols"] == "").all() and (bad["cb_bars"] == "").all()
    assert (bad["control_code"] != "").all()
    assert sorted((f.code, f.severity, f.row, f.detail) for f in result.findings) == [
        ("mail.cb_no_barcode", "warning", 1, reason), ("mail.cb_no_barcode", "warning", 2, reason)]
    assert all(address not in f.detail and "見本" not in f.detail for f in result.findings)


def test_postcards_have_no_control_code(keirokai: ProgramSpec, make_ctx: CtxFactory) -> None:
    """Postcards are not enclosed: control_code and feeder_flags are empty, the customer barcode is not."""
    table = pd.DataFrame({f: [""] for f in keirokai.approved_fields}).astype("str")
    table["yubin_bango"], table["jusho"], table["shimei"] = CASES[0][0], CASES[0][1], "見本 花子"
    table[ROW] = [1]
    out = run_all(table, keirokai, make_ctx()).table
    assert out.loc[0, "control_code"] == "" and out.loc[0, "feeder_flags"] == ""
    assert out.loc[0, "cb_bars"] == CASES[0][5]


def test_structural_check_catches_a_damaged_bar_string() -> None:
    """check_bars decodes all bars back: one wrong bar fails the mod-19 or pattern check."""
    bars = [c[5] for c in CASES]
    barcode.check_bars(pa.array(bars, type=pa.large_string()))
    for i in range(0, 67):
        damaged = bars[0][:i] + ("T" if bars[0][i] != "T" else "F") + bars[0][i + 1:]
        with pytest.raises(IntegrityError):
            barcode.check_bars(pa.array([bars[1], damaged], type=pa.large_string()))
    for short in (bars[0][:-1], bars[0] + "F"):
        with pytest.raises(IntegrityError):
            barcode.check_bars(pa.array([short], type=pa.large_string()))


@pytest.mark.parametrize(("symbology", "piece_digits", "feeders", "job_code"), [
    ("code128", 6, ("お知らせ", "てびき"), "01"),
    ("itf", 6, ("お知らせ", "てびき"), "99"),  # odd body: the leading pad digit
    ("itf", 7, ("X", "お知らせ", "Y", "てびき"), "00"),  # two feeder digits, no pad
    ("code39", 5, ("X", "Y", "Z", "W", "お知らせ", "V", "てびき"), "42"),  # three feeder digits
])
def test_vectorised_control_codes_equal_compose(kodomo: ProgramSpec, make_ctx: CtxFactory, symbology: str,
                                                piece_digits: int, feeders: tuple[str, ...], job_code: str) -> None:
    """The column built as a digit grid equals inserter.compose, row by row, for every layout shape."""
    import random

    ctx = make_ctx(symbology=symbology, piece_digits=piece_digits, feeders=feeders, job_code=job_code)
    rng = random.Random(7)
    seq, idx, docs = [], [], []
    piece = 0
    while len(seq) < 2000:
        piece += rng.choice([1, 1, 2, 997, 10**piece_digits // 3])
        if piece >= 10**piece_digits:
            break
        m = rng.choice([1, 2, 3, 9, 10, 99])
        for n in range(1, m + 1):
            seq.append(piece)
            idx.append(n)
            docs.append(m)
    table = pd.DataFrame({"piece_seq": seq, "doc_index": idx, "docs_in_piece": docs})
    values, flags = barcode.control_codes(table, kodomo, ctx)
    prof = ctx.profile.inserter
    assert values.tolist() == [inserter.compose(prof, s, i, d, flags) for s, i, d in zip(seq, idx, docs, strict=True)]
    assert all(inserter.is_valid(v) and len(v) == inserter.code_length(prof) for v in values)
    assert barcode.verify_sample(values, table, kodomo, ctx) > 10


def test_control_codes_refuse_values_outside_the_layout(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """A piece number wider than piece_digits or a document index above its count is refused, never cut."""
    ctx = make_ctx(piece_digits=4)
    for seq, idx, docs in [(10000, 1, 1), (5, 3, 2), (5, 0, 1), (0, 1, 1)]:
        table = pd.DataFrame({"piece_seq": [1, seq], "doc_index": [1, idx], "docs_in_piece": [1, docs]})
        with pytest.raises(IntegrityError):
            barcode.control_codes(table, kodomo, ctx)


def _pieces(sizes: list[int]) -> pd.DataFrame:
    """The control-code columns of consecutive pieces of the given sizes (documents per piece)."""
    seq = [p for p, m in enumerate(sizes, start=1) for _ in range(m)]
    idx = [n for m in sizes for n in range(1, m + 1)]
    docs = [m for m in sizes for _ in range(m)]
    return pd.DataFrame({"piece_seq": seq, "doc_index": idx, "docs_in_piece": docs})


def test_verification_sample_covers_shapes(kodomo: ProgramSpec, make_ctx: CtxFactory,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Every (N, M) combination, every check digit and the first and last 30 documents are rendered and decoded."""
    ctx = make_ctx()
    # Long runs of one-document pieces, with rarer shapes (3, 7 and 12 documents) in the middle only.
    sizes = [1] * 400 + [3] + [1] * 300 + [7] + [2] * 150 + [12] + [1] * 400
    table = _pieces(sizes)
    values, _ = barcode.control_codes(table, kodomo, ctx)
    decoded: list[str] = []

    def record(value: str, symbology: str = "code128") -> None:
        decoded.append(value)

    monkeypatch.setattr(barcode, "SAMPLE", 0)  # no random picks: the rule-based ones alone
    monkeypatch.setattr(inserter, "verify", record)
    assert barcode.verify_sample(values, table, kodomo, ctx) == len(set(decoded)) == len(decoded)
    codes = values.tolist()
    shapes = {(n, m): codes[i] for i, (n, m) in reversed(list(enumerate(zip(table["doc_index"],
                                                                             table["docs_in_piece"], strict=True))))}
    assert len(shapes) == 1 + 2 + 3 + 7 + 12
    assert set(shapes.values()) <= set(decoded)  # the first document of each (N, M)
    firsts = {c[-1]: c for c in reversed(codes)}
    assert len(firsts) == 10 and set(firsts.values()) <= set(decoded)  # the first code of each check digit
    assert set(codes[:30]) | set(codes[-30:]) <= set(decoded)
    assert len(decoded) < len(codes) // 10  # a sample, not everything


def test_a_shape_the_encoder_gets_wrong_is_caught(kodomo: ProgramSpec, make_ctx: CtxFactory,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """An encoder bug that hits one rare (N, M) shape only, in the middle of a long run, fails the stage."""
    ctx = make_ctx()
    table = _pieces([1] * 600 + [5] + [1] * 600)
    values, _ = barcode.control_codes(table, kodomo, ctx)
    real_verify = inserter.verify

    def buggy(value: str, symbology: str = "code128") -> object:
        if value[8:12] == "0305":  # document 3 of 5: the renderer drops a digit
            raise IntegrityError("mail.control_code_mismatch", symbology=symbology)
        return real_verify(value, symbology)

    monkeypatch.setattr(barcode, "SAMPLE", 0)
    monkeypatch.setattr(inserter, "verify", buggy)
    with pytest.raises(IntegrityError):
        barcode.verify_sample(values, table, kodomo, ctx)


def test_a_small_run_is_verified_whole(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """A run smaller than the sample decodes every control code."""
    result = run_all(kodomo_table(p25_rows()), kodomo, make_ctx(capacity=2))
    assert result.stats["control_codes_verified"] == len(result.table)


def test_manifest_lists_pieces_without_personal_data(kodomo: ProgramSpec, make_ctx: CtxFactory) -> None:
    """The manifest has per-piece seq, documents, control codes, feeders, totals — and no name or address."""
    ctx = make_ctx()
    out = run_all(kodomo_table(p25_rows()), kodomo, ctx).table
    data = manifest.build(out, kodomo, ctx.profile)
    text = manifest.to_json(data).decode("utf-8")
    assert "見本" not in text and "千葉" not in text and "北海道" not in text
    assert data["totals"]["documents"] == len(out)
    assert data["totals"]["pieces"] == out["_piece"].nunique() == len(data["pieces"])
    rows = [dict(zip(data["piece_columns"], p, strict=True)) for p in data["pieces"]]
    assert sum(p["documents"] for p in rows) == len(out)
    assert [c for p in rows for c in p["control_codes"]] == out["control_code"].tolist()
    assert [p["seq"] for p in rows] == [f"{i:06d}" for i in range(1, len(rows) + 1)]
    assert json.loads(text) == data
    assert manifest.to_json(manifest.build(out, kodomo, ctx.profile)) == manifest.to_json(data)


@pytest.mark.parametrize("capacity", [1, 2, 25])
def test_manifest_encode_is_the_json_of_build(kodomo: ProgramSpec, make_ctx: CtxFactory, capacity: int) -> None:
    """The Arrow-written manifest is byte-identical to json.dumps of build(), for any piece sizes."""
    ctx = make_ctx(capacity=capacity)
    out = run_all(kodomo_table(p25_rows()), kodomo, ctx).table
    assert manifest.encode(out, kodomo, ctx.profile) == manifest.to_json(manifest.build(out, kodomo, ctx.profile))
    one = out.iloc[:1]
    assert manifest.encode(one, kodomo, ctx.profile) == manifest.to_json(manifest.build(one, kodomo, ctx.profile))


def test_manifest_encode_for_postcards_and_odd_values(keirokai: ProgramSpec, kodomo: ProgramSpec,
                                                      make_ctx: CtxFactory) -> None:
    """Postcards (no control codes) and a value JSON must escape give the same bytes as build()."""
    ctx = make_ctx()
    table = pd.DataFrame({f: [""] * 3 for f in keirokai.approved_fields}).astype("str")
    table["yubin_bango"], table["jusho"], table["shimei"] = CASES[0][0], CASES[0][1], "見本 花子"
    table[ROW] = [1, 2, 3]
    cards = run_all(table, keirokai, ctx).table
    assert manifest.encode(cards, keirokai, ctx.profile) == manifest.to_json(
        manifest.build(cards, keirokai, ctx.profile))
    out = run_all(kodomo_table(p25_rows()), kodomo, ctx).table
    for odd in ('x"\\', "1\t", "\x7f", "１"):  # never produced; the fallback still writes valid, identical JSON
        out["feeder_flags"] = odd
        assert manifest.encode(out, kodomo, ctx.profile) == manifest.to_json(
            manifest.build(out, kodomo, ctx.profile))


def test_a_control_code_error_is_reported_before_a_customer_barcode_error(
        kodomo: ProgramSpec, make_ctx: CtxFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The two barcode kinds are made on two threads; when both fail, the control codes' error is the one raised."""
    ctx = make_ctx()
    table = sort.run(household.run(kodomo_table(p25_rows()), kodomo, ctx).table, kodomo, ctx).table

    def bad_cb(*_args: object) -> None:
        raise IntegrityError("mail.cb_bars_invalid")

    def bad_sample(*_args: object) -> None:
        raise IntegrityError("mail.control_code_layout")

    monkeypatch.setattr(barcode, "customer_barcodes", bad_cb)
    with pytest.raises(IntegrityError) as only_cb:
        barcode.run(table, kodomo, ctx)
    assert only_cb.value.code == "mail.cb_bars_invalid"
    monkeypatch.setattr(barcode, "verify_sample", bad_sample)
    with pytest.raises(IntegrityError) as both:
        barcode.run(table, kodomo, ctx)
    assert both.value.code == "mail.control_code_layout"
