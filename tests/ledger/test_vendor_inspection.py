"""``handoff vendor inspect``: the yearly on-site inspection of a vendor by two or more registered ward staff,
recorded as ``vendor.inspected`` with its inspectors — through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from handoff.config import SiteConfig
from handoff.errors import CustodyError
from handoff.ledger.events import TOKYO
from handoff.ledger.service import Ledger

from .helpers import STAFF, run_cli

TODAY = dt.datetime.now(TOKYO).date()
DAY = (TODAY - dt.timedelta(days=1)).isoformat()


def inspect(site: SiteConfig, *args: str) -> tuple[int, str]:
    proc = run_cli("--dir", str(site.home), "vendor", "inspect", *args, "--staff", "S001", "--yes",
                   home=str(site.home))
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stderr


def vendor_entries(site: SiteConfig) -> list[dict[str, object]]:
    proc = run_cli("--dir", str(site.home), "ledger", "show", "--json", home=str(site.home))
    assert proc.returncode == 0, proc.stderr
    return [e for e in map(json.loads, proc.stdout.splitlines()) if e["type"] == "vendor.inspected"]


@pytest.mark.parametrize(("by", "date", "vendor", "code"), [
    ("S001", DAY, "V01", "custody.inspectors_too_few"),
    ("S001,S001", DAY, "V01", "custody.inspectors_too_few"),
    ("S001,S999", DAY, "V01", "custody.inspector_unknown"),
    ("S001,S002", (TODAY + dt.timedelta(days=2)).isoformat(), "V01", "custody.inspection_future"),
    ("S001,S002", DAY, "V99", "custody.unknown_vendor"),
], ids=["one person", "the same person twice", "unregistered staff", "a future date", "unregistered vendor"])
def test_an_inspection_against_the_rules_is_refused(site: SiteConfig, by: str, date: str, vendor: str,
                                                    code: str) -> None:
    """One inspector, one named twice, an unknown id, a later date or vendor: exit 6, the rule named, no entry."""
    rc, err = inspect(site, vendor, "--date", date, "--by", by, "--result", "適正")
    assert rc == 6 and f"[{code}]" in err, err
    assert vendor_entries(site) == []


def test_two_staff_are_recorded_and_the_ledger_verifies(site: SiteConfig) -> None:
    """Two different registered staff: recorded with the inspectors, the place and the date; ledger verify is clean."""
    rc, err = inspect(site, "V01", "--date", DAY, "--by", "S001, S002", "--result", "適正", "--place", "業者工場")
    assert rc == 0, err
    (entry,) = vendor_entries(site)
    assert entry["subject"] == {"vendor": "V01"}
    assert entry["payload"] == {"performed_on": DAY, "result": "適正", "place": "業者工場",
                                "inspectors": ["S001", "S002"]}
    verify = run_cli("--dir", str(site.home), "ledger", "verify", home=str(site.home))
    assert verify.returncode == 0, verify.stderr


def test_a_date_that_is_no_date_is_an_input_error(site: SiteConfig) -> None:
    """``--date 2026-13-01`` is refused as input (exit 4) naming the option."""
    rc, err = inspect(site, "V01", "--date", "2026-13-01", "--by", "S001,S002", "--result", "適正")
    assert rc == 4 and "[inspection.bad_date]" in err and "--date" in err


def test_the_rule_binds_every_writer_that_names_inspectors(site: SiteConfig) -> None:
    """The ledger itself refuses a single inspector; an entry naming none (the earlier form) is still accepted."""
    with Ledger.open(site) as ledger:
        with pytest.raises(CustodyError) as exc:
            ledger.record("vendor.inspected", {"vendor": "V01"},
                          {"performed_on": DAY, "result": "適正", "inspectors": ["S001"]}, STAFF)
        assert exc.value.code == "custody.inspectors_too_few"
        ledger.record("vendor.inspected", {"vendor": "V01"}, {"performed_on": DAY, "result": "適正"}, STAFF)
