"""A fiscal year of every programme under a simulated clock: run --due every day makes one job per cycle."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path

import pytest

from handoff import api
from handoff.config import load_site
from handoff.contract import TOKYO
from handoff.ledger.service import Ledger
from handoff.programme import load_all
from tests.programmes.conftest import confirm
from tests.schedule.conftest import drop, jobs

FISCAL_YEAR = 2026
# Written out from the council documents and the calendars' stated assumptions, not computed by handoff:
# 生活保護 Oct, Nov and Mar and its 資産申告書 in June (seed 004); 督促状 and 妊婦 monthly (assumed); 医療証 and 敬老会
# once, September (assumed); 医療費通知 once, January (assumed).
MONTHLY = [f"2026-{m:02d}" for m in range(4, 13)] + [f"2027-{m:02d}" for m in range(1, 4)]
EXPECTED = {
    "seikatsu-hogo": ["2026-10", "2026-11", "2027-03"],
    "seikatsu-hogo-shisan": [],  # its 2026-06 lies outside seed 004's contract period: blocked
    "kokuho-iryohi": ["2027-01"],
    "kokuho-tokusoku": MONTHLY,
    "ninpu-kyufu": MONTHLY,
    "kodomo-iryosho": ["2026-09"],
    "keirokai": ["2026-09"],
}
BLOCKED = {("seikatsu-hogo-shisan", "2026-06")}


@pytest.mark.slow
def test_a_year_of_daily_run_due_makes_one_job_per_programme_and_cycle(home: Path) -> None:
    """Every day of fiscal year 2026, run --due at 09:00: each export dropped when its window opens is run once."""
    confirm(home, "kokuho-iryohi")  # its items are all assumed: the site has checked them (synthetic)
    confirm(home, "seikatsu-hogo-shisan")
    site = load_site(home)
    specs = load_all(site.pipelines_path)
    opening: dict[dt.date, list[str]] = {}
    for spec in specs.values():
        assert spec.calendar is not None
        for cycle in spec.calendar.cycles_of(FISCAL_YEAR):
            opening.setdefault(cycle.opens, []).append(spec.id)
    started = time.monotonic()
    day, codes, blocked = dt.date(FISCAL_YEAR, 4, 1), Counter[int](), set()
    while day <= dt.date(FISCAL_YEAR + 1, 3, 31):
        for programme in opening.get(day, []):  # the host system drops the export at 08:00 on the opening day
            drop(home, programme, dt.datetime.combine(day, dt.time(8), TOKYO).timestamp())
        done = api.run_due(site=site, now=dt.datetime.combine(day, dt.time(9), TOKYO))
        codes[done.exit_code] += 1
        blocked |= {(i.programme, i.cycle.id) for i in done.items if i.status == "blocked"}
        assert done.exit_code in (0, 1, 6), (day, done.to_json())
        assert not [i for i in done.items if i.status in ("missing", "failed", "ambiguous")], (day, done.to_json())
        day += dt.timedelta(days=1)
    elapsed = time.monotonic() - started
    with Ledger.open(site) as ledger:
        prepared = [e.payload for e in ledger.entries() if e.type == "job.prepared"]
    made = Counter((p["programme"], p["cycle"]) for p in prepared)
    assert made == Counter({(pid, c): 1 for pid, cycles in EXPECTED.items() for c in cycles})
    assert blocked == BLOCKED
    assert len(jobs(home)) == sum(len(c) for c in EXPECTED.values()) == 30
    print(f"fiscal year {FISCAL_YEAR}: 365 daily calls, {len(prepared)} jobs, {elapsed:.1f}s, exit codes {codes}")
