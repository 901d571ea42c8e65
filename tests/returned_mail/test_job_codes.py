"""Inserter job codes per job (``job_code = "auto"``): each job of a vendor begins its control codes with its own
code, so an envelope of one job is never read as another's; the ledger keeps two jobs from taking one code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handoff import api
from handoff.config import load_site
from handoff.errors import StateError
from handoff.ledger.service import Ledger
from handoff.pipeline.inspection import load_expected
from tests.notice import notice_password
from tests.package.test_wiring import init_site

STAFF = "S001"


@pytest.fixture(scope="module")
def auto_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A site whose vendor profiles say job_code = "auto", with two 子ども医療証 jobs of the same vendor."""
    root = tmp_path_factory.mktemp("codes")
    home = init_site(root / "site")
    toml = home / "site.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'job_code = "01"' in text
    toml.write_text(text.replace('job_code = "01"', 'job_code = "auto"'), encoding="utf-8")
    made = []
    for rows, reason in ((120, ""), (120, "試験: 二つ目のジョブ")):
        src = root / f"in{len(made)}.csv"
        subprocess.run([sys.executable, "-m", "handoff", "sample", "kodomo-iryosho", "-o", str(src), "-n", str(rows),
                        "--no-progress"], check=True, capture_output=True, env={**os.environ, "HANDOFF_HOME": str(home)})
        made.append(api.run("kodomo-iryosho", src, staff=STAFF, site=home, rerun_reason=reason).job_id)
    return home, made[0], made[1]


def _prepared(home: Path) -> dict[str, dict[str, object]]:
    with Ledger.open(load_site(home)) as ledger:
        return {str(e.job): dict(e.payload) for e in ledger.entries() if e.type == "job.prepared"}


def test_each_job_of_a_vendor_takes_the_next_code(auto_site: tuple[Path, str, str]) -> None:
    """The first job's codes begin 01, the second's 02; job.prepared and the sealed manifest say which."""
    home, job_a, job_b = auto_site
    site = load_site(home)
    for job, code in ((job_a, "01"), (job_b, "02")):
        assert _prepared(home)[job]["job_code"] == code
        assert all(c.startswith(code) for c in load_expected(site, job).piece_of)
    pieces_a, pieces_b = load_expected(site, job_a).piece_of, load_expected(site, job_b).piece_of
    assert not set(pieces_a) & set(pieces_b)  # the same piece numbers, never the same code


def test_an_envelope_of_the_other_job_is_named_as_the_other_job_s(auto_site: tuple[Path, str, str],
                                                                  tmp_path: Path) -> None:
    """Job B's first envelope scanned with job A's returns: other job (B), not A's piece 1."""
    home, job_a, job_b = auto_site
    site = load_site(home)
    first_b = min(load_expected(site, job_b).piece_of, key=lambda c: load_expected(site, job_b).piece_of[c])
    scans = tmp_path / "scans.txt"
    scans.write_text(f"{first_b}\n", encoding="utf-8")
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_LANG": "ja"}
    proc = subprocess.run([sys.executable, "-m", "handoff", "returned-mail", "record", job_a, "--scans", str(scans),
                           "--staff", STAFF, "--yes", "--json"], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300)
    shown = json.loads(proc.stdout)
    assert shown["counts"]["matched"] == 0 and shown["other_job"][0]["job"] == job_b, proc.stderr


def test_the_manifest_tells_the_vendor_the_code(auto_site: tuple[Path, str, str]) -> None:
    """pieces.json in the sealed ZIP states control_code.job_code (read with the notice's password by 7-Zip)."""
    home, _job_a, job_b = auto_site
    notice = next((home / "data" / "jobs" / job_b / "notice").glob("*.pdf"))
    password = notice_password(notice)
    archive = next((home / "data" / "jobs" / job_b / "package").glob("*.zip"))
    out = subprocess.run(["7zz", "x", "-so", f"-p{password}", str(archive), "pieces.json"], capture_output=True,
                         check=True).stdout
    assert json.loads(out)["control_code"]["job_code"] == "02"


def test_two_jobs_taking_one_code_at_once_are_refused(auto_site: tuple[Path, str, str]) -> None:
    """A job.prepared with a code one of the vendor's recent jobs has (a race) is refused: run.job_code_taken."""
    home, job_a, _job_b = auto_site
    payload = {**_prepared(home)[job_a]}
    payload.pop("cycle", None)
    with Ledger.open(load_site(home)) as ledger, pytest.raises(StateError) as refused:
        ledger.record("job.prepared", {"job": "J-RACE"}, {**payload, "job_code": "01"}, STAFF)
    assert refused.value.code == "run.job_code_taken" and refused.value.params["job"] == job_a
