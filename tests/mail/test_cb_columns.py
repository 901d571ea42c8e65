"""Customer barcodes in columns (Arrow/numpy) against the per-address reference encoder and the p25 vectors."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handoff.jp import customer_barcode as cb
from handoff.mail import cb_columns
from tests.mail.p25_vectors import CASES


def _arrow(values: list[str]) -> pa.Array:
    return pa.array(values, type=pa.large_string())


def _encode(pairs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    symbols, bars, reasons = cb_columns.encode_arrow(_arrow([p[0] for p in pairs]), _arrow([p[1] for p in pairs]))
    return list(zip(symbols.to_pylist(), bars.to_pylist(), reasons.to_pylist(), strict=True))


def test_p25_vectors_in_columns() -> None:
    """All 16 manual p25 examples give the published symbols + check and bars through the column path."""
    got = _encode([(c[0], c[1]) for c in CASES])
    assert got == [(" ".join([*c[3], c[4]]), c[5], "") for c in CASES]


def test_refusals_in_columns() -> None:
    """Unknown code, 代表番号 and town mismatch give empty columns and the reason; an office code 13 × CC4."""
    got = _encode([("0000000", "x"), ("1000000", "東京都千代田区"), ("2630023", "千葉市稲毛区稲毛東1"),
                   ("1008792", ""), ("", "")])
    assert [g[2] for g in got] == ["unknown", "daihyo", "town_mismatch", "", "unknown"]
    assert got[0][:2] == got[1][:2] == got[2][:2] == ("", "")
    assert got[3][1] == cb.encode("1008792", "").bars


# Codes with one 町域 (literal-prefix path), several 町域 or a 町域 with kanji numerals (pattern path), an
# office code, a 代表番号 and an unknown code; towns written exactly, with blanks, with 大字, or wrongly.
CODES = sorted({c[0].replace("-", "") for c in CASES} | {"1000001", "1008792", "1000000", "0000000", "1040032"})
_B = st.text(alphabet=st.sampled_from(list("0123456789０１２３４５６７８９-－‐ー 　丁目番地号のノ室館F"
                                           "ＦABCabcＡｂ&/・.一二三十百千〇ハイツコーポ見本①²ｱ")), max_size=24)


# 住所B as residents write them: 1–4 numbers with 丁目/番/号/hyphens, sometimes a building and a room.
_TYPICAL = st.builds(
    lambda nums, seps, building: "".join(f"{n}{s}" for n, s in zip(nums, seps, strict=False)) + building,
    st.lists(st.integers(0, 2000).map(str), min_size=1, max_size=4),
    st.lists(st.sampled_from(["丁目", "番", "番地", "号", "-", "－", "の"]), min_size=4, max_size=4),
    st.sampled_from(["", "　見本ハイツ101号室", " コーポ2F", "－3", "ビル10階"]),
)


@st.composite
def addresses(draw: st.DrawFn) -> tuple[str, str]:
    from handoff.jp import postal

    code = draw(st.sampled_from(CODES))
    entry = postal.lookup(code)
    other = postal.lookup(draw(st.sampled_from(CODES)))
    place = draw(st.sampled_from((entry or other or postal.lookup("1000001")).places))  # type: ignore[union-attr]
    pref, city, town = place
    head = draw(st.sampled_from([pref + city + town, city + town, f"{pref} {city} {town}", f"{city}大字{town}",
                                 city, pref + city + "どこか"]))
    return draw(st.sampled_from([code, code[:3] + "-" + code[3:]])), head + draw(st.one_of(_B, _TYPICAL))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(addresses(), min_size=1, max_size=40))
def test_columns_equal_the_reference(pairs: list[tuple[str, str]]) -> None:
    """Row by row, the column path gives exactly what encode_many gives (symbols, bars, reason)."""
    assert _encode(pairs) == cb.encode_many(pairs)


@settings(max_examples=300, deadline=None)
@given(st.lists(_B, max_size=30))
def test_numbers_equal_extract(rests: list[str]) -> None:
    """The column 住所表示番号 equals extract() for every 住所B, simple (digits + separators) or not."""
    assert cb_columns.numbers_of(_arrow(rests)).to_pylist() == [cb.extract(r) for r in rests]


def test_typical_addresses_equal_the_reference() -> None:
    """3,000 seeded typical addresses (every check value occurs) give what encode_many gives."""
    import random

    from handoff.jp.address import split

    rng = random.Random(7)
    pairs = []
    for i in range(3000):
        code, address = CASES[i % len(CASES)][:2]
        town = split(code, address)[0]  # 住所A: (prefecture) city 町域
        numbers = "-".join(str(rng.randint(0, 3000)) for _ in range(rng.randint(1, 5)))
        pairs.append((code, town + rng.choice(["", "　", " "]) + numbers + rng.choice(["", "号", " 見本ハイツ"])))
    got = _encode(pairs)
    assert got == cb.encode_many(pairs)
    assert len({g[0].rsplit(" ", 1)[-1] for g in got if g[0]}) == 19


def test_empty_input() -> None:
    """No rows in, no rows out."""
    assert _encode([]) == []


@pytest.mark.parametrize(("rests", "numbers"), [
    (["3丁目12番5号", "", "１２－３", "丁目", "-1-", "7"], ["3-12-5", "", "12-3", "", "1", "7"]),
    (["1-2-3 見本ハイツ101号室", "　4番地　", "10番10号ー"], ["1-2-3-101", "4", "10-10"]),
])
def test_digit_runs_of_simple_addresses(rests: list[str], numbers: list[str]) -> None:
    """Digit runs are joined by one hyphen; empty values, leading and trailing separators give nothing extra."""
    assert cb_columns.numbers_of(_arrow(rests)).to_pylist() == numbers == [cb.extract(r) for r in rests]


def _bench_script() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "bench_barcode.py"
    spec = importlib.util.spec_from_file_location("bench_barcode", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_numbers_of_agrees_with_extract_on_the_bench_texts() -> None:
    """On the extraction benchmark's 住所B, the column path gives the numbers extract gives one by one."""
    texts = _bench_script().bench_texts(600)
    assert cb_columns.numbers_of(_arrow(texts)).to_pylist() == [cb.extract(t) for t in texts]


def test_the_column_bench_times_numbers_of_on_the_bench_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """scripts/bench_barcode.py's column rate is the rate of numbers_of over the n distinct benchmark 住所B."""
    timed: list[tuple[int, list[str]]] = []

    def best_rate(n: int, run: Callable[[], pa.Array]) -> float:
        timed.append((n, run().to_pylist()))
        return 123.0

    bench = _bench_script()
    monkeypatch.setattr(bench, "best_rate", best_rate)
    assert bench.bench_numbers(600) == 123.0
    assert timed == [(600, [cb.extract(t) for t in bench.bench_texts(600)])]


def test_the_address_bench_times_extract_over_the_bench_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """scripts/bench_barcode.py's per-address rate times one extract() per bench text and reports n / best time."""
    timed: list[tuple[int, object]] = []

    def rate(n: int, run: Callable[[], object]) -> float:
        timed.append((n, run()))
        return 1234.0

    bench = _bench_script()
    monkeypatch.setattr(bench, "best_rate", rate)
    assert bench.bench_extract(600) == 1234.0
    assert timed == [(600, [cb.extract(t) for t in bench.bench_texts(600)])]


def test_best_rate_is_items_over_the_fastest_of_five_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    """best_rate runs the work five times and divides the items by the shortest pass (a clock read around each)."""
    bench = _bench_script()
    ticks = iter([0.0, 4.0, 10.0, 12.5, 20.0, 23.0, 30.0, 32.0, 40.0, 45.0])  # passes of 4, 2.5, 3, 2 and 5 s
    monkeypatch.setattr(time, "perf_counter", lambda: next(ticks))
    calls: list[int] = []
    assert bench.best_rate(1000, lambda: calls.append(1)) == 500.0
    assert len(calls) == 5


def test_bench_texts_are_distinct_and_half_plain() -> None:
    """The benchmark's 住所B never repeat (a cache could not help) and half of them take the plain shortcut."""
    texts = _bench_script().bench_texts(6000)
    assert len(set(texts)) == 6000
    assert sum(bool(cb._PLAIN.fullmatch(t)) for t in texts) == 3000


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("a1丁ｱｰﾟ･\uff60\uffa0０ＡＦ｡\uff9f\uff61\uffe5")), max_size=8),
                max_size=20))
def test_half_kana_rows_are_found_in_the_bytes(texts: list[str]) -> None:
    """The byte scan flags exactly the values holding a character of U+FF61–U+FF9F (edges and neighbours)."""
    got = cb_columns._half_kana(_arrow(texts)).tolist()
    assert got == [any("\uff61" <= c <= "\uff9f" for c in t) for t in texts]
    assert cb_columns._half_kana(_arrow(texts).slice(1)).tolist() == got[1:]


def test_heads_are_cut_at_their_byte_lengths() -> None:
    """cut_prefixes matches like starts_with and returns the rest of the matching rows, in row order (sliced input)."""
    from handoff.kernels.strings import cut_prefixes

    arr = _arrow(["東京都", "東京都千代田区1-2", "x", "東京都", "大阪市北区3", "東京都港区"]).slice(1)  # offset 1
    hit, rest = cut_prefixes(arr, np.array([0, 2, 3, 4]), ["東京都", "大阪市北区"], np.array([0, 0, 1, 1]))
    assert hit.tolist() == [True, True, True, False]
    assert rest.to_pylist() == ["千代田区1-2", "", "3"]
