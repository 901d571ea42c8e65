#!/usr/bin/env -S sh -c 'exec "$(dirname "$0")/../.venv/bin/python" "$0" "$@"'
"""Ledger benchmark for ``scripts/bench``: appends and a full verify, on SQLite or PostgreSQL.

``run(n, backend_url)`` builds a throw-away site (a temporary folder; for PostgreSQL a throw-away schema,
dropped afterwards), appends ``n`` entries in batches (one transaction and one checkpoint per batch), times a
sample of single appends (one transaction, checkpoint and checkpoint file each), then verifies everything.
``scripts/bench_ledger.py [N] [URL]`` prints the result as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BATCH = 1_000
SINGLE = 200


def _site(home: Path, backend_url: str) -> Any:
    from handoff.config import SiteConfig

    pg = backend_url.startswith("postgres")
    url = ""
    if pg:
        url = f"{backend_url}{'&' if '?' in backend_url else '?'}schema=bench_{secrets.token_hex(4)}"
    return SiteConfig.model_validate(
        {
            "name": "bench",
            "data_dir": str(home / "data"),
            "ledger": {
                "backend": "postgresql" if pg else "sqlite",
                "url": url,
                "origin": "bench.invalid/ledger",
            },
            "staff": [{"id": "S001", "name": "bench"}],
            "vendors": [
                {
                    "id": "V01",
                    "name": "bench",
                    "contract_start": "2000-01-01",
                    "contract_end": "2999-12-31",
                    "profile": "p",
                    "handlers": [{"id": "H1", "name": "bench"}],
                }
            ],
            "vendor_profiles": {"p": {}},
            "home": str(home),
        }
    )


def run(n: int, backend_url: str = "") -> dict[str, Any]:
    """Append ``n`` entries (+ a sample of single appends) and verify; return rates per second."""
    from handoff.ledger.events import Actor, Draft
    from handoff.ledger.service import Ledger

    actor = Actor("S001", "bench")
    now = dt.datetime.now(dt.UTC)
    payload = {"performed_on": now.date().isoformat(), "result": "bench"}
    with tempfile.TemporaryDirectory(prefix="handoff-bench-") as tmp:
        site = _site(Path(tmp), backend_url)
        ledger = Ledger.create(site)
        try:
            start = time.perf_counter()
            for done in range(0, n, BATCH):
                k = min(BATCH, n - done)
                ledger.record_many([Draft("vendor.inspected", {"vendor": "V01"}, payload, actor, now)] * k)
            append_s = time.perf_counter() - start
            single = min(SINGLE, max(n // 10, 1))
            start = time.perf_counter()
            for _ in range(single):
                ledger.record("vendor.inspected", {"vendor": "V01"}, payload, actor, at=now)
            single_s = time.perf_counter() - start
            start = time.perf_counter()
            report = ledger.verify()
            verify_s = time.perf_counter() - start
        finally:
            if site.ledger.backend == "postgresql":
                from handoff.ledger.store_pg import PgStore

                assert isinstance(ledger.store, PgStore)  # noqa: S101 — bench only: the site above says so
                ledger.store.drop()
            ledger.close()
    return {
        "backend": site.ledger.backend,
        "entries": report.entries,
        "batch": BATCH,
        "append_s": round(append_s, 3),
        "appends_per_s": round(n / append_s) if append_s else None,
        "single_appends": single,
        "single_appends_per_s": round(single / single_s) if single_s else None,
        "verify_s": round(verify_s, 3),
        "verify_per_s": round(report.entries / verify_s) if verify_s else None,
    }


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(run(count, sys.argv[2] if len(sys.argv) > 2 else ""), ensure_ascii=False))
