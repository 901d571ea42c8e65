#!/usr/bin/env -S sh -c 'exec "$(dirname "$0")/../.venv/bin/python" "$0" "$@"'
"""Customer-barcode extraction benchmark for ``scripts/bench``: addresses per second, in columns and one by one.

``run(n)`` measures, on the ``n`` distinct 住所B of ``customer_barcode.bench_texts``, the column path a run
takes (``cb_columns.numbers_of``) and ``customer_barcode.extract`` called once per address, each as the best
of five passes. ``scripts/bench_extract.py [N]`` prints the result as JSON.
"""

from __future__ import annotations

import json
import sys


def bench_numbers(n: int = 200_000) -> float:
    """Addresses per second for ``numbers_of``, the column path a run takes, on the same distinct 住所B as
    ``customer_barcode.bench_extract``."""
    import pyarrow as pa

    from handoff.jp import customer_barcode as cb
    from handoff.mail.cb_columns import numbers_of

    texts = pa.array(cb.bench_texts(n), type=pa.large_string())
    return cb.best_rate(n, lambda: numbers_of(texts))


def run(n: int = 200_000) -> dict[str, float]:
    """Both rates: ``column`` (``numbers_of``) and ``per_address`` (``extract``)."""
    from handoff.jp.customer_barcode import bench_extract

    return {"column": bench_numbers(n), "per_address": bench_extract(n)}


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)))
