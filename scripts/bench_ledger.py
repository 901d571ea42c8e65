#!/usr/bin/env -S sh -c 'exec "$(dirname "$0")/../.venv/bin/python" "$0" "$@"'
"""Ledger benchmark for ``scripts/bench``: appends and a full verify, on SQLite or PostgreSQL.

``run(n, backend_url)`` builds a throw-away site (a temporary folder; for PostgreSQL a throw-away schema,
dropped afterwards), appends ``n`` entries in batches (one transaction and one checkpoint per batch), times a
sample of single appends (one transaction, checkpoint and checkpoint file each), then verifies everything.
``scripts/bench_ledger.py [N] [URL]`` prints the result as JSON. ``audit_run(n)`` builds a ledger of whole custody
cycles and times the commands ``ledger verify`` and ``handoff audit`` on it (``scripts/bench_ledger.py audit [N]``).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
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




# --- the audit: a ledger of whole custody cycles, verified and then audited --------------------------------
def _audit_site(home: Path) -> Any:
    """The example site, its contracts widened so that every bench date lies inside them."""
    from handoff.config import defaults_dir, load_site

    home.mkdir(parents=True, exist_ok=True)
    text = (defaults_dir() / "site.toml").read_text(encoding="utf-8")
    text = text.replace("contract_start = 2026-04-01", "contract_start = 2000-04-01")
    text = text.replace("contract_end = 2027-03-31", "contract_end = 2999-03-31")
    (home / "site.toml").write_text(text, encoding="utf-8")
    shutil.copytree(defaults_dir() / "pipelines", home / "pipelines")
    return load_site(home)


def _job_drafts(k: int, start: dt.date, approved: list[str]) -> list[tuple[dt.datetime, Any]]:
    """One job's whole cycle, 13 entries over eight days, as (time, draft) pairs."""
    from zoneinfo import ZoneInfo

    from handoff.ledger.events import Actor, Draft

    tokyo = ZoneInfo("Asia/Tokyo")
    op, job, medium, notice = Actor("S001", "bench"), f"B{k:06d}", f"B{k:06d}-M1", f"B{k:06d}-N1"
    day = start + dt.timedelta(days=k // 25)  # 25 jobs a day

    def at(offset: int, minute: int) -> dt.datetime:
        return dt.datetime.combine(day + dt.timedelta(days=offset), dt.time(9, 0), tokyo) + dt.timedelta(
            minutes=minute + (k % 25) * 13)

    sha = f"{k:064x}"
    go = {"vendor": "V01", "handler": "V01-H1", "quantity": 1, "bag": "BAG-1"}
    steps: list[tuple[int, int, str, dict[str, str], dict[str, Any]]] = [
        (0, 0, "job.prepared", {"job": job}, {
            "programme": "seikatsu-hogo", "council_reference": "bench", "approved_items": approved, "vendor": "V01",
            "quantity": 1, "zip_sha256": sha, "iso_sha256": sha, "counts": {"pieces": 100}, "media": 1}),
        (0, 1, "medium.written", {"job": job, "medium": medium}, {"iso_sha256": sha, "verified": True}),
        (0, 2, "notice.printed", {"job": job, "notice": notice}, {}),
        (0, 3, "medium.stored", {"job": job, "medium": medium}, {"cabinet": "媒体用キャビネットA"}),
        (0, 4, "notice.stored", {"job": job, "notice": notice}, {"cabinet": "通知書用キャビネットB"}),
        (1, 0, "medium.handed_over", {"job": job, "medium": medium}, go),
        (2, 0, "notice.handed_over", {"job": job, "notice": notice}, go),
        (5, 0, "delivery.inspected", {"job": job}, {"inspected": 100, "passed": 100}),
        (6, 0, "medium.returned", {"job": job, "medium": medium}, {"handler": "V01-H1", "readback_sha256": sha}),
        (6, 1, "notice.returned", {"job": job, "notice": notice}, {"handler": "V01-H1"}),
        (7, 0, "deletion_certificate.received", {"job": job}, {
            "vendor": "V01", "scan_sha256": sha, "method": "上書き消去", "performed_on": (day + dt.timedelta(days=6)
                                                                                       ).isoformat(),
            "performed_by": "V01-H1", "verified_by": "S001", "media": [medium]}),
        (7, 1, "medium.destroyed", {"job": job, "medium": medium}, {"method": "破砕", "witness": "S002"}),
        (7, 2, "notice.destroyed", {"job": job, "notice": notice}, {"method": "裁断", "witness": "S002"}),
    ]
    return [(at(o, m), Draft(t, s, p, op, at(o, m))) for o, m, t, s, p in steps]


def audit_run(n: int, rounds: int = 3) -> dict[str, Any]:
    """Build a ledger of about ``n`` entries of whole cycles (seikatsu-hogo, from April 2025), then time the
    commands ``handoff ledger verify`` and ``handoff audit`` on it, alternately, ``rounds`` times each (medians)."""
    import os
    import subprocess

    from handoff.ledger.events import Actor, Draft
    from handoff.ledger.service import Ledger
    from handoff.programme import find_programme

    start = dt.date(2025, 4, 1)
    handoff = str(Path(sys.executable).with_name("handoff"))
    with tempfile.TemporaryDirectory(prefix="handoff-bench-") as tmp:
        site = _audit_site(Path(tmp))
        approved = [a.item for a in find_programme(site.pipelines_path, "seikatsu-hogo").approved]
        drafts = [d for k in range(max(n // 13, 1)) for d in _job_drafts(k, start, approved)]
        for year in range(start.year, start.year + 2 + n // 13 // 25 // 365):
            on = dt.date(year, 10, 1)
            at = dt.datetime.combine(on, dt.time(8, 0), dt.UTC)
            payload = {"performed_on": on.isoformat(), "result": "適", "inspectors": ["S001", "S002"]}
            drafts.append((at, Draft("vendor.inspected", {"vendor": "V01"}, payload, Actor("S001", "b"), at)))
        drafts.sort(key=lambda pair: pair[0])
        with Ledger.create(site) as ledger:
            for done in range(0, len(drafts), BATCH):
                ledger.record_many([d for _, d in drafts[done:done + BATCH]])
            entries = ledger.store.size()
        as_of = (drafts[-1][0].date() + dt.timedelta(days=1)).isoformat()
        env = {**os.environ, "HANDOFF_HOME": tmp}
        commands = {
            "verify": [handoff, "ledger", "verify"],
            "audit": [handoff, "audit", "--staff", "A001", "--as-of", as_of],  # the text report, as a person reads it
        }
        times: dict[str, list[float]] = {"verify": [], "audit": []}
        codes: dict[str, int] = {}
        for _ in range(rounds):
            for name, argv in commands.items():
                begin = time.perf_counter()
                done_ = subprocess.run(argv, env=env, capture_output=True, check=False)
                times[name].append(time.perf_counter() - begin)
                codes[name] = done_.returncode  # the audit exits 0 only when it has no findings
    verify_s, audit_s = (sorted(times[k])[rounds // 2] for k in ("verify", "audit"))
    return {
        "entries": entries,
        "verify_s": round(verify_s, 3),
        "audit_s": round(audit_s, 3),
        "ratio": round(audit_s / verify_s, 2) if verify_s else None,
        "exit_codes": codes,
    }

if __name__ == "__main__":
    if sys.argv[1:2] == ["audit"]:
        print(json.dumps(audit_run(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000), ensure_ascii=False))
    else:
        count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
        print(json.dumps(run(count, sys.argv[2] if len(sys.argv) > 2 else ""), ensure_ascii=False))
