"""返戻: ``handoff returned-mail record`` reconciles scanned codes, records counts and writes the follow-up list."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handoff import api
from handoff.config import load_site
from handoff.ledger.service import Ledger
from handoff.mail.inserter import check_digit
from handoff.pipeline.inspection import Expected, load_expected
from handoff.pipeline.returned_mail import reconcile
from tests.package.test_wiring import init_site

STAFF = "S001"


def expected(job: str, pieces: dict[str, list[str]]) -> Expected:
    return Expected(job, None, pieces, {c: p for p, codes in pieces.items() for c in codes})


def valid(body: str) -> str:
    return body + check_digit(body)


A1, A1b, A2, A3 = valid("0100000101020"), valid("0100000102020"), valid("0100000201010"), valid("0100000301010")
B9 = valid("0100000901010")


def test_reconcile_sorts_matched_duplicate_unknown_and_other_job() -> None:
    """A piece counts once however many of its codes are read; repeats, strangers and other jobs are kept apart."""
    mine = expected("J-A", {"000001": [A1, A1b], "000002": [A2], "000003": [A3]})
    other = expected("J-B", {"000009": [B9]})
    stranger = valid("0100007701010")
    scans = [(1, A1), (2, A1), (3, A1b), (4, A2), (5, stranger), (6, "HELLO"), (7, B9)]
    out = reconcile(mine, [other], scans)
    assert out.counts() == {"quantity": 3, "scanned": 7, "matched": 2, "duplicates": 2, "unknown": 2,
                            "other_job": 1}
    assert out.pieces == [{"piece": "000001", "code": A1, "line": 1}, {"piece": "000002", "code": A2, "line": 4}]
    assert [d["line"] for d in out.duplicates] == [2, 3]
    assert out.unknown == [{"line": 5, "code": stranger}, {"line": 6, "code": None, "length": 5}]
    assert out.other_job == [{"job": "J-B", "piece": "000009", "code": B9, "line": 7}]
    assert out.needs_checking


def test_pieces_recorded_earlier_are_duplicates() -> None:
    """A piece an earlier batch already recorded is a duplicate (marked earlier), not matched again."""
    mine = expected("J-A", {"000001": [A1], "000002": [A2]})
    out = reconcile(mine, [], [(1, A1), (2, A2)], earlier={"000001"})
    assert [p["piece"] for p in out.pieces] == ["000002"]
    assert out.duplicates == [{"piece": "000001", "code": A1, "line": 1, "earlier": True}]
    assert not out.needs_checking


# --- the command, on a real site with two envelope jobs -----------------------------------------------------------
@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A site with two 子ども医療証 jobs: A (small) and B (larger, so its high piece numbers are not A's)."""
    root = tmp_path_factory.mktemp("returned")
    home = init_site(root / "site")
    made = []
    for rows, reason in ((120, ""), (400, "試験: 二つ目のジョブ")):
        src = root / f"in{rows}.csv"
        subprocess.run([sys.executable, "-m", "handoff", "sample", "kodomo-iryosho", "-o", str(src), "-n", str(rows),
                        "--no-progress"], check=True, capture_output=True, env={**os.environ, "HANDOFF_HOME": str(home)})
        made.append(api.run("kodomo-iryosho", src, staff=STAFF, site=home, rerun_reason=reason).job_id)
    return home, made[0], made[1]


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_LANG": "ja", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300)


def _entries(home: Path) -> list[dict[str, object]]:
    with Ledger.open(load_site(home)) as ledger:
        return [dict(e.payload) for e in ledger.entries() if e.type == "mail.returned"]


def test_record_scan_file_with_every_kind(jobs: tuple[Path, str, str], tmp_path: Path) -> None:
    """A scan file with matched, duplicate, unknown and other-job codes: counts in the ledger, list in internal/."""
    home, job_a, job_b = jobs
    site = load_site(home)
    mine, theirs = load_expected(site, job_a), load_expected(site, job_b)
    first, second = next(iter(mine.pieces.values()))[0], list(mine.pieces.values())[1][0]
    other = next(c for c in theirs.piece_of if c not in mine.piece_of)
    stranger = next(valid(f"99{n:06d}0101") for n in range(1, 99) if valid(f"99{n:06d}0101") not in mine.piece_of)
    scans = tmp_path / "scans.txt"
    scans.write_text(f"{first}\n{second}\n{first}\n{stranger}\nNOT-A-CODE\n{other}\n\n", encoding="utf-8")
    proc = _cli(home, "returned-mail", "record", job_a, "--scans", str(scans), "--staff", STAFF, "--yes", "--json")
    assert proc.returncode == 1, proc.stderr  # recorded, but two lines are not this job's pieces
    shown = json.loads(proc.stdout)
    assert shown["counts"] == {"quantity": len(mine.pieces), "scanned": 6, "matched": 2, "duplicates": 1,
                               "unknown": 2, "other_job": 1}
    assert shown["other_job"][0]["job"] == job_b
    (entry,) = _entries(home)
    assert {k: entry[k] for k in ("scanned", "matched", "duplicates", "unknown", "other_job")} == {
        "scanned": 6, "matched": 2, "duplicates": 1, "unknown": 2, "other_job": 1}
    assert first not in json.dumps(entry)  # the ledger keeps counts, never a code
    (listed,) = (home / "data" / "jobs" / job_a / "internal" / "returned").glob("*.csv")
    data = listed.read_bytes()
    assert entry["list_sha256"] == hashlib.sha256(data).hexdigest()
    assert listed.stat().st_mode & 0o077 == 0
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["郵便物番号", "封入制御コード", "読取行"], [mine.piece_of[first], first, "1"],
                    [mine.piece_of[second], second, "2"]]
    # A later batch: the same envelope again is a duplicate of the earlier record, a new one is matched.
    third = list(mine.pieces.values())[2][0]
    scans.write_text(f"{first}\n{third}\n", encoding="utf-8")
    proc = _cli(home, "returned-mail", "record", job_a, "--scans", str(scans), "--staff", STAFF, "--yes")
    assert proc.returncode == 0, proc.stderr
    assert "該当する郵便物 1 通、重複 1 件" in proc.stdout and "以前の返戻で記録済み" in proc.stdout
    assert [e["matched"] for e in _entries(home)] == [2, 1]
    assert _cli(home, "ledger", "verify").returncode == 0


def test_auditor_may_not_record_and_no_list_is_left(jobs: tuple[Path, str, str], tmp_path: Path) -> None:
    """Recording returns is operator work: an auditor is refused (exit 6) and no follow-up list is written."""
    home, job_a, _ = jobs
    folder = home / "data" / "jobs" / job_a / "internal" / "returned"
    before = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    scans = tmp_path / "scans.txt"
    scans.write_text(next(iter(load_expected(load_site(home), job_a).piece_of)) + "\n", encoding="utf-8")
    proc = _cli(home, "returned-mail", "record", job_a, "--scans", str(scans), "--staff", "A001", "--yes")
    assert proc.returncode == 6, proc.stderr
    assert (sorted(folder.glob("*.csv")) if folder.is_dir() else []) == before


def test_empty_scan_file_and_unknown_job_are_refused(jobs: tuple[Path, str, str], tmp_path: Path) -> None:
    """A file without codes is an input error; a job that does not exist is refused before anything is read."""
    home, job_a, _ = jobs
    scans = tmp_path / "empty.txt"
    scans.write_text("\n  \n", encoding="utf-8")
    proc = _cli(home, "returned-mail", "record", job_a, "--scans", str(scans), "--staff", STAFF, "--yes")
    assert proc.returncode != 0 and "読み取ったコードがありません" in proc.stderr
    scans.write_text(A1 + "\n", encoding="utf-8")
    proc = _cli(home, "returned-mail", "record", "20260101-000000-nope-0000", "--scans", str(scans), "--staff", STAFF,
                "--yes")
    assert proc.returncode == 9, proc.stderr
