"""Delivery inspection: ``handoff run`` lists the expected inserter codes in-house; ``handoff inspect delivery``
reconciles scanned codes with them and records the counts in the ledger — each through the real CLI."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from handoff.mail.inserter import check_digit, is_valid
from tests.core.test_check import _leaked, _values


@dataclass(frozen=True)
class Jobs:
    """A site with two sealed jobs of different programmes, and the personal values of the first export."""

    home: Path
    tmp: Path
    job: str
    other: str
    values: set[str]

    def codes(self, job: str) -> dict[str, list[str]]:
        """The job's pieces and their codes, read from the file as a person would (a JSON head, then TSV)."""
        path = self.home / "data" / "jobs" / job / "internal" / "inserter_codes.tsv"
        pieces: dict[str, list[str]] = {}
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            seq, code = line.split("\t")
            pieces.setdefault(seq, []).append(code)
        return pieces


def handoff(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_STAFF": "S001", "COLUMNS": "2000"}
    return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True, env=env,
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL, timeout=600)


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jobs]:
    """Two real runs (kodomo-iryosho and seikatsu-hogo) on one site."""
    root = tmp_path_factory.mktemp("inspection")
    home = root / "site"
    assert handoff(home, "init", "--dir", str(home), "--yes").returncode == 0
    ids = []
    for programme, seed in (("kodomo-iryosho", 3), ("seikatsu-hogo", 4)):
        data = root / f"{programme}.dat"
        assert handoff(home, "sample", programme, "--rows", "80", "--seed", str(seed), "--out",
                       str(data)).returncode == 0
        proc = handoff(home, "run", programme, "--input", str(data), "--cycle", "2026-10", "--json")
        assert proc.returncode in (0, 1), proc.stderr
        ids.append(json.loads(proc.stdout)["job_id"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HANDOFF_HOME", str(home))
        values = _values(root / "kodomo-iryosho.dat", "kodomo-iryosho")
    yield Jobs(home, root, ids[0], ids[1], values)


def last_entry(jobs: Jobs) -> dict[str, object]:
    proc = handoff(jobs.home, "ledger", "show", "--json", "--limit", "1")
    assert proc.returncode == 0, proc.stderr
    entry: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    return entry


def test_run_writes_the_codes_in_house_without_personal_data(jobs: Jobs) -> None:
    """internal/inserter_codes.tsv is owner-only, one valid code list per piece, and holds no export value."""
    path = jobs.home / "data" / "jobs" / jobs.job / "internal" / "inserter_codes.tsv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    doc = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert doc["job"] == jobs.job and doc["format"] == "handoff.inserter-codes/1"
    pieces = jobs.codes(jobs.job)
    prepared = json.loads(handoff(jobs.home, "ledger", "show", "--json", "--job", jobs.job).stdout.splitlines()[0])
    assert len(pieces) == prepared["payload"]["counts"]["pieces"]
    assert all(codes and all(is_valid(c) and len(c) == doc["length"] for c in codes) for codes in pieces.values())
    assert not _leaked(jobs.values, path.read_text(encoding="utf-8"))


def test_findings_are_listed_by_piece_and_recorded(jobs: Jobs) -> None:
    """A removed, a doubled, a made-up and another job's code are each listed; the counts go to the ledger."""
    pieces = jobs.codes(jobs.job)
    seqs = sorted(pieces)
    mine = {c for codes in pieces.values() for c in codes}
    other_seq, other_code = next((s, c) for s, codes in jobs.codes(jobs.other).items() for c in codes
                                 if c not in mine)
    body = "99000001010100"  # job code 99, piece 000001, document 1 of 1, feeders 00: no job of this site
    made_up = body + check_digit(body)
    scans = [pieces[s][0] for s in seqs[1:]] + [pieces[seqs[2]][0], f"  {made_up}  ", "", other_code]
    file = jobs.tmp / "scans.txt"
    file.write_text("\n".join(scans) + "\n", encoding="utf-8")
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--scans", str(file), "--json", "--yes")
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    assert out["missing"] == [{"piece": seqs[0], "code": pieces[seqs[0]][0]}]
    assert out["duplicated"] == [{"piece": seqs[2], "code": pieces[seqs[2]][0], "times": 2}]
    assert [u["code"] for u in out["unknown"]] == [made_up]
    assert [(o["job"], o["piece"], o["code"]) for o in out["other_job"]] == [(jobs.other, other_seq, other_code)]
    entry = last_entry(jobs)
    assert entry["type"] == "delivery.inspected" and entry["subject"] == {"job": jobs.job}
    payload = entry["payload"]
    assert isinstance(payload, dict)
    n = len(seqs)
    assert (payload["quantity"], payload["inspected"], payload["defects"], payload["passed"]) == (n, n - 1, 1, n - 2)
    assert "missing=1 duplicated=1 unknown=1 other_job=1" in payload["note"]


def test_plain_output_names_pieces_and_codes_never_a_name(jobs: Jobs) -> None:
    """The printed lists carry piece numbers and codes; a line that is no control code shows only its length."""
    pieces = jobs.codes(jobs.job)
    file = jobs.tmp / "odd.txt"
    file.write_text("\n".join([pieces[s][0] for s in sorted(pieces)[1:]] + ["見本　花子"]) + "\n", encoding="utf-8")
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--scans", str(file), "--yes")
    assert proc.returncode == 1, proc.stderr
    first = sorted(pieces)[0]
    assert f"通番 {first}  コード {pieces[first][0]}" in proc.stdout
    assert "コードの形式でない読取り（5 文字）" in proc.stdout and "見本" not in proc.stdout + proc.stderr
    assert not _leaked(jobs.values, proc.stdout + proc.stderr)


def test_a_clean_scan_exits_0_and_is_recorded(jobs: Jobs) -> None:
    """Every piece scanned once (any of its documents' codes): exit 0, all passed."""
    pieces = jobs.codes(jobs.job)
    file = jobs.tmp / "clean.txt"
    file.write_text("\n".join(codes[-1] for codes in pieces.values()) + "\n", encoding="utf-8")
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--scans", str(file), "--yes")
    assert proc.returncode == 0, proc.stderr
    assert "すべて一致しました" in proc.stdout
    payload = last_entry(jobs)["payload"]
    assert isinstance(payload, dict)
    assert payload["inspected"] == payload["passed"] == payload["quantity"] == len(pieces)
    assert payload["defects"] == 0


def test_standard_input_is_read_until_an_empty_line(jobs: Jobs) -> None:
    """``--scans -`` reads as a scanner types, showing running counts, and stops at the first empty line."""
    pieces = jobs.codes(jobs.job)
    codes = [c[0] for c in pieces.values()]
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--scans", "-", "--json", "--yes",
                   stdin="\n".join([*codes[:3], "", *codes[3:]]) + "\n")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["counts"]["scanned"] == 3
    assert f"読取り 3 件（このジョブ 3/{len(pieces)} 通" in proc.stderr


@pytest.mark.parametrize(("args", "code", "exit_code"), [
    (["NO-SUCH-JOB"], "job.not_found", 9),
    (["../../etc"], "job.not_found", 9),
])
def test_an_unknown_job_is_refused(jobs: Jobs, args: list[str], code: str, exit_code: int) -> None:
    """A job id that names no job folder (or leaves the jobs folder) is refused before anything is read."""
    file = jobs.tmp / "one.txt"
    file.write_text("123\n", encoding="utf-8")
    proc = handoff(jobs.home, "inspect", "delivery", *args, "--scans", str(file), "--yes")
    assert proc.returncode == exit_code and f"[{code}]" in proc.stderr


def test_an_empty_scans_file_records_nothing(jobs: Jobs) -> None:
    """A file of blank lines is refused (exit 4) and nothing is recorded."""
    before = last_entry(jobs)["seq"]
    file = jobs.tmp / "blank.txt"
    file.write_text("\n  \n\n", encoding="utf-8")
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--scans", str(file), "--yes")
    assert proc.returncode == 4 and "[inspection.no_scans]" in proc.stderr
    assert last_entry(jobs)["seq"] == before
