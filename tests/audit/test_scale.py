"""The audit stays linear in the size of the ledger (one pass, grouped by job; no scan per job or per item)."""

from __future__ import annotations

import datetime as dt
import time

from handoff.audit.checks import reconcile
from handoff.audit.model import Scope
from handoff.config import SiteConfig
from handoff.ledger.events import Draft, Entry, seal
from handoff.ledger.service import Ledger
from handoff.programme import ProgramSpec
from tests.audit.year import build_year


def copies(template: list[Entry], size: int) -> list[Entry]:
    """``template`` repeated with renamed jobs, media and notices until there are ``size`` entries."""
    out: list[Entry] = []
    n = 0
    while len(out) < size:
        for e in template:
            subject = {k: f"{v}-{n}" if k in ("job", "medium", "notice") else v for k, v in e.subject.items()}
            payload = dict(e.payload)
            if isinstance(payload.get("media"), list):
                payload["media"] = [f"{m}-{n}" for m in payload["media"]]
            out.append(seal(Draft(e.type, subject, payload, e.actor, e.time), len(out)))
        n += 1
    return out


def best_of(entries: list[Entry], site: SiteConfig, programmes: dict[str, ProgramSpec]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = reconcile(entries, site, programmes, Scope(dt.date(2027, 5, 1)))
        times.append(time.perf_counter() - start)
    assert result.findings == []
    return min(times)


def test_time_grows_linearly(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """Eight times the entries take well under sixteen times as long (a quadratic scan would take sixty-four)."""
    template = build_year(ledger).entries
    small, large = copies(template, 2_500), copies(template, 20_000)
    assert best_of(large, audit_site, programmes) < 16 * best_of(small, audit_site, programmes)
