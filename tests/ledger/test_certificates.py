"""Recording a returned deletion certificate: mandatory fields, coverage of every medium, the CLI and its prompts."""

from __future__ import annotations

import hashlib
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.config import SiteConfig
from handoff.errors import CustodyError, StateError
from handoff.ledger.service import Ledger
from handoff.pipeline.certificates import MANDATORY, build_payload, job_facts, record_certificate

from .helpers import ISO, REPO, STAFF, ZIP, job_payload, jst, run_cli

FIELDS = {"method": "破砕", "performed_on": "2026-06-20", "performed_by": "V01-H1", "verified_by": "V01-H2",
          "media": "J1-M1, J1-M2", "tool": "シュレッダー"}
FIELD_ARGS = [a for k, v in FIELDS.items() for a in ("--field", f"{k}={v}")]


def _job(ledger: Ledger) -> None:
    """Job J1 wrote J1-M1 and J1-M2 (verified) and J1-M3 (failed write); J2 wrote J2-M1."""
    for job, media in (("J1", (("J1-M1", True), ("J1-M2", True), ("J1-M3", False))), ("J2", (("J2-M1", True),))):
        ledger.record("job.prepared", {"job": job}, job_payload(), STAFF, at=jst(1, 9))
        for medium, ok in media:
            pay = {"iso_sha256": ISO, "verified": ok}
            ledger.record("medium.written", {"job": job, "medium": medium}, pay, STAFF, at=jst(1, 9))


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 synthetic scan of a certificate\n")
    return path


def _record(site: SiteConfig, scan: Path, **changes: str) -> int:
    """Record J1's certificate with FIELDS (changed as given, '' dropping a field); the ledger's size after."""
    fields = {k: v for k, v in {**FIELDS, **changes}.items() if v}
    with Ledger.open(site) as ledger:
        payload = build_payload(job_facts(ledger, "J1"), fields, scan)
        record_certificate(ledger, "J1", payload, "S001")
        return ledger.store.size()


def test_complete_certificate_is_recorded_with_scan_hash(site: SiteConfig, scan: Path) -> None:
    """Every verified medium covered: the entry holds the fields, the job's vendor and ZIP hash, the scan hash."""
    with Ledger.open(site) as ledger:
        _job(ledger)
    assert _record(site, scan) == 7
    with Ledger.open(site) as ledger:
        entry = next(e for e in ledger.entries(job="J1") if e.type == "deletion_certificate.received")
    assert entry.payload == {**FIELDS, "media": ["J1-M1", "J1-M2"], "vendor": "V01", "zip_sha256": ZIP,
                             "scan_sha256": hashlib.sha256(scan.read_bytes()).hexdigest()}
    assert entry.actor.staff == "S001"  # the ward staff who checked the certificate


def test_certificate_missing_a_medium_is_refused(site: SiteConfig, scan: Path) -> None:
    """A certificate without J1-M2 exits 6 naming J1-M2 (not the failed J1-M3), and nothing is written."""
    with Ledger.open(site) as ledger:
        _job(ledger)
    with pytest.raises(CustodyError) as caught:
        _record(site, scan, media="J1-M1")
    assert caught.value.code == "custody.certificate_incomplete" and caught.value.params["missing"] == "J1-M2"
    assert caught.value.exit_code == 6
    with Ledger.open(site) as ledger:
        assert ledger.store.size() == 6


@pytest.mark.parametrize("stranger", ["J1-M9", "J2-M1", "J1-N1"])
def test_certificate_naming_a_stranger_is_refused(site: SiteConfig, scan: Path, stranger: str) -> None:
    """A medium id unknown to the ledger, or of another job, is refused as unknown_item (6)."""
    with Ledger.open(site) as ledger:
        _job(ledger)
    with pytest.raises(CustodyError) as caught:
        _record(site, scan, media=f"J1-M1,J1-M2,{stranger}")
    assert caught.value.code == "custody.unknown_item" and caught.value.params["item"] == stranger


@pytest.mark.parametrize("field", MANDATORY)
def test_missing_mandatory_field_is_refused_by_name(site: SiteConfig, scan: Path, field: str) -> None:
    """Each mandatory field, absent or blank, is refused (6) with its key named."""
    with Ledger.open(site) as ledger:
        _job(ledger)
    with pytest.raises(CustodyError) as caught:
        _record(site, scan, **{field: ""})
    assert caught.value.code == "custody.certificate_field_missing" and caught.value.params["field"] == field


def test_unknown_job_is_a_state_error(site: SiteConfig) -> None:
    """Facts of a job the ledger does not hold: exit 9."""
    with Ledger.open(site) as ledger, pytest.raises(StateError) as caught:
        job_facts(ledger, "J9")
    assert caught.value.code == "certificate.unknown_job" and caught.value.exit_code == 9


def test_cli_records_and_refuses(sqlite_site: SiteConfig, scan: Path) -> None:
    """--yes records the certificate; a missing field exits 6 naming it; an incomplete one exits 6."""
    with Ledger.open(sqlite_site) as ledger:
        _job(ledger)
    home, base = str(sqlite_site.home), ["certificate", "record", "J1", "--scan", str(scan), "--staff", "S001"]
    missing = run_cli(*base, "--yes", *FIELD_ARGS[2:], home=home)
    assert missing.returncode == 6 and "[custody.certificate_field_missing]" in missing.stderr
    assert "method" in missing.stderr and "Traceback" not in missing.stderr
    partial = run_cli(*base, "--yes", *FIELD_ARGS, "--field", "media=J1-M2", home=home)
    assert partial.returncode == 6 and "[custody.certificate_incomplete]" in partial.stderr
    assert "J1-M1" in partial.stderr
    bad_key = run_cli(*base, "--yes", *FIELD_ARGS, "--field", "colour=red", home=home)
    assert bad_key.returncode == 2
    ok = run_cli(*base, "--yes", *FIELD_ARGS, home=home)
    assert ok.returncode == 0, ok.stderr
    assert "消去証明書受領" in ok.stdout and "連番 6" in ok.stdout
    with Ledger.open(sqlite_site) as ledger:
        assert ledger.store.size() == 7
    assert run_cli("ledger", "verify", home=home).returncode == 0


def test_cli_asks_for_missing_fields_at_a_terminal(sqlite_site: SiteConfig, scan: Path) -> None:
    """At a terminal, missing mandatory fields are asked in Japanese (media default to the job's), then recorded."""
    with Ledger.open(sqlite_site) as ledger:
        _job(ledger)
    args = ["certificate", "record", "J1", "--scan", str(scan), "--staff", "S001", "--field", "method=破砕"]
    env = {**os.environ, "HANDOFF_HOME": str(sqlite_site.home), "HANDOFF_LANG": "ja", "COLUMNS": "2000"}
    main, child = pty.openpty()
    # Answers: performed_on, performed_by, verified_by, media (Enter = the default), then "y" to confirm.
    os.write(main, b"2026-06-20\nV01-H1\nV01-H2\n\ny\n")
    proc = subprocess.run([sys.executable, "-m", "handoff", *args], stdin=child, capture_output=True, env=env,
                          cwd=REPO, timeout=120, check=False)
    os.close(child)
    os.close(main)
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    assert "実施日" in out and "確認者の取扱者ID" in out and "[J1-M1,J1-M2]" in out
    with Ledger.open(sqlite_site) as ledger:
        entry = list(ledger.entries(job="J1"))[-1]
    assert entry.payload["media"] == ["J1-M1", "J1-M2"] and entry.payload["performed_on"] == "2026-06-20"
