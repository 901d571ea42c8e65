"""Customer barcode: the 16 p25 vectors, zint as an independent renderer, refusals, rendering."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from xml.etree import ElementTree

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff.errors import HandoffError, InputError, IntegrityError
from handoff.jp import customer_barcode as cb
from handoff.messages.mail import MESSAGES as MAIL_MESSAGES
from tests.mail.p25_vectors import CASES

IDS = [f"p25-{i}" for i in range(1, 17)]


@pytest.mark.parametrize(("zip_code", "address", "number", "symbols", "check", "bars"), CASES, ids=IDS)
def test_p25_vectors_reproduce_exactly(zip_code: str, address: str, number: str, symbols: list[str],
                                       check: str, bars: str) -> None:
    """Each manual p25 example yields the published 住所表示番号, 20 symbols, check symbol and 67 bars."""
    barcode = cb.encode(zip_code, address)
    assert barcode.number == number
    assert barcode.symbols == symbols
    assert barcode.check == check
    assert barcode.bars == bars
    assert len(barcode.bars) == 67


def _zint_bars(data: str) -> str:
    """Render ``data`` (zip + extracted number) with libzint and read the 67 bars back from its modules."""
    import zint

    symbol = zint.Symbol()
    symbol.symbology = zint.Symbology.JAPANPOST
    symbol.encode(data)
    matrix = np.asarray(symbol.encoded_data)

    def module(row: int, col: int) -> int:
        return int(matrix[row][col >> 3] >> (col & 7)) & 1

    states = {(1, 1, 1): "F", (1, 1, 0): "A", (0, 1, 1): "D", (0, 1, 0): "T"}
    return "".join(states[(module(0, c), module(1, c), module(2, c))] for c in range(0, symbol.width, 2))


FIELDS = ("zip_code", "address", "number", "symbols", "check", "bars")


@pytest.mark.parametrize(FIELDS, CASES[:15], ids=IDS[:15])
def test_zint_renders_the_same_bars(zip_code: str, address: str, number: str, symbols: list[str],
                                    check: str, bars: str) -> None:
    """libzint (zint-bindings), fed the published extraction, draws the same 67 bars (16: zint refuses)."""
    fitted, used = "", 0
    for ch in number:  # zint takes at most 20 input characters: feed the part that fits in 13 symbols
        used += 2 if ch.isalpha() else 1
        if used > 13:
            break
        fitted += ch
    assert _zint_bars(zip_code.replace("-", "") + fitted) == cb.encode(zip_code, address).bars


def test_unknown_code_raises() -> None:
    """A well-formed code that does not exist gets no barcode."""
    with pytest.raises(cb.NoCustomerBarcodeError) as info:
        cb.encode("0000000", "東京都千代田区千代田1-1")
    assert info.value.reason == "unknown"
    assert isinstance(info.value, HandoffError)


def test_daihyo_raises() -> None:
    """A 代表番号 (1000000, 以下に掲載がない場合) gets no barcode (manual p18)."""
    with pytest.raises(cb.NoCustomerBarcodeError) as info:
        cb.encode("100-0000", "東京都千代田区どこか1-1")
    assert info.value.reason == "daihyo"


def test_address_outside_town_raises() -> None:
    """An address that does not begin with the code's 町域 gets no barcode (never a guess)."""
    with pytest.raises(cb.NoCustomerBarcodeError) as info:
        cb.encode("263-0023", "千葉市稲毛区稲毛東3丁目30-8")
    assert info.value.reason == "town_mismatch"


def test_office_code_is_number_and_cc4_padding() -> None:
    """A 大口事業所 code (100-8792) encodes its own number followed by 13 × CC4 (manual p22)."""
    barcode = cb.encode("100-8792", "東京都千代田区大手町2-3-1")
    assert barcode.symbols == [*"1008792", *["CC4"] * 13]


def test_po_box_inclusive_number_with_box() -> None:
    """私書箱 by 包括番号: the box number after the code, CC4-padded (manual p22: 980-8691, box 215)."""
    barcode = cb.encode_extracted("9808691", "215")
    assert barcode.symbols == [*"9808691", "2", "1", "5", *["CC4"] * 10]
    assert (barcode.zip7, barcode.number) == ("9808691", "215")


def test_truncation_keeps_a_bare_control_code() -> None:
    """When a letter's digit would be the 14th address symbol, its control code stays and the digit goes."""
    barcode = cb.encode_extracted("9100067", "3-80-25J1-2B")
    assert barcode.symbols[-1] == "CC1"
    assert barcode.symbols[7:] == ["3", "-", "8", "0", "-", "2", "5", "CC1", "9", "1", "-", "2", "CC1"]


def test_letters_map_to_control_code_pairs() -> None:
    """A–J → CC1+digit, K–T → CC2+digit, U–Z → CC3+digit."""
    expected = ["CC1", "0", "CC2", "0", "CC3", "0", "CC3", "5"]
    assert cb.encode_extracted("1000001", "AKUZ").symbols[7:15] == expected


def test_bad_inputs_to_encode_extracted_raise() -> None:
    """A zip that is not 7 digits, or a number with a character outside 0-9 A-Z -, is refused with its own code."""
    with pytest.raises(InputError) as info:
        cb.encode_extracted("123456", "1")
    assert info.value.code == "mail.cb_bad_zip"
    with pytest.raises(InputError) as info:
        cb.encode_extracted("1234567", "1丁目")
    assert info.value.code == "mail.cb_bad_number"
    assert {info.value.message("en"), info.value.message("ja")} == set(MAIL_MESSAGES["mail.cb_bad_number"])


def test_decode_bars_round_trips_and_detects_damage() -> None:
    """Bars decode back to the symbols plus check; a changed bar fails the structural check."""
    _, _, _, symbols, check, bars = CASES[0]
    assert cb.decode_bars(bars) == [*symbols, check]
    damaged = bars[:10] + ("F" if bars[10] != "F" else "T") + bars[11:]
    with pytest.raises(IntegrityError) as info:
        cb.decode_bars(damaged)
    assert info.value.code == "mail.cb_bars_invalid"


@pytest.mark.parametrize("change", [
    lambda bars: "TD" + bars[2:],  # start bar not FD, stop and the 21 symbols intact
    lambda bars: bars[:-2] + "FT",  # stop bar not DF
    lambda bars: bars[:-2] + "FTT" + bars[-2:],  # 70 bars: start, stop and the first 21 symbols intact
    lambda bars: bars[:-5] + bars[-2:],  # 64 bars
], ids=["start", "stop", "long", "short"])
def test_decode_bars_refuses_a_wrong_frame(change: Callable[[str], str]) -> None:
    """Each of start (FD), stop (DF) and the 67-bar length is checked on its own: one wrong refuses the bars."""
    with pytest.raises(IntegrityError) as info:
        cb.decode_bars(change(CASES[0][5]))
    assert info.value.code == "mail.cb_bars_invalid"
    assert "{" not in info.value.message("ja")


def test_svg_has_manual_dimensions() -> None:
    """At 10 pt: 67 bars 0.6 mm wide at 1.2 mm pitch; long 3.6 mm, semi-long 2.4 mm, timing 1.2 mm."""
    bars = CASES[0][5]
    svg = cb.to_svg(bars)
    rects = [tuple(map(float, r)) for r in re.findall(
        r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/>', svg)]
    assert len(rects) == 67
    assert {r[2] for r in rects} == {0.6}
    assert rects[1][0] - rects[0][0] == pytest.approx(1.2)
    heights = {b: rects[i][3] for i, b in enumerate(bars)}
    assert heights == {"F": 3.6, "A": 2.4, "D": 2.4, "T": 1.2}
    assert 'width="79.800mm"' in svg


def test_svg_scales_with_point_size() -> None:
    """At 8 pt every dimension is 0.8 × the 10 pt one."""
    rects = cb.bar_rects("FDFDF", 8.0)
    assert rects[1][0] == pytest.approx(0.96)
    assert rects[0][3] == pytest.approx(2.88)


# (x, y, width, height) in mm of F, A, D, T at a pt (manual p12): pitch 1.2, width 0.6, long bar 3.6, timing bar
# 1.2 (one third of the long bar: A and D are two thirds, D and T start one third down), all × a/10.
def _manual_rects(a: float) -> list[tuple[float, float, float, float]]:
    k = a / 10
    return [(0.0, 0.0, 0.6 * k, 3.6 * k), (1.2 * k, 0.0, 0.6 * k, 2.4 * k), (2.4 * k, 1.2 * k, 0.6 * k, 2.4 * k),
            (3.6 * k, 1.2 * k, 0.6 * k, 1.2 * k)]


def _flat(rects: Sequence[Sequence[float]]) -> list[float]:
    return [v for rect in rects for v in rect]


@pytest.mark.parametrize("point", [8.0, 10.0, 11.5])
def test_every_bar_dimension_follows_the_point_size(point: float) -> None:
    """Position, top, width and height of each bar kind are the manual's 10 pt figures × a/10 (p12: 8–11.5 pt)."""
    assert _flat(cb.bar_rects("FADT", point)) == pytest.approx(_flat(_manual_rects(point)))


def test_bar_rects_are_drawn_at_10_pt_by_default() -> None:
    """Without a point size the bars have the manual's 10 pt dimensions."""
    assert _flat(cb.bar_rects("FADT")) == pytest.approx(_flat(_manual_rects(10.0)))


@pytest.mark.parametrize("point", [8.0, 10.0])
def test_svg_holds_the_bars_at_its_point_size_and_nothing_else(point: float) -> None:
    """The SVG is 66 pitches + 1 bar wide and one long bar high at its point size, and its group holds the 67 bars' rectangles (those of bar_rects at that size) with no text between them."""
    bars = CASES[0][5]
    root = ElementTree.fromstring(cb.to_svg(bars, point))  # noqa: S314 (handoff's own output, not input)
    k = point / 10
    width, height = 66 * 1.2 * k + 0.6 * k, 3.6 * k
    assert (root.get("width"), root.get("height")) == (f"{width:.3f}mm", f"{height:.3f}mm")
    assert root.get("viewBox") == f"0 0 {width:.3f} {height:.3f}"
    (group,) = list(root)
    assert not (group.text or "").strip() and all(not (r.tail or "").strip() for r in group)
    drawn = [tuple(float(r.get(a, "")) for a in ("x", "y", "width", "height")) for r in group]
    assert _flat(drawn) == pytest.approx(_flat(cb.bar_rects(bars, point)), abs=5e-4)


def test_encode_many_agrees_with_encode() -> None:
    """The batch path gives the published columns, and the same refusal reasons as encode()."""
    pairs = [(c[0], c[1]) for c in CASES] + [("0000000", "x"), ("1000000", "東京都千代田区"),
                                              ("2630023", "千葉市稲毛区稲毛東1"), ("1008792", "")]
    got = cb.encode_many(pairs)
    assert got[:16] == [(" ".join([*c[3], c[4]]), c[5], "") for c in CASES]
    assert [g[2] for g in got[16:19]] == ["unknown", "daihyo", "town_mismatch"]
    assert got[19][1] == cb.encode("1008792", "").bars


# The check values of manual p21 (reference/customer-barcode.md §1.2): digits are their own value, the hyphen 10,
# CC1–CC8 11–18.
MANUAL_VALUE = {**{str(d): d for d in range(10)}, "-": 10, **{f"CC{k}": 10 + k for k in range(1, 9)}}


@pytest.mark.parametrize(FIELDS, CASES, ids=IDS)
def test_check_symbol_gives_the_published_check(zip_code: str, address: str, number: str, symbols: list[str],
                                                check: str, bars: str) -> None:
    """check_symbol (manual p21, mod 19) of each p25 example's 20 data symbols is its published check symbol."""
    assert cb.check_symbol(symbols) == check


@pytest.mark.parametrize(("total", "expected"), [(0, "0"), (19 * 7, "0"), (1, "CC8"), (9, "-"), (18, "1"),
                                                  (10, "9"), (8, "CC1")])
def test_check_symbol_maps_the_value_as_the_manual_says(total: int, expected: str) -> None:
    """The check value (19 - sum mod 19) mod 19 becomes its symbol: 10 is the hyphen, 11–18 are CC1–CC8."""
    symbols = ["9"] * (total // 9) + [str(total % 9)]  # any symbols whose values add up to ``total``
    assert sum(MANUAL_VALUE[s] for s in symbols) == total
    assert cb.check_symbol(symbols) == expected


@given(zip7=st.from_regex(r"[0-9]{7}", fullmatch=True), number=st.from_regex(r"[0-9A-Z-]{0,16}", fullmatch=True))
def test_every_encoded_barcode_carries_check_symbol_of_its_data(zip7: str, number: str) -> None:
    """Any encoded barcode's check is check_symbol of its 20 data symbols, and all 21 values sum to a multiple of 19."""
    barcode = cb.encode_extracted(zip7, number)
    assert barcode.check == cb.check_symbol(barcode.symbols)
    assert sum(MANUAL_VALUE[s] for s in [*barcode.symbols, barcode.check]) % 19 == 0
    assert cb.decode_bars(barcode.bars) == [*barcode.symbols, barcode.check]
