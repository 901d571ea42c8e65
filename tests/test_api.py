"""``handoff.api``: the calls scripts make are the ones the command makes, with typed results and no personal data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handoff import api
from handoff.errors import HandoffError, IntegrityError


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An initialised site (ledger and signing key) under tmp_path."""
    home = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "handoff", "init", "--dir", str(home), "--yes"], check=True,
                   capture_output=True)
    return home


def _sample(tmp_path: Path, programme: str, rows: int = 800) -> tuple[Path, dict[str, int]]:
    """A synthetic export and the counts its generator planted (worked out from the plan, not by handoff)."""
    data = tmp_path / f"{programme}.dat"
    subprocess.run([sys.executable, "-m", "handoff", "sample", programme, "--rows", str(rows), "--seed", "5",
                    "--out", str(data)], check=True, capture_output=True)
    expected = json.loads(Path(f"{data}.expected.json").read_text(encoding="utf-8"))
    return data, expected["counts"]


def test_check_returns_the_planted_counts_and_the_exceptions_list(site: Path, tmp_path: Path) -> None:
    """api.check reports the counts the generator planted and writes an exceptions list with one line per finding."""
    data, planted = _sample(tmp_path, "kodomo-iryosho")
    result = api.check("kodomo-iryosho", data, site=site, lang="en")
    counts = result.report.to_json()["counts"]
    assert {k: counts[k] for k in planted if k in counts} == {k: v for k, v in planted.items() if k in counts}
    assert result.report.conserved and result.programme.id == "kodomo-iryosho"
    lines = result.files["exceptions"].read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + sum(result.report.findings.values())
    assert result.files["exceptions"].stat().st_mode & 0o777 == 0o600


def test_the_command_prints_what_the_api_returns(site: Path, tmp_path: Path) -> None:
    """`handoff check --json` prints the same run report that api.check returns for the same export."""
    data, _ = _sample(tmp_path, "seikatsu-hogo")
    from_api = api.check("seikatsu-hogo", data, site=site).report.to_json()
    env = {**os.environ, "HANDOFF_HOME": str(site)}
    proc = subprocess.run([sys.executable, "-m", "handoff", "check", "seikatsu-hogo", "--input", str(data), "--json"],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    from_cli = json.loads(proc.stdout)
    assert proc.returncode == (1 if from_api["counts"]["rows_excepted"] else 0)
    assert {k: v for k, v in from_cli.items() if k != "job_id"} == {k: v for k, v in from_api.items() if k != "job_id"}


def test_run_seals_a_job_that_verify_then_counts(site: Path, tmp_path: Path) -> None:
    """api.run seals and records a job; api.verify then counts its ledger entry and a refused rerun adds none."""
    data, planted = _sample(tmp_path, "keirokai")
    before = api.verify(site).entries
    job = api.run("keirokai", data, staff="S001", cycle="2026-09", site=site)
    assert job.zip_path.is_file() and job.notice_path.is_file() and all(p.is_file() for p in job.iso_paths)
    assert job.report.rows_selected == planted["rows_selected"]
    after = api.verify(site).entries
    assert after > before
    with pytest.raises(HandoffError) as refused:
        api.run("keirokai", data, staff="S001", cycle="2026-09", site=site)
    assert refused.value.code == "run.cycle_done"
    assert api.verify(site).entries == after


def test_verify_refuses_a_truncated_ledger(site: Path, tmp_path: Path) -> None:
    """api.verify raises IntegrityError (exit code 7) when the ledger lost entries its checkpoint file vouches for."""
    import sqlite3

    data, _ = _sample(tmp_path, "ninpu-kyufu", rows=300)
    api.run("ninpu-kyufu", data, staff="S001", site=site)
    ledger = site / "data" / "ledger" / "ledger.sqlite"
    with sqlite3.connect(ledger) as db:  # what an attacker would do behind handoff's back
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            db.execute(f"DROP TRIGGER {name}")
        db.execute("DELETE FROM entries WHERE seq = (SELECT MAX(seq) FROM entries)")
    with pytest.raises(IntegrityError) as broken:
        api.verify(site)
    assert int(broken.value.exit_code) == 7


def test_importing_the_api_loads_no_data_libraries() -> None:
    """`import handoff.api` stays quick: pandas, numpy and pyarrow load only when a call needs them."""
    probe = "import sys, handoff.api; print(sorted(m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
