"""Roles (site.toml staff.role) and witnesses: who may record which event, and who may witness a destruction.

Refusals go through the real CLI and a real ledger on SQLite and (when HANDOFF_TEST_PG_URL is set) PostgreSQL;
the burn refusal runs the real ``media burn`` against a real sealed job.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.config import SiteConfig, load_site
from handoff.errors import CustodyError
from handoff.ledger.events import EVENTS
from handoff.ledger.rules import EVENT_ROLES
from handoff.ledger.service import Ledger
from handoff.media.status import medium_status
from handoff.package.notice import notice_file
from tests.package.test_wiring import init_site, prepare_job

from .helpers import REPO, STAFF, prepare, run_cli
from .test_incidents import HANDOVER, typed, verifies

AUDITOR, BATCH = "A001", "B001"


def cli(home: Path, *args: str, staff: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m handoff ARGS`` against ``home``, as ``staff`` (HANDOFF_STAFF) when given."""
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_LANG": "ja", "COLUMNS": "2000"}
    env.pop("HANDOFF_STAFF", None)
    if staff is not None:
        env["HANDOFF_STAFF"] = staff
    return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300, cwd=REPO)


def refused(proc: subprocess.CompletedProcess[str], code: str) -> None:
    assert proc.returncode == 6, proc.stdout + proc.stderr
    assert f"[{code}]" in proc.stderr and "終了コード 6" in proc.stderr and "Traceback" not in proc.stderr


@pytest.fixture
def prepared(site: SiteConfig) -> SiteConfig:
    """Job J1 with its medium and notice written and stored."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
    return site


def test_every_event_type_has_its_roles_and_an_auditor_records_none() -> None:
    """EVENT_ROLES covers every event type; only job.prepared/abandoned admit batch; auditors appear nowhere."""
    assert set(EVENT_ROLES) == set(EVENTS)
    assert not any("auditor" in roles for roles in EVENT_ROLES.values())
    assert {e for e, roles in EVENT_ROLES.items() if "batch" in roles} == {"job.prepared", "job.abandoned"}
    assert EVENT_ROLES["correction"] == EVENT_ROLES["incident.closed"] == {"supervisor"}
    assert EVENT_ROLES["medium.handed_over"] == {"operator", "supervisor"}


def test_the_example_site_has_staff_of_every_role() -> None:
    """The built-in site registers an operator, a supervisor, an auditor and a batch account."""
    roles = {s.id: s.role for s in load_site().staff}
    assert roles == {"S001": "operator", "S002": "supervisor", AUDITOR: "auditor", BATCH: "batch"}


def test_an_auditor_cannot_hand_over(prepared: SiteConfig) -> None:
    """An auditor's handover through the CLI exits 6 naming staff, role, event and role needed; nothing is recorded."""
    proc = run_cli(*HANDOVER, "--staff", AUDITOR, home=str(prepared.home))
    refused(proc, "custody.role_refused")
    assert all(word in proc.stderr for word in (AUDITOR, "auditor", "medium.handed_over", "operator, supervisor"))
    assert not typed(prepared, "medium.handed_over") and verifies(prepared)
    assert not list(prepared.home.glob("**/*.pdf"))  # no receipt either


def test_an_operator_cannot_correct_but_a_supervisor_can(prepared: SiteConfig) -> None:
    """A correction needs role supervisor: the operator is refused in the ledger, the supervisor's is recorded."""
    with Ledger.open(prepared) as ledger:
        with pytest.raises(CustodyError) as exc:
            ledger.record("correction", {"entry": "1"}, {"reason": "誤記"}, STAFF)
        assert exc.value.params == {"staff": "S001", "role": "operator", "event": "correction", "needed": "supervisor"}
        ledger.record("correction", {"entry": "1"}, {"reason": "誤記"}, "S002")
    assert len(typed(prepared, "correction")) == 1 and verifies(prepared)


def test_a_batch_account_prepares_jobs_and_nothing_else(site: SiteConfig) -> None:
    """The batch account may record job.prepared (scheduled runs) but not store a medium."""
    from .helpers import ISO, MEDIUM_CABINET, job_payload

    with Ledger.open(site) as ledger:
        ledger.record("job.prepared", {"job": "J1"}, job_payload(), BATCH)
        ledger.record("medium.written", {"job": "J1", "medium": "J1-M1"}, {"iso_sha256": ISO, "verified": True},
                      STAFF)
        with pytest.raises(CustodyError) as exc:
            ledger.record("medium.stored", {"medium": "J1-M1"}, {"cabinet": MEDIUM_CABINET}, BATCH)
    assert exc.value.code == "custody.role_refused"
    assert [e.type for e in typed(site, "job.prepared")] == ["job.prepared"] and verifies(site)


def test_an_auditors_run_is_refused_before_the_export_is_read(tmp_path: Path) -> None:
    """``handoff run`` as an auditor exits 6 before reading: an unreadable export is never reached, no job made."""
    site = load_site(init_site(tmp_path / "site"))
    export = tmp_path / "export.csv"
    export.write_bytes(b"\xff\xfe not an export")
    proc = cli(site.home, "run", "kodomo-iryosho", "--input", str(export), "--cycle", "2026-09", staff=AUDITOR)
    refused(proc, "custody.role_refused")
    assert "job.prepared" in proc.stderr and not typed(site, "job.prepared")
    assert not (site.data_path / "jobs").exists() or not any((site.data_path / "jobs").iterdir())
    unreadable = cli(site.home, "run", "kodomo-iryosho", "--input", str(export), "--cycle", "2026-09", staff="S001")
    assert unreadable.returncode == 4, unreadable.stderr  # the same export read by an operator: an input error


@pytest.mark.parametrize("destroyer", ["S999", "S001"], ids=["unregistered", "self"])
def test_a_witness_is_other_registered_staff(prepared: SiteConfig, destroyer: str) -> None:
    """A destruction witnessed by an unregistered id, or by the person recording, exits 6; nothing is recorded."""
    proc = run_cli("custody", "destroy", "--medium", "J1-M1", "--method", "破砕", "--witness", destroyer,
                   "--staff", "S001", "--yes", home=str(prepared.home))
    refused(proc, "custody.witness_unknown" if destroyer == "S999" else "custody.witness_self")
    assert destroyer in proc.stderr
    assert not typed(prepared, "medium.destroyed") and verifies(prepared)
    ok = run_cli("custody", "destroy", "--medium", "J1-M1", "--method", "破砕", "--witness", "S002",
                 "--staff", "S001", "--yes", home=str(prepared.home))
    assert ok.returncode == 0, ok.stderr
    assert [e.payload["witness"] for e in typed(prepared, "medium.destroyed")] == ["S002"]


@pytest.mark.skipif(shutil.which("xorriso") is None, reason="xorriso not installed")
def test_an_auditors_burn_and_print_are_refused_before_the_disc_or_paper_exists(tmp_path: Path) -> None:
    """``media burn`` and ``notice print`` as an auditor exit 6 before xorriso or the print: no disc, no file."""
    home = init_site(tmp_path / "site")
    sealed = prepare_job(home)
    job, disc, paper = sealed.job.job_id, tmp_path / "disc.iso", tmp_path / "notice.pdf"
    burn = cli(home, "media", "burn", job, "--staff", AUDITOR, "--device", f"stdio:{disc}", "--yes")
    refused(burn, "custody.role_refused")
    assert "medium.written" in burn.stderr and not disc.exists()
    assert medium_status(sealed.job, sealed.images[0].medium_id).state == "written"
    printed = cli(home, "notice", "print", job, "--staff", AUDITOR, "--to-file", str(paper))
    refused(printed, "custody.role_refused")
    assert "notice.printed" in printed.stderr and not paper.exists() and notice_file(sealed.job).exists()
    assert sealed.password.typed() not in burn.stderr + printed.stderr
