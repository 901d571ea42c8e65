"""Incidents: ``handoff incident record`` / ``close`` and the rule that an open incident holds its item.

Run through the real CLI against a real ledger, on SQLite and (when HANDOFF_TEST_PG_URL is set) PostgreSQL.
"""

from __future__ import annotations

import subprocess

import pytest

from handoff.config import SiteConfig
from handoff.ledger.events import Entry
from handoff.ledger.service import Ledger

from .helpers import STAFF, handover, prepare, run_cli

MEDIUM, NOTICE = "J1-M1", "J1-N1"
HANDOVER = ["custody", "handover", "--medium", MEDIUM, "--handler", "V01-H1", "--quantity", "100",
            "--bag", "BAG-1", "--yes"]


@pytest.fixture
def prepared(site: SiteConfig) -> SiteConfig:
    """Job J1 with its medium and notice written and stored."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
    return site


def cli(site: SiteConfig, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, home=str(site.home))


def typed(site: SiteConfig, event: str) -> list[Entry]:
    with Ledger.open(site) as ledger:
        return [e for e in ledger.entries() if e.type == event]


def verifies(site: SiteConfig) -> bool:
    return cli(site, "ledger", "verify").returncode == 0


def refused(proc: subprocess.CompletedProcess[str], code: str, exit_code: int = 6) -> None:
    assert proc.returncode == exit_code, proc.stdout + proc.stderr
    assert f"[{code}]" in proc.stderr and "Traceback" not in proc.stderr


def record_damaged(site: SiteConfig, item: str = MEDIUM) -> int:
    proc = cli(site, "incident", "record", "--item", item, "--kind", "damaged", "--reported-by", "S001",
               "--note", "ケースの割れ", "--yes")
    assert proc.returncode == 0, proc.stderr
    return typed(site, "incident.recorded")[-1].seq


def test_incident_on_a_medium_is_recorded_with_its_job(prepared: SiteConfig) -> None:
    """``incident record --item`` finds the job; the entry carries kind, reporter and note; show labels it."""
    seq = record_damaged(prepared)
    (entry,) = typed(prepared, "incident.recorded")
    assert entry.seq == seq and dict(entry.subject) == {"job": "J1", "medium": MEDIUM}
    assert dict(entry.payload) == {"kind": "damaged", "reported_by": "S001", "note": "ケースの割れ"}
    assert "事故記録" in cli(prepared, "ledger", "show").stdout
    assert verifies(prepared)


def test_open_incident_blocks_handover_until_a_supervisor_closes_it(prepared: SiteConfig) -> None:
    """Handover of an item with an open incident exits 6; an operator cannot close it (role supervisor needed); after S002 closes, it goes."""
    seq = record_damaged(prepared)
    refused(cli(prepared, *HANDOVER, "--staff", "S001"), "custody.open_incident")
    assert not typed(prepared, "medium.handed_over") and verifies(prepared)
    refused(cli(prepared, "incident", "close", str(seq), "--outcome", "確認済み", "--staff", "S001", "--yes"),
            "custody.role_refused")
    assert not typed(prepared, "incident.closed") and verifies(prepared)
    closed = cli(prepared, "incident", "close", str(seq), "--outcome", "確認済み", "--staff", "S002", "--yes")
    assert closed.returncode == 0, closed.stderr
    (entry,) = typed(prepared, "incident.closed")
    assert dict(entry.subject) == {"entry": str(seq), "job": "J1"}
    assert dict(entry.payload) == {"outcome": "確認済み", "closed_by": "S002"}
    assert cli(prepared, *HANDOVER, "--staff", "S001").returncode == 0
    assert verifies(prepared)


def test_open_incident_blocks_storing_and_destroying_its_item_only(prepared: SiteConfig) -> None:
    """With an open incident on the notice, an operator cannot store or destroy it (exit 6); the medium is free."""
    record_damaged(prepared, NOTICE)
    refused(cli(prepared, "custody", "store", "--notice", NOTICE, "--cabinet", "通知書用キャビネットB",
                "--staff", "S001", "--yes"), "custody.open_incident")
    refused(cli(prepared, "custody", "destroy", "--notice", NOTICE, "--staff", "S001", "--yes"),
            "custody.open_incident")
    assert not typed(prepared, "notice.destroyed") and verifies(prepared)
    assert cli(prepared, "custody", "destroy", "--medium", MEDIUM, "--staff", "S001", "--yes").returncode == 0
    assert verifies(prepared)


def test_a_supervisor_may_record_the_next_step_while_open(prepared: SiteConfig) -> None:
    """The supervisor (role supervisor in site.toml) records the handover of an item with an open incident."""
    record_damaged(prepared)
    proc = cli(prepared, *HANDOVER, "--staff", "S002")
    assert proc.returncode == 0, proc.stderr
    assert verifies(prepared)


def test_job_incident_blocks_nothing_and_closing_twice_is_refused(prepared: SiteConfig) -> None:
    """A job-level incident (late) holds no item; a closed incident, or an entry that is none, cannot be closed."""
    proc = cli(prepared, "incident", "record", "--job", "J1", "--kind", "late", "--reported-by", "S001", "--yes")
    assert proc.returncode == 0, proc.stderr
    (entry,) = typed(prepared, "incident.recorded")
    assert dict(entry.subject) == {"job": "J1"}
    assert cli(prepared, *HANDOVER, "--staff", "S001").returncode == 0
    close = ["incident", "close", str(entry.seq), "--outcome", "返却予定日を再設定", "--staff", "S002", "--yes"]
    assert cli(prepared, *close).returncode == 0
    refused(cli(prepared, *close), "custody.incident_not_open")
    refused(cli(prepared, "incident", "close", "0", "--outcome", "x", "--staff", "S002", "--yes"),
            "custody.incident_not_open")
    assert len(typed(prepared, "incident.closed")) == 1 and verifies(prepared)


def test_incident_reporter_and_kind_are_checked(prepared: SiteConfig) -> None:
    """An unregistered reporter or an unknown kind exits 6; an unknown item exits 6; nothing is recorded."""
    refused(cli(prepared, "incident", "record", "--item", MEDIUM, "--kind", "damaged", "--reported-by", "S999",
                "--yes"), "custody.unknown_staff")
    refused(cli(prepared, "incident", "record", "--item", MEDIUM, "--kind", "stolen", "--reported-by", "S001",
                "--yes"), "custody.incident_kind")
    refused(cli(prepared, "incident", "record", "--item", "J9-M1", "--kind", "lost", "--reported-by", "S001",
                "--yes"), "custody.unknown_id")
    assert cli(prepared, "incident", "record", "--kind", "lost", "--reported-by", "S001").returncode == 2
    assert not typed(prepared, "incident.recorded") and verifies(prepared)


def test_incident_rules_apply_to_direct_ledger_writes(prepared: SiteConfig) -> None:
    """The rule lives in the ledger: a direct record closing it as an operator (closed_by) is refused too."""
    from handoff.errors import CustodyError

    with Ledger.open(prepared) as ledger:
        inc = ledger.record("incident.recorded", {"job": "J1", "notice": NOTICE},
                            {"kind": "lost", "reported_by": "S001"}, STAFF)
        with pytest.raises(CustodyError) as exc:
            ledger.record("incident.closed", {"entry": str(inc.seq), "job": "J1"},
                          {"outcome": "発見", "closed_by": "S001"}, "S002")
        assert exc.value.code == "custody.close_needs_supervisor"
        with pytest.raises(CustodyError) as exc:
            ledger.record("notice.handed_over", {"notice": NOTICE}, handover(), STAFF)
        assert exc.value.code == "custody.open_incident"
        ledger.record("incident.closed", {"entry": str(inc.seq), "job": "J1"},
                      {"outcome": "発見", "closed_by": "S002"}, "S002")
        assert ledger.verify().entries == ledger.store.size()
