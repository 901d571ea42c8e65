#!/usr/bin/env -S sh -c 'exec "$(dirname "$0")/../.venv/bin/python" "$0" "$@"'
"""Customer-barcode extraction benchmark for ``scripts/bench``: addresses per second, in columns and one by one.

``run(n)`` measures, on the ``n`` distinct 住所B of ``bench_texts``, the column path a run takes
(``cb_columns.numbers_of``) and ``customer_barcode.extract`` called once per address, each as the best of five
passes. ``scripts/bench_barcode.py [N]`` prints the result as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable


def bench_texts(n: int) -> list[str]:
    """``n`` distinct synthetic 住所B in six forms, half of them plain (digits and separators), half with
    漢数字 before 丁目, a floor "F" or single letters in building names."""
    forms = ("{a}丁目{b}-{c}", "{a}-{b}-{c} コーポ{d}号", "{k}丁目{b}番{c}号", "{a}丁目{b}番地{c} ハイツ{d}",
             "{a}-{b}-{c} ABCビル{e}F", "{a}-{b} {c}号 Lタワー B{d}")
    kanji = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
    # j is unique within a form and c carries it whole, so no text repeats.
    return [
        forms[i % len(forms)].format(a=1 + j % 9, b=1 + j % 37, c=1 + j, d=101 + j % 900, e=1 + j % 30,
                                     k=kanji[j % 10])
        for i, j in ((i, i // len(forms)) for i in range(n))
    ]


def best_rate(n: int, run: Callable[[], object]) -> float:
    """Items per second of ``run()`` over ``n`` items: the best of five passes, as timeit reports with its
    default repeat of five (the others measure the machine's noise)."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return n / best


def bench_extract(n: int = 200_000) -> float:
    """Addresses per second for ``extract``, one call per address, on ``bench_texts(n)``."""
    from handoff.jp.customer_barcode import extract

    texts = bench_texts(n)
    return best_rate(n, lambda: [extract(text) for text in texts])


def bench_numbers(n: int = 200_000) -> float:
    """Addresses per second for ``numbers_of``, the column path a run takes, on the same distinct 住所B as
    ``bench_extract``."""
    import pyarrow as pa

    from handoff.mail.cb_columns import numbers_of

    texts = pa.array(bench_texts(n), type=pa.large_string())
    return best_rate(n, lambda: numbers_of(texts))


def run(n: int = 200_000) -> dict[str, float]:
    """Both rates: ``column`` (``numbers_of``) and ``per_address`` (``extract``)."""
    return {"column": bench_numbers(n), "per_address": bench_extract(n)}


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)))
