"""``handoff-audit`` as the auditor runs it: exit codes, the JSON interface, files written, nothing else touched."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.config import SiteConfig, defaults_dir
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger
from tests.audit.conftest import audit_site  # noqa: F401  (the example site with its contracts as shipped)
from tests.audit.year import build_year, run_cycle

REPO = Path(__file__).resolve().parents[2]
AUDIT = Path(sys.executable).with_name("handoff-audit")
CLEAN_DAY = "2027-05-01"


def _audit(site: SiteConfig, *args: str, lang: str = "ja") -> subprocess.CompletedProcess[str]:
    """The installed ``handoff-audit`` console script against ``site``, as an auditor types it."""
    env = {**os.environ, "HANDOFF_LANG": lang, "COLUMNS": "200"}
    env.pop("HANDOFF_HOME", None)
    return subprocess.run([str(AUDIT), "--dir", str(site.home), "--staff", "A001", *args], capture_output=True,
                          text=True, env=env, stdin=subprocess.DEVNULL, timeout=300, cwd=REPO, check=False)


def _digests(site: SiteConfig) -> dict[str, str]:
    """SHA-256 of every file in the ledger folder (the store, its keys, the checkpoint file, receipts)."""
    root = LedgerPaths.of(site).root
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def year_site(audit_site: SiteConfig) -> SiteConfig:  # noqa: F811
    """The example site (its programme files as shipped) with a clean scripted fiscal year 2026 of 生活保護."""
    shutil.copytree(defaults_dir() / "pipelines", audit_site.pipelines_path)
    with Ledger.create(audit_site) as ledger:
        build_year(ledger)
    return audit_site


def test_console_script_is_installed() -> None:
    """``handoff-audit`` is installed beside ``handoff`` and shows its Japanese help."""
    done = subprocess.run([str(AUDIT), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "管理簿を監査します" in done.stdout


def test_clean_year_exits_0_and_changes_no_byte_of_the_ledger(tmp_path: Path, year_site: SiteConfig) -> None:
    """A clean year: exit 0, the agreed JSON, every ledger file byte-identical (SQLite adds only its -wal/-shm)."""
    before = _digests(year_site)
    witness = tmp_path / "auditor" / "witness.txt"
    witness.parent.mkdir()
    done = _audit(year_site, "--as-of", CLEAN_DAY, "--format", "json", "--witness", str(witness))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["clean"] is True and doc["findings"] == []
    assert set(doc) >= {"clean", "findings", "checked", "integrity", "scope"}
    assert doc["checked"]["jobs"] == 4 and doc["checked"]["ledger_entries"] == doc["integrity"]["entries"]
    assert doc["scope"]["as_of"] == CLEAN_DAY
    after = _digests(year_site)
    assert {k: after[k] for k in before} == before
    assert set(after) - set(before) <= {"ledger.sqlite-wal", "ledger.sqlite-shm"}
    assert after.get("ledger.sqlite-wal", hashlib.sha256(b"").hexdigest()) == hashlib.sha256(b"").hexdigest()
    with Ledger.open(year_site) as ledger:
        assert witness.read_text(encoding="utf-8") == ledger.current_checkpoint().note


def test_findings_exit_1_with_codes_seqs_and_items(year_site: SiteConfig) -> None:
    """A disc still out past its return deadline is a finding: exit 1, its code, entry and item in the JSON."""
    with Ledger.open(year_site) as ledger:
        late = run_cycle(ledger, "SH-extra", dt.date(2027, 3, 20), offsets={
            "notice_handed": 2, "delivery": None, "medium_returned": None, "notice_returned": None,
            "certificate": None, "destroyed": None})
    done = _audit(year_site, "--as-of", CLEAN_DAY, "--format", "json", "--programme", "seikatsu-hogo")
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    overdue = [f for f in findings if f["code"] == "audit.return_overdue"]
    assert {f["items"][0] for f in overdue} == {late.media[0], late.notice}
    assert all(f["seq"] and f["message"] and f["severity"] == "error" for f in findings)
    assert all(f["job"] == "SH-extra" for f in findings)


def test_integrity_failure_exits_7_and_says_so_first(tmp_path: Path, year_site: SiteConfig) -> None:
    """A ledger restored from an older copy after the auditor's witness: exit 7, the truncation the one finding."""
    backup = tmp_path / "old"
    shutil.copytree(LedgerPaths.of(year_site).root, backup)
    witness = tmp_path / "witness.txt"
    with Ledger.open(year_site) as ledger:
        run_cycle(ledger, "SH-extra", dt.date(2027, 3, 20))
        witness.write_text(ledger.current_checkpoint().note, encoding="utf-8")
    shutil.rmtree(LedgerPaths.of(year_site).root)
    shutil.copytree(backup, LedgerPaths.of(year_site).root)
    done = _audit(year_site, "--as-of", CLEAN_DAY, "--witness", str(witness))
    assert done.returncode == 7, done.stderr
    assert "ledger.witness_ahead" in done.stdout and "切り詰め" in done.stdout
    done = _audit(year_site, "--as-of", CLEAN_DAY, "--witness", str(witness), "--format", "json", lang="en")
    doc = json.loads(done.stdout)
    assert done.returncode == 7 and doc["clean"] is False and doc["integrity"]["ok"] is False
    assert [f["code"] for f in doc["findings"]] == ["ledger.witness_ahead"]
    assert "truncated" in doc["findings"][0]["message"]


def test_html_and_pdf_need_out_and_are_written(tmp_path: Path, year_site: SiteConfig) -> None:
    """--format html/pdf without --out is a usage error; with it the files are written, the PDF readable."""
    done = _audit(year_site, "--format", "pdf")
    assert done.returncode == 2 and "--out" in done.stderr
    html, pdf = tmp_path / "監査報告.html", tmp_path / "立入検査資料.pdf"
    assert _audit(year_site, "--as-of", CLEAN_DAY, "--format", "html", "--out", str(html)).returncode == 0
    assert "<svg" in html.read_text(encoding="utf-8")
    done = _audit(year_site, "--as-of", CLEAN_DAY, "--fiscal-year", "2026", "--format", "pdf", "--out", str(pdf))
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "監査報告書" in text and "SH-2026-10" in text and "A001" in text


@pytest.mark.parametrize(("args", "code"), [
    (("--programme", "no-such"), 3),
    (("--vendor", "V99"), 6),
    (("--as-of", "2027-13-01"), 2),
    (("--checkpoint", "12/xyz"), 4),
    (("--format", "docx"), 2),
])
def test_bad_options_get_their_exit_codes(year_site: SiteConfig, args: tuple[str, ...], code: int) -> None:
    """An unknown programme (3), an unknown vendor (6), a bad date or format (2), a malformed checkpoint (4)."""
    done = _audit(year_site, *args)
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_programme_folder_is_a_configuration_error(year_site: SiteConfig) -> None:
    """Without the programme files the audit cannot judge approvals or deadlines: exit 3 naming the folder."""
    shutil.rmtree(year_site.pipelines_path)
    done = _audit(year_site, "--as-of", CLEAN_DAY)
    assert done.returncode == 3 and "audit.no_programmes" in done.stderr


def test_an_operator_cannot_audit(year_site: SiteConfig) -> None:
    """An operator's staff id is refused (exit 6): the audit is the auditor's, or a supervisor's."""
    env = {**os.environ, "HANDOFF_LANG": "ja"}
    done = subprocess.run([str(AUDIT), "--dir", str(year_site.home), "--staff", "S001"], capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert done.returncode == 6 and "監査担当" in done.stderr
