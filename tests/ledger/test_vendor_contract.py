"""Vendors as the contract has them (site.toml): subcontractors the ward can inspect, certifications valid on
the day of a handover, and the emergency contacts printed on every handover receipt.

Handovers go through the real CLI and a real ledger on SQLite and (when HANDOFF_TEST_PG_URL is set) PostgreSQL.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.config import SiteConfig, load_site
from handoff.errors import ConfigError
from handoff.ledger.service import Ledger

from .conftest import write_site
from .helpers import prepare, run_cli
from .test_incidents import HANDOVER, typed, verifies

PMARK = '{ kind = "Pマーク", number = "00000001(01)", expires = 2099-12-31 }'
CONTACT = '{ name = "見本印刷 緊急窓口", phone = "000-0000-0001" }'


def edit_site(site: SiteConfig, old: str, new: str) -> SiteConfig:
    """The site's site.toml with ``old`` replaced by ``new`` (once: vendor V01 comes first), reloaded."""
    path = site.home / "site.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_site(site.home)


@pytest.fixture
def prepared(site: SiteConfig) -> SiteConfig:
    """Job J1 for vendor V01 with its medium and notice written and stored."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
    return site


def refused_config(tmp_path: Path, old: str, new: str) -> ConfigError:
    site = write_site(tmp_path / "site")
    with pytest.raises(ConfigError) as exc:
        edit_site(site, old, new)
    assert exc.value.code == "config.invalid"
    return exc.value


def test_a_subcontractor_the_ward_cannot_inspect_refuses_the_site(tmp_path: Path) -> None:
    """A subcontractor without inspectable = true refuses site.toml at load, naming the key (exit 3 in the CLI)."""
    err = refused_config(tmp_path, "subcontractors = []", 'subcontractors = [{ name = "見本製本所" }]')
    assert err.params["key"] == "vendors.0.subcontractors.0.inspectable"
    assert err.params["rule"] == "subcontractor_not_inspectable"
    proc = run_cli("ledger", "show", home=str(tmp_path / "site"))
    assert proc.returncode == 3 and "[config.invalid]" in proc.stderr
    assert "vendors.0.subcontractors.0.inspectable" in proc.stderr and "Traceback" not in proc.stderr


def test_an_inspectable_subcontractor_is_accepted(tmp_path: Path) -> None:
    """A subcontractor with inspectable = true loads; a vendor lists none by default."""
    site = edit_site(write_site(tmp_path / "site"), "subcontractors = []",
                     'subcontractors = [{ name = "見本製本所", inspectable = true }]')
    assert [s.name for s in site.vendor("V01").subcontractors] == ["見本製本所"]
    assert site.vendor("V02").subcontractors == []


def test_more_emergency_contacts_than_the_receipt_holds_refuse_the_site(tmp_path: Path) -> None:
    """Five emergency contacts for one vendor refuse site.toml (the receipt prints four), naming the key."""
    err = refused_config(tmp_path, CONTACT, ", ".join([CONTACT] * 5))
    assert err.params["key"] == "vendors.0.emergency_contacts"


def test_an_expired_certification_blocks_the_handover(prepared: SiteConfig) -> None:
    """A certification expired before the handover day exits 6 naming vendor, kind, number and expiry; no entry."""
    edit_site(prepared, PMARK, '{ kind = "Pマーク", number = "00000009(02)", expires = 2026-05-31 }')
    proc = run_cli(*HANDOVER, "--staff", "S001", home=str(prepared.home))
    assert proc.returncode == 6 and "[custody.certification_expired]" in proc.stderr, proc.stderr
    assert all(word in proc.stderr for word in ("V01", "Pマーク", "00000009(02)", "2026-05-31"))
    assert not typed(prepared, "medium.handed_over") and verifies(prepared)


def test_a_vendor_without_certification_is_allowed_unless_the_site_requires_one(prepared: SiteConfig) -> None:
    """No certification listed: refused only with require_certification = true; allowed without it."""
    edit_site(prepared, f"certifications = [\n  {PMARK},\n]", "certifications = []\nrequire_certification = true")
    proc = run_cli(*HANDOVER, "--staff", "S001", home=str(prepared.home))
    assert proc.returncode == 6 and "[custody.certification_missing]" in proc.stderr, proc.stderr
    assert not typed(prepared, "medium.handed_over")
    edit_site(prepared, "certifications = []\nrequire_certification = true", "certifications = []")
    ok = run_cli(*HANDOVER, "--staff", "S001", home=str(prepared.home))
    assert ok.returncode == 0, ok.stderr
    assert len(typed(prepared, "medium.handed_over")) == 1 and verifies(prepared)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_the_receipt_shows_the_vendors_emergency_contacts(prepared: SiteConfig, tmp_path: Path) -> None:
    """The handover receipt prints the emergency contacts block with each contact's name and phone."""
    edit_site(prepared, f"emergency_contacts = [\n  {CONTACT},\n]",
              f'emergency_contacts = [{CONTACT}, {{ name = "見本印刷 夜間窓口", phone = "000-0000-0009" }}]')
    receipt = tmp_path / "receipt.pdf"
    proc = run_cli(*HANDOVER, "--staff", "S001", "--receipt", str(receipt), home=str(prepared.home))
    assert proc.returncode == 0, proc.stderr
    text = subprocess.run(["pdftotext", str(receipt), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())  # pdftotext breaks lines at the ideographic space
    assert "緊急連絡先" in words
    for contact in ("見本印刷 緊急窓口 電話 000-0000-0001", "見本印刷 夜間窓口 電話 000-0000-0009"):
        assert contact in words, text
