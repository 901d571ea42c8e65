"""``handoff init`` dates its example contracts from the day it runs, so a new site works in any year."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.config import defaults_dir, load_site
from handoff.pipeline.site import dated_template, example_period, init_site

D = dt.date


@pytest.mark.parametrize(("today", "start", "end"), [
    (D(2026, 12, 7), D(2026, 4, 1), D(2027, 3, 31)),
    (D(2028, 2, 10), D(2027, 4, 1), D(2028, 3, 31)),
    (D(2028, 2, 29), D(2027, 4, 1), D(2028, 3, 31)),
    (D(2031, 5, 1), D(2031, 4, 1), D(2032, 3, 31)),
    (D(2030, 4, 1), D(2030, 4, 1), D(2031, 3, 31)),
    (D(2031, 3, 31), D(2030, 4, 1), D(2032, 3, 31)),  # the last day: runs on so tomorrow's handover fits
    (D(2031, 1, 1), D(2030, 4, 1), D(2031, 3, 31)),
])
def test_the_example_period_is_the_fiscal_year_of_the_day(today: dt.date, start: dt.date, end: dt.date) -> None:
    """The example contract runs from 1 April of today's fiscal year to 31 March ending it (or the next, on 31 March)."""
    assert example_period(today) == (start, end)


def test_the_template_is_rewritten_for_every_vendor_and_stays_valid(tmp_path: Path) -> None:
    """Every example vendor's contract covers the day and its certifications outlast the contract by a year."""
    text = (defaults_dir() / "site.toml").read_text(encoding="utf-8")
    (tmp_path / "site.toml").write_text(dated_template(text, D(2031, 5, 1)), encoding="utf-8")
    site = load_site(tmp_path)
    assert len(site.vendors) >= 2
    for vendor in site.vendors:
        assert (vendor.contract_start, vendor.contract_end) == (D(2031, 4, 1), D(2032, 3, 31)), vendor.id
        assert vendor.certifications and all(c.expires >= D(2033, 3, 31) for c in vendor.certifications)


def test_a_certification_already_valid_longer_is_kept() -> None:
    """A certification that outlasts the example contract by more than a year keeps its own expiry date."""
    text = 'certifications = [\n  { kind = "ISMS", number = "X", expires = 2099-12-31 },\n]\n'
    assert "expires = 2099-12-31" in dated_template(text, D(2031, 5, 1))
    early = text.replace("2099-12-31", "2031-06-30")
    assert "expires = 2033-03-31" in dated_template(early, D(2031, 5, 1))


def test_init_writes_the_dates_of_the_injected_day(tmp_path: Path) -> None:
    """``init_site(target, today)`` writes a site whose contracts cover ``today``'s fiscal year; nothing else moves."""
    init_site(tmp_path / "site", today=D(2028, 2, 10))
    written = (tmp_path / "site" / "site.toml").read_text(encoding="utf-8")
    assert "contract_start = 2027-04-01" in written and "contract_end = 2028-03-31" in written
    assert "2026-04-01" not in written and "2027-03-31" not in written
    template = (defaults_dir() / "site.toml").read_text(encoding="utf-8")
    assert len(written.splitlines()) == len(template.splitlines())
    changed = [(a, b) for a, b in zip(template.splitlines(), written.splitlines(), strict=True) if a != b]
    assert changed and all(a.split("=")[0] == b.split("=")[0] for a, b in changed)


@pytest.mark.skipif(shutil.which("faketime") is None or shutil.which("xorriso") is None,
                    reason="faketime and xorriso are needed (scripts/setup installs them)")
@pytest.mark.parametrize("moment", ["2028-02-10 10:00:00", "2031-05-01 01:30:00", "2031-03-31 05:00:00"])
def test_a_fresh_site_runs_and_hands_over_on_a_later_date(tmp_path: Path, moment: str) -> None:
    """Under faketime years on, init, run, burn and the medium's handover work, and the notice's on the next day."""
    # The moments are UTC; the last is 31 March in Japan, so the notice goes on 1 April (the demo's worst day).
    home = tmp_path / "site"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")},
           "HANDOFF_HOME": str(home), "HANDOFF_STAFF": "S001", "COLUMNS": "200"}
    # faketime "@T" starts each command's clock at T: each command starts a minute after the one before, so
    # the ledger's times go forward as they must.
    when = [dt.datetime.fromisoformat(moment)]

    def handoff(*args: str, ok: tuple[int, ...] = (0,)) -> str:
        when[0] += dt.timedelta(minutes=1)
        proc = subprocess.run(["faketime", "-f", f"@{when[0]:%Y-%m-%d %H:%M:%S}", sys.executable, "-m", "handoff",
                               *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=300)
        assert proc.returncode in ok, f"{args[:2]}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout

    handoff("init", "--dir", str(home), "--yes")
    export = tmp_path / "kodomo.csv"
    handoff("sample", "kodomo-iryosho", "--rows", "200", "--out", str(export))
    out = handoff("run", "kodomo-iryosho", "--input", str(export), "--json", ok=(0, 1))
    job = json.loads(out)["job_id"]
    assert job.startswith(moment[:10].replace("-", ""))
    handoff("media", "burn", job, "--device", f"stdio:{tmp_path / 'drive.iso'}", "--yes")
    handoff("custody", "store", "--medium", f"{job}-M1", "--cabinet", "媒体用キャビネットA", "--yes")
    handoff("custody", "handover", "--medium", f"{job}-M1", "--handler", "V01-H1", "--quantity", "1",
            "--bag", "BAG-1", "--yes")
    handoff("notice", "print", job, "--to-file", str(tmp_path / "notice.pdf"))
    handoff("custody", "store", "--notice", f"{job}-N1", "--cabinet", "通知書用キャビネットB", "--yes")
    when[0] = dt.datetime.fromisoformat(moment) + dt.timedelta(days=1)
    handoff("custody", "handover", "--notice", f"{job}-N1", "--handler", "V01-H1", "--quantity", "1",
            "--bag", "BAG-2", "--yes")
    shown = handoff("ledger", "show")
    assert "媒体引渡し" in shown and "通知書引渡し" in shown
